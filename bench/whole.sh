#!/usr/bin/env bash
# Whole processes, side by side in one run: each kernel from launch to exit (load, one call of
# run(arg), exit) on kiln's interpreter (the ./kiln launcher, with and without its AOT cache),
# Chicory's interpreter and wasmtime's Pulley interpreter, RUNS times each with hyperfine.
#   bench/whole.sh                 (after bench/run.sh has built the .wasm files, the harness and bench/.venv)
#   env: RUNS (default 5), PROGRAMS (default: the five kernels and SQLite, with run.sh's arguments)
# Writes bench/results/whole.json (hyperfine's export per program) and prints mean, min and max
# seconds per engine, each engine's time as a multiple of kiln-interp's, and their geometric means.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
kiln_find_jdk
RUNS=${RUNS:-5}
read -r -a programs <<< "${PROGRAMS:-fib:30 sieve:1 mandelbrot:300 nbody:100000 matmul:10 sqlite:1000}"
out=$here/results; wasm_dir=$out/wasm; jar=$here/target/kiln-bench.jar
command -v hyperfine >/dev/null || kiln_apt_install hyperfine
[ -f "$jar" ] && [ -x "$here/.venv/bin/python" ] || kiln_die "run bench/run.sh once first (it builds the harness and bench/.venv)"
"$root/kiln" --help >/dev/null 2>&1 || true   # builds the CLI jar and records its AOT cache before timing
java=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xss16m)
results=()
for p in "${programs[@]}"; do
  name=${p%%:*}; arg=${p##*:}; w=$wasm_dir/$name.wasm
  [ -f "$w" ] || kiln_die "$w is missing: run bench/run.sh once first"
  hyperfine -N --runs "$RUNS" --warmup 1 --export-json "$out/whole-$name.json" \
    -n kiln-interp "$root/kiln run --tier interp --invoke run $w $arg" \
    -n kiln-interp-no-aot-cache "env KILN_AOT_CACHE=0 $root/kiln run --tier interp --invoke run $w $arg" \
    -n chicory-interp "${java[*]} -jar $jar chicory-interp $w $arg --once" \
    -n wasmtime-pulley "$here/.venv/bin/python $here/drivers/wasmtime_bench.py wasmtime-pulley $w $arg --once" >&2
  results+=("$out/whole-$name.json")
done
python3 "$here/whole_report.py" "${results[@]}" | tee "$out/whole.txt"
