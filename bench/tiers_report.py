#!/usr/bin/env python3
"""Table of the tiering benchmark: mean seconds per whole run for cold / warm / interp, and cold/warm."""
import json, os, sys

d = sys.argv[1]
print('\nwhole-process seconds (mean of runs; interp: one run)\n')
print('%-12s %10s %10s %10s %11s %12s' % ('program', 'cold', 'warm', 'interp', 'cold/warm', 'interp/warm'))
for p in sys.argv[2:]:
    name, arg = p.split(':')
    t = {}
    for k in ('cold', 'warm', 'interp'):
        f = os.path.join(d, '%s-%s.json' % (name, k))
        t[k] = json.load(open(f))['results'][0]['mean'] if os.path.exists(f) else float('nan')
    print('%-12s %10.2f %10.2f %10.2f %10.2fx %11.1fx' % ('%s(%s)' % (name, arg), t['cold'], t['warm'], t['interp'],
                                                        t['cold'] / t['warm'], t['interp'] / t['warm']))
