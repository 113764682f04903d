#!/usr/bin/env bash
# The whole test suite: unit tests (Check), the emulator's own tests, and
# integration tests through the unixODBC driver manager (isql, pyodbc,
# the DSN tool) against the emulator over HTTPS.
# Ends with "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/deps.sh
bash scripts/build.sh --werror || { echo "build failed"; exit 1; }
. scripts/testenv.sh
run="$top/.run/test"
rm -rf "$run"
mkdir -p "$run"
trap kenv_stop EXIT

passed=0 failed=0
add() { passed=$((passed + $1)); failed=$((failed + $2)); }
# unittest_count LOG RC: adds the counts of a Python unittest run
unittest_count() {
  local n f
  n=$(grep -o '^Ran [0-9]*' "$1" | awk '{print $2}')
  f=$(grep -Eo '^FAILED \(.*\)' "$1" | grep -Eo '(failures|errors)=[0-9]+' |
      awk -F= '{s+=$2} END {print s+0}')
  if [ "$2" -eq 0 ]; then
    add "${n:-0}" 0; echo "  ${n:-0} passed"
  else
    [ "${f:-0}" -gt 0 ] || f=1
    add $(( ${n:-0} - f )) "$f"; tail -40 "$1"
  fi
}

echo "== unit tests (Check)"
make -s -C build check >"$run/unit.log" 2>&1
unit_rc=$?
grep -E '^[0-9]+%: Checks|^(PASS|FAIL|ERROR|SKIP): ' build/tests/unit/*.log \
  "$run/unit.log" 2>/dev/null | sed 's/^/  /' | sort -u
p=$(grep -ho '^[0-9]*%: Checks: [0-9]*, Failures: [0-9]*, Errors: [0-9]*' \
    build/tests/unit/*.log | awk '{c+=$3; f+=$5+$7} END {print c-f, f}')
add ${p:-0 1}
[ $unit_rc -eq 0 ] || { add 0 1; cat "$run/unit.log"; }

echo "== exported symbols match SQLGetFunctions"
if srcdir="$top" bash tests/unit/check_exports.sh build/.libs/libkintoneodbc.so \
     >"$run/exports.log" 2>&1; then add 1 0; echo "  ok"
else add 0 1; cat "$run/exports.log"; fi

echo "== emulator unit tests"
python3 -m unittest discover -s tests/emulator -p 'test_*.py' \
  >"$run/emulator-unit.log" 2>&1
rc=$?
unittest_count "$run/emulator-unit.log" $rc

kenv_start "$run" || { echo "emulator failed"; exit 1; }

echo "== isql scripts"
bash tests/integration/run_isql.sh >"$run/isql.log" 2>&1
cat "$run/isql.log"
add "$(grep -c '^ok' "$run/isql.log")" "$(grep -c '^not ok' "$run/isql.log")"

echo "== pyodbc (/usr/bin/python3)"
/usr/bin/python3 tests/integration/test_pyodbc.py >"$run/pyodbc.log" 2>&1
rc=$?
grep -E ' \.\.\. ' "$run/pyodbc.log" | sed 's/^/  /'
unittest_count "$run/pyodbc.log" $rc

echo "== kintone-odbc DSN tool"
bash tests/integration/test_cli.sh >"$run/cli.log" 2>&1
cat "$run/cli.log"
add "$(grep -c '^ok' "$run/cli.log")" "$(grep -c '^not ok' "$run/cli.log")"

kenv_stop
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
