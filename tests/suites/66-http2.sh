#!/usr/bin/env bash
# HTTP/2 (issue "Fetch engine": HTTP/2 where offered): pyodbc through
# nghttpx, an h2 reverse proxy in front of a private emulator.
. "$(dirname "$0")/lib.sh"
/usr/bin/python3 "$KENV_TOP/tests/integration/test_http2.py" \
  >"$KENV_RUN/http2.log" 2>&1
rc=$?
grep -E ' \.\.\. ' "$KENV_RUN/http2.log" | sed 's/^/  /'
unittest_count "$KENV_RUN/http2.log" $rc
[ $rc -eq 0 ] || tail -40 "$KENV_RUN/http2.log"
suite_result
