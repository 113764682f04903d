#!/usr/bin/env bash
# Fault injection: reads retried to exact results; lost write answers
# reported as 40003 (private emulators with --faults).
. "$(dirname "$0")/lib.sh"
top=$KENV_TOP
fx="$top/tests/emulator/fixtures/sample.json"
start_emu() {          # start_emu NAME ARGS... -> prints the URL
  local dir="$KENV_RUN/faults-$1"; shift
  mkdir -p "$dir"
  rm -f "$dir/port"
  python3 "$top/tests/emulator/kintone_emu.py" --data "$fx" --port 0 \
    --port-file "$dir/port" --cert "$KENV_RUN/certs/server.pem" \
    --key "$KENV_RUN/certs/server.key" --request-log "$dir/requests.log" \
    "$@" >"$dir/emulator.log" 2>&1 &
  echo $! >"$dir/pid"
  for _ in $(seq 1 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
  echo "https://127.0.0.1:$(cat "$dir/port")"
}
read_url=$(start_emu read --seed 7 \
  --faults "rate=0.1,kinds=500,502,503,429,reset,truncate,badjson,paths=records")
fw_url=$(start_emu fwrite --seed 11 \
  --faults "rate=0.1,kinds=500,502,503,429,reset,reset_after,paths=bulkRequest")
write_url=$(start_emu write --faults "at=1:reset_after,paths=bulkRequest")
FAULTY_READ_URL=$read_url RESET_AFTER_URL=$write_url FAULTY_WRITE_URL=$fw_url \
  /usr/bin/python3 "$top/tests/integration/test_faults.py" \
  >"$KENV_RUN/faults.log" 2>&1
rc=$?
for d in read write fwrite; do
  kill "$(cat "$KENV_RUN/faults-$d/pid")" 2>/dev/null
  wait "$(cat "$KENV_RUN/faults-$d/pid")" 2>/dev/null
done
grep -E ' \.\.\. ' "$KENV_RUN/faults.log" | sed 's/^/  /'
echo "  faults injected: $(grep -c '"fault"' "$KENV_RUN/faults-read/requests.log") of $(wc -l <"$KENV_RUN/faults-read/requests.log") reads, $(grep -c '"fault"' "$KENV_RUN/faults-fwrite/requests.log") of $(grep -c bulkRequest "$KENV_RUN/faults-fwrite/requests.log") bulk writes"
unittest_count "$KENV_RUN/faults.log" $rc
[ $rc -eq 0 ] || tail -40 "$KENV_RUN/faults.log"
suite_result
