"""The wasmtime oracle of kiln's differential fuzzer (dev.kiln.tests.fuzz.engine.WasmtimeOracle).

A long-lived process speaking JSON lines: one request per line on stdin, one answer per line on
stdout. Values cross as raw bits in hex ("0x..."), i32/f32 in the low 32 bits, so NaN payloads
survive in both directions: arguments and results go through wasmtime's C API values directly
(the Python-level API would turn floats into Python floats). Pinned to the wasmtime 49.0.0
package, whose private modules this uses.

Requests (every answer has "ok"; "ok": false carries "error"):
  {"cmd": "version"}                            -> {"ok": true, "wasmtime": "49.0.0"}
  {"cmd": "validate", "wasm": BASE64}           -> {"ok": true, "valid": bool, "error": str?}
  {"cmd": "instantiate", "wasm": BASE64}        -> {"ok": true}
  {"cmd": "call", "name": str, "args": [HEX]}   -> {"ok": true, "results": [HEX]}
                                                   or {"ok": true, "trap": CODE, "message": str, "frames": [[FUNC, OFFSET]]}
                                                   (the trap's Wasm stack, innermost first: function index and
                                                   module offset of each frame)
                                                   or {"ok": true, "exception": {"tag": NAME|null, "payload": [HEX], "types": [TYPE]}}
                                                   (an uncaught exception: the exported tag it has, by export
                                                   name, and its fields, a v128 as two 64-bit halves, low first)
  {"cmd": "state", "globals": [str], "memory": str|null}
                                                -> {"ok": true, "globals": {name: HEX}, "memory": {"size": int, "sha256": hex}|null}
  {"cmd": "memory", "name": str}                -> {"ok": true, "bytes": BASE64}
  {"cmd": "wat2wasm", "text": str}              -> {"ok": true, "wasm": BASE64} or {"ok": true, "error": str}
                                                   (wasmtime's text parser, for kiln's text-format tests)
  {"cmd": "wasi_run", "wasm": BASE64, "args": [str]}
                                                -> {"ok": true, "exit": int, "stdout": BASE64}
                                                   or {"ok": true, "trap": CODE, "message": str, "stdout": BASE64}
                                                   (runs a WASI program's _start with ARGS after the program
                                                   name "main", as "wasmtime run" does, for kiln's C-program tests)
CODE is wasmtime's trap code name (MEMORY_OUT_OF_BOUNDS, BAD_SIGNATURE, ...).
"""
import base64
import ctypes
import hashlib
import importlib.metadata
import json
import os
import sys
import tempfile

import wasmtime
from wasmtime import _ffi as ffi
from wasmtime._func import enter_wasm

KINDS = {
    "i32": ffi.WASMTIME_I32.value,
    "i64": ffi.WASMTIME_I64.value,
    "f32": ffi.WASMTIME_F32.value,
    "f64": ffi.WASMTIME_F64.value,
}

# Relaxed SIMD in wasmtime's deterministic mode; the fuzzer expands the two kinds of relaxed
# instructions where that mode differs from the spec's deterministic profile (kiln's choice).
config = wasmtime.Config()
config.wasm_relaxed_simd = True
config.wasm_relaxed_simd_deterministic = True
engine = wasmtime.Engine(config)
state = {"store": None, "instance": None}


def type_name(valtype):
    return str(valtype)


def raw_value(kind_name, bits):
    v = ffi.wasmtime_val_t(kind=KINDS[kind_name])
    if kind_name in ("i32", "f32"):
        bits &= 0xFFFFFFFF
        v.of.i32 = bits - (1 << 32) if bits >= 1 << 31 else bits
    else:
        bits &= 0xFFFFFFFFFFFFFFFF
        v.of.i64 = bits - (1 << 64) if bits >= 1 << 63 else bits
    return v


def bits_of(v):
    if v.kind in (KINDS["i32"], KINDS["f32"]):
        return v.of.i32 & 0xFFFFFFFF
    if v.kind in (KINDS["i64"], KINDS["f64"]):
        return v.of.i64 & 0xFFFFFFFFFFFFFFFF
    raise ValueError("not a numeric value (kind %d)" % v.kind)


def export(name):
    item = state["instance"].exports(state["store"]).get(name)
    if item is None:
        raise KeyError("no export " + name)
    return item


def validate(req):
    try:
        wasmtime.Module.validate(engine, base64.b64decode(req["wasm"]))
        return {"ok": True, "valid": True}
    except wasmtime.WasmtimeError as e:
        return {"ok": True, "valid": False, "error": str(e)}


def instantiate(req):
    store = wasmtime.Store(engine)
    module = wasmtime.Module(engine, base64.b64decode(req["wasm"]))
    state["instance"] = wasmtime.Instance(store, module, [])
    state["store"] = store
    return {"ok": True}


def call(req):
    store = state["store"]
    func = export(req["name"])
    ty = func.type(store)
    params = [type_name(p) for p in ty.params]
    results = [type_name(r) for r in ty.results]
    args = req["args"]
    if len(args) != len(params):
        raise ValueError("expected %d arguments, got %d" % (len(params), len(args)))
    arg_buf = (ffi.wasmtime_val_t * max(1, len(args)))()
    for i, a in enumerate(args):
        arg_buf[i] = raw_value(params[i], int(a, 16))
    res_buf = (ffi.wasmtime_val_t * max(1, len(results)))()
    try:
        with enter_wasm(store) as trap:
            error = ffi.wasmtime_func_call(store._context(), ctypes.byref(func._func), arg_buf, len(args),
                                           res_buf, len(results), trap)
            if error:
                raise wasmtime.WasmtimeError._from_ptr(error)
    except wasmtime.Trap as t:
        exn = ffi.wasmtime_exnref_t()
        if ffi.wasmtime_context_take_exception(store._context(), ctypes.byref(exn)):
            try:
                return {"ok": True, "exception": describe_exception(store, exn)}
            finally:
                ffi.wasmtime_exnref_unroot(ctypes.byref(exn))
        code = t.trap_code
        frames = [[f.func_index, f.module_offset] for f in (t.frames or [])]
        return {"ok": True, "trap": code.name if code is not None else "NONE", "message": t.message, "frames": frames}
    return {"ok": True, "results": [hex(bits_of(res_buf[i])) for i in range(len(results))]}


def describe_exception(store, exn):
    """The exported tag (by name) an uncaught exception has, and its fields as raw bits."""
    context = store._context()
    tag = ffi.wasmtime_tag_t()
    error = ffi.wasmtime_exnref_tag(context, ctypes.byref(exn), ctypes.byref(tag))
    if error:
        raise wasmtime.WasmtimeError._from_ptr(error)
    name = None
    for export_name, item in state["instance"].exports(store).items():
        if isinstance(item, wasmtime.Tag) and ffi.wasmtime_tag_eq(context, ctypes.byref(item._tag), ctypes.byref(tag)):
            name = export_name
    payload, types = [], []
    names = {v: k for k, v in KINDS.items()}
    for i in range(ffi.wasmtime_exnref_field_count(context, ctypes.byref(exn))):
        v = ffi.wasmtime_val_t()
        error = ffi.wasmtime_exnref_field(context, ctypes.byref(exn), i, ctypes.byref(v))
        if error:
            raise wasmtime.WasmtimeError._from_ptr(error)
        if v.kind == ffi.WASMTIME_V128.value:
            raw = bytes(v.of.v128)
            payload.append(hex(int.from_bytes(raw[:8], "little")))
            payload.append(hex(int.from_bytes(raw[8:], "little")))
            types += ["i64", "i64"]
        else:
            payload.append(hex(bits_of(v)))
            types.append(names[v.kind])
    return {"tag": name, "payload": payload, "types": types}


def current_state(req):
    store = state["store"]
    globals_ = {}
    for name in req["globals"]:
        raw = ffi.wasmtime_val_t()
        ffi.wasmtime_global_get(store._context(), ctypes.byref(export(name)._global), ctypes.byref(raw))
        globals_[name] = hex(bits_of(raw))
    memory = None
    if req.get("memory"):
        data = bytes(export(req["memory"]).read(store))
        memory = {"size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    return {"ok": True, "globals": globals_, "memory": memory}


def memory_bytes(req):
    data = bytes(export(req["name"]).read(state["store"]))
    return {"ok": True, "bytes": base64.b64encode(data).decode("ascii")}


def wat2wasm(req):
    try:
        wasm = wasmtime.wat2wasm(req["text"])
    except Exception as e:
        return {"ok": True, "error": str(e)}
    return {"ok": True, "wasm": base64.b64encode(bytes(wasm)).decode("ascii")}


def wasi_run(req):
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "stdout")
        config = wasmtime.WasiConfig()
        config.argv = ["main"] + list(req.get("args", []))
        config.stdout_file = out
        store = wasmtime.Store(engine)
        store.set_wasi(config)
        linker = wasmtime.Linker(engine)
        linker.define_wasi()
        instance = linker.instantiate(store, wasmtime.Module(engine, base64.b64decode(req["wasm"])))
        answer = {"ok": True, "exit": 0}
        try:
            instance.exports(store)["_start"](store)
        except wasmtime.ExitTrap as e:
            answer["exit"] = e.code
        except wasmtime.Trap as t:
            code = t.trap_code
            answer = {"ok": True, "trap": code.name if code is not None else "NONE", "message": t.message}
        with open(out, "rb") as f:
            answer["stdout"] = base64.b64encode(f.read()).decode("ascii")
        return answer


def version(req):
    return {"ok": True, "wasmtime": importlib.metadata.version("wasmtime")}


COMMANDS = {"version": version, "validate": validate, "instantiate": instantiate, "call": call, "state": current_state, "memory": memory_bytes,
            "wat2wasm": wat2wasm, "wasi_run": wasi_run}


def main():
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        try:
            req = json.loads(line)
            answer = COMMANDS[req["cmd"]](req)
        except Exception as e:  # every failure is an answer; the process keeps serving
            answer = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
