#!/usr/bin/env bash
# Tiering benchmark: whole `kiln run` processes, side by side in one run, for each program:
#   cold   --tier auto with an empty code cache (interpreter, promotion, OSR, background compiles)
#   warm   --tier auto with the cache filled by an earlier run (lazy binding of cached code)
#   interp --tier interp (one run: it is slow)
# Arguments are sized so a warm run lasts about a second. Prints mean wall times and cold/warm.
#   bench/tiers.sh            (RUNS=3 by default)
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
kiln_find_jdk
kiln_apt_install hyperfine clang lld
RUNS=${RUNS:-3}
out=$here/results; mkdir -p "$out/wasm" "$out/tiers"
programs=(fib:43 sieve:100 mandelbrot:3000 nbody:15000000 matmul:600)
for p in "${programs[@]}"; do
  name=${p%%:*}
  clang --target=wasm32 -O2 -nostdlib -fno-builtin -Wl,--no-entry -o "$out/wasm/$name.wasm" "$here/programs/$name.c"
done
"$root/kiln" --help >/dev/null 2>&1 || true   # builds the CLI jar when needed
kiln=$root/kiln   # the launcher: same JVM flags and AOT cache a user gets
export KILN_CACHE_DIR=$out/tiers/cache
for p in "${programs[@]}"; do
  name=${p%%:*}; arg=${p##*:}; wasm=$out/wasm/$name.wasm
  kiln_say "$name($arg): cold, warm, interp"
  hyperfine -N -r "$RUNS" --prepare "$kiln cache clear" --export-json "$out/tiers/$name-cold.json" \
    -n cold "$kiln run --invoke run $wasm $arg" >&2
  $kiln run --invoke run "$wasm" "$arg" >/dev/null   # fills the cache
  hyperfine -N -r "$RUNS" --export-json "$out/tiers/$name-warm.json" -n warm "$kiln run --invoke run $wasm $arg" >&2
  hyperfine -N -r 1 --export-json "$out/tiers/$name-interp.json" -n interp "$kiln run --tier interp --invoke run $wasm $arg" >&2
done
python3 "$here/tiers_report.py" "$out/tiers" "${programs[@]}"
