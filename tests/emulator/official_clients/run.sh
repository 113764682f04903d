#!/bin/sh
# run.sh - check the Kintone emulator with the official clients
# (@kintone/rest-api-client and cli-kintone).  Exit 0 = all checks passed,
# 1 = a check failed, 77 = skipped (node or node_modules missing).
#
# Install once:  (cd tests/emulator/official_clients && npm ci)
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
EMU="$HERE/../kintone_emu.py"
PY=${PYTHON:-python3}

if ! command -v node >/dev/null 2>&1; then
    echo "SKIP: node is not installed"; exit 77
fi
if [ ! -d "$HERE/node_modules/@kintone/rest-api-client" ] || [ ! -x "$HERE/node_modules/.bin/cli-kintone" ]; then
    echo "SKIP: node_modules missing; run: (cd tests/emulator/official_clients && npm ci)"; exit 77
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/kemu-official.XXXXXX")
PIDS=""
cleanup() {
    for p in $PIDS; do kill "$p" 2>/dev/null; done
    for p in $PIDS; do wait "$p" 2>/dev/null; done
    rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

sh "$HERE/../make_certs.sh" "$WORK/certs" >/dev/null || exit 1
"$PY" "$HERE/make_fixture.py" "$WORK/fixture.json" || exit 1

start() {  # start NAME EXTRA-ARGS...
    name=$1; shift
    "$PY" "$EMU" --data "$WORK/fixture.json" --cert "$WORK/certs/server.pem" \
        --key "$WORK/certs/server.key" --port 0 --port-file "$WORK/$name.port" \
        --request-log "$WORK/$name.log" "$@" 2>"$WORK/$name.err" &
    PIDS="$PIDS $!"
}
start main
start cert --client-ca "$WORK/certs/ca.pem"
for name in main cert; do
    i=0
    while [ ! -s "$WORK/$name.port" ]; do
        i=$((i + 1))
        if [ $i -gt 150 ]; then echo "emulator $name did not start:"; cat "$WORK/$name.err"; exit 1; fi
        sleep 0.1
    done
done

NODE_EXTRA_CA_CERTS="$WORK/certs/ca.pem" node "$HERE/check.js" \
    "$(cat "$WORK/main.port")" "$(cat "$WORK/cert.port")" "$WORK/certs" "$WORK"
rc=$?
if [ $rc -ne 0 ]; then
    echo "--- emulator stderr (main) ---"; tail -n 30 "$WORK/main.err"
fi
exit $rc
