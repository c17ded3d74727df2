"""Renders bench/whole.sh's hyperfine exports: mean [min-max] seconds per engine and program, the
time as a multiple of kiln-interp's, and the geometric mean of those multiples."""
import json
import math
import os
import sys

BASE = 'kiln-interp'
rows, programs = {}, []
for path in sys.argv[1:]:
    program = os.path.basename(path)[len('whole-'):-len('.json')]
    programs.append(program)
    for r in json.load(open(path))['results']:
        rows.setdefault(r['command'], {})[program] = (r['mean'], r['min'], r['max'])
print('whole process, seconds: mean [min-max] of the runs (ratio = engine / %s)' % BASE)
print('%-26s' % 'engine' + ''.join('%-28s' % p for p in programs) + 'geomean')
for engine, by in rows.items():
    cells, logs = [], []
    for p in programs:
        mean, lo, hi = by[p]
        ratio = mean / rows[BASE][p][0]
        logs.append(math.log(ratio))
        cells.append('%-28s' % ('%.2f [%.2f-%.2f] %.2fx' % (mean, lo, hi, ratio)))
    print('%-26s' % engine + ''.join(cells) + '%.2fx' % math.exp(sum(logs) / len(logs)))
