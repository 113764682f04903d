#!/usr/bin/env bash
# SQL_ATTR_QUERY_TIMEOUT and SQLCancel against a slow private emulator.
. "$(dirname "$0")/lib.sh"
. "$KENV_TOP/scripts/testenv.sh"
KENV_EMU_ARGS="--latency-ms 700" kenv_start "$KENV_RUN/cancel" ||
  { SUITE_FAILED=1; suite_result; exit 1; }
/usr/bin/python3 "$KENV_TOP/tests/integration/test_cancel.py" \
  >"$KENV_RUN/cancel.log" 2>&1
rc=$?
kenv_stop
grep -E ' \.\.\. ' "$KENV_RUN/cancel.log" | sed 's/^/  /'
unittest_count "$KENV_RUN/cancel.log" $rc
[ $rc -eq 0 ] || tail -30 "$KENV_RUN/cancel.log"
suite_result
