#!/usr/bin/env bash
# Where a cache hit's time to the first Wasm instruction goes, phase by phase, against another build in the
# same rounds. kiln's phase timer (KILN_PHASES=1: runtime-stub's StartupPhases) prints at the first
# instruction the main thread's CPU time in each phase, the wall time since JVM start, and every thread's
# CPU time (the JIT compilers', the warm-up threads') — this script runs it and takes medians.
#   bench/startup-phases.sh [MODULE.wasm [ARGS...]]
#       default: Yosys (30.8 MB, 34 000 functions; fetched as bench/realworld.sh does) with --version
#   env: RUNS=7   rounds; each runs every tier of every build once, so load changes hit all alike
#        TIERS="native auto"
#        BEFORE=LAUNCHER   another kiln launcher to compare with (a script running an older build's jar); its
#                          build must have the phase timer too (main before it came: cherry-pick the commit
#                          "StartupPhases" onto it)
#        REUSE=1   keep the cache entries of an earlier run (else each build compiles MODULE into its own cache)
# Writes bench/results/startup-phases/phases.jsonl and prints, per tier and build, the median (min-max) of each
# phase, of the main thread's CPU, of the wall time from JVM start, and of the process's threads' CPU.
set -euo pipefail
here=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)
root=$(dirname "$here")
. "$root/scripts/env.sh"
kiln_find_jdk
RUNS=${RUNS:-7}
read -r -a tiers <<< "${TIERS:-native auto}"
out=$here/results/startup-phases; mkdir -p "$out"
if [ $# -gt 0 ]; then
  module=$1; shift; args=("$@")
else
  module=$here/results/realworld/yosys.wasm; args=(--version)
  if [ ! -f "$module" ]; then
    . "$here/fetch_npm.sh"
    (out=$here/results/realworld; mkdir -p "$out"; fetch_npm @yowasp/yosys@0.55.944 gen/yosys.core.wasm "$module")
  fi
fi
[ -f "$module" ] || kiln_die "no module $module"
"$root/kiln" --help >/dev/null 2>&1 || true   # builds the CLI jar and its AOT cache before timing
builds=(this); launcher_this=$root/kiln
if [ -n "${BEFORE:-}" ]; then builds+=(before); "$BEFORE" --help >/dev/null 2>&1 || true; fi
launcher() { if [ "$1" = this ]; then echo "$root/kiln"; else echo "$BEFORE"; fi; }
for b in "${builds[@]}"; do
  if [ -z "${REUSE:-}" ] || ! ls "$out/cache-$b"/*.o >/dev/null 2>&1; then
    rm -rf "$out/cache-$b"
    "$(launcher "$b")" compile --cache-dir "$out/cache-$b" "$module" >/dev/null
  fi
done
jsonl=$out/phases.jsonl; : > "$jsonl"
for _ in $(seq "$RUNS"); do
  for t in "${tiers[@]}"; do
    for b in "${builds[@]}"; do
      KILN_PHASES=1 "$(launcher "$b")" run --tier "$t" --no-cache-write --cache-dir "$out/cache-$b" "$module" "${args[@]}" \
        >/dev/null 2>"$out/stderr" || true
      line=$(grep '^kiln-phases ' "$out/stderr" | tail -1 | cut -d' ' -f2-)
      [ -n "$line" ] || kiln_die "$b, --tier $t: no phase report (a build without the phase timer?): $(head -3 "$out/stderr")"
      echo "{\"build\":\"$b\",\"tier\":\"$t\",\"report\":$line}" >> "$jsonl"
    done
  done
done
python3 - "$jsonl" "$module" "$(cut -d' ' -f1-3 /proc/loadavg)" <<'PY'
import json, statistics, sys, os
rows = [json.loads(l) for l in open(sys.argv[1])]
print('\n%s (%.1f MB), cache hit, time to the first instruction; load average %s' % (
    os.path.basename(sys.argv[2]), os.path.getsize(sys.argv[2]) / 1e6, sys.argv[3]))
print('main-thread CPU per phase in ms, median (min-max) of %d rounds\n' % (len(rows) // len({(r['build'], r['tier']) for r in rows})))
for tier in dict.fromkeys(r['tier'] for r in rows):
    builds = list(dict.fromkeys(r['build'] for r in rows if r['tier'] == tier))
    reports = {b: [r['report'] for r in rows if r['tier'] == tier and r['build'] == b] for b in builds}
    phases = list(dict.fromkeys(p for b in builds for rep in reports[b] for p in rep['phases']))
    def cell(values):
        return '%.1f (%.0f-%.0f)' % (statistics.median(values), min(values), max(values)) if values else '-'
    print('`--tier %s`\n' % tier)
    print('| phase | ' + ' | '.join(builds) + ' |')
    print('|---|' + '---|' * len(builds))
    for p in phases:
        print('| %s | %s |' % (p, ' | '.join(cell([rep['phases'].get(p, 0.0) for rep in reports[b]]) for b in builds)))
    print('| **main-thread CPU** | %s |' % ' | '.join(cell([rep['mainCpuMillis'] for rep in reports[b]]) for b in builds))
    print('| **wall from JVM start** | %s |' % ' | '.join(cell([rep['uptimeMillis'] for rep in reports[b]]) for b in builds))
    print('| process CPU (10 ms ticks) | %s |' % ' | '.join(cell([rep['processCpuMillis'] for rep in reports[b]]) for b in builds))
    print('| JIT compiler threads\' CPU | %s |' % ' | '.join(
        cell([sum(v for k, v in rep['threads'].items() if 'Compiler' in k) for rep in reports[b]]) for b in builds))
    print()
PY
