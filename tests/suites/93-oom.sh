#!/usr/bin/env bash
# Out-of-memory loop over a whole connect/execute/fetch/disconnect:
# tests/oom/oom_driver.c dlopens the sanitizer build of the driver (the
# one 90-sanitizers built in $KENV_RUN/build-asan; built here if absent)
# and runs once per N with KINTONE_ODBC_FAIL_ALLOC_AFTER=N, which makes
# util/ku_mem.c fail the N+1-th allocation and all later ones.  Every
# run must either complete or fail with SQLSTATE HY001 (or SQL_ERROR
# without any record: under "every later allocation fails" the record
# itself may not be allocatable; counted and shown), free everything
# (LeakSanitizer) and trigger no ASan/UBSan report.  N walks 0, 1, 2...
# until a run completes; past half of KQ_OOM_SECONDS (default 120) the
# step doubles so that the whole range is sampled in time.
# The offline OOM loops (tests/oom/oom_offline.c) run in `make check`.
. "$(dirname "$0")/lib.sh"
set -u
top=$KENV_TOP
run=$KENV_RUN/oom
budget=${KQ_OOM_SECONDS:-120}
rm -rf "$run"
mkdir -p "$run"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; SUITE_PASSED=$((SUITE_PASSED + 1)); }
notok() {
  n=$((n + 1)); echo "not ok $n - $*"; SUITE_FAILED=$((SUITE_FAILED + 1))
}

build=${KQ_ASAN_BUILD:-$KENV_RUN/build-asan}
if [ ! -f "$build/.libs/libkintoneodbc.so" ]; then
  mkdir -p "$build"
  if ! (cd "$build" && "$top/configure" -q --enable-sanitizers \
          --enable-debug && make -j2) >"$run/build.log" 2>&1; then
    notok "sanitizer build"
    tail -30 "$run/build.log"
    suite_result
    exit 1
  fi
fi
driver=$build/.libs/libkintoneodbc.so

if ! gcc -g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
       -fno-sanitize-recover=undefined -o "$run/oom_driver" \
       "$top/tests/oom/oom_driver.c" $(pkg-config --cflags odbc) -ldl \
       >"$run/build-oom.log" 2>&1; then
  notok "build oom_driver"
  sed 's/^/#   /' "$run/build-oom.log"
  suite_result
  exit 1
fi

export KENV_BUILD=$build
. "$top/scripts/testenv.sh"
KENV_PID=
if ! kenv_start "$run/emu"; then
  notok "emulator"
  suite_result
  exit 1
fi
trap kenv_stop EXIT
connstr="URL=$KENV_URL;User=demo;Password=demo-pass;SSLServerCert=$KENV_CA"

export ASAN_OPTIONS="detect_leaks=1:exitcode=86:log_path=$run/san/san"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:exitcode=86"
export LSAN_OPTIONS="suppressions=$top/tests/sanitizers/lsan.supp"
mkdir -p "$run/san"

# one run: oom_rc N -> exit status of oom_driver
# (sanitizer logs named san.N-<pid> so that a report shows its N)
oom_run() {
  ASAN_OPTIONS="${ASAN_OPTIONS%:log_path=*}:log_path=$run/san/san.N$1" \
  UBSAN_OPTIONS="$UBSAN_OPTIONS:log_path=$run/san/san.N$1" \
  KINTONE_ODBC_FAIL_ALLOC_AFTER=$1 "$run/oom_driver" "$driver" "$connstr" \
    >"$run/last.out" 2>&1
}

# without failures the program must complete
if KINTONE_ODBC_FAIL_ALLOC_AFTER= "$run/oom_driver" "$driver" "$connstr" \
     >"$run/plain.out" 2>&1; then
  ok "oom_driver completes without injected failures"
else
  notok "oom_driver without injected failures"
  sed 's/^/#   /' "$run/plain.out"
  suite_result
  exit 1
fi

oom_run 0
rc=$?
if [ $rc -eq 0 ]; then
  ok "driver OOM loop # SKIP the driver does not honour" \
     "KINTONE_ODBC_FAIL_ALLOC_AFTER (util/ku_mem.c hook missing)"
  kenv_stop
  trap - EXIT
  suite_result
  exit 0
fi

start=$SECONDS step=1 N=0 runs=0 hy001=0 nodiag=0 bad=0 completed=0
while :; do
  oom_run $N
  rc=$?
  runs=$((runs + 1))
  case $rc in
  0) completed=1; break ;;
  1) hy001=$((hy001 + 1)) ;;
  4) nodiag=$((nodiag + 1)) ;;
  *) bad=$((bad + 1))
     echo "# N=$N: exit $rc: $(head -3 "$run/last.out" | tr '\n' ' ')"
     cp "$run/last.out" "$run/fail-$N.out" ;;
  esac
  [ $bad -ge 5 ] && break
  el=$((SECONDS - start))
  [ $el -ge "$budget" ] && break
  [ $el -ge $((budget / 2)) ] && step=$((step * 2))
  N=$((N + step))
done
msg="N=0..$N ($runs runs, $hy001 x HY001, $nodiag x SQL_ERROR"
msg="$msg without a record, step at end $step)"
if [ $bad -eq 0 ] && [ $completed -eq 1 ]; then
  ok "driver OOM loop: every failure is HY001 and a run completes, $msg"
elif [ $bad -eq 0 ]; then
  ok "driver OOM loop: every failure is HY001 within ${budget}s, $msg" \
     "(no complete run reached)"
else
  notok "driver OOM loop: $bad run(s) crashed or reported another" \
        "SQLSTATE, $msg"
fi
if bash "$top/tests/sanitizers/san_reports.sh" "$run/san"; then
  ok "driver OOM loop: no sanitizer reports, no leaks"
else
  notok "driver OOM loop: sanitizer reports or leaks"
fi
kenv_stop
trap - EXIT
suite_result
