#!/usr/bin/env bash
# Where the interpreter's compiled dispatch loop spends its time, per machine instruction: samples the
# harness with perf's cpu-clock event (no hardware counters needed), has HotSpot print the loop's C2
# code (hex; no hsdis needed), decodes it with objdump and prints the hottest instructions of the last
# normal (non-OSR) C2 compilation of Interpreter::loop. Needs perf (perf_event_paranoid <= 2) and the
# harness jar (bench/run.sh builds it).
#   bench/interp-profile.sh PROGRAM ARG [TOP=60]     e.g. bench/interp-profile.sh fib 32
#   ALL=1 prints every instruction of the method with its sample count instead.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
. "$(dirname "$here")/scripts/env.sh"
kiln_find_jdk
. "$here/kiln-jvm.sh"
command -v perf >/dev/null || kiln_die "perf is not installed"
prog=$1; arg=$2
out=$(mktemp -d)
perf record -q -e cpu-clock -F 4000 -o "$out/perf.data" "${kiln_jvm[@]}" -XX:+UnlockDiagnosticVMOptions \
  -XX:CompileCommand=quiet -XX:CompileCommand=print,dev.kiln.interpreter.Interpreter::loop \
  -jar "$here/target/kiln-bench.jar" kiln-interp \
  "$here/results/wasm/$prog.wasm" "$arg" "${WARMUP:-4}" "${ITER:-10}" > "$out/print.txt" 2> "$out/err.txt"
grep '^{' "$out/print.txt" || true
grep 'Compiled method' "$out/print.txt"
python3 "$here/interp_profile.py" "$out/print.txt" "$out/perf.data" "${ALL:+all}" "${3:-60}"
rm -rf "$out"
