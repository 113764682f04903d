#!/usr/bin/env bash
# Short libFuzzer runs of every target in tests/fuzz/ (scripts/fuzz.sh,
# clang with ASan+UBSan), KQ_FUZZ_SECONDS each (default 20), starting
# from the seed corpora.  Any crash, sanitizer report, leak or invariant
# failure fails the suite; the reproducer is in
# $KENV_RUN/fuzz/artifacts/<target>/.  Known, not yet fixed findings
# are masked by the targets (tests/fuzz/README.md, FZ_NO_KNOWN_FILTERS).
# Needs clang and libclang-rt (installed with apt-get when missing).
. "$(dirname "$0")/lib.sh"
set -u
top=$KENV_TOP
secs=${KQ_FUZZ_SECONDS:-20}
export KQ_FUZZ_DIR=$KENV_RUN/fuzz
rm -rf "$KQ_FUZZ_DIR"
mkdir -p "$KQ_FUZZ_DIR"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; SUITE_PASSED=$((SUITE_PASSED + 1)); }
notok() {
  n=$((n + 1)); echo "not ok $n - $*"; SUITE_FAILED=$((SUITE_FAILED + 1))
}

have_fuzzer() {
  command -v clang >/dev/null &&
    [ -f "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)" ]
}
if ! have_fuzzer; then
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  ver=$(clang --version 2>/dev/null | grep -o 'version [0-9]*' |
        awk '{print $2}')
  $sudo apt-get install -y -qq clang "libclang-rt-${ver:-14}-dev" \
    >"$KQ_FUZZ_DIR/apt.log" 2>&1
fi
if ! have_fuzzer; then
  echo "ok 1 - fuzzing # SKIP clang/libclang-rt not available"
  suite_result
  exit 0
fi

targets=$(bash "$top/scripts/fuzz.sh" --list)
# build all first, two at a time
pids=()
for t in $targets; do
  bash "$top/scripts/fuzz.sh" --build "$t" >"$KQ_FUZZ_DIR/build-$t.log" 2>&1 &
  pids+=($!)
  if [ ${#pids[@]} -ge 2 ]; then wait "${pids[0]}"; pids=("${pids[@]:1}"); fi
done
wait

for t in $targets; do
  log=$KQ_FUZZ_DIR/$t.log
  if [ ! -x "$KQ_FUZZ_DIR/bin/fuzz_$t" ]; then
    notok "build fuzz_$t"
    tail -20 "$KQ_FUZZ_DIR/build-$t.log" | sed 's/^/#   /'
    continue
  fi
  if bash "$top/scripts/fuzz.sh" "$t" "$secs" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: [0-9]*' "$log" |
           awk '{print $2}')
    ok "fuzz_$t for ${secs}s: $runs runs, no findings"
  else
    notok "fuzz_$t: finding"
    grep -E 'ERROR|runtime error|invariant failed|SUMMARY|Test unit written' \
      "$log" | head -10 | sed 's/^/#   /'
    grep -E '^ +#[0-9]+ ' "$log" | head -15 | sed 's/^/#   /'
  fi
done

suite_result
