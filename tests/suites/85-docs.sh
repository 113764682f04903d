#!/usr/bin/env bash
# Documentation checks (issue #9):
#  - every connection property of driver/connstr.c (kd_property_names) is
#    in docs/connection-properties.md, and in man/kintone-odbc.7;
#  - every SQLSTATE of driver/sqlstate.c is in docs/troubleshooting.md;
#  - docs/howto/kintone.tdc is well-formed XML;
#  - the runnable blocks of docs/howto/*.md (```sh test, ```sql test,
#    ```python test, ```js test, ```r test; see tests/docs/run_blocks.py)
#    run against the emulator, with a DSN MyKintone in a private ODBCINI
#    (R blocks with Debian's RODBC; blocks marked needs=PKG are skipped,
#    with the reason, where PKG is not installed).
# Runs from scripts/test.sh (KENV_RUN, KENV_BUILD); starts its own emulator.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
top=${KENV_TOP:-$(cd "$here/../.." && pwd)}
build=${KENV_BUILD:-$top/build}
tap_begin 85-docs

# -- properties ----------------------------------------------------------
# Preprocessed, so the list is found whether connstr.c spells it out or
# builds it from a macro (KD_PROPERTIES in connstr.h).
cpp_src() {
  gcc -E -P -I"$top" -I"$build" $(pkg-config --cflags odbc sqlite3 yajl \
    2>/dev/null) "$1" 2>/dev/null || cat "$1"
}
props=$(cpp_src "$top/driver/connstr.c" | tr '\n' ' ' |
        grep -o 'kd_property_names\[\] = {[^}]*}' | grep -o '"[A-Za-z]*"' |
        tr -d '"')
[ -n "$props" ] || notok "no properties extracted from connstr.c"
for p in $props; do
  if grep -q "^### \`$p\`" "$top/docs/connection-properties.md"; then
    ok "property $p documented"
  else
    notok "property $p has no section in docs/connection-properties.md"
  fi
  grep -q "^\.B.*\b$p\b" "$top/man/kintone-odbc.7" ||
    notok "property $p missing from man/kintone-odbc.7"
done

# -- SQLSTATEs -----------------------------------------------------------
states=$(cpp_src "$top/driver/sqlstate.c" |
         grep -o '{"[0-9A-Z]\{5\}", "[0-9A-Z]\{5\}"' |
         grep -o '[0-9A-Z]\{5\}' | sort -u)
[ -n "$states" ] || notok "no SQLSTATEs extracted from sqlstate.c"
for s in $states; do
  if grep -q "\`$s\`" "$top/docs/troubleshooting.md"; then
    ok "SQLSTATE $s documented"
  else
    notok "SQLSTATE $s missing from docs/troubleshooting.md"
  fi
done

# -- the Tableau customization -------------------------------------------
if /usr/bin/python3 -c 'import sys, xml.dom.minidom as m; m.parse(sys.argv[1])' \
     "$top/docs/howto/kintone.tdc" 2>>"$log"; then
  ok "kintone.tdc is well-formed"
else
  notok "kintone.tdc is not well-formed XML"
fi

# -- runnable how-to blocks ----------------------------------------------
# A fresh emulator of our own: the how-tos show exact counts, and other
# suites may have written to the shared one.
. "$top/scripts/testenv.sh"
trap kenv_stop EXIT
if ! kenv_start "$run/emu"; then
  notok "emulator for the how-tos did not start"
  cat "$log"; tap_count "$log"; suite_result; exit 1
fi
export PATH="$build:$PATH"
export ODBCINI=$run/odbc.ini DOCS_DSN=MyKintone
cat >"$ODBCINI" <<EOT
[MyKintone]
Driver        = Kintone
URL           = $KENV_URL
User          = demo
Password      = demo-pass
SSLServerCert = $KENV_CA
EOT
skip=
# node-odbc: the `odbc` module, installed once into a cache directory
if command -v node >/dev/null 2>&1; then
  nm=${KDOCS_NODE_CACHE:-$top/.run/node-odbc}
  if ! NODE_PATH=$nm/node_modules node -e 'require("odbc")' 2>/dev/null; then
    mkdir -p "$nm"
    (cd "$nm" && timeout 240 npm install --no-audit --no-fund odbc@2.6.0 \
       >"$run/npm.log" 2>&1) || true
  fi
  if NODE_PATH=$nm/node_modules node -e 'require("odbc")' 2>/dev/null; then
    export NODE_PATH=$nm/node_modules
  else
    echo "# node-odbc not available (see $run/npm.log): js blocks skipped" >>"$log"
    skip=$skip,js
  fi
else
  skip=$skip,js
fi
# R: Rscript and RODBC are Debian packages that scripts/deps.sh installs,
# so their absence is a failure, not a skip.  Blocks for the CRAN `odbc`
# package (not in Debian 12) are marked ```r test needs=odbc```;
# run_blocks.py reports them as skipped, with that reason, where it is
# missing.
if ! command -v Rscript >/dev/null 2>&1 ||
   ! Rscript -e 'library(RODBC)' >/dev/null 2>&1; then
  notok "R how-to: Rscript or RODBC missing (scripts/deps.sh installs r-base-core, r-cran-rodbc)"
  skip=$skip,r
fi
export DOCS_SKIP_LANGS=${skip#,}
/usr/bin/python3 "$top/tests/docs/run_blocks.py" --tap-start "$n" \
  "$top"/docs/howto/*.md >>"$log" 2>&1

cat "$log"
tap_count "$log"
suite_result
