#!/usr/bin/env python3
"""Prints the benchmark table: median ms per call per engine and program, each engine relative to
the first engine (kiln-interp), and the geometric mean of those ratios."""
import json, math, sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip().startswith('{')]
engines = list(dict.fromkeys(r['engine'] for r in rows))
programs = list(dict.fromkeys(r['program'] for r in rows))
ms = {(r['engine'], r['program']): r['median_ms'] for r in rows}
res = {(r['engine'], r['program']): r['result'] for r in rows}
base = engines[0]
w = max(len(e) for e in engines) + 2
print('\nmedian ms per call (ratio = engine time / %s time)\n' % base)
print('program'.ljust(12) + ''.join(e.rjust(w + 10) for e in engines))
geo = {e: [] for e in engines}
for p in programs:
    line = p.ljust(12)
    for e in engines:
        if (e, p) not in ms:
            line += '-'.rjust(w + 10); continue
        ratio = ms[(e, p)] / ms[(base, p)]
        geo[e].append(ratio)
        line += ('%.1f (%.2fx)' % (ms[(e, p)], ratio)).rjust(w + 10)
    print(line)
    results = {res[(e, p)] for e in engines if (e, p) in res}
    if len(results) > 1:
        print('  WARNING: engines disagree on the result of %s: %s' % (p, results))
print('geomean'.ljust(12) + ''.join(('%.2fx' % math.exp(sum(map(math.log, geo[e])) / len(geo[e]))).rjust(w + 10) if geo[e] else '-'.rjust(w + 10) for e in engines))
