#!/usr/bin/env bash
# Connections (issue #4): every connection property through the driver
# manager.  Starts its own emulators (plain, Basic gate, client
# certificate required, slow, other address) and a CONNECT proxy under
# $KENV_RUN/conn, and a private ODBCSYSINI there.  Prints TAP.
. "$(dirname "$0")/lib.sh"
set -u
top=$KENV_TOP
run=$KENV_RUN/conn
rm -rf "$run"
mkdir -p "$run/odbc"
log=$run/conn.log
: >"$log"
pids=()
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
}
trap cleanup EXIT

n=0
say() { echo "$@" | tee -a "$log"; }
pass() { n=$((n + 1)); say "ok $n - $1"; }
fail() { n=$((n + 1)); say "not ok $n - $1"; shift; for l in "$@"; do say "# $l"; done; }
skip() { n=$((n + 1)); say "ok $n - $1 # SKIP $2"; }
# has NAME TEXT NEEDLE...: every needle occurs in TEXT
has() {
  local name=$1 text=$2 nd
  shift 2
  for nd in "$@"; do
    case "$text" in
      *"$nd"*) ;;
      *) fail "$name" "missing: $nd" "$(printf '%s' "$text" | head -c 600)"
         return ;;
    esac
  done
  pass "$name"
}
lacks() {            # lacks NAME TEXT NEEDLE
  case "$2" in *"$3"*) fail "$1" "unexpected: $3" ;; *) pass "$1" ;; esac
}

# ---------------------------------------------------------------- setup
certs=$run/certs
bash "$top/tests/emulator/make_certs.sh" "$certs" >/dev/null
cat "$certs/client.pem" "$certs/client.key" >"$certs/mine.pem"
cat "$certs/client.pem" "$certs/client-enc.key" >"$certs/mine-enc.pem"
cat "$certs/client.pem" "$certs/client.key" "$certs/client2.pem" \
    "$certs/client2.key" >"$certs/both.pem"
CA=$certs/ca.pem
cc -Wall -Werror -o "$run/make_multi_p12" \
  "$top/tests/integration/conn/make_multi_p12.c" \
  $(pkg-config --cflags --libs openssl) &&
"$run/make_multi_p12" "$certs/both.p12" clientpass \
  "$certs/client.pem" "$certs/client.key" \
  "$certs/client2.pem" "$certs/client2.key"
python3 "$top/tests/integration/conn/make_fixture.py" \
  "$top/tests/emulator/fixtures/sample.json" "$run"
probe=$run/conn_probe
cc -Wall -Werror -o "$probe" "$top/tests/integration/conn/conn_probe.c" \
  $(pkg-config --cflags --libs odbc) || { echo "SUITE_RESULT 0 1"; exit 1; }

emu() {              # emu NAME FIXTURE [ARGS...] -> $run/NAME.port
  local name=$1 fx=$2 i
  shift 2
  python3 "$top/tests/emulator/kintone_emu.py" --data "$fx" --port 0 \
    --port-file "$run/$name.port" --cert "$certs/server.pem" \
    --key "$certs/server.key" --request-log "$run/$name.requests" "$@" \
    >"$run/$name.emu.log" 2>&1 &
  pids+=($!)
  for i in $(seq 1 300); do
    [ -s "$run/$name.port" ] && return 0
    sleep 0.1
  done
  echo "emulator $name did not start" >&2
  cat "$run/$name.emu.log" >&2
  return 1
}
emu plain "$run/conn.json"
emu basic "$run/conn-basic.json"
emu cert "$run/conn.json" --client-ca "$CA"
emu slow "$run/conn.json" --latency-ms 2500
emu other "$run/conn.json" --host 127.0.0.2 || true
python3 "$top/tests/integration/conn/connect_proxy.py" \
  --port-file "$run/proxy.port" --log "$run/proxy.log" \
  --user proxyuser --password 'pr0xy;Secret' &
pids+=($!)
for i in $(seq 1 100); do [ -s "$run/proxy.port" ] && break; sleep 0.1; done
U=https://127.0.0.1:$(cat "$run/plain.port")
UB=https://127.0.0.1:$(cat "$run/basic.port")
UC=https://127.0.0.1:$(cat "$run/cert.port")
US=https://127.0.0.1:$(cat "$run/slow.port")
PROXY=http://127.0.0.1:$(cat "$run/proxy.port")

export ODBCSYSINI=$run/odbc ODBCINSTINI=odbcinst.ini \
       ODBCINI=$run/odbc/user.odbc.ini
cat >"$run/odbc/odbcinst.ini" <<EOT
[Kintone]
Description = ODBC driver for Kintone
Driver      = $KENV_DRIVER
Setup       = $(dirname "$KENV_DRIVER")/libkintoneodbcS.so
Threading   = 0
EOT
: >"$run/odbc/user.odbc.ini"
cat >"$run/odbc/odbc.ini" <<EOT
[ConnPwd]
Driver        = Kintone
URL           = $U
UID           = demo
PWD           = wrong-in-dsn
SSLServerCert = $CA

[ConnLower]
driver        = Kintone
url           = $U
user          = demo
password      = demo-pass
sslservercert = $CA
EOT

SECRETLOG=$run/secret.log
LOGOPT="LogFile=$SECRETLOG;LogLevel=5"
T1=a3ac709cfa3729d6122e9b4f0197881cb41d8614
T2=f0671defa52467974df79fef8b4602720583f658
P="DRIVER={Kintone};URL=$U;SSLServerCert=$CA;$LOGOPT"
allout=$run/all.out
: >"$allout"
pr() { "$probe" "$@" 2>&1 | tee -a "$allout"; }
JOIN='SELECT COUNT(*) FROM "販売管理" s JOIN "顧客マスタ" c ON c.customer_id = s.customer_id'

# --------------------------------------------------- 1. properties, auth
out=$(pr "$P;UID=demo;PWD=demo-pass" 'SELECT COUNT(*) FROM "顧客マスタ"')
has "password (UID/PWD aliases): SQL_SUCCESS" "$out" "connect: SQL_SUCCESS" "row: 50"
out=$(pr -w "$P;User=demo;Password=demo-pass;TableNaming=Code" 'SELECT COUNT(*) FROM CUSTOMERS')
has "password, Unicode connect (SQLDriverConnectW)" "$out" "connect: SQL_SUCCESS" "row: 50"
out=$(pr "driver={Kintone};url=$U;sslservercert=$CA;uid=demo;pwd=demo-pass;$LOGOPT" 'SELECT 1')
has "keys are case-insensitive" "$out" "connect: SQL_SUCCESS" "row: 1"
out=$(pr "DSN=ConnPwd;PWD=demo-pass;$LOGOPT" 'SELECT 1')
has "connection string overrides the DSN (PWD)" "$out" "connect: SQL_SUCCESS" "row: 1"
out=$(pr "DSN=ConnPwd;$LOGOPT")
has "DSN value used when not overridden (wrong PWD -> 28000)" "$out" "diag: 28000" "CB_WA01"
out=$(pr "DSN=ConnLower;$LOGOPT" 'SELECT 1')
has "DSN with lower-case keys" "$out" "connect: SQL_SUCCESS"
out=$(pr -c ConnLower "" "")
has "SQLConnect(DSN) plain: SQL_SUCCESS, no warning" "$out" "connect: SQL_SUCCESS"
lacks "SQLConnect(DSN) plain: no diagnostics" "$out" "diag:"
out=$(pr -c ConnPwd demo demo-pass)
has "SQLConnect UID/PWD arguments override the DSN" "$out" "connect: SQL_SUCCESS"
out=$(pr "DSN=ConnLower;UID=demo;PWD=demo-pass" 'SELECT 1')
has "DSN/UID/PWD connection string: SQL_SUCCESS (LibreOffice)" "$out" "connect: SQL_SUCCESS"
lacks "DSN/UID/PWD connection string: no warning" "$out" "01S00"
out=$(pr "$P;UID=demo;PWD=demo-pass;Colour=blue;Flavour={x;y}" 'SELECT 1')
has "unknown keys: 01S00 warning naming them" "$out" \
  "connect: SQL_SUCCESS_WITH_INFO" "diag: 01S00" "Colour, Flavour" "row: 1"
out=$(pr "$P;UID=demo;PWD={demo-pass}" 'SELECT 1')
has "braced value" "$out" "connect: SQL_SUCCESS"
cat >"$run/file.dsn" <<EOT
[ODBC]
DRIVER=Kintone
URL=$U
UID=demo
PWD=demo-pass
SSLServerCert=$CA
EOT
out=$(pr "FILEDSN=$run/file.dsn;$LOGOPT" 'SELECT COUNT(*) FROM "顧客マスタ"')
has "FILEDSN: the file's [ODBC] section" "$out" "connect: SQL_SUCCESS" "row: 50"
out=$(pr "FILEDSN=$run/file.dsn;PWD=nope;$LOGOPT")
has "FILEDSN: the connection string overrides the file" "$out" "diag: 28000"

n0=$(wc -l <"$run/plain.requests")
out=$(pr "$P;AuthScheme=APIToken;APIToken=$T1;AppId=1" 'SELECT COUNT(*) FROM "販売管理"')
has "one API token" "$out" "connect: SQL_SUCCESS" "row: 1200"
out=$(pr "$P;AuthScheme=APIToken;APIToken=$T1,$T2;AppId=1,2" "$JOIN")
has "two API tokens, two apps joined" "$out" "connect: SQL_SUCCESS" "row: 1200"
apps=$(tail -n +$((n0 + 1)) "$run/plain.requests" | grep -c '"/k/v1/app.json"')
fails=$(tail -n +$((n0 + 1)) "$run/plain.requests" | grep -vc '"status": 200')
has "API tokens: one app.json per AppId at connect, no failures" "$apps/$fails" "3/0"
out=$(pr "$P;APIToken=$T2,$T1;AppId=1,2" "$JOIN")
has "API tokens in another order than AppId (AuthScheme implied)" "$out" "connect: SQL_SUCCESS" "row: 1200"
toks=""; ids=""
for i in $(seq 101 110); do
  toks="$toks${toks:+,}tok${i}x000000000000000000000000000000000"
  ids="$ids${ids:+,}$i"
done
out=$(pr "$P;APIToken=$toks;AppId=$ids" \
  'SELECT (SELECT COUNT(*) FROM tok_app_101) + (SELECT COUNT(*) FROM tok_app_110), (SELECT COUNT(*) FROM tok_app_105 a JOIN tok_app_106 b USING (customer_id))')
has "10 API tokens for 10 apps (never more than 9 per request)" "$out" "connect: SQL_SUCCESS" "row: 6|3"
out=$(pr "$P;APIToken=$T1,bogustoken0000;AppId=1,2")
has "an unknown API token: 28000 with Kintone's code" "$out" "diag: 28000" "GAIA_IA02"

out=$(pr "DRIVER=Kintone;URL=$UB;SSLServerCert=$CA;$LOGOPT;UID=demo;PWD=demo-pass;BasicAuthUser=gateuser;BasicAuthPassword=gatePassW0rd" 'SELECT COUNT(*) FROM "顧客マスタ"')
has "Basic auth + password" "$out" "connect: SQL_SUCCESS" "row: 50"
out=$(pr "DRIVER=Kintone;URL=$UB;SSLServerCert=$CA;$LOGOPT;APIToken=$T1,$T2;AppId=1,2;BasicAuthUser=gateuser;BasicAuthPassword=gatePassW0rd" "$JOIN")
has "Basic auth + two API tokens" "$out" "connect: SQL_SUCCESS" "row: 1200"
out=$(pr "DRIVER=Kintone;URL=$UB;SSLServerCert=$CA;$LOGOPT;UID=demo;PWD=demo-pass;BasicAuthUser=gateuser;BasicAuthPassword=wrongGate")
has "Basic auth refused: 28000 naming BasicAuthUser" "$out" "diag: 28000" "BasicAuthUser"
out=$(pr "DRIVER=Kintone;URL=$UB;SSLServerCert=$CA;$LOGOPT;UID=demo;PWD=demo-pass")
has "Basic gate without BasicAuthUser: 28000 with a hint" "$out" "diag: 28000" "Basic authentication"

out=$(pr "$P;AuthScheme=OAuth;OAuthAccessToken=oauthAccessTokenZ9" 'SELECT COUNT(*) FROM "顧客マスタ"')
has "OAuth access token" "$out" "connect: SQL_SUCCESS" "row: 50"
out=$(pr "$P;AuthScheme=OAuth;OAuthAccessToken=notAValidToken")
has "OAuth: unknown token -> 28000" "$out" "diag: 28000" "CB_OA01"

out=$(pr "$P;UID=demo;PWD=demo-pass;AppId=120;GuestSpaceId=7" 'SELECT COUNT(*) FROM guest_app')
has "guest-space app with GuestSpaceId" "$out" "connect: SQL_SUCCESS" "row: 4"
out=$(pr "$P;APIToken=guesttoken111111111111111111111111111111;AppId=120;GuestSpaceId=7" 'SELECT COUNT(*) FROM guest_app')
has "guest-space app with its API token" "$out" "connect: SQL_SUCCESS" "row: 4"
out=$(pr "$P;UID=demo;PWD=demo-pass;AppId=120")
has "guest-space app without GuestSpaceId: 08001 saying so" "$out" \
  "diag: 08001" "set GuestSpaceId" "GAIA_IL23"

# ------------------------------------------------- client certificates
PC="DRIVER=Kintone;URL=$UC;SSLServerCert=$CA;$LOGOPT;UID=demo;PWD=demo-pass"
Q='SELECT COUNT(*) FROM "顧客マスタ"'
out=$(pr "$PC;SSLClientCert=$certs/mine.pem" "$Q")
has "client certificate: PEM file (cert + key)" "$out" "connect: SQL_SUCCESS" "row: 50"
out=$(pr "$PC;SSLClientCertType=PEMKEY_FILE;SSLClientCert=$certs/mine-enc.pem;SSLClientCertPassword=clientpass" "$Q")
has "client certificate: encrypted PEM key" "$out" "connect: SQL_SUCCESS" "row: 50"
out=$(pr "$PC;SSLClientCertType=PFXFILE;SSLClientCert=$certs/client.p12;SSLClientCertPassword=clientpass" "$Q")
has "client certificate: PKCS#12" "$out" "connect: SQL_SUCCESS" "row: 50"
out=$(pr "$PC;SSLClientCertType=PFXBLOB;SSLClientCert=$(base64 -w0 "$certs/client.p12");SSLClientCertPassword=clientpass" "$Q")
has "client certificate: PKCS#12 as a base64 blob" "$out" "row: 50"
out=$(pr "$PC;SSLClientCertType=PEMKEY_BLOB;SSLClientCert=$(base64 -w0 "$certs/mine.pem")" "$Q")
has "client certificate: PEM as a base64 blob" "$out" "connect: SQL_SUCCESS" "row: 50"
n0=$(wc -l <"$run/cert.requests")
out=$(pr "$PC;SSLClientCert=$certs/both.pem;SSLClientCertSubject=test client 2" "$Q")
cn=$(tail -n +$((n0 + 1)) "$run/cert.requests" | grep -o '"client_cn": "[^"]*"' | sort -u)
has "SSLClientCertSubject chooses among several (client 2)" "$out$cn" \
  "row: 50" '"client_cn": "kintone-odbc test client 2"'
n0=$(wc -l <"$run/cert.requests")
out=$(pr "$PC;SSLClientCert=$certs/both.pem;SSLClientCertSubject=*" "$Q")
cn=$(tail -n +$((n0 + 1)) "$run/cert.requests" | grep -o '"client_cn": "[^"]*"' | sort -u)
has "SSLClientCertSubject=* takes the first" "$out$cn" \
  "row: 50" '"client_cn": "kintone-odbc test client"'
lacks "SSLClientCertSubject=* did not take client 2" "$cn" "client 2"
n0=$(wc -l <"$run/cert.requests")
out=$(pr "$PC;SSLClientCert=$certs/both.p12;SSLClientCertPassword=clientpass;SSLClientCertSubject=TEST CLIENT 2" "$Q")
cn=$(tail -n +$((n0 + 1)) "$run/cert.requests" | grep -o '"client_cn": "[^"]*"' | sort -u)
has "SSLClientCertSubject chooses among pairs in one PKCS#12" "$out$cn" \
  "row: 50" '"client_cn": "kintone-odbc test client 2"'
n0=$(wc -l <"$run/cert.requests")
out=$(pr "$PC;SSLClientCert=$certs/both.p12;SSLClientCertPassword=clientpass;SSLClientCertSubject=kintone-odbc test client" "$Q")
cn=$(tail -n +$((n0 + 1)) "$run/cert.requests" | grep -o '"client_cn": "[^"]*"' | sort -u)
has "SSLClientCertSubject: an exact CN wins over a longer match" "$out$cn" \
  "row: 50" '"client_cn": "kintone-odbc test client"'
lacks "exact CN: not client 2" "$cn" "client 2"
out=$(pr "$PC;SSLClientCert=$certs/both.pem;SSLClientCertSubject=nobody")
has "SSLClientCertSubject matching nothing: 08001 listing subjects" "$out" \
  "diag: 08001" "SSLClientCertSubject 'nobody'" "CN=kintone-odbc test client 2"
out=$(pr "$PC")
has "server demands a certificate, none set: 08001 saying so" "$out" \
  "diag: 08001" "requires a client certificate"
out=$(pr "$PC;SSLClientCert=$certs/rogue.p12;SSLClientCertPassword=clientpass")
has "certificate from a foreign CA: 08001 rejected" "$out" \
  "diag: 08001" "rejected the client certificate"

# ---------------------------------------- 3. network failures, timeouts
out=$(pr "DRIVER=Kintone;URL=$U;UID=demo;PWD=demo-pass;$LOGOPT")
has "server certificate not trusted: 08001" "$out" "diag: 08001" "not trusted"
if [ -s "$run/other.port" ]; then
  out=$(pr "DRIVER=Kintone;URL=https://127.0.0.2:$(cat "$run/other.port");SSLServerCert=$CA;UID=demo;PWD=demo-pass;$LOGOPT")
  has "host name mismatch: 08001" "$out" "diag: 08001" "does not match the host name"
else
  skip "host name mismatch: 08001" "no 127.0.0.2 loopback address"
fi
out=$(pr "DRIVER=Kintone;URL=https://no-such-host.invalid;UID=demo;PWD=demo-pass;$LOGOPT")
has "DNS failure: 08001" "$out" "diag: 08001" "resolve"
out=$(pr "DRIVER=Kintone;URL=https://127.0.0.1:1;UID=demo;PWD=demo-pass;$LOGOPT")
has "TCP refused: 08001" "$out" "diag: 08001" "cannot connect"
out=$(pr "DRIVER=Kintone;URL=$US;SSLServerCert=$CA;UID=demo;PWD=demo-pass;Timeout=1;$LOGOPT")
has "Timeout=1 against a slow server: HYT00" "$out" "diag: HYT00"

# ------------------------------------------------------------ 4. proxy
n0=$(wc -l <"$run/plain.requests")
out=$(pr "$P;UID=demo;PWD=demo-pass;ProxyURL=$PROXY;ProxyUser=proxyuser;ProxyPassword={pr0xy;Secret}" "$Q")
has "through the CONNECT proxy with proxy auth" "$out" "connect: SQL_SUCCESS" "row: 50"
has "the proxy saw the tunnel" "$(cat "$run/proxy.log")" '"auth": "ok", "status": 200'
out=$(pr "$P;UID=demo;PWD=demo-pass;ProxyURL=$PROXY;ProxyUser=proxyuser;ProxyPassword=nope")
has "proxy auth refused: 08001 naming ProxyUser" "$out" "diag: 08001" "ProxyUser"
lines=$(wc -l <"$run/proxy.log")
out=$(NO_PROXY=127.0.0.1 pr "$P;UID=demo;PWD=demo-pass;ProxyURL=$PROXY;ProxyUser=proxyuser;ProxyPassword=nope" 'SELECT 1')
has "NO_PROXY bypasses ProxyURL" "$out" "connect: SQL_SUCCESS"
has "NO_PROXY: the proxy saw nothing" "$(wc -l <"$run/proxy.log")" "$lines"

# ------------------------------------------------ 2. validation errors
val() {              # val NAME CONNSTR NEEDLE
  local o
  o=$(pr "DRIVER=Kintone;$LOGOPT;$2")
  has "validation: $1" "$o" "connect: SQL_ERROR" "diag: 08001" "$3"
}
val "missing URL" "UID=demo;PWD=x" "URL is required"
val "non-https URL" "URL=http://example.cybozu.com;UID=demo;PWD=x" "URL must use https://"
val "http to loopback without AllowInsecureHttp" "URL=http://127.0.0.1:1;UID=demo;PWD=x" "AllowInsecureHttp=1"
val "credentials in URL (not echoed)" "URL=https://demo:urlSecret9@example.cybozu.com" "URL must not contain credentials"
val "not a URL" "URL=example.cybozu.com;UID=demo;PWD=x" "URL must start with https://"
out=$(pr "DRIVER=Kintone;URL=http://127.0.0.1:1;AllowInsecureHttp=1;UID=demo;PWD=x;$LOGOPT")
has "http to loopback with AllowInsecureHttp=1 passes validation" "$out" "diag: 08001" "cannot connect"
val "unknown AuthScheme" "URL=$U;AuthScheme=Kerberos;UID=demo;PWD=x" "AuthScheme must be Password, APIToken or OAuth: 'Kerberos'"
val "Password scheme without User" "URL=$U;AuthScheme=Password;PWD=x" "AuthScheme=Password requires User"
val "APIToken scheme without APIToken" "URL=$U;AuthScheme=APIToken;AppId=1" "AuthScheme=APIToken requires APIToken"
val "APIToken without AppId" "URL=$U;APIToken=$T1" "requires AppId"
val "AppId not a number" "URL=$U;APIToken=$T1;AppId=1,abc" "AppId must be a comma-separated list of app numbers: 'abc'"
val "more tokens than apps" "URL=$U;APIToken=$T1,$T2;AppId=1" "APIToken lists 2 tokens but AppId only 1 apps"
val "OAuth without token" "URL=$U;AuthScheme=OAuth" "requires OAuthAccessToken"
val "GuestSpaceId not a number" "URL=$U;UID=demo;PWD=x;GuestSpaceId=seven" "GuestSpaceId must be a space number"
val "Timeout not a number" "URL=$U;UID=demo;PWD=x;Timeout=soon" "Timeout must be seconds"
val "unknown SSLClientCertType" "URL=$U;UID=demo;PWD=x;SSLClientCert=/x;SSLClientCertType=JKS" "SSLClientCertType must be"
val "unreadable certificate file" "URL=$U;SSLServerCert=$CA;UID=demo;PWD=x;SSLClientCert=$run/none.pem" "SSLClientCert: cannot read file"
val "wrong keystore password" "URL=$U;SSLServerCert=$CA;UID=demo;PWD=x;SSLClientCert=$certs/client.p12;SSLClientCertPassword=notit" "SSLClientCertPassword is wrong"
val "wrong PEM key password" "URL=$U;SSLServerCert=$CA;UID=demo;PWD=x;SSLClientCert=$certs/mine-enc.pem;SSLClientCertPassword=notit" "SSLClientCertPassword is wrong"
val "encrypted key without password" "URL=$U;SSLServerCert=$CA;UID=demo;PWD=x;SSLClientCert=$certs/mine-enc.pem" "set SSLClientCertPassword"
val "bad base64 blob" "URL=$U;SSLServerCert=$CA;UID=demo;PWD=x;SSLClientCertType=PFXBLOB;SSLClientCert=@@@" "not valid base64"
val "Basic with OAuth" "URL=$U;AuthScheme=OAuth;OAuthAccessToken=t;BasicAuthUser=u" "BasicAuthUser cannot be combined"
val "connection string syntax" "URL=$U;UID={demo" "unterminated '{'"
out=$(pr "DSN=NoSuchDsn")
has "unknown DSN: IM002" "$out" "IM002"

# ------------------------------------- 5. Setup library and the DSN tool
KURL=$U KCA=$CA PROBE=$probe /usr/bin/python3 \
  "$top/tests/integration/conn/test_setup.py" >"$run/setup.tap" 2>&1
cat "$run/setup.tap"
tap_count "$run/setup.tap"
tool=$KENV_BUILD/kintone-odbc
out=$("$tool" dsn create ToolDsn URL="$U" User=demo Colour=blue 2>&1); rc=$?
has "dsn create refuses an unknown key" "$rc:$out" "2:" "'Colour' is not a Kintone connection property"
lacks "refused DSN absent from dsn list" "$("$tool" dsn list)" "ToolDsn"
out=$("$tool" dsn create ToolDsn URL="$U" uid=demo PWD=demo-pass \
      sslservercert="$CA" Description=tool 2>&1)
has "dsn create accepts aliases and any case" "$out" "created"
out=$("$tool" dsn test ToolDsn)
has "DSN made by the tool connects" "$out" "connection available"
out=$("$tool" dsn show ToolDsn)
has "dsn show masks PWD" "$out" "PWD = ****"
"$tool" dsn remove ToolDsn >/dev/null
out=$("$tool" dsn properties)
has "dsn properties lists every property" "$out" "SSLClientCertSubject" "ProxyPassword" "(secret)"

# ------------------------------------------- secrets never leak (LogLevel=5)
[ -s "$SECRETLOG" ] && pass "LogLevel=5 log written" || fail "LogLevel=5 log written"
leak=""
for s in demo-pass "$T1" "$T2" tok105x000000000000000000000000000000000 \
         guesttoken111111111111111111111111111111 gatePassW0rd wrongGate \
         oauthAccessTokenZ9 notAValidToken clientpass 'pr0xy;Secret' \
         urlSecret9 \
         "$(printf demo:demo-pass | base64)" \
         "$(printf gateuser:gatePassW0rd | base64)" \
         "$(printf 'proxyuser:pr0xy;Secret' | base64)" \
         "$(head -c 60 <(base64 -w0 "$certs/client.p12"))" \
         "$(sed -n 2p "$certs/client.key")"; do
  if grep -qF -- "$s" "$SECRETLOG" "$allout"; then leak="$leak ${s:0:12}..."; fi
done
if [ -z "$leak" ]; then
  pass "no password, token, Basic/OAuth/proxy credential or keystore secret in log or diagnostics"
else
  fail "secrets leaked" "$leak"
fi

echo "# conn: $n tests" >>"$log"
tap_count "$log"
suite_result
