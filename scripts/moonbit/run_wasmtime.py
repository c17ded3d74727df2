#!/usr/bin/env python3
"""Runs a MoonBit wasm-gc program on wasmtime: spectest.print_char prints, then _start."""
import sys, wasmtime
cfg = wasmtime.Config()
cfg.wasm_gc = True
cfg.wasm_function_references = True
eng = wasmtime.Engine(cfg)
store = wasmtime.Store(eng)
mod = wasmtime.Module.from_file(eng, sys.argv[1])
out = []
def pc(c):
    out.append(chr(c))
linker = wasmtime.Linker(eng)
linker.define_func("spectest", "print_char", wasmtime.FuncType([wasmtime.ValType.i32()], []), pc)
inst = linker.instantiate(store, mod)
inst.exports(store)["_start"](store)
sys.stdout.write("".join(out))
