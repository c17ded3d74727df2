#!/usr/bin/env bash
# Side-by-side benchmarks in one run: each program on each engine, one forked JVM per pair.
#   bench/run.sh [ENGINE...]        (default: every engine available)
# Prints a table of median milliseconds per call and each engine's time relative to kiln's
# interpreter, and writes bench/results/latest.json. Absolute times on a shared machine are noise;
# read the ratios.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
kiln_find_jdk
kiln_ensure_maven
kiln_apt_install clang lld
engines=("$@")
[ ${#engines[@]} -eq 0 ] && engines=(kiln-interp chicory-interp chicory-compiler)
WARMUP=${WARMUP:-3}
ITER=${ITER:-5}

# program and its argument (sized so one call takes ~0.1-1 s in kiln's interpreter)
programs=(fib:30 sieve:1 mandelbrot:300 nbody:100000 matmul:10)

out=$here/results; mkdir -p "$out/wasm"
for p in "${programs[@]}"; do
  name=${p%%:*}
  clang --target=wasm32 -O2 -nostdlib -fno-builtin -Wl,--no-entry -o "$out/wasm/$name.wasm" "$here/programs/$name.c"
done
kiln_say "building kiln and the benchmark harness ..."
(cd "$root" && mvn -q -B -ntp -Dstyle.color=never -DskipTests install -pl runtime-stub -am >/dev/null)
(cd "$here" && mvn -q -B -ntp -Dstyle.color=never -DskipTests package >/dev/null)
jar=$here/target/kiln-bench.jar

results=$out/latest.json
: > "$results"
for p in "${programs[@]}"; do
  name=${p%%:*}; arg=${p##*:}
  for e in "${engines[@]}"; do
    kiln_say "$e $name($arg)"
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xss16m -jar "$jar" "$e" "$out/wasm/$name.wasm" "$arg" "$WARMUP" "$ITER" \
      | tee -a "$results"
  done
done
python3 "$here/report.py" "$results"
