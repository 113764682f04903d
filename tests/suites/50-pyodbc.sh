#!/usr/bin/env bash
# pyodbc through the driver manager (Debian's /usr/bin/python3).
. "$(dirname "$0")/lib.sh"
/usr/bin/python3 "$KENV_TOP/tests/integration/test_pyodbc.py" \
  >"$KENV_RUN/pyodbc.log" 2>&1
rc=$?
grep -E ' \.\.\. ' "$KENV_RUN/pyodbc.log" | sed 's/^/  /'
unittest_count "$KENV_RUN/pyodbc.log" $rc
[ $rc -eq 0 ] || tail -60 "$KENV_RUN/pyodbc.log"
# TimeZone, UseDisplayNames, REMARKS, sys.Spaces/Process* (own emulator)
/usr/bin/python3 "$KENV_TOP/tests/integration/test_sqlview.py" \
  >"$KENV_RUN/sqlview.log" 2>&1
rc=$?
grep -E ' \.\.\. ' "$KENV_RUN/sqlview.log" | sed 's/^/  /'
unittest_count "$KENV_RUN/sqlview.log" $rc
[ $rc -eq 0 ] || tail -60 "$KENV_RUN/sqlview.log"
# the fetch engine's lane window over thinned ids (own emulator)
/usr/bin/python3 "$KENV_TOP/tests/integration/test_lanes.py" \
  >"$KENV_RUN/lanes.log" 2>&1
rc=$?
grep -E ' \.\.\. ' "$KENV_RUN/lanes.log" | sed 's/^/  /'
unittest_count "$KENV_RUN/lanes.log" $rc
[ $rc -eq 0 ] || tail -60 "$KENV_RUN/lanes.log"
suite_result
