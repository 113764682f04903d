#!/usr/bin/env bash
# Builds the driver into build/ (configures on first use).
#   scripts/build.sh [--werror]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
extra=()
[ "${1:-}" = "--werror" ] && extra+=(--enable-werror)
if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
  autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
fi
mkdir -p build
cd build
if [ ! -f Makefile ] || [ ../configure -nt Makefile ]; then
  ../configure --quiet "${extra[@]}" >/dev/null
fi
make -s -j"$(nproc)" >/dev/null
