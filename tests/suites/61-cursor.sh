#!/usr/bin/env bash
# UseCursor=1: scans through Kintone's cursor API (issue #6).  Private
# emulators, so the request logs hold only this suite's requests:
#   plain  - rows, requests, the 10-cursor limit, early close
#   slow   - --latency-ms 300: SQLCancel and query timeout mid-scan
#   faulty - the first cursor GET is served, then its answer truncated
. "$(dirname "$0")/lib.sh"
top=$KENV_TOP
fx="$top/tests/emulator/fixtures/sample.json"
dirs=()
start_emu() {          # start_emu NAME ARGS... -> prints the URL
  local dir="$KENV_RUN/cursor-$1"; shift
  rm -rf "$dir"
  mkdir -p "$dir"
  python3 "$top/tests/emulator/kintone_emu.py" --data "$fx" --port 0 \
    --port-file "$dir/port" --cert "$KENV_RUN/certs/server.pem" \
    --key "$KENV_RUN/certs/server.key" --request-log "$dir/requests.log" \
    "$@" >"$dir/emulator.log" 2>&1 &
  echo $! >"$dir/pid"
  for _ in $(seq 1 100); do [ -s "$dir/port" ] && break; sleep 0.1; done
  echo "https://127.0.0.1:$(cat "$dir/port")"
}
plain=$(start_emu plain)
slow=$(start_emu slow --latency-ms 300)
faulty=$(start_emu faulty --faults "at=1:truncate,paths=records/cursor,methods=GET")
CURSOR_PLAIN_URL=$plain CURSOR_PLAIN_LOG=$KENV_RUN/cursor-plain/requests.log \
CURSOR_SLOW_URL=$slow CURSOR_SLOW_LOG=$KENV_RUN/cursor-slow/requests.log \
CURSOR_FAULTY_URL=$faulty CURSOR_FAULTY_LOG=$KENV_RUN/cursor-faulty/requests.log \
CURSOR_RUN=$KENV_RUN \
  /usr/bin/python3 "$top/tests/integration/test_cursor.py" \
  >"$KENV_RUN/cursor.log" 2>&1
rc=$?
for d in plain slow faulty; do
  kill "$(cat "$KENV_RUN/cursor-$d/pid")" 2>/dev/null
  wait "$(cat "$KENV_RUN/cursor-$d/pid")" 2>/dev/null
done
grep -E ' \.\.\. ' "$KENV_RUN/cursor.log" | sed 's/^/  /'
unittest_count "$KENV_RUN/cursor.log" $rc
[ $rc -eq 0 ] || tail -60 "$KENV_RUN/cursor.log"
# cursor reads carry the token of the cursor's app (ten tokens, own emulator)
/usr/bin/python3 "$top/tests/integration/test_cursor_tokens.py" \
  >"$KENV_RUN/cursor-tokens.log" 2>&1
rc=$?
grep -E ' \.\.\. ' "$KENV_RUN/cursor-tokens.log" | sed 's/^/  /'
unittest_count "$KENV_RUN/cursor-tokens.log" $rc
[ $rc -eq 0 ] || tail -60 "$KENV_RUN/cursor-tokens.log"
suite_result
