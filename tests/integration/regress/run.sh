#!/usr/bin/env bash
# Regression runner (psqlODBC test/runsuite style).
#
#   run.sh OUTDIR [area...]
#
# Builds every src/<area>-test.c against the driver manager (pkg-config
# odbc; never the driver), runs each twice, as an ANSI application and as a
# Unicode one (-w), and diffs the output with expected/<area>.out (or an
# alternate expected/<area>_1.out).  Prints TAP; differences go to
# OUTDIR/regression.diffs.  The ODBC environment (ODBCSYSINI... with the
# KintoneDemo DSN) must be set up by the caller (scripts/testenv.sh).
set -u
here=$(cd "$(dirname "$0")" && pwd)
out=${1:?usage: run.sh OUTDIR [area...]}
shift
mkdir -p "$out"
: >"$out/regression.diffs"
if [ $# -gt 0 ]; then
  areas="$*"
else
  areas=$(cd "$here/src" && ls *-test.c | sed 's/-test\.c$//')
fi
cflags=$(pkg-config --cflags odbc)
libs=$(pkg-config --libs odbc)
n=0
for a in $areas; do n=$((n + 2)); done
echo "1..$n"
i=0
for a in $areas; do
  bin="$out/$a-test"
  if ! cc -std=c99 -D_POSIX_C_SOURCE=200809L -Wall -Werror -O0 -g \
       $cflags -o "$bin" "$here/src/$a-test.c" $libs 2>"$out/$a.cc.log"; then
    cat "$out/$a.cc.log" >&2
    for mode in ansi unicode; do
      i=$((i + 1))
      echo "not ok $i - $a ($mode): does not compile"
    done
    continue
  fi
  for mode in ansi unicode; do
    i=$((i + 1))
    flag=
    [ $mode = unicode ] && flag=-w
    "$bin" $flag >"$out/$a.$mode.out" 2>&1
    ok=
    for exp in "$here/expected/$a.out" "$here/expected/${a}_1.out"; do
      [ -f "$exp" ] || continue
      if diff -u "$exp" "$out/$a.$mode.out" >/dev/null; then
        ok=1
        break
      fi
    done
    if [ -n "$ok" ]; then
      echo "ok $i - $a ($mode)"
    else
      echo "not ok $i - $a ($mode)"
      diff -u "$here/expected/$a.out" "$out/$a.$mode.out" \
        >>"$out/regression.diffs" 2>&1
    fi
  done
done
