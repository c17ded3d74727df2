"""Turns bench/results/realworld.jsonl (written by bench/realworld.sh) into markdown tables: compile time,
peak RSS and code size per program; wall time, peak RSS and time to the first instruction per workload
and engine (medians), with each figure's ratio to wasmtime-Cranelift's."""
import json
import statistics
import sys
from collections import defaultdict

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
by = defaultdict(list)
for r in rows:
    by[r['label']].append(r)


def med(label, key):
    vals = [r[key] for r in by.get(label, []) if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else "-"


programs = []
for r in rows:
    if r['label'].startswith('compile:'):
        p = r['label'].split(':')[1]
        if p not in programs:
            programs.append(p)

print("### Compile (whole process) and code size\n")
print("| program | kiln compile | RSS | Cranelift | RSS | Winch | RSS | kiln code | Cranelift code | kiln/Cranelift code | kiln object | Cranelift .cwasm |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|")
for p in programs:
    k, c, w = (f"compile:{p}:{e}" for e in ("kiln", "wasmtime-cranelift", "wasmtime-winch"))
    ks, cs = by.get(f"size:{p}:kiln", [{}])[0], by.get(f"size:{p}:wasmtime-cranelift", [{}])[0]
    def mb(x):
        return f"{x / 1e6:.1f} MB" if x else "-"
    def secs(label):  # not measured in this run (REUSE_KILN, REUSE_WASMTIME without a saved row): '-'
        v = med(label, 'seconds')
        return '-' if v is None else f"{v} s"
    def rss(label):
        v = med(label, 'rss_kb')
        return '-' if v is None else f"{v / 1024:.0f} MB"
    print(f"| {p} | {secs(k)} | {rss(k)} | {secs(c)} | {rss(c)} "
          f"| {secs(w)} | {rss(w)} | {mb(ks.get('code'))} | {mb(cs.get('code'))} "
          f"| {ratio(ks.get('code'), cs.get('code'))} | {mb(ks.get('file'))} | {mb(cs.get('file'))} |")

workloads = []
for r in rows:
    if r['label'].startswith('run:'):
        w = r['label'].split(':')[1]
        if w not in workloads:
            workloads.append(w)
engines = ["native", "auto-warm", "auto-cold", "interp", "native-before", "auto-warm-before", "auto-cold-before",
           "interp-before", "wasmtime-cranelift", "wasmtime-winch"]
print("\n### Runs from a filled cache (auto-cold: no cache; interp: no native code)\n")
print("| workload | engine | wall | vs Cranelift | CPU | vs Cranelift | peak RSS | vs Cranelift | first instruction |")
print("|---|---|---|---|---|---|---|---|---|")
for w in workloads:
    base_t, base_m = med(f"run:{w}:wasmtime-cranelift", 'seconds'), med(f"run:{w}:wasmtime-cranelift", 'rss_kb')
    base_c = med(f"run:{w}:wasmtime-cranelift", 'cpu_seconds')
    for e in engines:
        label = f"run:{w}:{e}"
        if label not in by:
            continue
        t, m, f, c = med(label, 'seconds'), med(label, 'rss_kb'), med(label, 'first_ms'), med(label, 'cpu_seconds')
        cpu = '-' if c is None else f"{c:.2f} s"
        print(f"| {w} | {e} | {t:.2f} s | {ratio(t, base_t)} | {cpu} | {ratio(c, base_c)} | {m / 1024:.0f} MB | {ratio(m, base_m)} | "
              f"{'-' if f is None else f'{f:.0f} ms'} |")


def paired(a, b, key):
    """The median over rounds of a's figure over b's in the same round (rounds interleave the tiers)."""
    ra, rb = by.get(a, []), by.get(b, [])
    rs = [x[key] / y[key] for x, y in zip(ra, rb) if x.get(key) and y.get(key)]
    return f"{statistics.median(rs):.2f}x" if rs else "-"


pairs = [(s, f"auto-cold{s}", f"interp{s}", f"auto-warm{s}", f"native{s}") for s in ("", "-before")]
if any(f"run:{w}:{p[1]}" in by or f"run:{w}:{p[3]}" in by for w in workloads for p in pairs):
    print("\n### The auto tier against interp and native (median over rounds of the ratio within a round)\n")
    print("| workload | build | auto cold / interp, wall | CPU | auto warm / native, wall | CPU |")
    print("|---|---|---|---|---|---|")
    for w in workloads:
        for s, cold, interp, warm, native in pairs:
            c, i, a, n = (f"run:{w}:{e}" for e in (cold, interp, warm, native))
            if c not in by and a not in by:
                continue
            print(f"| {w} | {'before' if s else 'this'} | {paired(c, i, 'seconds')} | {paired(c, i, 'cpu_seconds')} "
                  f"| {paired(a, n, 'seconds')} | {paired(a, n, 'cpu_seconds')} |")
