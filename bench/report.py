#!/usr/bin/env python3
"""Prints the benchmark tables from bench/run.sh's results (one JSON line per engine and program):
median ms per call with each engine's ratio to a baseline engine and the geometric mean of those
ratios, a warning when engines disagree on a result, then the one-off load/compile times.
Writes a machine-readable summary when asked.
    report.py RESULTS.json [--baseline ENGINE] [--summary SUMMARY.json]
"""
import argparse
import json
import math

NAME_W = 20  # width of the engine column


def load(path):
    meta, rows, unavailable, errors = {}, [], {}, {}
    for line in open(path):
        if not line.strip().startswith('{'):
            continue
        r = json.loads(line)
        if 'meta' in r:
            meta = r['meta']
        elif 'unavailable' in r:
            unavailable[r['engine']] = r['unavailable']
        elif 'error' in r:
            errors[(r['engine'], r['program'])] = r['error']
            rows.append(r)
        else:
            rows.append(r)
    return meta, rows, unavailable, errors


def fmt_ms(v):
    return '%.2f' % v if v < 10 else '%.1f' % v if v < 1000 else '%.0f' % v


def fmt_ratio(v):
    return '%.2fx' % v if v < 100 else '%.0fx' % v


def geomean(xs):
    return math.exp(sum(map(math.log, xs)) / len(xs)) if xs else None


def table(title, programs, engines, cell, last=None):
    """Prints rows of engines against columns of programs (and an optional last column)."""
    cols = programs + ([last[0]] if last else [])
    cells = {e: [cell(e, p) for p in programs] + ([last[1](e)] if last else []) for e in engines}
    widths = [max([len(c)] + [len(cells[e][i]) for e in engines]) + 2 for i, c in enumerate(cols)]
    print('\n' + title + '\n')
    print('engine'.ljust(NAME_W) + ''.join(c.rjust(w) for c, w in zip(cols, widths)))
    for e in engines:
        print(e.ljust(NAME_W) + ''.join(c.rjust(w) for c, w in zip(cells[e], widths)))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('results')
    ap.add_argument('--baseline', default='kiln-interp', help='engine the ratios are relative to')
    ap.add_argument('--summary', help='also write a machine-readable summary here')
    a = ap.parse_args()

    meta, rows, unavailable, errors = load(a.results)
    ok = [r for r in rows if 'error' not in r]
    engines = list(dict.fromkeys(meta.get('engines', []) + [r['engine'] for r in rows] + list(unavailable)))
    engines = [e for e in engines if e in unavailable or any(r['engine'] == e for r in rows)]
    programs = list(dict.fromkeys(r['program'] for r in rows))
    by = {(r['engine'], r['program']): r for r in ok}
    measured = [e for e in engines if any((e, p) in by for p in programs)]
    base = a.baseline
    if base not in measured:
        print('\nbaseline %s has no results%s' % (base, ' (%s)' % unavailable[base] if base in unavailable else ''))
        base = measured[0] if measured else None

    def ratio(e, p):
        if base and (e, p) in by and (base, p) in by:
            return by[(e, p)]['median_ms'] / by[(base, p)]['median_ms']
        return None

    def speed_cell(e, p):
        if e in unavailable:
            return 'unavailable'
        if (e, p) in errors:
            return 'error'
        if (e, p) not in by:
            return '-'
        r = ratio(e, p)
        return fmt_ms(by[(e, p)]['median_ms']) + (' (%s)' % fmt_ratio(r) if r is not None else '')

    ratios = {e: [r for r in (ratio(e, p) for p in programs) if r is not None] for e in engines}
    geo = {e: geomean(ratios[e]) for e in engines}

    def geo_cell(e):
        if geo[e] is None:
            return '-'
        return fmt_ratio(geo[e]) + ('' if len(ratios[e]) == len(programs) else ' (%d of %d)' % (len(ratios[e]), len(programs)))

    when = ', '.join('%s %s' % (k, meta[k]) for k in ('warmup_s', 'iterations', 'date') if k in meta)
    table('median ms per call (ratio = engine time / %s time)%s' % (base, '; ' + when if when else ''),
          programs, engines, speed_cell, ('geomean', geo_cell))

    disagreements = []
    for p in programs:
        results = {}
        for e in engines:
            if (e, p) in by:
                results.setdefault(by[(e, p)]['result'], []).append(e)
        if len(results) > 1:
            disagreements.append({'program': p, 'results': {str(k): v for k, v in results.items()}})
            print('WARNING: engines disagree on the result of %s: %s' % (
                p, '; '.join('%s from %s' % (k, ', '.join(v)) for k, v in results.items())))
    for e, why in unavailable.items():
        print('unavailable: %s: %s' % (e, why))
    for (e, p), why in errors.items():
        print('error: %s on %s: %s' % (e, p, why))

    cpu = {(e, p): by[(e, p)]['cpu_median_ms'] for (e, p) in by if 'cpu_median_ms' in by[(e, p)]}
    if base and any(k[0] == base for k in cpu):
        def cpu_ratio(e, p):
            return cpu[(e, p)] / cpu[(base, p)] if (e, p) in cpu and (base, p) in cpu else None
        cpu_geo = {e: geomean([r for r in (cpu_ratio(e, p) for p in programs) if r is not None]) for e in measured}
        table('median thread CPU ms per call, steadier than wall time on a loaded machine (ratio = engine / %s)' % base,
              programs, [e for e in measured if any((e, p) in cpu for p in programs)],
              lambda e, p: fmt_ms(cpu[(e, p)]) + (' (%s)' % fmt_ratio(cpu_ratio(e, p)) if cpu_ratio(e, p) is not None else '')
              if (e, p) in cpu else '-',
              ('geomean', lambda e: fmt_ratio(cpu_geo[e]) if cpu_geo[e] is not None else '-'))

    table('load/compile ms, once per module (see bench/README.md for what each engine counts)',
          programs, measured, lambda e, p: '%.1f' % by[(e, p)]['load_ms'] if (e, p) in by else '-')

    if a.summary:
        summary = {
            'meta': meta, 'baseline': base, 'programs': programs, 'disagreements': disagreements,
            'engines': {e: {
                'status': 'unavailable' if e in unavailable else 'ok',
                **({'reason': unavailable[e]} if e in unavailable else {}),
                'geomean_ratio': geo[e], 'programs': {p: {
                    **({k: by[(e, p)][k] for k in ('arg', 'result', 'median_ms', 'min_ms', 'max_ms', 'cpu_median_ms', 'load_ms', 'warmup_calls')
                        if k in by[(e, p)]}
                       if (e, p) in by else {'error': errors.get((e, p), 'not run')}),
                    'ratio': ratio(e, p)} for p in programs} if e not in unavailable else {}} for e in engines}}
        with open(a.summary, 'w') as f:
            json.dump(summary, f, indent=1)
            f.write('\n')


if __name__ == '__main__':
    main()
