#!/usr/bin/env bash
# pyodbc parameter types, fetchmany and executemany (private emulator);
# numbers under a de_DE application locale (pyodbc and isql).
. "$(dirname "$0")/lib.sh"
. "$KENV_TOP/scripts/testenv.sh"
kenv_start "$KENV_RUN/pyodbc-types" || { SUITE_FAILED=1; suite_result; exit 1; }
/usr/bin/python3 "$KENV_TOP/tests/integration/test_pyodbc_types.py" \
  >"$KENV_RUN/pyodbc-types.log" 2>&1
rc=$?
/usr/bin/python3 "$KENV_TOP/tests/integration/test_locale.py" \
  >"$KENV_RUN/locale.log" 2>&1
rc2=$?
kenv_stop
grep -E ' \.\.\. ' "$KENV_RUN/pyodbc-types.log" | sed 's/^/  /'
unittest_count "$KENV_RUN/pyodbc-types.log" $rc
[ $rc -eq 0 ] || tail -40 "$KENV_RUN/pyodbc-types.log"
grep -E ' \.\.\. ' "$KENV_RUN/locale.log" | sed 's/^/  /'
unittest_count "$KENV_RUN/locale.log" $rc2
[ $rc2 -eq 0 ] || tail -40 "$KENV_RUN/locale.log"
suite_result
