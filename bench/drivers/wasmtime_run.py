"""wasmtime (its Python package's bundled libwasmtime) as a whole program, the way `wasmtime compile`
and `wasmtime run` work, for bench/realworld.sh:
    python wasmtime_run.py compile ENGINE MODULE.wasm OUT.cwasm
        compiles with ENGINE (wasmtime-cranelift or wasmtime-winch) and writes the serialized module;
        prints ONE JSON line {"compile_ms": wall, "compile_cpu_ms": the process's CPU time (every thread)}
    python wasmtime_run.py run ENGINE OUT.cwasm [--dir HOST::GUEST]... [--invoke NAME ARG] [-- ARGS...]
        loads the serialized module (a cache hit: mapped, no compilation), instantiates it with WASI
        preview 1 (stdout and stderr inherited) and runs _start with ARGS, or calls NAME(ARG) (after
        _initialize when a reactor exports it); prints ONE JSON line on stderr {"first_instruction_ms":
        time from this script's start to the call, "call_ms", "call_cpu_ms": the wall and thread CPU
        time of the call of _start or NAME, the program's own work}
"""
import json
import sys
import time

START = time.perf_counter()

import wasmtime
from wasmtime import _ffi as ffi

STRATEGIES = {'wasmtime-cranelift': 1, 'wasmtime-winch': 2}


def engine_for(name):
    config = wasmtime.Config()
    ffi.wasmtime_config_strategy_set(config.ptr(), STRATEGIES[name])
    return wasmtime.Engine(config)


def compile_module(name, path, out):
    engine = engine_for(name)
    with open(path, 'rb') as f:
        wasm = f.read()
    t, cpu = time.perf_counter(), time.process_time()
    module = wasmtime.Module(engine, wasm)
    ms, cpu_ms = (time.perf_counter() - t) * 1000, (time.process_time() - cpu) * 1000
    with open(out, 'wb') as f:
        f.write(module.serialize())
    print(json.dumps({'compile_ms': round(ms, 1), 'compile_cpu_ms': round(cpu_ms, 1)}))


def run(name, path, rest):
    dirs, invoke, args = [], None, []
    i = 0
    while i < len(rest):
        if rest[i] == '--dir':
            dirs.append(rest[i + 1])
            i += 2
        elif rest[i] == '--invoke':
            invoke = (rest[i + 1], int(rest[i + 2]))
            i += 3
        elif rest[i] == '--':
            args = rest[i + 1:]
            break
        else:
            raise SystemExit('unknown option ' + rest[i])
    engine = engine_for(name)
    store = wasmtime.Store(engine)
    module = wasmtime.Module.deserialize_file(engine, path)
    linker = wasmtime.Linker(engine)
    if any(imp.module == 'wasi_snapshot_preview1' for imp in module.imports):
        wasi = wasmtime.WasiConfig()
        wasi.argv = ['program'] + args
        wasi.inherit_stdout()
        wasi.inherit_stderr()
        wasi.inherit_stdin()
        for d in dirs:
            host, _, guest = d.partition('::')
            wasi.preopen_dir(host, guest or host)
        store.set_wasi(wasi)
        linker.define_wasi()
    instance = linker.instantiate(store, module)
    exports = instance.exports(store)
    if invoke and '_initialize' in exports:
        exports['_initialize'](store)
    first = (time.perf_counter() - START) * 1000
    code, result = 0, None
    cpu, wall = time.thread_time_ns(), time.perf_counter_ns()
    try:
        if invoke:
            result = exports[invoke[0]](store, invoke[1])
        else:
            exports['_start'](store)
    except wasmtime.ExitTrap as e:
        code = e.code
    wall, cpu = time.perf_counter_ns() - wall, time.thread_time_ns() - cpu
    if invoke and result is not None:
        print(result)
    sys.stdout.flush()
    print(json.dumps({'first_instruction_ms': round(first, 1), 'call_ms': round(wall / 1e6, 3),
                      'call_cpu_ms': round(cpu / 1e6, 3)}, separators=(',', ':')), file=sys.stderr)
    return code


def main(argv):
    if argv[0] == 'compile':
        return compile_module(argv[1], argv[2], argv[3])
    if argv[0] == 'run':
        return run(argv[1], argv[2], argv[3:])
    raise SystemExit(__doc__)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]) or 0)
