#!/usr/bin/env bash
# `make install` / `make uninstall` (issue #9):
#  1. make install DESTDIR=... puts the driver, the tool, the man pages,
#     the odbcinst template and the docs in place and registers nothing;
#     the staged driver, named by a private odbcinst.ini, answers isql
#     and the staged tool's `dsn test`; make uninstall DESTDIR=... removes
#     every file.
#  2. make install prefix=... (no DESTDIR) registers the driver with
#     odbcinst (into a private ODBCSYSINI), isql works through the
#     registered name, and make uninstall removes files and registration.
# Uses the shared emulator of scripts/test.sh (KENV_URL, KENV_CA).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
top=${KENV_TOP:-$(cd "$here/../.." && pwd)}
build=${KENV_BUILD:-$top/build}
tap_begin 86-install

sum_ini() { cat "${ODBCSYSINI:-/etc}/${ODBCINSTINI:-odbcinst.ini}" \
              /etc/odbcinst.ini 2>/dev/null | md5sum; }

# ---- 1. staged install -------------------------------------------------
dest=$run/destdir
before=$(sum_ini)
if make -C "$build" install DESTDIR="$dest" >"$run/install.log" 2>&1; then
  ok "make install DESTDIR"
else
  notok "make install DESTDIR (see $run/install.log)"
fi
prefix=$(sed -n 's/^prefix = //p' "$build/Makefile")
lib=$(find "$dest" -name libkintoneodbc.so | head -1)
for f in bin/kintone-odbc share/man/man1/kintone-odbc.1 \
         share/man/man7/kintone-odbc.7 share/kintone-odbc/odbcinst.ini.kintone \
         share/doc/kintone-odbc/connection-properties.md \
         share/doc/kintone-odbc/troubleshooting.md \
         share/doc/kintone-odbc/howto/kintone.tdc; do
  check "installed $f" test -f "$dest$prefix/$f"
done
check "installed libkintoneodbc.so" test -n "$lib"
check "DESTDIR install registered nothing" test "$before" = "$(sum_ini)"
check "install says it skipped registration" grep -q 'not registering' "$run/install.log"
check "template names the installed driver" \
  grep -q "^Driver *= *${lib#$dest}\$" "$dest$prefix/share/kintone-odbc/odbcinst.ini.kintone"
for m in 1 7; do
  check "man page kintone-odbc.$m renders cleanly" sh -c \
    "! groff -k -man -Tutf8 -ww -z '$dest$prefix/share/man/man$m/kintone-odbc.$m' 2>&1 | grep ."
done

# the staged driver through a private odbcinst.ini
mkdir -p "$run/odbc"
cat >"$run/odbc/odbcinst.ini" <<EOT
[KintoneStaged]
Driver    = $lib
Threading = 0
EOT
cat >"$run/odbc/odbc.ini" <<EOT
[Staged]
Driver        = KintoneStaged
URL           = $KENV_URL
User          = demo
Password      = demo-pass
SSLServerCert = $KENV_CA
EOT
: >"$run/odbc/user.odbc.ini"
out=$(echo 'SELECT table_name FROM sys.Apps WHERE app_id = 1;' |
      ODBCSYSINI=$run/odbc ODBCINSTINI=odbcinst.ini \
      ODBCINI=$run/odbc/user.odbc.ini isql Staged -b -v -d'|' 2>&1)
echo "$out" >>"$run/cmd.log"
check "staged driver answers isql" grep -qx '販売管理' <<<"$out"
out=$(ODBCSYSINI=$run/odbc ODBCINSTINI=odbcinst.ini \
      ODBCINI=$run/odbc/user.odbc.ini "$dest$prefix/bin/kintone-odbc" dsn test Staged 2>&1)
echo "$out" >>"$run/cmd.log"
check "staged kintone-odbc dsn test" grep -q 'connection available' <<<"$out"

if make -C "$build" uninstall DESTDIR="$dest" >"$run/uninstall.log" 2>&1; then
  ok "make uninstall DESTDIR"
else
  notok "make uninstall DESTDIR (see $run/uninstall.log)"
fi
left=$(find "$dest" -type f -o -type l)
check "uninstall removed every file" test -z "$left"
[ -z "$left" ] || echo "# left behind: $left" >>"$log"

# ---- 2. install with registration (private ODBCSYSINI) ------------------
pfx=$run/prefix
mkdir -p "$run/sys"
: >"$run/sys/odbcinst.ini"
: >"$run/sys/odbc.ini"
export ODBCSYSINI=$run/sys ODBCINSTINI=odbcinst.ini ODBCINI=$run/sys/user.odbc.ini
: >"$ODBCINI"
if make -C "$build" install prefix="$pfx" >"$run/install2.log" 2>&1; then
  ok "make install prefix=..."
else
  notok "make install prefix=... (see $run/install2.log)"
fi
reg=$(odbcinst -q -d -n Kintone 2>&1)
echo "$reg" >>"$run/cmd.log"
check "install registered the driver" \
  grep -q "^Driver=$pfx/lib/libkintoneodbc.so\$" <<<"$reg"
make -C "$build" install prefix="$pfx" >>"$run/install2.log" 2>&1
check "a second install keeps one registration" \
  sh -c "! odbcinst -q -d -n Kintone | grep -q 'UsageCount=2'"
cat >"$ODBCINI" <<EOT
[Registered]
Driver        = Kintone
URL           = $KENV_URL
User          = demo
Password      = demo-pass
SSLServerCert = $KENV_CA
EOT
out=$(echo 'SELECT COUNT(*) FROM sys.Apps;' | isql Registered -b -v -d'|' 2>&1)
echo "$out" >>"$run/cmd.log"
check "isql through the registered driver" grep -qx '2' <<<"$out"
if make -C "$build" uninstall prefix="$pfx" >"$run/uninstall2.log" 2>&1; then
  ok "make uninstall prefix=..."
else
  notok "make uninstall prefix=... (see $run/uninstall2.log)"
fi
check "uninstall removed the registration" \
  sh -c "! odbcinst -q -d -n Kintone >/dev/null 2>&1"
left=$(find "$pfx" -type f -o -type l 2>/dev/null)
check "uninstall removed every file (prefix)" test -z "$left"

cat "$log"
tap_count "$log"
suite_result
