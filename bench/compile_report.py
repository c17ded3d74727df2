"""The table of bench/compile.sh: python compile_report.py compile.jsonl (medians over the rounds)."""
import json
import statistics
import sys
from collections import defaultdict

rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
whole = defaultdict(list)
warm = {}
size = {}
loads = [r['load'] for r in rows]
for r in rows:
    kind, module, engine = r['label'].split(':')
    size[module] = r['bytes']
    if kind == 'whole':
        whole[(module, engine)].append(r)
    else:
        warm[module] = r


def med(rs, key):
    vals = [r[key] for r in rs if r.get(key) is not None]
    return statistics.median(vals) if vals else None


def fmt(x, spec):
    return '—' if x is None else format(x, spec)


modules = list(dict.fromkeys(m for m, _ in whole))
engines = list(dict.fromkeys(e for _, e in whole))
print(f'load average {min(loads):.1f}–{max(loads):.1f}\n')
print('whole process: wall s / CPU s / peak RSS MB / wall ms per MB / CPU ms per MB\n')
print('| module | MB | ' + ' | '.join(engines) + ' | kiln / Cranelift wall, CPU |')
print('|---|---|' + '---|' * len(engines) + '---|')
for m in modules:
    mb = size[m] / 1048576
    cells = []
    for e in engines:
        rs = whole.get((m, e), [])
        if not rs:
            cells.append('—')
            continue
        s, c, k = med(rs, 'seconds'), med(rs, 'cpu_seconds'), med(rs, 'rss_kb')
        cells.append(f'{s:.2f} / {c:.2f} / {k / 1024:.0f} / {s * 1000 / mb:.0f} / {c * 1000 / mb:.0f}')
    k, cl = whole.get((m, 'kiln')), whole.get((m, 'wasmtime-cranelift'))
    ratio = '—'
    if k and cl:
        ratio = f"{med(k, 'seconds') / med(cl, 'seconds'):.2f}x, {med(k, 'cpu_seconds') / med(cl, 'cpu_seconds'):.2f}x"
    print(f'| {m} | {mb:.2f} | ' + ' | '.join(cells) + f' | {ratio} |')

if warm:
    print('\nwarm JVM (the last of several compiles in one process) against Cranelift inside its process\n')
    print('| module | MB | kiln first wall / CPU ms | kiln warm wall / CPU ms | heap MB | Cranelift wall / CPU ms '
          '| Winch wall / CPU ms | Cranelift / kiln warm, wall and CPU |')
    print('|---|---|---|---|---|---|---|---|')
    for m, r in warm.items():
        last, first = r.get('last') or {}, r.get('first') or {}
        crs, wrs = whole.get((m, 'wasmtime-cranelift'), []), whole.get((m, 'wasmtime-winch'), [])
        cl, clc = med(crs, 'inproc_ms'), med(crs, 'inproc_cpu_ms')
        wi, wic = med(wrs, 'inproc_ms'), med(wrs, 'inproc_cpu_ms')
        speed = '—'
        if cl and clc and last.get('wall_ms'):
            speed = f"{cl / last['wall_ms']:.2f}x, {clc / last['cpu_ms']:.2f}x"
        print(f"| {m} | {size[m] / 1048576:.2f} | {fmt(first.get('wall_ms'), '.0f')} / {fmt(first.get('cpu_ms'), '.0f')} "
              f"| {fmt(last.get('wall_ms'), '.0f')} / {fmt(last.get('cpu_ms'), '.0f')} | {fmt(last.get('heap_mb'), 'd')} "
              f"| {fmt(cl, '.0f')} / {fmt(clc, '.0f')} | {fmt(wi, '.0f')} / {fmt(wic, '.0f')} | {speed} |")
