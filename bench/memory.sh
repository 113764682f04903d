#!/usr/bin/env bash
# Memory benchmark (issue "Fetch engine", target 3): peak RSS of a whole
# scan of a small and of a large generated app through the driver, and
# the growth between them, which must stay under 10 MB however many
# records a scan reads.  Also reports driver CPU per row (target 2).
#
#   bench/memory.sh [SMALL] [LARGE] [CONCURRENCY]   (20000 200000 8)
#
# Each size gets its own emulator at 0 ms latency (--warm-first, so the
# Python server's first encoding of a record is not timed), and its own
# kbench process (bench/kbench.c: bound columns, 256-row rowsets).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
small=${1:-20000}
large=${2:-200000}
conc=${3:-8}
bash scripts/deps.sh
bash scripts/build.sh
run="$top/.run/bench-memory"
mkdir -p "$run"
cc -O2 -o "$run/kbench" bench/kbench.c $(pkg-config --cflags --libs odbc)
. scripts/testenv.sh
trap kenv_stop EXIT

printf '%-8s %-5s %8s %8s %9s %11s\n' records conc wall_s cpu_s rss_mb rows/cpu_s
rss=()
for n in "$small" "$large"; do
  fixture="$run/bench-$n.json"
  [ -f "$fixture" ] || python3 tests/emulator/gen_fixture.py --records "$n" \
    --seed 1 --out "$fixture" >/dev/null
  KENV_EMU_ARGS="--latency-ms 0 --warm-first" kenv_start "$run/emu-$n" "$fixture"
  sleep 2
  line=$("$run/kbench" "DSN=KintoneDemo;MaxConcurrency=$conc" \
         'SELECT * FROM "Synthetic"')
  kenv_stop
  eval "$(echo "$line" | tr ' ' '\n' | sed 's/^/b_/')"
  if [ "$b_rows" != "$n" ]; then
    echo "rows read $b_rows != $n" >&2
    exit 1
  fi
  rss+=("$b_maxrss_kb")
  awk -v n="$n" -v c="$conc" -v w="$b_wall" -v cpu="$b_cpu" \
      -v rss="$b_maxrss_kb" 'BEGIN {
    printf "%-8d %-5d %8.2f %8.2f %9.1f %11.0f\n", n, c, w, cpu, rss / 1024,
      (cpu > 0 ? n / cpu : 0)
  }'
done
awk -v a="${rss[0]}" -v b="${rss[1]}" -v s="$small" -v l="$large" 'BEGIN {
  g = (b - a) / 1024
  printf "peak RSS growth from %d to %d records: %.1f MB (target < 10 MB): %s\n",
    s, l, g, (g < 10 ? "met" : "NOT met")
}'
