#!/usr/bin/env bash
# Builds and runs a libFuzzer target of tests/fuzz/ under clang with
# ASan + UBSan.
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]
#   scripts/fuzz.sh --build TARGET          # build only, print the path
#   scripts/fuzz.sh --list
#
# TARGET is connstr, kquery, records_json or sql.  The run starts from
# the seed corpus tests/fuzz/corpus/TARGET (read only) and writes new
# inputs to $KQ_FUZZ_DIR/corpus/TARGET (default .run/fuzz); crashes land
# in $KQ_FUZZ_DIR/artifacts/TARGET/.  Exit status: 0 when no crash.
# FUZZ_CFLAGS adds compiler options (-DFZ_NO_KNOWN_FILTERS unmasks the
# known findings, see tests/fuzz/README.md).
# Needs clang and its runtime (Debian: clang, libclang-rt-14-dev).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
out=${KQ_FUZZ_DIR:-$top/.run/fuzz}
CLANG=${CLANG:-clang}
targets="connstr kquery records_json sql kj_stream"

sources() {
  local u="util/ku_mem.c util/ku_buf.c util/ku_str.c"
  case $1 in
  connstr) echo "$u util/ku_utf.c util/ku_tz.c driver/connstr.c \
                 kintone/kc_config.c kintone/kc_error.c" ;;
  kquery|sql) echo "$u util/ku_tz.c sql/kquery.c sql/plan.c" ;;
  kj_stream) echo "$u util/ku_utf.c net/kj_arena.c net/kj_json.c" ;;
  # fuzz_records_json.c includes sql/vtab.c for its static converters
  records_json)
    # every source below the driver except vtab.c (included by the target)
    (cd "$top" && ls util/*.c net/*.c kintone/*.c sql/*.c |
     grep -v '^sql/vtab.c$' | tr '\n' ' ') ;;
  *) echo "unknown target $1 (one of: $targets)" >&2; return 1 ;;
  esac
}
libs() {
  case $1 in
  connstr) pkg-config --libs odbcinst ;;
  kquery|sql) pkg-config --libs sqlite3; echo -lm ;;
  kj_stream) pkg-config --libs yajl; echo -lpthread ;;
  records_json) pkg-config --libs sqlite3 yajl libcurl openssl
                echo -lm -lpthread ;;
  esac
}

build() {
  local t=$1 exe=$out/bin/fuzz_$1 src
  src=$(sources "$t")
  mkdir -p "$out/bin"
  rm -f "$exe"
  # a config.h for the sources that include it (kh_http.c)
  printf '#define PACKAGE_VERSION "fuzz"\n' >"$out/bin/config.h"
  (cd "$top" &&
   $CLANG -g -O1 -fno-omit-frame-pointer ${FUZZ_CFLAGS:-} \
     -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
     -I"$top" -I"$out/bin" $(pkg-config --cflags sqlite3 yajl libcurl) \
     -o "$exe" "tests/fuzz/fuzz_$t.c" $src $(libs "$t")) >&2 || return 1
  echo "$exe"
}

case ${1:-} in
--list) echo "$targets"; exit 0 ;;
--build) build "$2"; exit $? ;;
""|-h|--help) sed -n '2,16p' "$0"; exit 2 ;;
esac
t=$1 secs=${2:-60}
shift 2 || shift $#
exe=$(build "$t") || { echo "build of fuzz_$t failed" >&2; exit 1; }
mkdir -p "$out/corpus/$t" "$out/artifacts/$t"
dict=()
[ -f "$top/tests/fuzz/$t.dict" ] && dict=(-dict="$top/tests/fuzz/$t.dict")
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
exec "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
  -print_final_stats=1 -artifact_prefix="$out/artifacts/$t/" \
  "${dict[@]}" "$@" "$out/corpus/$t" "$top/tests/fuzz/corpus/$t"
