#!/bin/sh
# make_certs.sh DIR - create test TLS material for the Kintone emulator (idempotent).
#
#   DIR/ca.pem, DIR/ca.key          self-signed test CA (10 years)
#   DIR/server.pem, DIR/server.key  server certificate signed by the CA,
#                                   SAN IP:127.0.0.1, DNS:localhost (10 years)
#
# Existing files are kept.  Later phases will add client certificates
# (client.pem/client.key, client.p12) signed by the same CA.
set -eu

DIR=${1:?usage: make_certs.sh DIR}
DAYS=3650
mkdir -p "$DIR"
cd "$DIR"

if [ ! -f ca.pem ] || [ ! -f ca.key ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$DAYS" \
        -keyout ca.key -out ca.pem -subj "/CN=kintone-odbc test CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
    rm -f server.pem server.key   # a new CA invalidates the old server certificate
fi

if [ ! -f server.pem ] || [ ! -f server.key ]; then
    openssl req -newkey rsa:2048 -nodes -sha256 -keyout server.key -out server.csr \
        -subj "/CN=localhost" >/dev/null 2>&1
    cat > server.ext <<EXT
basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=IP:127.0.0.1,DNS:localhost
EXT
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
        -days "$DAYS" -sha256 -extfile server.ext -out server.pem >/dev/null 2>&1
    rm -f server.csr server.ext
fi

chmod 600 ca.key server.key
echo "$DIR"
