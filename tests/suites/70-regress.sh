#!/usr/bin/env bash
# C regression programs through the driver manager, each run as an ANSI
# and as a Unicode application (tests/integration/regress).
. "$(dirname "$0")/lib.sh"
out="$KENV_RUN/regress"
bash "$KENV_TOP/tests/integration/regress/run.sh" "$out" >"$out.log" 2>&1
sed 's/^/  /' "$out.log"
tap_count "$out.log"
if [ -s "$out/regression.diffs" ]; then
  echo "  differences ($out/regression.diffs):"
  head -80 "$out/regression.diffs" | sed 's/^/    /'
fi
grep -q '^1\.\.' "$out.log" || SUITE_FAILED=$((SUITE_FAILED + 1))
suite_result
