#!/usr/bin/env bash
# JVM launcher settings side by side on kiln's whole processes: for each VARIANT (a name and extra JVM
# flags), the CPU time (user + system), wall time and peak RSS of `kiln run` from a filled cache, in
# interleaved rounds (every variant once per round, so load changes hit them alike), medians of RUNS.
#   bench/jvmflags.sh                      (env: RUNS=5, TIERS="native", WORKLOADS="floor sqlite yosys")
#   VARIANTS='base|;xmn8|-Xmn8m;c1|-XX:TieredStopAtLevel=1' bench/jvmflags.sh
# A variant runs the launcher KILN (default: this tree's ./kiln, with its own flags and AOT cache) plus its
# flags, passed through JDK_JAVA_OPTIONS. The programs and caches are bench/realworld.sh's (run it once first:
# PROGRAMS="yosys sqlite floor"); kiln's caches are filled here when missing.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
kiln_find_jdk
RUNS=${RUNS:-5}
read -r -a tiers <<< "${TIERS:-native}"
read -r -a workloads <<< "${WORKLOADS:-floor sqlite yosys}"
IFS=';' read -r -a variants <<< "${VARIANTS:-base|;xmn8|-Xmn8m;c1|-XX:TieredStopAtLevel=1}"
out=$here/results/realworld
jsonl=$here/results/jvmflags.jsonl; : > "$jsonl"
kiln=${KILN:-$root/kiln}
"$kiln" --help >/dev/null 2>&1 || true   # builds the CLI jar and its AOT cache before timing
args_of() { # workload -> cache dir, then kiln run arguments
  case $1 in
    floor) echo "$out/cache-fib1 --invoke fib $root/examples/fib.wasm 1";;
    sqlite) echo "$out/cache-sqlite --invoke run $here/results/wasm/sqlite.wasm 1000";;
    yosys) echo "$out/cache-yosys $out/yosys.wasm --version";;
    yosys-passes) echo "$out/cache-yosys --dir $out/work::/w $out/yosys.wasm -p read_verilog /w/counter.v; hierarchy -top counter; proc; opt; memory; opt; fsm; opt; wreduce; alumacc; opt; stat";;
    *) kiln_die "unknown workload $1";;
  esac
}
for w in "${workloads[@]}"; do
  read -r cache rest <<< "$(args_of "$w")"
  if ! ls "$cache"/*.o >/dev/null 2>&1; then
    wasm=$(echo "$rest" | tr ' ' '\n' | grep '\.wasm$' | head -1)
    "$kiln" compile --cache-dir "$cache" "$wasm" >/dev/null
  fi
done
for _ in $(seq "$RUNS"); do
  for w in "${workloads[@]}"; do
    read -r cache rest <<< "$(args_of "$w")"
    if [ "$w" = yosys-passes ]; then read -r -a a <<< "${rest%% -p *} -p"; a+=("${rest#* -p }"); else read -r -a a <<< "$rest"; fi
    for t in "${tiers[@]}"; do
      for v in "${variants[@]}"; do
        name=${v%%|*} flags=${v#*|}
        tf=$(mktemp)
        JDK_JAVA_OPTIONS="$flags" /usr/bin/time -f "%e %M %U %S" -o "$tf" "$kiln" run --no-cache-write \
          --cache-dir "$cache" --tier "$t" "${a[@]}" >/dev/null 2>"$out/jvmflags.err" || echo "kiln: $w $t $name failed" >&2
        read -r secs kb user sys < <(tail -1 "$tf"); rm -f "$tf"
        echo "{\"workload\":\"$w\",\"tier\":\"$t\",\"variant\":\"$name\",\"seconds\":$secs,\"cpu\":$(printf "%.2f" "$(echo "$user + $sys" | bc)"),\"rss_kb\":$kb}" >> "$jsonl"
      done
    done
  done
done
python3 - "$jsonl" "$(uptime)" <<'PY'
import json, statistics, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
keys = []
for r in rows:
    k = (r['workload'], r['tier'])
    if k not in keys: keys.append(k)
variants = list(dict.fromkeys(r['variant'] for r in rows))
print('\nmedians of %d rounds; %s\n' % (max(1, len(rows) // max(1, len(keys) * len(variants))), sys.argv[2].strip()))
print('| workload | tier | variant | CPU s | wall s | peak RSS MB | CPU vs %s | RSS vs %s |' % (variants[0], variants[0]))
print('|---|---|---|---|---|---|---|---|')
for k in keys:
    med = {}
    for v in variants:
        rs = [r for r in rows if (r['workload'], r['tier']) == k and r['variant'] == v]
        med[v] = (statistics.median(r['cpu'] for r in rs), statistics.median(r['seconds'] for r in rs),
                  statistics.median(r['rss_kb'] for r in rs) / 1024)
    for v in variants:
        c, s, m = med[v]
        print('| %s | %s | %s | %.2f | %.2f | %.1f | %.2fx | %.2fx |' % (k[0], k[1], v, c, s, m, c / med[variants[0]][0], m / med[variants[0]][2]))
PY
