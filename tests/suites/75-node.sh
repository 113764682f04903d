#!/usr/bin/env bash
# node-odbc (odbc@2.6.0, a native addon over unixODBC) against the
# driver: tests/integration/node/test.js.  Installs the locked
# dependencies with `npm ci` when node_modules is missing (the addon
# builds with node-gyp against /usr headers when no prebuilt binary fits).
. "$(dirname "$0")/lib.sh"
dir="$KENV_TOP/tests/integration/node"
log="$KENV_RUN/node.log"
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "not ok - node and npm are needed"
  SUITE_FAILED=1
  suite_result
  exit
fi
if [ ! -d "$dir/node_modules/odbc" ]; then
  (cd "$dir" && npm ci --no-audit --no-fund) >"$KENV_RUN/npm.log" 2>&1 || {
    echo "not ok - npm ci failed"
    tail -20 "$KENV_RUN/npm.log"
    SUITE_FAILED=1
    suite_result
    exit
  }
fi
(cd "$dir" && timeout 300 node test.js) >"$log" 2>&1
sed 's/^/  /' "$log"
tap_count "$log"
grep -q '^1\.\.' "$log" || SUITE_FAILED=$((SUITE_FAILED + 1))
suite_result
