#!/usr/bin/env bash
# Reads the sanitizer report files a run left in DIR (ASAN_OPTIONS /
# UBSAN_OPTIONS log_path=DIR/san) and prints the reports that concern
# kintone-odbc; exits 1 when there is one, 0 otherwise.
#
#   san_reports.sh DIR
#
# Every AddressSanitizer or UndefinedBehaviorSanitizer report counts.  A
# LeakSanitizer report is split into its leaks ("Direct leak ..." /
# "Indirect leak ..." blocks): a leak counts when a frame of its
# allocation stack is in our code (the driver module, or a source file
# of driver/ sql/ kintone/ net/ util/ tests/).  Leaks allocated entirely
# by third-party code (the interpreter of a non-instrumented host such
# as /usr/bin/python3, which does not free its objects at exit) are
# listed as ignored.  LSan suppressions cannot express "no frame is
# ours" - a suppression matches any frame, and the host's frames sit
# above the driver's in every driver stack - hence this filter;
# tests/sanitizers/lsan.supp holds the narrow third-party suppressions.
set -u
dir=$1
ours='libkintoneodbc|/(driver|sql|kintone|net|util|tests)/[^ :]*\.[ch]:'
ours="$ours|odbc_smoke|fuzz_|replay_|oom_"
found=0 ignored=0
for f in "$dir"/san*; do
  [ -f "$f" ] || continue
  if grep -qE 'ERROR: (AddressSanitizer|UndefinedBehaviorSanitizer)' "$f" ||
     grep -q 'runtime error:' "$f"; then
    echo "# sanitizer report $f:"
    sed 's/^/#   /' "$f" | head -80
    found=$((found + 1))
    continue
  fi
  if grep -q 'ERROR: LeakSanitizer' "$f"; then
    n=$(awk -v ours="$ours" '
      /^(Direct|Indirect) leak/ { flush(); blk = $0 "\n"; inb = 1; next }
      /^SUMMARY:/ { flush(); inb = 0; next }
      inb { blk = blk $0 "\n" }
      function flush() {
        if(blk != "" && blk ~ ours) { printf "%s", blk > "/dev/stderr"; c++ }
        else if(blk != "") ig++
        blk = ""
      }
      END { flush(); print c + 0, ig + 0 }' "$f" 2>"$f.ours")
    set -- $n
    if [ "$1" -gt 0 ]; then
      echo "# $1 leak(s) in our code, $f:"
      sed 's/^/#   /' "$f.ours" | head -120
      found=$((found + $1))
    fi
    ignored=$((ignored + $2))
    rm -f "$f.ours"
    continue
  fi
  echo "# unrecognised sanitizer output $f:"
  sed 's/^/#   /' "$f" | head -40
  found=$((found + 1))
done
[ "$ignored" -eq 0 ] ||
  echo "# ignored $ignored third-party leak(s) without a frame of ours"
[ "$found" -eq 0 ]
