#!/usr/bin/env bash
# Check unit tests (make check) and the export list check.
. "$(dirname "$0")/lib.sh"
top=$KENV_TOP
make -s -C "$KENV_BUILD" check >"$KENV_RUN/unit.log" 2>&1
rc=$?
for f in "$KENV_BUILD"/tests/unit/*.log; do
  line=$(grep -ho '^[0-9]*%: Checks: [0-9]*, Failures: [0-9]*, Errors: [0-9]*' "$f")
  [ -n "$line" ] || continue
  echo "  $(basename "$f" .log): $line"
  c=$(echo "$line" | awk '{print $3+0}')
  fl=$(echo "$line" | awk '{print $5+$7}')
  SUITE_PASSED=$((SUITE_PASSED + c - fl))
  SUITE_FAILED=$((SUITE_FAILED + fl))
done
if [ $rc -ne 0 ]; then
  SUITE_FAILED=$((SUITE_FAILED + 1))
  tail -40 "$KENV_RUN/unit.log"
fi
if srcdir="$top" bash "$top/tests/unit/check_exports.sh" \
     "$KENV_BUILD/.libs/libkintoneodbc.so" >"$KENV_RUN/exports.log" 2>&1; then
  echo "ok - exported symbols equal exports.h (SQLGetFunctions)"
  SUITE_PASSED=$((SUITE_PASSED + 1))
else
  echo "not ok - exported symbols differ from exports.h"
  cat "$KENV_RUN/exports.log"
  SUITE_FAILED=$((SUITE_FAILED + 1))
fi
suite_result
