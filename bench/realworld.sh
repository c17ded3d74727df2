#!/usr/bin/env bash
# Real programs, whole processes, kiln against wasmtime (Cranelift and Winch), side by side in one run:
#   bench/realworld.sh                  (env: RUNS=3, PROGRAMS="yosys sqlite ruby kernels", TIERS;
#                                        REUSE_WASMTIME=1 keeps wasmtime's compiled modules from an earlier run,
#                                        REUSE_KILN=1 kiln's cache objects (also BEFORE's), when present: no compile rows then)
# The programs are fetched or built here, never committed (bench/results/realworld/, git-ignored):
#   yosys    YoWASP's Yosys (npm @yowasp/yosys, its 30.8 MB WASI core module, 34 000 functions):
#            --version (start-up), and the coarse passes of synthesis of bench/realworld/counter.v (proc,
#            opt, memory, fsm, wreduce, alumacc, stat: `synth` itself needs Yosys's share files, which
#            YoWASP keeps inside its JavaScript bundle, so it fails on every engine)
#   sqlite   SQLite's amalgamation from better-sqlite3 (realworld/build-sqlite.sh) driven by SQL: run(1000)
#   ruby     Ruby 3.3's WASI build (npm @ruby/3.3-wasm-wasi, dist/ruby.wasm, 16 MB): compile and code size
#            only (it imports a JavaScript host interface)
#   kernels  the five C kernels of bench/programs (fib, sieve, mandelbrot, nbody, matmul)
#   floor    examples/fib.wasm's fib(1): the fixed cost of a process (kiln's JVM, wasmtime's Python)
# For each program: compile time and peak RSS of the whole `kiln compile` process and of wasmtime's
# compile, the size of the machine code (.text of kiln's cache object and of wasmtime's .cwasm); for each
# workload, from a filled cache: wall time, CPU time (user + system), peak RSS and time to the first Wasm instruction of one whole
# process on kiln's native, auto (warm: the cache filled by kiln compile; cold: no cache) and interp
# tiers and wasmtime's Cranelift and Winch. BEFORE=LAUNCHER adds the tiers native-before, auto-warm-before,
# auto-cold-before and interp-before, run by another kiln launcher (e.g. a script running an older jar) in
# the same rounds, so a change is measured side by side under the same load. Medians of RUNS runs. Writes bench/results/realworld.md and
# realworld.jsonl; realworld.md ends with auto cold / interp and auto warm / native per workload (the median over rounds of
# the ratio within a round). wasmtime compiles a program only when TIERS has a wasmtime engine. wasmtime runs through its Python package (its start-up is Python's, ~0.1 s, and
# its first instruction is timed from the script's start, not the process's).
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
kiln_find_jdk
RUNS=${RUNS:-3}
read -r -a programs <<< "${PROGRAMS:-yosys sqlite ruby kernels}"
read -r -a tiers <<< "${TIERS:-native auto-warm auto-cold interp wasmtime-cranelift wasmtime-winch}"
BEFORE=${BEFORE:-}
out=$here/results/realworld; mkdir -p "$out"
venv=$here/.venv
kiln_ensure_wasmtime "$venv"
py=$venv/bin/python
"$root/kiln" --help >/dev/null 2>&1 || true   # builds the CLI jar and its AOT cache before timing
command -v readelf >/dev/null || kiln_apt_install binutils
jsonl=$here/results/realworld.jsonl; : > "$jsonl"

record() { echo "$1" >> "$jsonl"; }

# one whole process: wall seconds and peak RSS in KB, appended as JSON; $1 = label, rest = command
timed() {
  local label=$1; shift
  local t; t=$(mktemp)
  /usr/bin/time -f "%e %M %U %S" -o "$t" "$@" > "$out/last.out" 2> "$out/last.err" || true
  read -r secs kb user sys < <(tail -1 "$t"); rm -f "$t"
  local first; first=$(grep -o '"first[A-Za-z_]*": *[0-9.-]*' "$out/last.err" | tail -1 | cut -d: -f2 | tr -d ' ' || true)
  record "{\"label\":\"$label\",\"seconds\":$secs,\"cpu_seconds\":$(printf "%.2f" "$(echo "$user + $sys" | bc)"),\"rss_kb\":$kb,\"first_ms\":${first:-null}}"
}

. "$here/fetch_npm.sh"

text_size() { # the .text section's size, in bytes, of an ELF file (0 when it has none)
  local hex; hex=$(readelf -SW "$1" | sed -n 's/^ *\[ *[0-9]*\] *\.text  *[A-Z_]*  *[0-9a-f]*  *[0-9a-f]*  *\([0-9a-f]*\) .*/\1/p' | head -1)
  echo $((16#${hex:-0}))
}

compile_program() { # name wasm
  local name=$1 wasm=$2 cache=$out/cache-$1
  if [ -z "${REUSE_KILN:-}" ] || ! ls "$cache"/*.o >/dev/null 2>&1; then
    rm -rf "$cache"
    timed "compile:$name:kiln" "$root/kiln" compile --cache-dir "$cache" "$wasm"
  fi
  if [ -n "$BEFORE" ] && [[ " ${tiers[*]} " =~ (native|auto-warm)-before ]] \
     && { [ -z "${REUSE_KILN:-}" ] || ! ls "$cache-before"/*.o >/dev/null 2>&1; }; then
    rm -rf "$cache-before"; timed "compile:$name:kiln-before" "$BEFORE" compile --cache-dir "$cache-before" "$wasm"
  fi
  local obj; obj=$(ls -t "$cache"/*.o | head -1)
  record "{\"label\":\"size:$name:kiln\",\"text\":$(text_size "$obj"),\"file\":$(stat -c %s "$obj"),\"code\":$(code_bytes "$obj")}"
  for e in wasmtime-cranelift wasmtime-winch; do
    [[ " ${tiers[*]} " == *" $e "* ]] || continue # only the engines this run measures
    local cwasm=$out/$name.$e.cwasm saved=$out/$name.$e.compile.json
    if [ -n "${REUSE_WASMTIME:-}" ] && [ "$cwasm" -nt "$wasm" ] && [ -f "$saved" ]; then
      cat "$saved" >> "$jsonl" # wasmtime's compile of the same module, timed in an earlier run
    else
      timed "compile:$name:$e" "$py" "$here/drivers/wasmtime_run.py" compile "$e" "$wasm" "$cwasm"
      tail -1 "$jsonl" > "$saved"
    fi
    record "{\"label\":\"size:$name:$e\",\"text\":$(text_size "$out/$name.$e.cwasm"),\"file\":$(stat -c %s "$out/$name.$e.cwasm"),\"code\":$(text_size "$out/$name.$e.cwasm")}"
  done
}

code_bytes() { # the bytes of functions in a kiln object (its symbols' sizes), without the block padding
  readelf -sW "$1" | awk '$4 == "FUNC" { s += $3 } END { print s + 0 }'
}

run_workload() { # name wasm label kiln-args... -- wasmtime-args...
  local name=$1 wasm=$2 label=$3; shift 3
  local kargs=() wargs=()
  while [ $# -gt 0 ] && [ "$1" != "--" ]; do kargs+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  wargs=("$@")
  local cache=$out/cache-$name
  for _ in $(seq "$RUNS"); do   # rounds: each tier once per round, so load changes hit every tier alike
    for t in "${tiers[@]}"; do
      case $t in
        native) timed "run:$label:$t" "$root/kiln" run --stats=json --no-cache-write --cache-dir "$cache" --tier native "${kargs[@]}";;
        auto-warm) timed "run:$label:$t" "$root/kiln" run --stats=json --no-cache-write --cache-dir "$cache" --tier auto "${kargs[@]}";;
        auto-cold) timed "run:$label:$t" "$root/kiln" run --stats=json --no-cache --tier auto "${kargs[@]}";;
        interp) timed "run:$label:$t" "$root/kiln" run --stats=json --tier interp "${kargs[@]}";;
        native-before) timed "run:$label:$t" "$BEFORE" run --stats=json --no-cache-write --cache-dir "$cache-before" --tier native "${kargs[@]}";;
        auto-warm-before) timed "run:$label:$t" "$BEFORE" run --stats=json --no-cache-write --cache-dir "$cache-before" --tier auto "${kargs[@]}";;
        auto-cold-before) timed "run:$label:$t" "$BEFORE" run --stats=json --no-cache --tier auto "${kargs[@]}";;
        interp-before) timed "run:$label:$t" "$BEFORE" run --stats=json --tier interp "${kargs[@]}";;
        wasmtime-*) timed "run:$label:$t" "$py" "$here/drivers/wasmtime_run.py" run "$t" "$out/$name.$t.cwasm" "${wargs[@]}";;
      esac
    done
  done
}

for p in "${programs[@]}"; do
  case $p in
    yosys)
      w=$out/yosys.wasm
      fetch_npm @yowasp/yosys@0.55.944 gen/yosys.core.wasm "$w"
      compile_program yosys "$w"
      mkdir -p "$out/work" && cp "$here/realworld/counter.v" "$out/work/"
      run_workload yosys "$w" yosys-version "$w" --version -- -- --version
      passes="read_verilog /w/counter.v; hierarchy -top counter; proc; opt; memory; opt; fsm; opt; wreduce; alumacc; opt; stat"
      run_workload yosys "$w" yosys-passes --dir "$out/work::/w" "$w" -p "$passes" -- --dir "$out/work::/w" -- -p "$passes"
      ;;
    sqlite)
      "$here/realworld/build-sqlite.sh"
      w=$here/results/wasm/sqlite.wasm
      compile_program sqlite "$w"
      run_workload sqlite "$w" sqlite --invoke run "$w" 1000 -- --invoke run 1000
      ;;
    ruby)
      w=$out/ruby.wasm
      fetch_npm @ruby/3.3-wasm-wasi@2.10.1 dist/ruby.wasm "$w"
      compile_program ruby "$w"
      ;;
    floor)
      # what any run costs: kiln's JVM start with a one-function module; wasmtime's Python start with it
      w=$root/examples/fib.wasm
      compile_program fib1 "$w"
      run_workload fib1 "$w" floor --invoke fib "$w" 1 -- --invoke fib 1
      ;;
    kernels)
      kiln_apt_install clang lld
      for k in fib:30 sieve:1 mandelbrot:300 nbody:100000 matmul:10; do
        n=${k%%:*}; a=${k##*:}; w=$out/$n.wasm
        clang --target=wasm32 -O2 -nostdlib -fno-builtin -Wl,--no-entry -Wl,--export=run -o "$w" "$here/programs/$n.c"
        compile_program "$n" "$w"
        run_workload "$n" "$w" "$n" --invoke run "$w" "$a" -- --invoke run "$a"
      done
      ;;
    *) kiln_die "unknown program $p";;
  esac
done
python3 "$here/realworld_report.py" "$jsonl" | tee "$here/results/realworld.md"
