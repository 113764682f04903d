#!/usr/bin/env bash
# isql script tests: each tests/integration/isql/NAME.sql runs through
# `isql DSN -b -v -d'|' -c [options from NAME.opts]` (unixODBC driver
# manager -> driver -> emulator) and its output must equal
# expected/NAME.out.
# Needs the environment of scripts/testenv.sh.  Prints TAP lines.
set -u
here=$(cd "$(dirname "$0")" && pwd)
dsn=${1:-KintoneDemo}
out=${KENV_RUN:-/tmp}/isql-out
mkdir -p "$out"
n=0 fail=0
for sql in "$here"/isql/*.sql; do
  name=$(basename "$sql" .sql)
  n=$((n + 1))
  # NAME.opts may add isql options (e.g. -3 for an ODBC 3 application)
  opts=$(cat "${sql%.sql}.opts" 2>/dev/null || true)
  # -v prints diagnostics; strip the per-request error ids
  isql "$dsn" -b -v -d'|' -c $opts <"$sql" 2>&1 |
    sed -E 's/id=[A-Za-z0-9_-]+/id=X/g' >"$out/$name.out"
  if diff -u "$here/isql/expected/$name.out" "$out/$name.out" \
       >"$out/$name.diff"; then
    echo "ok $n - isql $name"
  else
    echo "not ok $n - isql $name"
    sed 's/^/# /' "$out/$name.diff" | head -40
    fail=$((fail + 1))
  fi
done
echo "# isql: $((n - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
