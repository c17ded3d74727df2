package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.testing.Wat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InstanceTest {
    private final Store store = new Store();

    @AfterEach
    void close() {
        store.close();
    }

    private Instance instantiate(String wat, Imports imports) {
        return store.instantiate(WasmModule.of(Wat.compile(wat)), imports);
    }

    private static FunctionType type(ValType[] params, ValType... results) {
        return FunctionType.of(new FuncType(params, results));
    }

    @Test
    void hostFunctionsReceiveArgumentsAndTheCallersMemory() {
        List<String> log = new ArrayList<>();
        HostFunction print = new HostFunction("env", "print", type(new ValType[] {ValType.I32, ValType.I32}),
                (caller, args) -> {
                    log.add(caller.memory().readString(args[0], (int) args[1]));
                    return null;
                });
        HostFunction add = new HostFunction("env", "add", type(new ValType[] {ValType.I64, ValType.I64}, ValType.I64),
                (caller, args) -> new long[] {args[0] + args[1]});
        Instance i = instantiate("""
                (module
                  (import "env" "print" (func $print (param i32 i32)))
                  (import "env" "add" (func $add (param i64 i64) (result i64)))
                  (memory (export "memory") 1)
                  (data (i32.const 16) "hello")
                  (func (export "main") (result i64)
                    (call $print (i32.const 16) (i32.const 5))
                    (call $add (i64.const 40) (i64.const 2))))
                """, new Imports().define(print, store).define(add, store));
        assertArrayEquals(new long[] {42}, i.function("main").call());
        assertEquals(List.of("hello"), log);
    }

    @Test
    void aFailingHostFunctionIsAHostErrorTrapWithItsCause() {
        HostFunction boom = new HostFunction("env", "boom", type(new ValType[0]), (caller, args) -> {
            throw new IllegalStateException("no disk");
        });
        Instance i = instantiate("""
                (module (import "env" "boom" (func $boom))
                  (func $inner (call $boom))
                  (func (export "outer") (call $inner)))
                """, new Imports().define(boom, store));
        WasmTrap t = assertThrows(WasmTrap.class, () -> i.function("outer").call());
        assertEquals(TrapKind.HOST_ERROR, t.kind());
        assertInstanceOf(IllegalStateException.class, t.getCause());
        assertEquals(List.of("inner", "outer"), t.wasmStack().stream().map(f -> f.functionName()).toList());
    }

    @Test
    void processExitPassesThroughWasmFrames() {
        HostFunction exit = new HostFunction("env", "exit", type(new ValType[] {ValType.I32}), (caller, args) -> {
            throw new ProcessExit((int) args[0]);
        });
        Instance i = instantiate("(module (import \"env\" \"exit\" (func $e (param i32))) (func (export \"f\") (call $e (i32.const 3)) (unreachable)))",
                new Imports().define(exit, store));
        assertEquals(3, assertThrows(ProcessExit.class, () -> i.function("f").call()).code());
    }

    @Test
    void trapsCarryKindAndWasmStackWithOffsets() {
        Instance i = instantiate("""
                (module (memory 1)
                  (func $load (param i32) (result i32) (i32.load (local.get 0)))
                  (func (export "f") (param i32) (result i32) (call $load (local.get 0))))
                """, new Imports());
        assertEquals(0, i.function("f").call(0)[0]);
        WasmTrap t = assertThrows(WasmTrap.class, () -> i.function("f").call(65534));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, t.kind());
        assertEquals(2, t.wasmStack().size());
        assertEquals("load", t.wasmStack().get(0).functionName());
        assertTrue(t.wasmStack().get(0).offset() > 0);
        assertTrue(t.describe().startsWith("wasm trap: out of bounds memory access\n  at load (func 0) at offset 0x"), t.describe());
    }

    @Test
    void deepRecursionIsACleanExhaustionTrap() {
        Instance i = instantiate("(module (func $f (export \"f\") (param i64) (result i64) (call $f (i64.add (local.get 0) (i64.const 1)))))",
                new Imports());
        WasmTrap t = assertThrows(WasmTrap.class, () -> i.function("f").call(0));
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, t.kind());
        assertTrue(t.omittedFrames() > 0);
    }

    @Test
    void memoryIsReadableWritableAndGrowsUpToTheHostCap() {
        store.maxMemoryPages(3);
        Instance i = instantiate("""
                (module (memory (export "memory") 1)
                  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
                  (func (export "peek") (param i32) (result i32) (i32.load (local.get 0))))
                """, new Imports());
        MemoryInstance mem = i.memory("memory");
        mem.writeInt(100, 0x12345678);
        assertEquals(0x12345678, i.function("peek").call(100)[0]);
        long base = mem.baseAddress();
        assertEquals(1, i.function("grow").call(2)[0]);
        assertEquals(3 * 65536, mem.byteSize());
        assertEquals(base, mem.baseAddress(), "the base never moves");
        assertEquals(-1, (int) i.function("grow").call(1)[0], "growth past the host cap fails like memory.grow");
        WasmTrap outside = assertThrows(WasmTrap.class, () -> mem.readInt(3 * 65536 - 2));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, outside.kind());
    }

    @Test
    void linkErrorsNameTheImport() {
        LinkException missing = assertThrows(LinkException.class,
                () -> instantiate("(module (import \"env\" \"f\" (func)))", new Imports()));
        assertEquals("unknown import: env.f", missing.getMessage());
        HostFunction f = new HostFunction("env", "f", type(new ValType[] {ValType.I32}), (c, a) -> null);
        LinkException wrong = assertThrows(LinkException.class,
                () -> instantiate("(module (import \"env\" \"f\" (func (param i64))))", new Imports().define(f, store)));
        assertTrue(wrong.getMessage().startsWith("incompatible import type for env.f"), wrong.getMessage());
    }

    @Test
    void instancesLinkThroughRegisteredExports() {
        Instance lib = instantiate("""
                (module (global (export "g") (mut i32) (i32.const 5))
                  (table (export "t") 2 funcref) (func $seven (result i32) (i32.const 7)) (elem (i32.const 1) $seven)
                  (func (export "double") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2))))
                """, new Imports());
        Instance app = instantiate("""
                (module (import "lib" "double" (func $d (param i32) (result i32)))
                  (import "lib" "g" (global $g (mut i32)))
                  (import "lib" "t" (table 2 funcref))
                  (type $r (func (result i32)))
                  (func (export "run") (result i32)
                    (global.set $g (call $d (global.get $g)))
                    (i32.add (global.get $g) (call_indirect (type $r) (i32.const 1)))))
                """, new Imports().defineInstance("lib", lib));
        assertEquals(17, app.function("run").call()[0]);
        assertEquals(10, lib.global("g").get());
        assertNotNull(store.function(lib.table("t").get(1)));
    }

    @Test
    void partialInitialisationStaysVisibleAfterATrap() {
        Instance lib = instantiate("(module (memory (export \"m\") 1))", new Imports());
        WasmTrap t = assertThrows(WasmTrap.class, () -> instantiate("""
                (module (import "lib" "m" (memory 1))
                  (data (i32.const 0) "ok")
                  (data (i32.const 65536) "out of bounds"))
                """, new Imports().defineInstance("lib", lib)));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, t.kind());
        assertEquals('o', lib.memory("m").readByte(0));
    }
}
