#!/usr/bin/env bash
# Machine-code size, kiln's x86-64 native tier against wasmtime-Cranelift, per program and the geometric
# mean of the ratios: kiln's bytes of functions (the FUNC symbols' sizes in its cache object: code and
# its constant pools, without block padding) against the bytes of the module's functions in wasmtime's
# serialized module (.cwasm; its symbols wasm[0]::function[N], without trampolines and page padding),
# both compiled for this machine.
#   bench/codesize.sh                  (after ./kiln --help has built cli/target/kiln.jar)
#   env: PROGRAMS ("fib sieve mandelbrot nbody matmul sqlite": bench/results/wasm/NAME.wasm, the kernels
#        built by bench/native.sh, SQLite by bench/run.sh), WASM_DIR (bench/results/wasm: where NAME.wasm is), KILN_JAR (default cli/target/kiln.jar),
#        BEFORE=path/to/other/kiln.jar adds a column for another build of kiln
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
kiln_find_jdk
read -r -a programs <<< "${PROGRAMS:-fib sieve mandelbrot nbody matmul sqlite}"
python=$here/.venv/bin/python; [ -x "$python" ] || python=$root/tests/.venv/bin/python
[ -x "$python" ] || kiln_die "no Python with wasmtime: run bench/run.sh or ./run-tests once first"
jar=${KILN_JAR:-$root/cli/target/kiln.jar}; [ -f "$jar" ] || "$root/kiln" --help >/dev/null
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

kiln_bytes() { # jar wasm: the bytes of functions in kiln's cache object
  rm -rf "$work/cache"
  "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$1" dev.kiln.cli.Main compile --cache-dir "$work/cache" "$2" >/dev/null
  readelf -sW "$(ls "$work"/cache/*.o | head -1)" | awk '$4 == "FUNC" { s += $3 } END { print s + 0 }'
}

cranelift_bytes() { # the bytes of the module's functions in a .cwasm (symbols wasm[0]::function[N]: no trampolines, no padding)
  readelf -sW "$1" | awk '$4 == "FUNC" && $8 ~ /::function\[/ { s += $3 } END { print s + 0 }'
}

out=$here/results/codesize.txt; : > "$out"
for name in "${programs[@]}"; do
  w=${WASM_DIR:-$here/results/wasm}/$name.wasm
  [ -f "$w" ] || { kiln_say "skipping $name: $w is missing"; continue; }
  k=$(kiln_bytes "$jar" "$w")
  b=-; [ -n "${BEFORE:-}" ] && b=$(kiln_bytes "$BEFORE" "$w")
  "$python" "$here/drivers/wasmtime_run.py" compile wasmtime-cranelift "$w" "$work/$name.cwasm" >/dev/null
  c=$(cranelift_bytes "$work/$name.cwasm")
  echo "$name $k $b $c" | tee -a "$out"
done
python3 - "$out" <<'PY'
import math, sys
rows = [l.split() for l in open(sys.argv[1])]
before = rows and rows[0][2] != '-'
print('program        kiln bytes  cranelift bytes  kiln/cranelift' + ('  before/cranelift' if before else ''))
geo = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
ratios, old = [], []
for name, k, b, c in rows:
    ratios.append(int(k) / int(c)); line = '%-12s %12s %16s %15.3f' % (name, k, c, ratios[-1])
    if before:
        old.append(int(b) / int(c)); line += ' %18.3f' % old[-1]
    print(line)
if rows:
    print('geometric mean %44.3f' % geo(ratios) + (' %18.3f' % geo(old) if before else ''))
PY
