#!/usr/bin/env bash
# Side-by-side benchmarks in one run: each program on each engine, one process per (engine, program).
#   bench/run.sh [ENGINE...]        (default: every engine; see engines.sh for the list)
#   env: WARMUP (seconds, default 3), ITER (timed calls, default 5), BASELINE (default native-c)
# Installs what each engine needs; an engine that cannot run here is reported as unavailable.
# Prints the tables of report.py and writes bench/results/latest.json (one JSON line per pair) and
# bench/results/latest-summary.json. Absolute times on a shared machine are noise; read the ratios.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
WARMUP=${WARMUP:-3}
ITER=${ITER:-5}
BASELINE=${BASELINE:-native-c}

# program and its argument (sized so one call takes ~0.1-1 s in kiln's interpreter)
programs=(fib:30 sieve:1 mandelbrot:300 nbody:100000 matmul:10)
# large real programs (realworld/): Wasm engines only (no native build); REAL=0 leaves them out
real_programs=(sqlite:1000)
[ "${REAL:-1}" = 0 ] && real_programs=()

out=$here/results; build=$out/build; wasm_dir=$out/wasm
mkdir -p "$build" "$wasm_dir"
. "$here/engines.sh"

engines=("$@")
[ ${#engines[@]} -eq 0 ] && engines=("${ALL_ENGINES[@]}")
for e in "${engines[@]}"; do
  [[ " ${ALL_ENGINES[*]} " == *" $e "* ]] || kiln_die "unknown engine $e; known: ${ALL_ENGINES[*]}"
done

results=$out/latest.json
jline() { python3 -c 'import json, sys; a = sys.argv[1:]; print(json.dumps(dict(zip(a[::2], a[1::2]))))' "$@"; }
python3 -c 'import json, os, sys, time
print(json.dumps({"meta": {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "cpu_count": os.cpu_count(), "warmup_s": float(sys.argv[1]),
                           "iterations": int(sys.argv[2]), "command": sys.argv[3], "engines": sys.argv[4:]}}))' \
  "$WARMUP" "$ITER" "bench/run.sh${*:+ $*}" "${engines[@]}" > "$results"

# The .wasm files every engine but native-c runs.
wasm_ok=1
if (kiln_apt_install clang lld); then
  for p in "${programs[@]}"; do
    name=${p%%:*}
    clang --target=wasm32 -O2 -nostdlib -fno-builtin -Wl,--no-entry -o "$wasm_dir/$name.wasm" "$here/programs/$name.c" || wasm_ok=0
  done
else
  wasm_ok=0
fi
real_ok=()
for p in "${real_programs[@]}"; do
  name=${p%%:*}
  if "$here/realworld/build-$name.sh"; then real_ok+=("$p"); else kiln_say "$name.wasm could not be built; left out"; fi
done

# Prepare each toolchain once; keep the engines that can run.
declare -A prepared=()
runnable=()
for e in "${engines[@]}"; do
  t=$(toolchain_of "$e"); why=""
  if [ "$t" != native_c ] && [ $wasm_ok -eq 0 ]; then
    why="clang could not build the .wasm files"
  elif [ -z "${prepared[$t]:-}" ]; then
    kiln_say "preparing $t ..."
    if "prepare_$t"; then prepared[$t]=ok; else prepared[$t]=$why; fi
  fi
  [ -z "$why" ] && [ "${prepared[$t]}" != ok ] && why=${prepared[$t]}
  if [ -z "$why" ] && [ "$t" = java ] && ! java_knows "$e"; then
    why="not in the Java harness yet (BenchMain.ENGINES)"
  fi
  if [ -n "$why" ]; then
    kiln_say "$e is unavailable: $why"
    jline engine "$e" unavailable "$why" >> "$results"
  else
    runnable+=("$e")
  fi
done

err=$(mktemp); trap 'rm -f "$err"' EXIT
for p in "${programs[@]}" "${real_ok[@]}"; do
  name=${p%%:*}; arg=${p##*:}
  for e in "${runnable[@]}"; do
    [[ " ${real_ok[*]} " == *" $p "* ]] && { [ "$e" = native-c ] || [ "$e" = wasm2c ]; } && continue
    kiln_say "$e $name($arg)"
    rc=0; line=$(run_engine "$e" "$name" "$arg" 2>"$err") || rc=$?
    if [ $rc -eq 0 ] && [[ $line == \{* ]]; then
      echo "$line" | tee -a "$results"
    else
      cat "$err" >&2
      reason=$(tail -n 1 "$err"); [ -n "$reason" ] || reason="exited with status $rc and no result"
      [ $rc -eq 124 ] && reason="timed out after ${PAIR_TIMEOUT}s"
      jline engine "$e" program "$name" arg "$arg" error "$reason" | tee -a "$results"
    fi
  done
done
python3 "$here/report.py" "$results" --baseline "$BASELINE" --summary "$out/latest-summary.json"
