#!/usr/bin/env bash
# valgrind memcheck over the tested build ($KENV_BUILD, not instrumented):
#   - the Check unit tests, fuzz corpus replays and OOM loops that
#     `make check` built (10-unit), with CK_FORK=no so that every test
#     runs inside the checked process;
#   - the isql scripts (isql wrapped in valgrind; the DM loads the
#     driver inside it);
#   - tests/sanitizers/odbc_smoke.c (libodbc -> driver): basic.sql with
#     SQLGetData, SQLBindCol and SQLGetData(SQL_C_WCHAR).
# Each process must end with zero errors and zero definite/indirect
# leaks (--errors-for-leak-kinds makes leaks errors); suppressions are
# for third-party code only (tests/sanitizers/valgrind.supp).
. "$(dirname "$0")/lib.sh"
set -u
top=$KENV_TOP
build=$KENV_BUILD
run=$KENV_RUN/valgrind
rm -rf "$run"
mkdir -p "$run"
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; SUITE_PASSED=$((SUITE_PASSED + 1)); }
notok() {
  n=$((n + 1)); echo "not ok $n - $*"; SUITE_FAILED=$((SUITE_FAILED + 1))
}
if ! command -v valgrind >/dev/null; then
  sudo=; [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get install -y -qq valgrind >"$run/apt.log" 2>&1
fi
if ! command -v valgrind >/dev/null; then
  notok "valgrind is not installed"
  suite_result
  exit 1
fi
VG=(valgrind --tool=memcheck --error-exitcode=99 --leak-check=full
    --show-leak-kinds=definite,indirect
    --errors-for-leak-kinds=definite,indirect --track-origins=yes
    --num-callers=30 --suppressions="$top/tests/sanitizers/valgrind.supp"
    --gen-suppressions=all)

# Judges the valgrind logs in DIR: every one must report 0 errors.
vg_clean() {
  local f bad=0
  for f in "$1"/vg.*; do
    [ -f "$f" ] || continue
    if ! grep -q 'ERROR SUMMARY: 0 errors' "$f"; then
      echo "# $(basename "$f"): $(grep -o 'ERROR SUMMARY: [0-9]* errors' "$f")"
      grep -vE '^==[0-9]+== *$' "$f" | grep -vE '^\{|^\}|^   ' |
        sed 's/^/#   /' | head -80
      bad=1
    fi
  done
  return $bad
}

# ------------------------------------------------ unit tests and replays
progs=$(cd "$build" && ls tests/unit/check_* tests/fuzz/replay_* \
          tests/oom/oom_* 2>/dev/null | grep -vE '\.(o|log|trs|c|sh)$')
if [ -z "$progs" ]; then
  make -s -C "$build" check TESTS= >"$run/build-check.log" 2>&1
  progs=$(cd "$build" && ls tests/unit/check_* tests/fuzz/replay_* \
            tests/oom/oom_* 2>/dev/null | grep -vE '\.(o|log|trs|c|sh)$')
fi
for p in $progs; do
  [ -x "$build/$p" ] || continue
  name=$(basename "$p")
  mkdir -p "$run/$name"
  (cd "$build" && CK_FORK=no srcdir=$top \
     "${VG[@]}" --log-file="$run/$name/vg.%p" "./$p") >"$run/$name.log" 2>&1
  rc=$?
  # memcheck decides; a test that fails only under valgrind (it computes
  # long double in 64 bits, so code relying on x87's 80 bits differs) is
  # listed, as the functional result belongs to 10-unit
  if [ $rc -ne 99 ] && vg_clean "$run/$name"; then
    ok "valgrind $name: no errors, no leaks"
    if [ $rc -ne 0 ]; then
      echo "# note: $name fails functionally under valgrind (exit $rc):"
      grep -E ':[FE]:' "$run/$name.log" | head -10 | sed 's/^/#   /'
    fi
  else
    notok "valgrind $name"
    tail -5 "$run/$name.log" | sed 's/^/#   /'
  fi
done

# ------------------------------------------------ integration programs
mkdir -p "$run/bin" "$run/isql"
cat >"$run/bin/isql" <<EOT
#!/bin/sh
exec ${VG[*]} --log-file=$run/isql/vg.%p $(command -v isql) "\$@"
EOT
chmod +x "$run/bin/isql"
if PATH="$run/bin:$PATH" KENV_RUN=$run bash \
     "$top/tests/integration/run_isql.sh" >"$run/isql.log" 2>&1; then
  ok "isql scripts under valgrind: expected output"
else
  notok "isql scripts under valgrind: expected output"
  sed 's/^/#   /' "$run/isql.log" | head -40
fi
if vg_clean "$run/isql"; then
  ok "isql under valgrind: no errors, no leaks"
else
  notok "isql under valgrind: errors or leaks"
fi

if gcc -g -O0 -o "$run/odbc_smoke" "$top/tests/sanitizers/odbc_smoke.c" \
     $(pkg-config --cflags --libs odbc) >"$run/smoke-build.log" 2>&1; then
  for mode in getdata bindcol wgetdata; do
    mkdir -p "$run/smoke-$mode"
    if "${VG[@]}" --log-file="$run/smoke-$mode/vg.%p" "$run/odbc_smoke" \
         KintoneDemo "$top/tests/integration/isql/basic.sql" $mode \
         >"$run/smoke-$mode.out" 2>"$run/smoke-$mode.err" &&
       diff "$top/tests/integration/isql/expected/basic.out" \
         "$run/smoke-$mode.out" >"$run/smoke-$mode.diff" &&
       vg_clean "$run/smoke-$mode"; then
      ok "valgrind odbc_smoke $mode"
    else
      notok "valgrind odbc_smoke $mode"
      vg_clean "$run/smoke-$mode" || true
      head -20 "$run/smoke-$mode.err" "$run/smoke-$mode.diff" |
        sed 's/^/#   /'
    fi
  done
else
  notok "odbc_smoke build"
  sed 's/^/#   /' "$run/smoke-build.log"
fi
suite_result
