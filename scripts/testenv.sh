# Sourced by the demo and test scripts: a project-local unixODBC setup and
# a Kintone emulator over HTTPS.
#
#   . scripts/testenv.sh
#   kenv_start RUNDIR [FIXTURE]    # certs, emulator, odbcinst.ini, odbc.ini
#   isql KintoneDemo -b ...
#   kenv_stop
#
# KENV_EMU_ARGS (optional) adds emulator options.
# After kenv_start: ODBCSYSINI/ODBCINSTINI/ODBCINI point into RUNDIR/odbc,
# KENV_PORT, KENV_URL, KENV_CA, KENV_DRIVER are set, and DSNs exist:
#   KintoneDemo   password auth as demo/demo-pass
#   KintoneToken  API tokens of apps 1 and 2
KENV_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# The build to test: KENV_BUILD (default build/ in the checkout).
KENV_BUILD=${KENV_BUILD:-$KENV_TOP/build}

kenv_start() {
  local run=$1 fixture=${2:-$KENV_TOP/tests/emulator/fixtures/sample.json}
  mkdir -p "$run/odbc" "$run/certs"
  bash "$KENV_TOP/tests/emulator/make_certs.sh" "$run/certs" >/dev/null
  rm -f "$run/port"
  python3 "$KENV_TOP/tests/emulator/kintone_emu.py" --data "$fixture" \
    --port 0 --port-file "$run/port" --cert "$run/certs/server.pem" \
    --key "$run/certs/server.key" --request-log "$run/requests.log" \
    ${KENV_EMU_ARGS:-} \
    >"$run/emulator.log" 2>&1 &
  KENV_PID=$!
  local i
  for i in $(seq 1 300); do
    [ -s "$run/port" ] && break
    if ! kill -0 "$KENV_PID" 2>/dev/null; then
      echo "emulator failed to start:" >&2
      cat "$run/emulator.log" >&2
      return 1
    fi
    sleep 0.1
  done
  [ -s "$run/port" ] || { echo "emulator did not start" >&2; return 1; }
  KENV_PORT=$(cat "$run/port")
  KENV_URL="https://127.0.0.1:$KENV_PORT"
  KENV_CA="$run/certs/ca.pem"
  KENV_DRIVER="$KENV_BUILD/.libs/libkintoneodbc.so"
  KENV_RUN=$run
  export ODBCSYSINI="$run/odbc" ODBCINSTINI=odbcinst.ini \
         ODBCINI="$run/odbc/user.odbc.ini"
  cat >"$run/odbc/odbcinst.ini" <<EOT
[Kintone]
Description = ODBC driver for Kintone
Driver      = $KENV_DRIVER
Threading   = 0
EOT
  : >"$run/odbc/user.odbc.ini"
  cat >"$run/odbc/odbc.ini" <<EOT
[KintoneDemo]
Driver        = Kintone
Description   = Kintone emulator with the sample apps (password)
URL           = $KENV_URL
User          = demo
Password      = demo-pass
SSLServerCert = $KENV_CA

[KintoneToken]
Driver        = Kintone
Description   = Kintone emulator with the sample apps (API tokens)
URL           = $KENV_URL
AuthScheme    = APIToken
APIToken      = a3ac709cfa3729d6122e9b4f0197881cb41d8614,f0671defa52467974df79fef8b4602720583f658
AppId         = 1,2
SSLServerCert = $KENV_CA
EOT
  export KENV_PORT KENV_URL KENV_CA KENV_DRIVER KENV_RUN KENV_PID \
         KENV_TOP KENV_BUILD
}

kenv_stop() {
  if [ -n "${KENV_PID:-}" ]; then
    kill "$KENV_PID" 2>/dev/null || true
    wait "$KENV_PID" 2>/dev/null || true
    KENV_PID=
  fi
}
