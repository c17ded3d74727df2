#!/usr/bin/env bash
# kiln's x86-64 native tier against wasmtime-Cranelift, side by side in one run: for each program,
# thread CPU time of one call of run(arg), median of ITER calls after one warm call, each engine in
# a fresh process (kiln: drivers/KilnCpuTime.java against the CLI jar; wasmtime 49:
# drivers/wasmtime_bench.py, its cpu_median_ms). ROUNDS rounds, engines interleaved; prints each
# round's ratios and, per program, the ratio of the medians over the rounds, and their geometric mean.
#   bench/native.sh                          (after ./kiln --help has built cli/target/kiln.jar)
#   env: ROUNDS (3), ITER (9), PROGRAMS ("fib:30 sieve:3 mandelbrot:300 nbody:100000 matmul:10"),
#        BEFORE=path/to/other/kiln.jar adds a column for another build of kiln (before/after a change),
#        KILN_JAR the jar measured (default cli/target/kiln.jar),
#        WASM_DIR where PROGRAM.wasm is read (default bench/results/wasm, built from bench/programs/PROGRAM.c
#        when missing); e.g. bench/results/wasm-simd after bench/simd.sh for its SIMD kernels:
#        WASM_DIR=bench/results/wasm-simd PROGRAMS="sad_simd:2 blur_simd:40 ..." bench/native.sh
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
kiln_find_jdk
ROUNDS=${ROUNDS:-3}; ITER=${ITER:-9}
read -r -a programs <<< "${PROGRAMS:-fib:30 sieve:3 mandelbrot:300 nbody:100000 matmul:10}"
wasm_dir=${WASM_DIR:-$here/results/wasm}; mkdir -p "$wasm_dir"
python=$here/.venv/bin/python; [ -x "$python" ] || python=$root/tests/.venv/bin/python
[ -x "$python" ] || kiln_die "no Python with wasmtime: run bench/run.sh or ./run-tests once first"
jar=${KILN_JAR:-$root/cli/target/kiln.jar}; [ -f "$jar" ] || "$root/kiln" --help >/dev/null
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xss16m)
out=$here/results/native.txt; : > "$out"
for p in "${programs[@]}"; do
  name=${p%%:*}; w=$wasm_dir/$name.wasm
  [ -f "$w" ] || clang --target=wasm32 -O2 -nostdlib -fno-builtin -Wl,--no-entry -o "$w" "$here/programs/$name.c"
done
for r in $(seq "$ROUNDS"); do
  kiln_say "round $r of $ROUNDS, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  for p in "${programs[@]}"; do
    name=${p%%:*}; arg=${p##*:}; w=$wasm_dir/$name.wasm
    k=$("${java[@]}" -cp "$jar" "$here/drivers/KilnCpuTime.java" "$w" "$arg" "$ITER")
    b=-; [ -n "${BEFORE:-}" ] && b=$("${java[@]}" -cp "$BEFORE" "$here/drivers/KilnCpuTime.java" "$w" "$arg" "$ITER" | cut -d' ' -f2)
    c=$("$python" "$here/drivers/wasmtime_bench.py" wasmtime-cranelift "$w" "$arg" 0 "$ITER" \
        | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["result"], d["cpu_median_ms"])')
    # kiln prints an i32 result unsigned, wasmtime signed
    (( (${k%% *} - ${c%% *}) % 4294967296 == 0 )) || kiln_say "warning: $name: kiln returned ${k%% *}, wasmtime ${c%% *}"
    echo "$r $name $arg $(echo "$k" | cut -d' ' -f2) $b $(echo "$c" | cut -d' ' -f2)" | tee -a "$out"
  done
done
python3 - "$out" <<'PY'
import math, statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
progs = list(dict.fromkeys(r[1] for r in rows))
print('program          kiln ms  cranelift ms  kiln/cranelift (rounds: min-max)' + ('  before/cranelift (min-max)' if rows[0][4] != '-' else ''))
ratios, before = [], []
spread = lambda rs, col: '(%.2f-%.2f)' % (min(float(r[col]) / float(r[5]) for r in rs), max(float(r[col]) / float(r[5]) for r in rs))
for p in progs:
    rs = [r for r in rows if r[1] == p]
    k = statistics.median(float(r[3]) for r in rs); c = statistics.median(float(r[5]) for r in rs)
    ratios.append(k / c); line = '%-14s %9.2f %13.2f %15.3f %-18s' % (p, k, c, k / c, spread(rs, 3))
    if rs[0][4] != '-':
        b = statistics.median(float(r[4]) for r in rs); before.append(b / c); line += ' %10.3f %s' % (b / c, spread(rs, 4))
    print(line)
geo = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
print('geometric mean %39.3f' % geo(ratios) + ('%30.3f' % geo(before) if before else ''))
# each round's geometric mean of kiln/cranelift: how far one pass over all programs moves
for r in sorted(set(int(x[0]) for x in rows)):
    rs = [x for x in rows if int(x[0]) == r]
    print('round %d: geometric mean %.3f' % (r, geo([float(x[3]) / float(x[5]) for x in rs]))
          + (', before %.3f' % geo([float(x[4]) / float(x[5]) for x in rs]) if rs[0][4] != '-' else ''))
PY
