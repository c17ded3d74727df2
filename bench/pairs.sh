#!/usr/bin/env bash
# Instruction-pair counts of kiln's interpreter on each kernel (how its superinstructions were
# chosen): runs each program once with -Dkiln.interp.profile and prints the most frequent pairs.
#   bench/pairs.sh [TOP]        (after bench/run.sh has built the .wasm files and the harness)
# Full counts in bench/results/pairs-PROGRAM.txt: "count first second", then "count op -" per instruction.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
. "$(dirname "$here")/scripts/env.sh"
kiln_find_jdk
. "$here/kiln-jvm.sh"
top=${1:-8}
for p in fib:30 sieve:1 mandelbrot:300 nbody:100000 matmul:10 sqlite:1000; do
  name=${p%%:*}; arg=${p##*:}; f=$here/results/pairs-$name.txt
  "${kiln_jvm[@]}" -Dkiln.interp.profile="$f" \
    -jar "$here/target/kiln-bench.jar" kiln-interp "$here/results/wasm/$name.wasm" "$arg" --once >/dev/null
  echo "== $name($arg): most frequent pairs (count first second)"
  grep -v -- ' -$' "$f" | head -n "$top"
done
