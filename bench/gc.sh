#!/usr/bin/env bash
# GC throughput and pauses: allocation-heavy Wasm GC programs on kiln and wasmtime, side by side,
# in process (each engine times _start in a fresh store per round, the module compiled once):
#   - binary-trees: bench/gc/binary_trees.wat (trees of depth 4..16, one long-lived tree);
#   - kernels: bench/gc/kernels.wat (field access, array loops, casts: a linked list walked and
#     updated, i32/f64/i8 arrays, ref.test/ref.cast/br_on_cast over subtypes, short-lived pairs);
#   - array-copy: bench/gc/array_copy.wat (array.copy: a doubling string builder, a doubling list of
#     boxes with removal from the front, insertion into a sorted i32 array);
#   - moonbit: tests/src/test/resources/gc/moonbit/main.wasm (MoonBit: binary trees, an
#     interpreter with boxed values and closures, a string map; scripts/moonbit/build.sh).
# kiln on its native tier, auto (interpreter, then native code) and the interpreter; pauses are
# kiln's collections (p50/p99/max over the measured rounds); `ok` says the program's checksum (its
# exported `result` global) is wasmtime's.
#   bench/gc.sh         env: WARMUP (rounds, default 2), ROUNDS (default 5),
#                            TIERS (default "NATIVE AUTO INTERP"), PROGRAMS (default all four)
# Output: a table on stdout and bench/results/gc.json (git-ignored). Read the ratios, not the times.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
kiln_find_jdk
WARMUP=${WARMUP:-2}
ROUNDS=${ROUNDS:-5}
TIERS=${TIERS:-NATIVE AUTO INTERP}
PROGRAMS=${PROGRAMS:-binary-trees kernels array-copy moonbit}
out=$here/results
mkdir -p "$out"
py=$root/tests/.venv/bin/python
[ -x "$py" ] || kiln_die "wasmtime's Python package is missing: run ./run-tests differential once (it makes tests/.venv)"
"$root/kiln" help >/dev/null 2>&1 || true   # builds the CLI jar when sources changed
for wat in binary_trees kernels array_copy; do
  "$py" -c 'import sys, wasmtime; open(sys.argv[2], "wb").write(wasmtime.wat2wasm(open(sys.argv[1]).read()))' \
    "$here/gc/$wat.wat" "$out/$wat.wasm"
done
declare -A wasms=([binary-trees]="$out/binary_trees.wasm" [kernels]="$out/kernels.wasm" [array-copy]="$out/array_copy.wasm"
                  [moonbit]="$root/tests/src/test/resources/gc/moonbit/main.wasm")
: > "$out/gc.jsonl"
for name in $PROGRAMS; do
  wasm=${wasms[$name]}
  line=$("$py" "$here/gc/wasmtime_gc.py" "$wasm" "$WARMUP" "$ROUNDS")
  echo "{\"program\": \"$name\", ${line#\{}" >> "$out/gc.jsonl"
  for t in $TIERS; do
    line=$("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$root/cli/target/kiln.jar" "$here/gc/GcBench.java" "$wasm" "$t" "$WARMUP" "$ROUNDS")
    echo "{\"program\": \"$name\", ${line#\{}" >> "$out/gc.jsonl"
  done
done
python3 - "$out/gc.jsonl" "$out/gc.json" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
json.dump(rows, open(sys.argv[2], "w"), indent=1)
base = {r["program"]: r for r in rows if r["engine"] == "wasmtime-cranelift"}
print(f"{'program':14} {'engine':20} {'median s':>9} {'x wasmtime':>10} {'ok':>3} {'GCs/run':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
for r in rows:
    b = base[r["program"]]
    ratio = r["median_s"] / b["median_s"]
    ok = "yes" if r.get("result") == b.get("result") else "NO"
    extra = "" if "pause_p50_ms" not in r else f"{r['collections_per_round']:8.1f} {r['pause_p50_ms']:8.2f} {r['pause_p99_ms']:8.2f} {r['pause_max_ms']:8.2f}"
    print(f"{r['program']:14} {r['engine']:20} {r['median_s']:9.3f} {ratio:10.2f} {ok:>3} {extra}")
PY
