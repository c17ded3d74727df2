# Sourced by bench/run.sh. One prepare_* per toolchain: install what it needs, build what it runs;
# on failure it sets $why and returns non-zero, and run.sh reports the engine as unavailable.
# run_engine measures one (engine, program) pair and prints its one JSON line.
# Needs from run.sh: $here, $out, $build, $wasm_dir, $WARMUP, $ITER and the programs array.

ALL_ENGINES=(native-c wasm2c wasmtime-cranelift wasmtime-winch node kiln-native chicory-compiler kiln-interp chicory-interp wasmtime-pulley)
WASMTIME_VERSION=49.0.0                 # pip package; its libwasmtime is the same release
PAIR_TIMEOUT=${PAIR_TIMEOUT:-900}       # seconds for one (engine, program) process
venv=$here/.venv

toolchain_of() {
  case $1 in
    native-c | wasm2c | node) echo "${1//-/_}" ;;
    wasmtime-*) echo wasmtime ;;
    *) echo java ;;
  esac
}

# kiln_apt_install without ending run.sh when it fails.
apt_try() { (kiln_apt_install "$@"); }

now_ns() { date +%s%N; }
ms_since() { awk -v a="$1" -v b="$(now_ns)" 'BEGIN { printf "%.1f", (b - a) / 1e6 }'; }

prepare_native_c() {
  apt_try gcc || { why="gcc could not be installed"; return 1; }
  local d=$build/native-c p name t
  mkdir -p "$d"
  gcc -O2 -c -o "$d/driver.o" "$here/drivers/driver.c" && gcc -O2 -c -o "$d/glue.o" "$here/drivers/native_glue.c" \
    || { why="the C driver did not compile"; return 1; }
  for p in "${programs[@]}"; do
    name=${p%%:*}; t=$(now_ns)
    # -fno-math-errno: WebAssembly's sqrt sets no errno either; with errno, gcc guards every sqrt
    # with a branch to libm and nbody takes twice as long (bench/README.md).
    gcc -O2 -fno-math-errno -Wno-attributes -c -o "$d/$name.o" "$here/programs/$name.c" \
      && gcc -o "$d/$name" "$d/driver.o" "$d/glue.o" "$d/$name.o" -lm \
      || { why="gcc failed on $name.c"; return 1; }
    ms_since "$t" > "$d/$name.build_ms"
  done
}

prepare_wasm2c() {
  apt_try gcc wabt || { why="gcc or wabt could not be installed"; return 1; }
  local rt inc d=$build/wasm2c p name t
  rt=$(dpkg -L wabt 2>/dev/null | grep '/wasm-rt-impl\.c$' | head -1)
  inc=$(dpkg -L wabt 2>/dev/null | grep '/wasm-rt\.h$' | head -1)
  [ -n "$rt" ] && [ -n "$inc" ] || { why="wabt ships no wasm2c runtime (wasm-rt-impl.c, wasm-rt.h)"; return 1; }
  inc=$(dirname "$inc")
  mkdir -p "$d"
  gcc -O2 -c -I"$inc" -o "$d/wasm-rt-impl.o" "$rt" && gcc -O2 -c -o "$d/driver.o" "$here/drivers/driver.c" \
    || { why="wasm2c's runtime or the C driver did not compile"; return 1; }
  for p in "${programs[@]}"; do
    name=${p%%:*}; mkdir -p "$d/$name"; t=$(now_ns)
    local api=()
    wasm2c "$wasm_dir/$name.wasm" -n prog -o "$d/$name/prog.c" || { why="wasm2c failed on $name.wasm"; return 1; }
    grep -q 'wasm2c_prog_instantiate' "$d/$name/prog.h" && api=(-DW2C_NEW_API)
    gcc -O2 -c -I"$inc" -o "$d/$name/prog.o" "$d/$name/prog.c" \
      && gcc -O2 -c -I"$inc" -I"$d/$name" "${api[@]}" -o "$d/$name/glue.o" "$here/drivers/wasm2c_glue.c" \
      && gcc -o "$d/$name/bench" "$d/driver.o" "$d/$name/glue.o" "$d/$name/prog.o" "$d/wasm-rt-impl.o" -lm \
      || { why="gcc failed on wasm2c's output for $name"; return 1; }
    ms_since "$t" > "$d/$name/build_ms"
  done
}

prepare_wasmtime() {
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv" 2>/dev/null \
      || { rm -rf "$venv"; apt_try python3-venv && /usr/bin/python3 -m venv "$venv"; } \
      || { why="no Python venv could be made (python3-venv)"; return 1; }
  fi
  if ! "$venv/bin/python" -c "import importlib.metadata as m, sys; sys.exit(m.version('wasmtime') != '$WASMTIME_VERSION')" 2>/dev/null; then
    kiln_say "installing wasmtime==$WASMTIME_VERSION into bench/.venv ..."
    "$venv/bin/pip" install -q --retries 1 "wasmtime==$WASMTIME_VERSION" >&2 \
      || { why="pip could not install wasmtime==$WASMTIME_VERSION"; return 1; }
  fi
  # Once per run: what one call from Python costs (an empty exported function), for the README's caveat.
  "$venv/bin/python" "$here/drivers/wasmtime_bench.py" --call-overhead | tee "$out/wasmtime-call-overhead.json" >&2 \
    || { why="the wasmtime package does not run"; return 1; }
}

prepare_node() {
  command -v node >/dev/null || apt_try nodejs || { why="node could not be installed"; return 1; }
  node -e 'process.exit(typeof WebAssembly === "object" ? 0 : 1)' || { why="this node has no WebAssembly"; return 1; }
}

java_engines=()
prepare_java() {
  (kiln_find_jdk) || { why="no JDK 25 or newer"; return 1; }
  kiln_find_jdk
  . "$here/kiln-jvm.sh"
  command -v mvn >/dev/null || apt_try maven || { why="Maven could not be installed"; return 1; }
  kiln_ensure_maven
  kiln_say "building kiln and the benchmark harness (reactor build, nothing installed into ~/.m2) ..."
  mvn -q -B -ntp -Dstyle.color=never -DskipTests -f "$here/reactor/pom.xml" -pl :kiln-bench -am package \
    > "$build/mvn.log" 2>&1 || { tail -n 30 "$build/mvn.log" >&2; why="the Java harness did not build (see $build/mvn.log)"; return 1; }
  jar=$here/target/kiln-bench.jar
  mapfile -t java_engines < <("$JAVA_HOME/bin/java" -jar "$jar" --engines)
}

# Whether the Java harness knows engine $1 (after prepare_java).
java_knows() { local e; for e in "${java_engines[@]}"; do [ "$e" = "$1" ] && return 0; done; return 1; }

# run_engine ENGINE PROGRAM ARG: prints the pair's JSON line.
run_engine() {
  local e=$1 name=$2 arg=$3 wasm=$wasm_dir/$2.wasm
  case $e in
    native-c) timeout "$PAIR_TIMEOUT" "$build/native-c/$name" "$e" "$name" "$arg" "$WARMUP" "$ITER" "$(cat "$build/native-c/$name.build_ms")" ;;
    wasm2c) timeout "$PAIR_TIMEOUT" "$build/wasm2c/$name/bench" "$e" "$name" "$arg" "$WARMUP" "$ITER" "$(cat "$build/wasm2c/$name/build_ms")" ;;
    wasmtime-*) timeout "$PAIR_TIMEOUT" "$venv/bin/python" "$here/drivers/wasmtime_bench.py" "$e" "$wasm" "$arg" "$WARMUP" "$ITER" ;;
    node) timeout "$PAIR_TIMEOUT" node "$here/drivers/node.mjs" "$e" "$wasm" "$arg" "$WARMUP" "$ITER" ;;
    kiln-*) timeout "$PAIR_TIMEOUT" "${kiln_jvm[@]}" -jar "$jar" "$e" "$wasm" "$arg" "$WARMUP" "$ITER" ;;
    *) timeout "$PAIR_TIMEOUT" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -Xss16m -jar "$jar" "$e" "$wasm" "$arg" "$WARMUP" "$ITER" ;;
  esac
}
