#!/usr/bin/env bash
# SIMD kernels (bench/simd/*.c: motion-estimation SAD, a Gaussian blur, YUV to RGBA, an f32 matrix
# multiply, byte search, an XXH3-style hash), each built twice with clang --target=wasm32-wasi -O2: without SIMD
# (NAME.wasm) and with -msimd128 (NAME_simd.wasm: wasm_simd128.h intrinsics where the source has
# them, clang's vectoriser elsewhere). Each build runs on each engine in one run, one process per
# pair, measured as bench/run.sh measures (engines.sh, report.py).
#   bench/simd.sh [ENGINE...]   (default: wasmtime-cranelift kiln-native)
#   env: WARMUP (s, default 3), ITER (default 5), BASELINE (default wasmtime-cranelift)
# Output: bench/results/simd.json and simd-summary.json (git-ignored). Read the ratios, not the times.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
WARMUP=${WARMUP:-3}
ITER=${ITER:-5}
BASELINE=${BASELINE:-wasmtime-cranelift}

# kernel and its argument (one call of the scalar build takes ~0.1-0.5 s on Cranelift)
kernels=(sad:2 blur:40 yuv:8 sgemm:40 bytecount:20 hash:400)
programs=()   # engines.sh's native builds are not used here
out=$here/results; build=$out/build; wasm_dir=$out/wasm-simd
mkdir -p "$build" "$wasm_dir"
. "$here/engines.sh"

engines=("$@")
[ ${#engines[@]} -eq 0 ] && engines=(wasmtime-cranelift kiln-native)
for e in "${engines[@]}"; do
  case $(toolchain_of "$e") in wasmtime | java) ;; *) kiln_die "bench/simd.sh runs wasmtime-* and the Java engines, not $e";; esac
done

kiln_apt_install clang lld
for k in "${kernels[@]}"; do
  name=${k%%:*}
  clang --target=wasm32-wasi -O2 -fno-builtin -nostdlib -Wl,--no-entry -o "$wasm_dir/$name.wasm" "$here/simd/$name.c"
  clang --target=wasm32-wasi -O2 -msimd128 -fno-builtin -nostdlib -Wl,--no-entry -o "$wasm_dir/${name}_simd.wasm" "$here/simd/$name.c"
done

results=$out/simd.json
python3 -c 'import json, os, sys, time
print(json.dumps({"meta": {"date": time.strftime("%Y-%m-%d %H:%M %Z"), "cpu_count": os.cpu_count(), "warmup_s": float(sys.argv[1]),
                           "iterations": int(sys.argv[2]), "command": sys.argv[3], "engines": sys.argv[4:]}}))' \
  "$WARMUP" "$ITER" "bench/simd.sh${*:+ $*}" "${engines[@]}" > "$results"
jline() { python3 -c 'import json, sys; a = sys.argv[1:]; print(json.dumps(dict(zip(a[::2], a[1::2]))))' "$@"; }

declare -A prepared=()
for e in "${engines[@]}"; do
  t=$(toolchain_of "$e"); why=""
  if [ -z "${prepared[$t]:-}" ]; then
    kiln_say "preparing $t ..."
    "prepare_$t" || kiln_die "$e cannot run here: $why"
    prepared[$t]=ok
  fi
done

err=$(mktemp); trap 'rm -f "$err"' EXIT
for k in "${kernels[@]}"; do
  for name in "${k%%:*}" "${k%%:*}_simd"; do
    arg=${k##*:}
    for e in "${engines[@]}"; do
      kiln_say "$e $name($arg)"
      rc=0; line=$(run_engine "$e" "$name" "$arg" 2>"$err") || rc=$?
      if [ $rc -eq 0 ] && [[ $line == \{* ]]; then
        echo "$line" | tee -a "$results"
      else
        cat "$err" >&2
        reason=$(tail -n 1 "$err"); [ -n "$reason" ] || reason="exited with status $rc and no result"
        jline engine "$e" program "$name" arg "$arg" error "$reason" | tee -a "$results"
      fi
    done
  done
done
python3 "$here/report.py" "$results" --baseline "$BASELINE" --summary "$out/simd-summary.json"
