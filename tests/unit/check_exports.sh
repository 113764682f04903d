#!/bin/sh
#
# check_exports.sh - the driver's exported SQL* symbols must equal the
# list in driver/exports.h (KD_EXPORTS plus a W variant of every name in
# KD_WIDE_EXPORTS).  unixODBC disables every function SQLGetFunctions
# does not flag, and SQLGetFunctions answers from exports.h, so a symbol
# missing from either side breaks clients.
#
# Usage: check_exports.sh [path/to/libkintoneodbc.so]
#   default library: $KD_DRIVER_SO or .libs/libkintoneodbc.so
#   exports.h: $EXPORTS_H or $srcdir/driver/exports.h (srcdir defaults to
#   the tree this script lives in)
# Exit: 0 equal, 1 different (differences printed), 77 library missing
# (automake's "skipped").

so=${1:-${KD_DRIVER_SO:-.libs/libkintoneodbc.so}}
top=${srcdir:-$(dirname "$0")/../..}
hdr=${EXPORTS_H:-$top/driver/exports.h}

if [ ! -f "$so" ]; then
  echo "check_exports: $so not found, skipping" >&2
  exit 77
fi
if [ ! -f "$hdr" ]; then
  echo "check_exports: $hdr not found" >&2
  exit 1
fi

tmp=${TMPDIR:-/tmp}/check_exports.$$
trap 'rm -f "$tmp".want "$tmp".have' 0 1 2 15

# Names from the two X-macro blocks; a block runs while lines end in "\".
awk '
  /^#define[ \t]+KD_EXPORTS\(/      { blk = "plain" }
  /^#define[ \t]+KD_WIDE_EXPORTS\(/ { blk = "wide" }
  blk != "" {
    line = $0
    while(match(line, /X\(SQL[A-Za-z0-9_]*/)) {
      name = substr(line, RSTART + 2, RLENGTH - 2)
      print name
      if(blk == "wide")
        print name "W"
      line = substr(line, RSTART + RLENGTH)
    }
    if($0 !~ /\\[ \t]*$/)
      blk = ""
  }
' "$hdr" | sort -u > "$tmp".want

nm -D --defined-only "$so" | awk '$3 ~ /^SQL/ { print $3 }' | sort -u \
  > "$tmp".have

if [ ! -s "$tmp".want ]; then
  echo "check_exports: no names found in $hdr" >&2
  exit 1
fi

if cmp -s "$tmp".want "$tmp".have; then
  echo "check_exports: $(wc -l < "$tmp".have) SQL* symbols match exports.h"
  exit 0
fi

echo "check_exports: $so and $hdr disagree" >&2
echo "  listed in exports.h but not exported:" >&2
comm -23 "$tmp".want "$tmp".have | sed 's/^/    /' >&2
echo "  exported but not listed in exports.h:" >&2
comm -13 "$tmp".want "$tmp".have | sed 's/^/    /' >&2
exit 1
