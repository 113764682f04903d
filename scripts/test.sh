#!/usr/bin/env bash
# The whole test suite: unit tests (Check), the emulator's own tests, and
# integration tests through the unixODBC driver manager (isql, pyodbc,
# the DSN tool...) against the emulator over HTTPS.  Every suite in
# tests/suites/ runs (see tests/suites/README.md).
# Ends with "N passed, N failed"; exits non-zero on any failure.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
bash scripts/deps.sh
if ! bash scripts/build.sh --werror; then
  echo "build failed"
  echo "0 passed, 1 failed"
  exit 1
fi
. scripts/testenv.sh
run="$top/.run/test"
rm -rf "$run"
mkdir -p "$run"
trap kenv_stop EXIT
if ! kenv_start "$run"; then
  echo "emulator failed to start"
  echo "0 passed, 1 failed"
  exit 1
fi
export KENV_TOP

passed=0 failed=0
for suite in tests/suites/[0-9]*.sh; do
  name=$(basename "$suite" .sh)
  echo "== $name"
  bash "$suite" >"$run/$name.out" 2>&1
  rc=$?
  grep -v '^SUITE_RESULT' "$run/$name.out" | sed 's/^/  /'
  res=$(grep '^SUITE_RESULT' "$run/$name.out" | tail -1)
  if [ -n "$res" ]; then
    set -- $res
    passed=$((passed + $2))
    failed=$((failed + $3))
  fi
  if [ $rc -ne 0 ] && { [ -z "$res" ] || [ "${3:-0}" -eq 0 ]; }; then
    echo "  suite $name failed without counting a failure"
    failed=$((failed + 1))
  fi
done
kenv_stop
echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
