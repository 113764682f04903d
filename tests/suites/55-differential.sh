#!/usr/bin/env bash
# Differential tests: random SELECTs through the driver vs SQLite over a
# local copy of the same records.
. "$(dirname "$0")/lib.sh"
/usr/bin/python3 "$KENV_TOP/tests/integration/test_differential.py" \
  >"$KENV_RUN/differential.log" 2>&1
rc=$?
grep -E ' \.\.\. ' "$KENV_RUN/differential.log" | sed 's/^/  /'
unittest_count "$KENV_RUN/differential.log" $rc
[ $rc -eq 0 ] || tail -40 "$KENV_RUN/differential.log"
suite_result
