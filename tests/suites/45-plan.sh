#!/usr/bin/env bash
# Plan tests: exact Kintone requests per SQL statement (tests/plan/).
. "$(dirname "$0")/lib.sh"
/usr/bin/python3 "$KENV_TOP/tests/plan/run_plan.py" >"$KENV_RUN/plan.log" 2>&1
cat "$KENV_RUN/plan.log"
tap_count "$KENV_RUN/plan.log"
grep -q '^ok\|^not ok' "$KENV_RUN/plan.log" || SUITE_FAILED=$((SUITE_FAILED + 1))
suite_result
