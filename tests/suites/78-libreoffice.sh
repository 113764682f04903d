#!/usr/bin/env bash
# LibreOffice Calc (headless, Python-UNO) imports the sample tables through
# the DSN and compares every cell with pyodbc's rows; also scrolls a
# LibreOffice result set (static cursor).  Needs libreoffice-calc,
# libreoffice-base and python3-uno, which scripts/deps.sh installs; without
# them the suite fails.
. "$(dirname "$0")/lib.sh"
log="$KENV_RUN/libreoffice.log"
if [ ! -x /usr/lib/libreoffice/program/soffice ] ||
   ! /usr/bin/python3 -c 'import uno' 2>/dev/null; then
  echo "  not ok - LibreOffice or python3-uno is not installed (scripts/deps.sh installs them)"
  SUITE_FAILED=$((SUITE_FAILED + 1))
  suite_result
  exit
fi
timeout 600 /usr/bin/python3 \
  "$KENV_TOP/tests/integration/libreoffice/calc_import.py" >"$log" 2>&1
sed 's/^/  /' "$log"
tap_count "$log"
grep -q '^1\.\.' "$log" || SUITE_FAILED=$((SUITE_FAILED + 1))
suite_result
