#!/usr/bin/env bash
# kiln's interpreter, two builds side by side: the harness jar of another build (BEFORE) and this
# one (bench/target/kiln-bench.jar, built by bench/run.sh), interleaved per program and round, one
# process per run, on the launcher's JVM flags (kiln-jvm.sh); prints each run's JSON line prefixed "before ROUND" or "after ROUND".
#   BEFORE=/path/to/old/kiln-bench.jar [ROUNDS=2 WARMUP=2 ITER=5] bench/interp-ab.sh [PROGRAM:ARG...]
# AFTER names another jar than this tree's for the "after" runs (a copy, so that a rebuild during
# a long run does not change what is measured).
# BEFORE_FLAGS adds JVM flags to the "before" runs only: BEFORE=bench/target/kiln-bench.jar
# BEFORE_FLAGS="-XX:-UseSerialGC -XX:+UseG1GC" compares G1 with the launcher's SerialGC on one build.
# (after bench/run.sh has built the .wasm files; copy bench/target/kiln-bench.jar away before a change)
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
. "$(dirname "$here")/scripts/env.sh"
kiln_find_jdk
. "$here/kiln-jvm.sh"
[ -n "${BEFORE:-}" ] || kiln_die "set BEFORE to the other build's kiln-bench.jar"
progs=("$@")
[ ${#progs[@]} -eq 0 ] && progs=(fib:30 sieve:1 mandelbrot:300 nbody:100000 matmul:10 sqlite:1000)
for r in $(seq 1 "${ROUNDS:-2}"); do
  for p in "${progs[@]}"; do
    for which in before after; do
      jar=${AFTER:-$here/target/kiln-bench.jar}; flags=()
      [ "$which" = before ] && { jar=$BEFORE; read -ra flags <<< "${BEFORE_FLAGS:-}"; }
      echo "$which $r $("${kiln_jvm[@]}" ${flags[@]+"${flags[@]}"} -jar "$jar" kiln-interp \
        "$here/results/wasm/${p%%:*}.wasm" "${p##*:}" "${WARMUP:-2}" "${ITER:-5}")"
    done
  done
done
