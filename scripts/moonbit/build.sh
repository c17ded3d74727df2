#!/usr/bin/env bash
# Builds tests/src/test/resources/gc/moonbit/main.wasm (a Wasm GC program) from main.mbt with the
# MoonBit compiler that npm ships as a web worker (@moonbit/moonc-worker), run in node. The core
# library's sources come from @moonbit/moonpad-monaco's bundle; only `abort` and `builtin` are
# built for wasm-gc (the bundle lacks some files of the other packages), so the program names
# builtin's API with `@builtin.`. Needs node, npm and the npm registry. Then check the output:
#   tests/.venv/bin/python scripts/moonbit/run_wasmtime.py main.wasm   (wasmtime's output = expected.txt)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=${MOONBIT_WORK:-${TMPDIR:-/tmp}/kiln-moonbit}
mkdir -p "$work/out"
cd "$work"
[ -f worker/package/moonc-worker.js ] || { mkdir -p worker && npm pack --silent @moonbit/moonc-worker@0.1.202605123 >/dev/null && tar xzf moonbit-moonc-worker-*.tgz -C worker; }
[ -d core/builtin ] || { mkdir -p pad && npm pack --silent @moonbit/moonpad-monaco@0.1.202602255 >/dev/null \
  && tar xzf moonbit-moonpad-monaco-*.tgz -C pad && python3 "$here/extract_core.py" pad/package/dist/moonpad-monaco.js core; }
export MOONC_WORKER=$work/worker/package/moonc-worker.js MOONBIT_CORE=$work/core MOONBIT_OUT=$work/out
node "$here/buildcore.js" moonbitlang/core/abort moonbitlang/core/builtin
res=$root/tests/src/test/resources/gc/moonbit
node "$here/buildmain.js" "$res/main.mbt" "$res/main.wasm" 2> >(grep -v Warning >&2)
