#!/usr/bin/env bash
# Runs some suites against the current build, without the rest:
#   scripts/suite.sh 50-pyodbc [56-writes ...]
# KENV_BUILD selects the build directory (default build/); the run
# directory is .run/suite-$$ unless KENV_SUITE_RUN names one.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
. scripts/testenv.sh
run=${KENV_SUITE_RUN:-$top/.run/suite-$$}
rm -rf "$run"
mkdir -p "$run"
trap kenv_stop EXIT
kenv_start "$run" || exit 1
export KENV_TOP
rc=0
for name in "$@"; do
  suite=tests/suites/${name%.sh}.sh
  echo "== $name"
  bash "$suite" >"$run/$name.out" 2>&1 || rc=1
  sed 's/^/  /' "$run/$name.out"
done
exit $rc
