#!/usr/bin/env bash
# Write tests against a private emulator (they change its records).
. "$(dirname "$0")/lib.sh"
. "$KENV_TOP/scripts/testenv.sh"
kenv_start "$KENV_RUN/writes" || { SUITE_FAILED=1; suite_result; exit 1; }
/usr/bin/python3 "$KENV_TOP/tests/integration/test_writes.py" \
  >"$KENV_RUN/writes.log" 2>&1
rc=$?
kenv_stop
grep -E ' \.\.\. ' "$KENV_RUN/writes.log" | sed 's/^/  /'
unittest_count "$KENV_RUN/writes.log" $rc
[ $rc -eq 0 ] || tail -40 "$KENV_RUN/writes.log"
suite_result
