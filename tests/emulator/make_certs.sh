#!/bin/sh
# make_certs.sh DIR - create test TLS material for the Kintone emulator (idempotent).
#
#   DIR/ca.pem, DIR/ca.key          self-signed test CA (10 years)
#   DIR/server.pem, DIR/server.key  server certificate signed by the CA,
#                                   SAN IP:127.0.0.1, DNS:localhost (10 years)
#   Client certificates (for --client-ca DIR/ca.pem), all signed by the CA:
#   DIR/client.pem, DIR/client.key  CN=kintone-odbc test client (plain PEM key)
#   DIR/client-enc.key              the same key, encrypted PEM (password "clientpass")
#   DIR/client.p12                  PKCS#12 with client cert + key + CA (password "clientpass")
#   DIR/client2.pem, client2.key, client2.p12
#                                   a second client, CN=kintone-odbc test client 2
#                                   (same passwords)
#   DIR/clients.pem                 client.pem and client2.pem concatenated
#   DIR/rogue.pem, rogue.key, rogue.p12
#                                   self-signed client cert (CN=rogue client), NOT from
#                                   the CA: the emulator must reject it
#
# Existing files are kept.
set -eu

DIR=${1:?usage: make_certs.sh DIR}
DAYS=3650
PASS=clientpass
mkdir -p "$DIR"
cd "$DIR"

if [ ! -f ca.pem ] || [ ! -f ca.key ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$DAYS" \
        -keyout ca.key -out ca.pem -subj "/CN=kintone-odbc test CA" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" >/dev/null 2>&1
    # a new CA invalidates everything signed by the old one
    rm -f server.pem server.key client.pem client.key client2.pem client2.key
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

client() {  # client NAME CN
    if [ ! -f "$1.pem" ] || [ ! -f "$1.key" ]; then
        openssl req -newkey rsa:2048 -nodes -sha256 -keyout "$1.key" -out "$1.csr" \
            -subj "/CN=$2" >/dev/null 2>&1
        printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n' > "$1.ext"
        openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial \
            -days "$DAYS" -sha256 -extfile "$1.ext" -out "$1.pem" >/dev/null 2>&1
        rm -f "$1.csr" "$1.ext" "$1.p12" "$1-enc.key"
    fi
    if [ ! -f "$1.p12" ]; then
        openssl pkcs12 -export -in "$1.pem" -inkey "$1.key" -certfile ca.pem \
            -name "$2" -out "$1.p12" -passout "pass:$PASS" >/dev/null 2>&1
    fi
}

client client "kintone-odbc test client"
client client2 "kintone-odbc test client 2"
if [ ! -f client-enc.key ]; then
    openssl pkey -in client.key -aes256 -out client-enc.key -passout "pass:$PASS" >/dev/null 2>&1
fi
cat client.pem client2.pem > clients.pem

if [ ! -f rogue.pem ] || [ ! -f rogue.key ]; then
    openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days "$DAYS" \
        -keyout rogue.key -out rogue.pem -subj "/CN=rogue client" \
        -addext "extendedKeyUsage=clientAuth" >/dev/null 2>&1
    rm -f rogue.p12
fi
if [ ! -f rogue.p12 ]; then
    openssl pkcs12 -export -in rogue.pem -inkey rogue.key -name "rogue client" \
        -out rogue.p12 -passout "pass:$PASS" >/dev/null 2>&1
fi

chmod 600 ca.key server.key client.key client2.key client-enc.key rogue.key
echo "$DIR"
