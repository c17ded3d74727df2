#!/usr/bin/env bash
# Compile speed, kiln against wasmtime (Cranelift and Winch), side by side in one run, on modules from
# 20 KB to 30 MB:
#   bench/compile.sh        (env: MODULES, RUNS=1 rounds, WARM=5 compiles in one JVM, at least 8 MB of module in all
#                            (a 60 KB module is compiled 140 times; 0: no warm rows),
#                            WARM_MAX_MB=3 largest module compiled warm, ENGINES="kiln wasmtime-cranelift wasmtime-winch",
#                            BEFORE=LAUNCHER adds "kiln-before": another kiln launcher's compile in the same rounds;
#                            KILN=LAUNCHER and KILN_JAR=JAR time another launcher and jar than ./kiln and its jar)
# Modules (fetched or built here, never committed; bench/results/compile/):
#   bignum qsort wordfreq fft   C programs of bench/programs built by clang for wasm32-wasi against wasi-libc (55–76 KB)
#   sqlite    SQLite's amalgamation (bench/realworld/build-sqlite.sh)
#   rust      the Rust WASI program bench/startup.sh starts (wasi-testsuite's fd_readdir.wasm, 2.2 MB)
#   ruby      Ruby 3.3's WASI build (npm @ruby/3.3-wasm-wasi, 16 MB)
#   yosys     YoWASP's Yosys core module (npm @yowasp/yosys, 30.8 MB, 34 000 functions)
# Rows: the whole process (`kiln compile --cache-dir EMPTY`: JVM start, decode, validate, compile, write;
# wasmtime: Python start, wasmtime.Module, serialize to .cwasm) — wall, CPU (user + system), peak RSS, ms
# per MB of module on wall and CPU, and kiln's ratio to Cranelift; then the warm JVM: the module compiled WARM
# times in one process (drivers/KilnCompileWarm.java), the last compile's wall and CPU against Cranelift's
# in-process compile (wasmtime.Module, timed inside the Python script). Medians of RUNS. Writes
# bench/results/compile.jsonl and bench/results/compile.md.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
kiln_find_jdk
RUNS=${RUNS:-1}
WARM=${WARM:-5}
WARM_MAX_MB=${WARM_MAX_MB:-3}
read -r -a modules <<< "${MODULES:-bignum qsort wordfreq fft sqlite rust ruby yosys}"
read -r -a engines <<< "${ENGINES:-kiln wasmtime-cranelift wasmtime-winch}"
BEFORE=${BEFORE:-}
[ -n "$BEFORE" ] && engines+=(kiln-before)
out=$here/results/compile; mkdir -p "$out/wasm" "$out/classes"
venv=$here/.venv
kiln_ensure_wasmtime "$venv"
py=$venv/bin/python
KILN=${KILN:-$root/kiln}
"$KILN" --help >/dev/null 2>&1 || true   # builds the CLI jar and its AOT cache before timing
jar=${KILN_JAR:-$root/cli/target/kiln.jar}
jsonl=$here/results/compile.jsonl; : > "$jsonl"

. "$here/fetch_npm.sh"

module_file() { # name: builds or fetches the module, prints its path
  local w=$out/wasm/$1.wasm
  case $1 in
    sqlite) "$here/realworld/build-sqlite.sh" >&2; w=$here/results/wasm/sqlite.wasm;;
    rust) w=$root/../shared/wasi-testsuite/rust/fd_readdir.wasm;;
    ruby) fetch_npm @ruby/3.3-wasm-wasi@2.10.1 dist/ruby.wasm "$w";;
    yosys) fetch_npm @yowasp/yosys@0.55.944 gen/yosys.core.wasm "$w";;
    *) [ -f "$w" ] && [ "$w" -nt "$here/programs/$1.c" ] || {
         command -v clang >/dev/null || kiln_apt_install clang lld wasi-libc libclang-rt-14-dev-wasm32
         clang --target=wasm32-wasi -O2 -mexec-model=reactor -Wl,--export=run -o "$w" "$here/programs/$1.c" -lm; };;
  esac
  [ -f "$w" ] || kiln_die "no module $1 ($w)"
  echo "$w"
}

timed() { # label module-bytes command...: one whole process, appended as JSON
  local label=$1 bytes=$2; shift 2
  local t; t=$(mktemp)
  /usr/bin/time -f "%e %M %U %S" -o "$t" "$@" > "$out/last.out" 2> "$out/last.err" || kiln_say "warning: $label failed: $(tail -2 "$out/last.err")"
  read -r secs kb user sys < <(tail -1 "$t"); rm -f "$t"
  local inproc inproc_cpu
  inproc=$(grep -o '"compile_ms": *[0-9.]*' "$out/last.out" | cut -d: -f2 | tr -d ' ' || true)
  inproc_cpu=$(grep -o '"compile_cpu_ms": *[0-9.]*' "$out/last.out" | cut -d: -f2 | tr -d ' ' || true)
  echo "{\"label\":\"$label\",\"bytes\":$bytes,\"seconds\":$secs,\"cpu_seconds\":$(printf "%.2f" "$(echo "$user + $sys" | bc)"),\"rss_kb\":$kb,\"inproc_ms\":${inproc:-null},\"inproc_cpu_ms\":${inproc_cpu:-null},\"load\":$(cut -d' ' -f1 /proc/loadavg)}" >> "$jsonl"
}

# the warm driver, compiled against this build's jar
if [ ! -f "$out/warm.jar" ] || [ "$here/drivers/KilnCompileWarm.java" -nt "$out/warm.jar" ] || [ "$jar" -nt "$out/warm.jar" ]; then
  "$JAVA_HOME/bin/javac" -cp "$jar" -d "$out/classes" "$here/drivers/KilnCompileWarm.java"
  "$JAVA_HOME/bin/jar" cf "$out/warm.jar" -C "$out/classes" .
fi

for m in "${modules[@]}"; do
  w=$(module_file "$m"); bytes=$(stat -c %s "$w")
  for _ in $(seq "$RUNS"); do   # rounds: each engine once per round, so load changes hit every engine alike
    for e in "${engines[@]}"; do
      case $e in
        kiln|kiln-before)
          launcher=$KILN; [ "$e" = kiln-before ] && launcher=$BEFORE
          rm -rf "$out/cache"; timed "whole:$m:$e" "$bytes" "$launcher" compile --cache-dir "$out/cache" "$w";;
        wasmtime-*) timed "whole:$m:$e" "$bytes" "$py" "$here/drivers/wasmtime_run.py" compile "$e" "$w" "$out/$m.$e.cwasm";;
      esac
    done
  done
  if [ "$WARM" -gt 0 ] && [ "$bytes" -le $((WARM_MAX_MB * 1048576)) ]; then
    reps=$(( 8388608 / bytes > WARM ? 8388608 / bytes : WARM ))
    "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -cp "$jar:$out/warm.jar" KilnCompileWarm "$w" "$reps" \
      > "$out/warm.out" 2> "$out/last.err" || kiln_say "warning: warm compile of $m failed: $(tail -2 "$out/last.err")"
    last=$(tail -1 "$out/warm.out"); first=$(head -1 "$out/warm.out")
    echo "{\"label\":\"warm:$m:kiln\",\"bytes\":$bytes,\"last\":${last:-null},\"first\":${first:-null},\"load\":$(cut -d' ' -f1 /proc/loadavg)}" >> "$jsonl"
  fi
done
"$py" "$here/compile_report.py" "$jsonl" | tee "$here/results/compile.md"
