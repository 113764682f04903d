#!/usr/bin/env bash
# The Debian package (issue #9): build it from a copy of the tree with
# dpkg-buildpackage, install it with apt-get (postinst registers the
# driver "Kintone" in the system odbcinst.ini), query the emulator with
# isql through a user DSN naming Driver=Kintone, then remove it and check
# that the registration and the files are gone.
# Needs root (apt-get install); takes about 2-3 minutes on 2 cores.
# An installed kintone-odbc package is removed first.  SKIP_DEB_SUITE=1
# skips the suite (quick local runs).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
top=${KENV_TOP:-$(cd "$here/../.." && pwd)}
tap_begin 87-deb
finish() { cat "$log"; tap_count "$log"; suite_result; exit $?; }
# the system's unixODBC configuration, not the test environment's
sys() { env -u ODBCSYSINI -u ODBCINSTINI -u ODBCINI DEBIAN_FRONTEND=noninteractive "$@"; }

if [ -n "${SKIP_DEB_SUITE:-}" ]; then
  echo "# SKIP_DEB_SUITE is set: suite skipped" >>"$log"
  finish
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "# not root: the package cannot be installed; suite skipped" >>"$log"
  finish
fi
if ! command -v dpkg-buildpackage >/dev/null || ! dpkg -s debhelper dh-autoreconf >/dev/null 2>&1; then
  sys apt-get install -y --no-install-recommends dpkg-dev debhelper dh-autoreconf \
    >"$run/apt-deps.log" 2>&1 ||
    { notok "cannot install debhelper (see $run/apt-deps.log)"; finish; }
fi
if dpkg -s kintone-odbc >/dev/null 2>&1; then
  sys apt-get purge -y kintone-odbc >"$run/apt-pre.log" 2>&1
fi
if sys odbcinst -q -d -n Kintone >/dev/null 2>&1; then
  echo "# a driver 'Kintone' is already registered outside the package: suite skipped" >>"$log"
  finish
fi

# ---- build ---------------------------------------------------------------
src=$run/src
mkdir -p "$src"
if git -C "$top" rev-parse >/dev/null 2>&1; then
  # tracked and new files, without build products (.gitignore)
  (cd "$top" && git ls-files -co --exclude-standard -z |
     xargs -0 -I{} sh -c 'test -e "{}" && printf "%s\0" "{}"' |
     tar --null -T - -cf -) | tar -C "$src" -xf -
else
  (cd "$top" && tar --exclude=./build --exclude='./build-*' --exclude=./.run \
     --exclude=autom4te.cache -cf - .) | tar -C "$src" -xf -
fi
start=$(date +%s)
if (cd "$src" && DEB_BUILD_OPTIONS="nocheck noautodbgsym parallel=$(nproc)" \
      dpkg-buildpackage -us -uc -b) >"$run/build.log" 2>&1; then
  ok "dpkg-buildpackage -us -uc -b ($(( $(date +%s) - start ))s)"
else
  notok "dpkg-buildpackage failed (see $run/build.log)"
  tail -20 "$run/build.log" | sed 's/^/#   /' >>"$log"
  finish
fi
deb=$(ls "$run"/kintone-odbc_*.deb 2>/dev/null | head -1)
check "package built" test -f "$deb"
contents=$(dpkg-deb -c "$deb")
for f in usr/bin/kintone-odbc 'usr/lib/.*/odbc/libkintoneodbc.so' \
         usr/share/man/man1/kintone-odbc.1.gz usr/share/man/man7/kintone-odbc.7.gz \
         usr/share/kintone-odbc/odbcinst.ini.kintone \
         usr/share/doc/kintone-odbc/howto/kintone.tdc; do
  check "package holds $f" grep -q "\./$f\$" <<<"$contents"
done
check "package holds no .la files" sh -c "! grep -q '\.la\$' <<'EOT'
$contents
EOT"

# ---- install -------------------------------------------------------------
cleanup() { dpkg -s kintone-odbc >/dev/null 2>&1 &&
              sys apt-get purge -y kintone-odbc >/dev/null 2>&1; }
trap cleanup EXIT
start=$(date +%s)
if sys apt-get install -y "$deb" >"$run/apt-install.log" 2>&1; then
  ok "apt-get install ./$(basename "$deb") ($(( $(date +%s) - start ))s)"
else
  notok "apt-get install failed (see $run/apt-install.log)"
  finish
fi
reg=$(sys odbcinst -q -d -n Kintone 2>&1)
echo "$reg" >>"$run/cmd.log"
check "postinst registered the driver" \
  grep -q '^Driver=/usr/lib/.*/odbc/libkintoneodbc.so$' <<<"$reg"
lib=$(sed -n 's/^Driver=//p' <<<"$reg")
check "the registered library exists" test -f "$lib"

cat >"$run/odbc.ini" <<EOT
[PkgKintone]
Driver        = Kintone
URL           = $KENV_URL
User          = demo
Password      = demo-pass
SSLServerCert = $KENV_CA
EOT
out=$(echo 'SELECT table_name FROM sys.Apps ORDER BY app_id;' |
      env -u ODBCSYSINI -u ODBCINSTINI ODBCINI=$run/odbc.ini \
      isql PkgKintone -b -v -d'|' 2>&1)
echo "$out" >>"$run/cmd.log"
check "isql through the packaged driver" grep -qx '販売管理' <<<"$out"
out=$(env -u ODBCSYSINI -u ODBCINSTINI ODBCINI=$run/odbc.ini \
      /usr/bin/kintone-odbc dsn test PkgKintone 2>&1)
echo "$out" >>"$run/cmd.log"
check "packaged kintone-odbc dsn test" grep -q 'connection available' <<<"$out"

# a reinstall must not add a second registration
sys apt-get install -y --reinstall "$deb" >>"$run/apt-install.log" 2>&1
check "reinstall keeps one registration" \
  sh -c "! env -u ODBCSYSINI -u ODBCINSTINI odbcinst -q -d -n Kintone | grep -q 'UsageCount=[2-9]'"

# ---- remove --------------------------------------------------------------
start=$(date +%s)
if sys apt-get remove -y kintone-odbc >"$run/apt-remove.log" 2>&1; then
  ok "apt-get remove kintone-odbc ($(( $(date +%s) - start ))s)"
else
  notok "apt-get remove failed (see $run/apt-remove.log)"
fi
check "removal unregistered the driver" \
  sh -c "! env -u ODBCSYSINI -u ODBCINSTINI odbcinst -q -d -n Kintone >/dev/null 2>&1"
check "removal deleted the library" test ! -e "$lib"
check "apt-get purge kintone-odbc" sys apt-get purge -y kintone-odbc
check "purge leaves no trace in dpkg" sh -c "! dpkg -s kintone-odbc"
trap - EXIT
finish
