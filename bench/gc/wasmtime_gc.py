"""Runs a Wasm GC program's _start ROUNDS times on wasmtime (Cranelift, its default copying
collector), each in a fresh store, the module compiled once; prints the median time and the
exported `result` global (a checksum) as JSON.
   python wasmtime_gc.py PROGRAM.wasm WARMUP ROUNDS"""
import json
import sys
import time

import wasmtime

path, warmup, rounds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
cfg = wasmtime.Config()
cfg.wasm_gc = True
cfg.wasm_function_references = True
engine = wasmtime.Engine(cfg)
module = wasmtime.Module.from_file(engine, path)
times = []
result = 0
for r in range(warmup + rounds):
    store = wasmtime.Store(engine)
    linker = wasmtime.Linker(engine)
    linker.define_func("spectest", "print_char", wasmtime.FuncType([wasmtime.ValType.i32()], []), lambda c: None)
    inst = linker.instantiate(store, module)
    start = inst.exports(store)["_start"]
    t0 = time.perf_counter()
    start(store)
    if r >= warmup:
        times.append(time.perf_counter() - t0)
    g = inst.exports(store).get("result")
    if g is not None:
        result = g.value(store)
times.sort()
print(json.dumps({"engine": "wasmtime-cranelift", "median_s": round(times[len(times) // 2], 4), "result": result}))
