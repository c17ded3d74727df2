"""wasmtime-cranelift / wasmtime-winch / wasmtime-pulley: the wasmtime Python package (its bundled
libwasmtime) with the Cranelift optimising compiler, the Winch baseline compiler, or Pulley, wasmtime's
portable interpreter (Cranelift compiles to Pulley bytecode, selected with the target triple
"pulley64"; the bundled library is built with Pulley support), measured as the Java harness does
(BenchMain): compile once, warm up, time calls from Python. Prints ONE JSON line.
    python wasmtime_bench.py ENGINE PROGRAM.wasm ARG [WARMUP_SECONDS] [ITERATIONS]
    python wasmtime_bench.py ENGINE PROGRAM.wasm ARG --once   (compile, one call, print its result: bench/whole.sh)
    python wasmtime_bench.py --call-overhead     (ns per call of an empty exported function)
load_ms = Module compilation (instantiation is timed separately and not included).
"""
import json
import os
import sys
import time

import wasmtime
from wasmtime import _ffi as ffi

# wasmtime_strategy_t in wasmtime's C API (crates/c-api/include/wasmtime/config.h). The Python
# Config.strategy setter knows only "auto" and "cranelift", so Winch is selected through the C API.
STRATEGIES = {'wasmtime-cranelift': 1, 'wasmtime-winch': 2, 'wasmtime-pulley': 1}
# Pulley is a compilation target: Cranelift emits Pulley bytecode that wasmtime's interpreter runs.
TARGETS = {'wasmtime-pulley': 'pulley64'}


def engine_for(name):
    config = wasmtime.Config()
    ffi.wasmtime_config_strategy_set(config.ptr(), STRATEGIES[name])
    if name in TARGETS:
        config.target = TARGETS[name]
    engine = wasmtime.Engine(config)
    if name in TARGETS and not ffi.wasmtime_engine_is_pulley(engine.ptr()):
        raise SystemExit(name + ': this libwasmtime does not run Pulley')
    return engine


def call_overhead():
    """Median ns per call of an exported identity function, for each strategy."""
    wat = '(module (func (export "run") (param i32) (result i32) local.get 0))'
    out = {}
    for name in STRATEGIES:
        store = wasmtime.Store(engine_for(name))
        run = wasmtime.Instance(store, wasmtime.Module(store.engine, wat), []).exports(store)['run']
        samples = []
        for _ in range(7):
            n, s = 20000, time.perf_counter_ns()
            for i in range(n):
                run(store, i)
            samples.append((time.perf_counter_ns() - s) / n)
        out[name] = round(sorted(samples)[3])
    print(json.dumps({'empty_call_ns': out}))


def main(argv):
    if argv[:1] == ['--call-overhead']:
        return call_overhead()
    name, path, arg = argv[0], argv[1], int(argv[2])
    if argv[3:4] == ['--once']:
        store = wasmtime.Store(engine_for(name))
        run = wasmtime.Instance(store, wasmtime.Module.from_file(store.engine, path), []).exports(store)['run']
        print(run(store, arg))
        return
    warmup_ns = int(float(argv[3] if len(argv) > 3 else 3) * 1e9)
    iterations = max(1, int(argv[4]) if len(argv) > 4 else 5)
    engine = engine_for(name)
    wasm = open(path, 'rb').read()

    t0 = time.perf_counter_ns()
    module = wasmtime.Module(engine, wasm)
    load_ns = time.perf_counter_ns() - t0
    store = wasmtime.Store(engine)
    run = wasmtime.Instance(store, module, []).exports(store)['run']

    result, warmups = 0, 0
    warmup_end = time.perf_counter_ns() + warmup_ns
    while True:
        result = run(store, arg)
        warmups += 1
        if time.perf_counter_ns() >= warmup_end and warmups >= 2:
            break

    ms, cpu = [], []
    for _ in range(iterations):
        c = time.thread_time_ns()
        s = time.perf_counter_ns()
        r = run(store, arg)
        ms.append((time.perf_counter_ns() - s) / 1e6)
        cpu.append((time.thread_time_ns() - c) / 1e6)
        if r != result:
            raise SystemExit('result changed between calls: %d vs %d' % (result, r))
    ms.sort()
    cpu.sort()
    print(json.dumps({
        'engine': name, 'program': os.path.basename(path)[:-len('.wasm')], 'arg': arg, 'result': result,
        'median_ms': round(ms[iterations // 2], 3), 'min_ms': round(ms[0], 3), 'max_ms': round(ms[-1], 3),
        'cpu_median_ms': round(cpu[iterations // 2], 3),
        'load_ms': round(load_ns / 1e6, 1), 'warmup_calls': warmups}))


if __name__ == '__main__':
    main(sys.argv[1:])
