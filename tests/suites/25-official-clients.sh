#!/usr/bin/env bash
# The emulator against Kintone's official clients (npm
# @kintone/rest-api-client and @kintone/cli), unchanged, over HTTPS.
. "$(dirname "$0")/lib.sh"
dir="$KENV_TOP/tests/emulator/official_clients"
if ! command -v npm >/dev/null 2>&1; then
  echo "installing nodejs/npm"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
if [ ! -x "$dir/node_modules/.bin/cli-kintone" ]; then
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) \
    >"$KENV_RUN/npm-official.log" 2>&1 || {
      echo "not ok - npm ci for the official clients"
      tail -20 "$KENV_RUN/npm-official.log"
      SUITE_FAILED=1
      suite_result
      exit 1
    }
fi
sh "$dir/run.sh" >"$KENV_RUN/official.log" 2>&1
rc=$?
cat "$KENV_RUN/official.log"
if [ $rc -eq 0 ]; then
  tap_count "$KENV_RUN/official.log"
  [ "$SUITE_PASSED" -gt 0 ] || SUITE_PASSED=1
else
  tap_count "$KENV_RUN/official.log"
  [ "$SUITE_FAILED" -gt 0 ] || SUITE_FAILED=1
fi
suite_result
