#!/usr/bin/env bash
# The kintone-odbc DSN tool against the emulator: create, show (secrets
# masked), list, test (both outcomes), isql through the created DSN,
# remove.  Needs the environment of scripts/testenv.sh.  Prints TAP.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
tool="${KENV_BUILD:-$top/build}/kintone-odbc"
n=0 fail=0
check() {            # check NAME EXPECTED ACTUAL
  n=$((n + 1))
  if [ "$2" = "$3" ]; then
    echo "ok $n - $1"
  else
    echo "not ok $n - $1"
    printf '# expected: %s\n# actual:   %s\n' "$2" "$3"
    fail=$((fail + 1))
  fi
}
contains() {         # contains NAME NEEDLE HAYSTACK
  case "$3" in *"$2"*) check "$1" x x ;; *) check "$1" "...$2..." "$3" ;; esac
}

out=$("$tool" dsn test KintoneDemo); rc=$?
check "dsn test prints connection available" "connection available" "$out"
check "dsn test exit status 0" 0 "$rc"

"$tool" dsn create CliDsn URL="$KENV_URL" User=demo Password=demo-pass \
  SSLServerCert="$KENV_CA" >/dev/null
check "dsn create exit status" 0 $?
out=$("$tool" dsn test CliDsn)
check "created DSN connects" "connection available" "$out"
out=$("$tool" dsn show CliDsn)
contains "dsn show lists URL" "URL = $KENV_URL" "$out"
contains "dsn show masks the password" "Password = ****" "$out"
case "$out" in *demo-pass*) check "no secret in dsn show" absent present ;;
               *) check "no secret in dsn show" x x ;; esac
out=$("$tool" dsn list)
contains "dsn list shows the new DSN" "CliDsn" "$out"
out=$(echo 'SELECT COUNT(*) FROM "顧客マスタ"' | isql CliDsn -b -d'|')
check "isql through the created DSN" "50" "$out"

"$tool" dsn create BadPwd URL="$KENV_URL" User=demo Password=wrong \
  SSLServerCert="$KENV_CA" >/dev/null
out=$("$tool" dsn test BadPwd); rc=$?
contains "wrong password: Connection unavailable" \
  "Connection unavailable: [28000]" "$out"
contains "wrong password: Kintone's code" "CB_WA01" "$out"
check "wrong password: exit status 1" 1 "$rc"
out=$("$tool" dsn test "DRIVER=Kintone;URL=https://127.0.0.1:1;UID=a;PWD=b;SSLServerCert=$KENV_CA"); rc=$?
contains "unreachable host: 08001" "Connection unavailable: [08001]" "$out"
check "unreachable host: exit status 1" 1 "$rc"

"$tool" dsn remove CliDsn >/dev/null
"$tool" dsn remove BadPwd >/dev/null
out=$("$tool" dsn list)
case "$out" in *CliDsn*) check "dsn remove" removed present ;;
               *) check "dsn remove" x x ;; esac
echo "# cli: $((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
