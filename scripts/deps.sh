#!/usr/bin/env bash
# Installs the Debian packages kintone-odbc needs to build, test and run
# the demo.  Idempotent; silent when everything is already there.
set -euo pipefail

PKGS=(build-essential autoconf automake libtool pkg-config
      unixodbc unixodbc-dev odbcinst libcurl4-openssl-dev libyajl-dev locales
      libssl-dev libsqlite3-dev check openssl python3 python3-pyodbc
      valgrind debhelper dh-autoreconf nghttp2-proxy
      r-base-core r-cran-rodbc
      libreoffice-calc libreoffice-base python3-uno)

missing=()
for p in "${PKGS[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
    missing+=("$p")
  fi
done
# R (85-docs runs docs/howto/r.md): Debian's RODBC; the CRAN `odbc`
# package has no Debian 12 package, so its blocks are skipped with a reason.
# LibreOffice (78-libreoffice imports the sample tables into Calc through
# the DSN, headless, with Python-UNO).
# Node.js (official-client and node-odbc suites): any node/npm on PATH
# will do (the machine image may bring its own, not Debian's packages)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq >/dev/null
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
