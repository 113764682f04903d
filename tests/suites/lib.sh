# Helpers for suites: TAP counting.
#   . "$(dirname "$0")/lib.sh"
#   tap_count LOGFILE            -> adds ok / not ok lines of a TAP log
#   unittest_count LOGFILE RC    -> adds a Python unittest run
#   suite_result                 -> prints SUITE_RESULT and returns status
SUITE_PASSED=0
SUITE_FAILED=0
tap_count() {
  SUITE_PASSED=$((SUITE_PASSED + $(grep -c '^ok' "$1")))
  SUITE_FAILED=$((SUITE_FAILED + $(grep -c '^not ok' "$1")))
}
unittest_count() {
  local n f
  n=$(grep -o '^Ran [0-9]*' "$1" | awk '{print $2}')
  f=$(grep -Eo '^FAILED \(.*\)' "$1" | grep -Eo '(failures|errors)=[0-9]+' |
      awk -F= '{s+=$2} END {print s+0}')
  if [ "$2" -eq 0 ]; then
    SUITE_PASSED=$((SUITE_PASSED + ${n:-0}))
  else
    [ "${f:-0}" -gt 0 ] || f=1
    SUITE_PASSED=$((SUITE_PASSED + ${n:-0} - f))
    SUITE_FAILED=$((SUITE_FAILED + f))
  fi
}
suite_result() {
  echo "SUITE_RESULT $SUITE_PASSED $SUITE_FAILED"
  [ "$SUITE_FAILED" -eq 0 ]
}

# TAP suites that write their own lines:
#   tap_begin NAME    -> $run = $KENV_RUN/NAME (fresh), $log its TAP log
#   ok WHAT / notok WHAT / check WHAT CMD...   append numbered lines
tap_begin() {
  run=${KENV_RUN:?run inside scripts/test.sh (kenv_start)}/$1
  rm -rf "$run"
  mkdir -p "$run"
  log=$run/tap.log
  : >"$log"
  n=0
}
ok() { n=$((n + 1)); echo "ok $n - $*" >>"$log"; }
notok() { n=$((n + 1)); echo "not ok $n - $*" >>"$log"; }
check() {
  local what=$1
  shift
  if "$@" >>"$run/cmd.log" 2>&1; then ok "$what"; else notok "$what"; fi
}
