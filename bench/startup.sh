#!/usr/bin/env bash
# Time to first Wasm instruction for a large module, side by side in one run:
#   interp        --tier interp
#   auto-cold     --tier auto, empty cache (the interpreter starts; nothing is compiled up front)
#   auto-hit      --tier auto, cache filled by `kiln compile` (functions bind lazily on first call)
#   native-hit    --tier native, same cache (every function is placed before the first instruction: a full AOT load)
#   native-miss   --tier native, empty cache (everything compiled first)
# The figure is kiln's own (`--stats=json`: milliseconds from JVM start to the first instruction),
# the median of RUNS runs each, taken in rotation so machine noise spreads over all modes.
#   bench/startup.sh [MODULE.wasm]     (default: the 2 MB Rust WASI binary fd_readdir.wasm of ../shared/wasi-testsuite)
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
kiln_find_jdk
RUNS=${RUNS:-5}
module=${1:-$root/../shared/wasi-testsuite/rust/fd_readdir.wasm}
[ -f "$module" ] || kiln_die "no module $module"
out=$here/results/startup; rm -rf "$out"; mkdir -p "$out/empty" "$out/filled" "$out/dir"
"$root/kiln" --help >/dev/null 2>&1 || true   # builds the CLI jar when needed
kiln=$root/kiln   # the launcher: same JVM flags and AOT cache a user gets
$kiln compile --cache-dir "$out/filled" "$module" >/dev/null
run() { # mode cache-dir tier
  $kiln run --tier "$3" --cache-dir "$2" --no-cache-write --stats=json --dir "$out/dir::fs-tests.dir" "$module" \
    2>"$out/stderr" >/dev/null || true
  grep '^{' "$out/stderr" | tail -1 | python3 -c 'import json,sys; print(json.load(sys.stdin)["firstInstructionMillis"])' >> "$out/$1"
}
for i in $(seq "$RUNS"); do
  rm -rf "$out/empty"/*
  run interp "$out/empty" interp
  run auto-cold "$out/empty" auto
  run auto-hit "$out/filled" auto
  run native-hit "$out/filled" native
  run native-miss "$out/empty" native
done
python3 - "$out" "$module" <<'PY'
import statistics, sys, os
d, module = sys.argv[1], sys.argv[2]
modes = ['interp', 'auto-cold', 'auto-hit', 'native-hit', 'native-miss']
med = {m: statistics.median(float(x) for x in open(os.path.join(d, m)).read().split()) for m in modes}
print('\ntime to first instruction, %s (%.1f MB), median ms from JVM start\n' % (os.path.basename(module), os.path.getsize(module) / 1e6))
print('%-12s %10s %14s' % ('mode', 'ms', 'vs interp'))
for m in modes:
    print('%-12s %10.0f %13.2fx' % (m, med[m], med[m] / med['interp']))
print('\nauto-hit (lazy binding) vs native-hit (full AOT load): %.2fx' % (med['auto-hit'] / med['native-hit']))
PY
