#!/usr/bin/env bash
# kiln's interpreter, two builds side by side: the harness jar of another build (BEFORE) and this
# one (bench/target/kiln-bench.jar, built by bench/run.sh), interleaved per program and round, one
# process per run; prints each run's JSON line prefixed "before ROUND" or "after ROUND".
#   BEFORE=/path/to/old/kiln-bench.jar [ROUNDS=2 WARMUP=2 ITER=5] bench/interp-ab.sh [PROGRAM:ARG...]
# (after bench/run.sh has built the .wasm files; copy bench/target/kiln-bench.jar away before a change)
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
. "$(dirname "$here")/scripts/env.sh"
kiln_find_jdk
[ -n "${BEFORE:-}" ] || kiln_die "set BEFORE to the other build's kiln-bench.jar"
progs=("$@")
[ ${#progs[@]} -eq 0 ] && progs=(fib:30 sieve:1 mandelbrot:300 nbody:100000 matmul:10 sqlite:1000)
for r in $(seq 1 "${ROUNDS:-2}"); do
  for p in "${progs[@]}"; do
    for which in before after; do
      jar=$here/target/kiln-bench.jar; [ "$which" = before ] && jar=$BEFORE
      echo "$which $r $("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xss16m -jar "$jar" kiln-interp \
        "$here/results/wasm/${p%%:*}.wasm" "${p##*:}" "${WARMUP:-2}" "${ITER:-5}")"
    done
  done
done
