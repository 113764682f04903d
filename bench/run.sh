#!/usr/bin/env bash
# Fetch-engine benchmark: reads a generated app through the driver and
# through Kintone's official clients on the same emulator, and prints a
# table of ratios (issue "Fetch engine").
#
#   bench/run.sh [RECORDS] [LATENCY_MS] [CONCURRENCY...]
#   BENCH_OFFICIAL=0 skips the official clients.
#
# Columns: records, latency, concurrency, wall seconds (connecting
# included), the seconds of it spent connecting (app list), requests, CPU
# seconds of the ODBC process over the same span, peak RSS, the ratio of
# the wall time to the floor ceil(N/500) x latency / concurrency, rows
# per CPU second, the ratios of the official clients' wall time to ours,
# and the CPU seconds the emulator spent serving the run (it shares the
# machine; see the pinning below).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
records=${1:-100000}
latency=${2:-50}
shift 2 2>/dev/null || shift $#
concs=("$@")
[ ${#concs[@]} -gt 0 ] || concs=(1 4 8)
bash scripts/deps.sh
bash scripts/build.sh
run="$top/.run/bench"
mkdir -p "$run"
cc -O2 -o "$run/kbench" bench/kbench.c $(pkg-config --cflags --libs odbc)
fixture="$run/bench-$records.json"
[ -f "$fixture" ] || python3 tests/emulator/gen_fixture.py --records "$records" \
  --seed 1 --out "$fixture" >/dev/null
. scripts/testenv.sh
trap kenv_stop EXIT
KENV_EMU_ARGS="--latency-ms $latency --warm-first" kenv_start "$run/emu" "$fixture"
echo "waiting for the emulator to index $records records..." >&2
sleep 2
requests() { wc -l <"$run/emu/requests.log"; }
# CPU seconds the emulator has used so far (it shares this machine: a
# wall time far above the floor with emu_cpu_s near it is the server's)
emu_cpu() {
  awk -v t="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / t }' \
    "/proc/$KENV_PID/stat"
}

# with 2 or more CPUs the emulator gets the last one and every client
# (ours and the official ones) the others, as if server and client were
# different machines: sharing cores, each slows the other down and the
# times vary more from run to run
ncpu=$(nproc)
pin=()
if [ "$ncpu" -ge 2 ]; then
  taskset -a -p -c $((ncpu - 1)) "$KENV_PID" >/dev/null
  pin=(taskset -c "0-$((ncpu - 2))")
fi

# the official clients, once each
cli_wall="-" js_wall="-"
off="$top/tests/emulator/official_clients"
if [ "${BENCH_OFFICIAL:-1}" = 1 ] && [ -x "$off/node_modules/.bin/cli-kintone" ]; then
  export NODE_EXTRA_CA_CERTS="$KENV_CA"
  t0=$(date +%s.%N)
  "${pin[@]}" "$off/node_modules/.bin/cli-kintone" record export --base-url \
    "https://localhost:$KENV_PORT" --username demo --password demo-pass \
    --app 1 >"$run/export.csv"
  cli_wall=$(echo "$(date +%s.%N) - $t0" | bc)
  js_wall=$(NODE_PATH="$off/node_modules" "${pin[@]}" node bench/node/getall.js \
    "https://localhost:$KENV_PORT" 1 | sed -n 's/.*wall=//p')
fi

printf '%-8s %-7s %-5s %8s %7s %8s %8s %9s %9s %11s %9s %9s %10s\n' records latency conc \
  wall_s conn_s requests cpu_s rss_mb x_floor rows/cpu_s cli/ours js/ours emu_cpu_s
for c in "${concs[@]}"; do
  before=$(requests)
  ecpu0=$(emu_cpu)
  line=$("${pin[@]}" "$run/kbench" "DSN=KintoneDemo;MaxConcurrency=$c" \
         'SELECT * FROM "Synthetic"')
  after=$(requests)
  ecpu=$(echo "$(emu_cpu) - $ecpu0" | bc)
  eval "$(echo "$line" | tr ' ' '\n' | sed 's/^/b_/')"
  floor=$(echo "scale=4; (($records + 499) / 500) * $latency / 1000 / $c" | bc)
  awk -v n="$records" -v l="$latency" -v c="$c" -v w="$b_wall" \
      -v r="$((after - before))" -v cpu="$b_cpu" -v rss="$b_maxrss_kb" \
      -v f="$floor" -v cw="$cli_wall" -v jw="$js_wall" -v got="$b_rows" \
      -v ec="$ecpu" -v cs="$b_connect" 'BEGIN {
    if(got != n) { printf "rows read %s != %s\n", got, n > "/dev/stderr"; exit 1 }
    xf = (f > 0) ? w / f : 0
    printf "%-8d %-7d %-5d %8.2f %7.2f %8d %8.2f %9.1f %9.2f %11.0f %9s %9s %10.2f\n", n, l, c,
      w, cs, r, cpu, rss / 1024, xf, (cpu > 0 ? n / cpu : 0),
      (cw == "-" ? "-" : sprintf("%.2f", cw / w)),
      (jw == "-" ? "-" : sprintf("%.2f", jw / w)), ec
  }'
done
