#!/usr/bin/env bash
# isql script tests with expected output.
. "$(dirname "$0")/lib.sh"
bash "$KENV_TOP/tests/integration/run_isql.sh" >"$KENV_RUN/isql.log" 2>&1
cat "$KENV_RUN/isql.log"
tap_count "$KENV_RUN/isql.log"
suite_result
