#!/usr/bin/env bash
# The emulator's own unit tests (Python standard library).
. "$(dirname "$0")/lib.sh"
cd "$KENV_TOP"
python3 -m unittest discover -s tests/emulator -p 'test_*.py' \
  >"$KENV_RUN/emulator-unit.log" 2>&1
rc=$?
unittest_count "$KENV_RUN/emulator-unit.log" $rc
grep -E '^Ran |^OK|^FAILED' "$KENV_RUN/emulator-unit.log" | sed 's/^/  /'
[ $rc -eq 0 ] || tail -60 "$KENV_RUN/emulator-unit.log"
suite_result
