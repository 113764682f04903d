#!/usr/bin/env bash
# ASan + UBSan: an instrumented build (configure --enable-sanitizers) in
# $KENV_RUN/build-asan, its `make check` (Check unit tests, fuzz corpus
# replays), then the integration programs against an emulator of its own
# with the driver manager loading the instrumented driver: the isql
# scripts, pyodbc, and tests/sanitizers/odbc_smoke.c (itself
# instrumented) in SQLGetData/SQLBindCol/SQLGetData(W) modes.
#
# isql and python are not instrumented, so the ASan runtime is preloaded
# into them (it must come before the DM dlopens the driver).  Reports go
# to files (log_path) and any AddressSanitizer/UBSan report, or a leak
# with a frame of ours, fails the step (tests/sanitizers/san_reports.sh).
#
# KQ_ASAN_BUILD=DIR reuses an existing sanitizer build instead of
# configuring one (for local iteration).
. "$(dirname "$0")/lib.sh"
set -u
top=$KENV_TOP
run=$KENV_RUN/asan
build=${KQ_ASAN_BUILD:-$KENV_RUN/build-asan}
mkdir -p "$run"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; SUITE_PASSED=$((SUITE_PASSED + 1)); }
notok() {
  n=$((n + 1)); echo "not ok $n - $*"; SUITE_FAILED=$((SUITE_FAILED + 1))
}
# Checks the report directory of a step; prints findings.
san_clean() {
  bash "$top/tests/sanitizers/san_reports.sh" "$1"
}

asan_rt=$(gcc -print-file-name=libasan.so)
ASAN_OPTIONS="detect_leaks=1:strict_string_checks=1"
ASAN_OPTIONS="$ASAN_OPTIONS:detect_stack_use_after_return=1"
export ASAN_OPTIONS="$ASAN_OPTIONS:check_initialization_order=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export LSAN_OPTIONS="suppressions=$top/tests/sanitizers/lsan.supp"
LSAN_OPTIONS="$LSAN_OPTIONS:print_suppressions=0"
# log_path per step: san_opts DIR
san_opts() {
  rm -rf "$1"
  mkdir -p "$1"
  export ASAN_OPTIONS="${ASAN_OPTIONS%%:log_path=*}:log_path=$1/san"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS%%:log_path=*}:log_path=$1/san"
}

# ------------------------------------------------------------- build
if [ -z "${KQ_ASAN_BUILD:-}" ]; then
  mkdir -p "$build"
  if ! (cd "$build" && "$top/configure" -q --enable-sanitizers \
          --enable-debug && make -j2) >"$run/build.log" 2>&1; then
    notok "sanitizer build"
    tail -30 "$run/build.log"
    suite_result
    exit 1
  fi
fi
ok "sanitizer build (ASan+UBSan) in $build"

# ------------------------------------------------------------- make check
san_opts "$run/check"
if make -C "$build" -j2 check >"$run/check.log" 2>&1; then
  ok "make check under ASan+UBSan ($(grep -o '^# PASS: *[0-9]*' \
     "$run/check.log" | awk '{print $3}') programs)"
else
  notok "make check under ASan+UBSan"
  grep -E '^(FAIL|ERROR):' "$run/check.log" | sed 's/^/#   /'
  for f in $(grep -lE 'Sanitizer|runtime error' \
               $(find "$build/tests" -name '*.log') 2>/dev/null); do
    sed 's/^/#   /' "$f" | head -60
  done
fi
if san_clean "$run/check"; then
  ok "make check: no sanitizer reports"
else
  notok "make check: sanitizer reports"
fi

# ------------------------------------------------------------- emulator
export KENV_BUILD=$build
. "$top/scripts/testenv.sh"
KENV_PID=
if ! kenv_start "$run/emu"; then
  notok "emulator for the sanitizer build"
  suite_result
  exit 1
fi
trap kenv_stop EXIT
KENV_RUN=$run/emu

# isql through a wrapper that preloads the ASan runtime into isql only
# (not into the shell, sed and diff of run_isql.sh).
mkdir -p "$run/bin"
cat >"$run/bin/isql" <<EOT
#!/bin/sh
LD_PRELOAD=$asan_rt exec $(command -v isql) "\$@"
EOT
chmod +x "$run/bin/isql"

san_opts "$run/isql"
if PATH="$run/bin:$PATH" bash "$top/tests/integration/run_isql.sh" \
     >"$run/isql.log" 2>&1; then
  ok "isql scripts with the instrumented driver"
else
  notok "isql scripts with the instrumented driver"
  sed 's/^/#   /' "$run/isql.log" | head -60
fi
if san_clean "$run/isql"; then
  ok "isql: no sanitizer reports"
else
  notok "isql: sanitizer reports"
fi

# pyodbc: exitcode=0 because the interpreter's own leaks would make the
# exit status 1; reports are judged from the log files instead.
san_opts "$run/pyodbc"
ASAN_OPTIONS="$ASAN_OPTIONS:exitcode=0" LD_PRELOAD=$asan_rt \
  /usr/bin/python3 "$top/tests/integration/test_pyodbc.py" \
  >"$run/pyodbc.log" 2>&1
rc=$?
if [ $rc -eq 0 ] && grep -q '^OK' "$run/pyodbc.log"; then
  ok "pyodbc with the instrumented driver ($(grep -o '^Ran [0-9]*' \
     "$run/pyodbc.log"))"
else
  notok "pyodbc with the instrumented driver (rc=$rc)"
  tail -40 "$run/pyodbc.log" | sed 's/^/#   /'
fi
if san_clean "$run/pyodbc"; then
  ok "pyodbc: no sanitizer reports"
else
  notok "pyodbc: sanitizer reports"
fi

# odbc_smoke: an instrumented ODBC application (no preload needed).
san_opts "$run/smoke"
if gcc -g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer \
     -fno-sanitize-recover=undefined -o "$run/odbc_smoke" \
     "$top/tests/sanitizers/odbc_smoke.c" \
     $(pkg-config --cflags --libs odbc) >"$run/smoke-build.log" 2>&1; then
  for mode in getdata bindcol wgetdata; do
    if "$run/odbc_smoke" KintoneDemo "$top/tests/integration/isql/basic.sql" \
         $mode 2 >"$run/smoke-$mode.out" 2>"$run/smoke-$mode.err" &&
       diff <(cat "$top/tests/integration/isql/expected/basic.out" \
                  "$top/tests/integration/isql/expected/basic.out") \
            "$run/smoke-$mode.out" >"$run/smoke-$mode.diff"; then
      ok "odbc_smoke $mode (basic.sql twice, expected output)"
    else
      notok "odbc_smoke $mode"
      head -20 "$run/smoke-$mode.err" "$run/smoke-$mode.diff" |
        sed 's/^/#   /'
    fi
  done
else
  notok "odbc_smoke build"
  sed 's/^/#   /' "$run/smoke-build.log"
fi
if san_clean "$run/smoke"; then
  ok "odbc_smoke: no sanitizer reports"
else
  notok "odbc_smoke: sanitizer reports"
fi

kenv_stop
trap - EXIT
suite_result
