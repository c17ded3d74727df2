#!/usr/bin/env bash
# kiln's x86-64 native tier against wasmtime-Cranelift on the benchmark set of issue 14, measured as users
# run programs: every run is a fresh process with the code cache filled beforehand for both engines (kiln's
# code cache; wasmtime's serialized module), which opens the module, instantiates it, runs _initialize and
# calls run(arg) once. The program's own work is that one call, timed inside the process by the calling
# thread's CPU time (and wall time); the whole process is timed from outside (/usr/bin/time: wall, user +
# system CPU). kiln: drivers/KilnFirstCall.java (compiled once with javac) on the JVM as the kiln launcher
# starts it, with an AOT cache recorded for each build by the launcher's training run; wasmtime 49: drivers/wasmtime_run.py run --invoke. ROUNDS rounds, the
# engines interleaved per program. Prints per program the ratios of the medians over the rounds, their
# geometric mean and the worst program, then code size (bench/codesize.sh over the same modules).
#   bench/native-set.sh            (after ./kiln --help has built cli/target/kiln.jar)
#   env: ROUNDS (3), PROGRAMS (name:arg list, default the whole set below), KILN_JAR (cli/target/kiln.jar),
#        BEFORE=path/to/other/kiln.jar adds another build of kiln, in the same rounds (before/after a change),
#        CODESIZE=0 skips the code-size table
# The set: the five kernels and the fifteen other programs of bench/programs (each exports run(i32) -> i32 and is
# built here by clang for wasm32-wasi against wasi-libc, as a reactor importing nothing) and SQLite driven
# by SQL (realworld/build-sqlite.sh). Modules and caches go to bench/results/native-set/ (git-ignored).
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
kiln_find_jdk
ROUNDS=${ROUNDS:-3}
read -r -a programs <<< "${PROGRAMS:-fib:37 sieve:10 mandelbrot:800 nbody:2000000 matmul:40 tak:400 dispatch:500000 \
qsort:200000 hashmap:100000 sha256:400 lz77:1000000 spectral:1500 fannkuch:10 fft:30 lu:700 nqueens:14 bintrees:15 \
bignum:1000 raytrace:800 wordfreq:10000000 sqlite:20000}"
jar=${KILN_JAR:-$root/cli/target/kiln.jar}; [ -f "$jar" ] || "$root/kiln" --help >/dev/null
kiln_ensure_wasmtime "$here/.venv"
py=$here/.venv/bin/python
kiln_apt_install clang lld wasi-libc libclang-rt-14-dev-wasm32
work=$here/results/native-set; mkdir -p "$work/wasm" "$work/classes"
builds=(kiln); jars=("$jar"); [ -n "${BEFORE:-}" ] && { builds+=(before); jars+=("$BEFORE"); }

for p in "${programs[@]}"; do   # the modules, rebuilt when their source changed
  name=${p%%:*}; w=$work/wasm/$name.wasm
  if [ "$name" = sqlite ]; then
    "$here/realworld/build-sqlite.sh"; cp "$here/results/wasm/sqlite.wasm" "$w"
  elif [ ! -f "$w" ] || [ "$here/programs/$name.c" -nt "$w" ]; then
    clang --target=wasm32-wasi -O2 -mexec-model=reactor -Wl,--export=run -o "$w" "$here/programs/$name.c" -lm
  fi
done
if [ ! -f "$work/driver.jar" ] || [ "$here/drivers/KilnFirstCall.java" -nt "$work/driver.jar" ]; then
  "$JAVA_HOME/bin/javac" -cp "$jar" -d "$work/classes" "$here/drivers/KilnFirstCall.java"
  "$JAVA_HOME/bin/jar" cf "$work/driver.jar" -C "$work/classes" .   # a jar: the AOT cache takes no directories
fi
jvm=("$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC)
for i in "${!builds[@]}"; do   # the JVM's AOT cache for each build, recorded as the kiln launcher records it
  aot=$work/${builds[$i]}.aot
  [ "$aot" -nt "${jars[$i]}" ] && [ "$aot" -nt "$work/driver.jar" ] || "${jvm[@]}" -XX:AOTCacheOutput="$aot" \
    -cp "${jars[$i]}:$work/driver.jar" dev.kiln.cli.StartupTraining "$root/examples" >/dev/null 2>&1 \
    || { rm -f "$aot"; kiln_say "warning: no AOT cache for ${builds[$i]} (its training run failed): it starts slower"; }
done

kiln_command() { # build-index name arg [fill]: sets cmd, the process printing "result cpu_ms wall_ms compiled"
  local aot=$work/${builds[$1]}.aot
  cmd=("${jvm[@]}"); [ -f "$aot" ] && cmd+=(-XX:AOTCache="$aot")
  cmd+=(-cp "${jars[$1]}:$work/driver.jar" KilnFirstCall "$work/wasm/$2.wasm" "$3" "$work/cache-${builds[$1]}-$2" ${4:-})
}

for p in "${programs[@]}"; do   # fill the caches: kiln's, each build its own, and wasmtime's serialized module
  name=${p%%:*}; arg=${p##*:}
  for i in "${!builds[@]}"; do rm -rf "$work/cache-${builds[$i]}-$name"; kiln_command "$i" "$name" "$arg" fill; "${cmd[@]}" >/dev/null; done
  "$py" "$here/drivers/wasmtime_run.py" compile wasmtime-cranelift "$work/wasm/$name.wasm" "$work/$name.cwasm" >/dev/null
done

out=$work/rounds.txt; : > "$out"
t=$(mktemp); trap 'rm -f "$t"' EXIT
for r in $(seq "$ROUNDS"); do
  for p in "${programs[@]}"; do
    name=${p%%:*}; arg=${p##*:}
    for i in "${!builds[@]}"; do
      kiln_command "$i" "$name" "$arg"
      line=$(/usr/bin/time -f "%e %U %S" -o "$t" "${cmd[@]}")
      read -r res cpu wall compiled <<< "$line"
      [ "$compiled" = 0 ] || kiln_say "warning: $name: ${builds[$i]} compiled $compiled functions (the cache missed)"
      read -r pwall puser psys < "$t"
      echo "$r $name ${builds[$i]} $res $cpu $wall $pwall $(echo "$puser + $psys" | bc)" | tee -a "$out"
    done
    res=$(/usr/bin/time -f "%e %U %S" -o "$t" "$py" "$here/drivers/wasmtime_run.py" run wasmtime-cranelift "$work/$name.cwasm" \
          --invoke run "$arg" 2> "$work/last.err")
    read -r pwall puser psys < "$t"
    read -r cpu wall < <(tail -1 "$work/last.err" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["call_cpu_ms"], d["call_ms"])')
    echo "$r $name cranelift $res $cpu $wall $pwall $(echo "$puser + $psys" | bc)" | tee -a "$out"
  done
done
python3 - "$out" <<'PY' | tee "$work/report.txt"
import math, statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
progs = list(dict.fromkeys(r[1] for r in rows))
builds = [b for b in dict.fromkeys(r[2] for r in rows) if b != 'cranelift']
geo = lambda xs: math.exp(sum(map(math.log, xs)) / len(xs))
med = lambda p, b, col: statistics.median(float(r[col]) for r in rows if r[1] == p and r[2] == b)
for p in progs:
    results = {int(r[3]) & 0xFFFFFFFF for r in rows if r[1] == p}   # kiln prints an i32 result unsigned
    if len(results) > 1: print('warning: %s: the engines returned different results %s' % (p, sorted(results)))
# columns: the call's thread CPU time (the program's own work), its wall time, the whole process's wall and CPU time
cols = [('work cpu', 4), ('work wall', 5), ('process wall', 6), ('process cpu', 7)]
head = '%-11s %10s' % ('program', 'cranelift')
for b in builds: head += ' %10s' % (b + ' ms')
for label, _ in cols:
    for b in builds: head += ' %17s' % ((b + ' ' + label)[:17])
print('ratios are kiln / wasmtime-Cranelift, medians of the rounds; ms columns: the work\'s thread CPU time')
print(head)
ratios = {(b, c): [] for b in builds for _, c in cols}
for p in progs:
    line = '%-11s %10.2f' % (p, med(p, 'cranelift', 4))
    for b in builds: line += ' %10.2f' % med(p, b, 4)
    for _, c in cols:
        for b in builds:
            x = med(p, b, c) / med(p, 'cranelift', c); ratios[(b, c)].append(x); line += ' %17.3f' % x
    print(line)
line = '%-22s' % 'geometric mean' + ' ' * 11 * (len(builds) - 1)
for _, c in cols:
    for b in builds: line += ' %17.3f' % geo(ratios[(b, c)])
print(line)
for b in builds:
    for label, c in cols:
        xs = ratios[(b, c)]; worst = max(range(len(xs)), key=xs.__getitem__)
        print('%s %s: worst %s %.3f, over 1.3x: %s' % (b, label, progs[worst], xs[worst],
              ' '.join(p for p, x in zip(progs, xs) if x > 1.3) or 'none'))
PY
if [ "${CODESIZE:-1}" != 0 ]; then
  names=(); for p in "${programs[@]}"; do names+=("${p%%:*}"); done
  PROGRAMS="${names[*]}" WASM_DIR="$work/wasm" KILN_JAR="$jar" "$here/codesize.sh"
fi
