#!/usr/bin/env bash
# The kintone-odbc DSN tool.
. "$(dirname "$0")/lib.sh"
bash "$KENV_TOP/tests/integration/test_cli.sh" >"$KENV_RUN/cli.log" 2>&1
cat "$KENV_RUN/cli.log"
tap_count "$KENV_RUN/cli.log"
suite_result
