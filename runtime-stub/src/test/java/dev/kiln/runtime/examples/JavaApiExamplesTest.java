package dev.kiln.runtime.examples;

import dev.kiln.runtime.CodeTarget;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.GlobalInstance;
import dev.kiln.runtime.GlobalType;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.IncompatibleCodeException;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Memory;
import dev.kiln.runtime.MemoryInstance;
import dev.kiln.runtime.MemoryType;
import dev.kiln.runtime.NoSuchExportException;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.TableInstance;
import dev.kiln.runtime.TableType;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmModuleException;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.wasi.Wasi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntBinaryOperator;
import java.util.function.LongUnaryOperator;

import static dev.kiln.runtime.ValueType.F64;
import static dev.kiln.runtime.ValueType.I32;
import static dev.kiln.runtime.ValueType.I64;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kiln's Java API as a user writes it: only public types of {@code dev.kiln.runtime}, from outside
 * the package. The regions between {@code [readme:NAME]} and {@code [/readme]} are README.md's
 * "Use kiln from Java" examples ({@code ReadmeExamplesTest} keeps the two equal), so every example
 * there compiles and runs.
 */
class JavaApiExamplesTest {
    private static final byte[] ADD_WAT = """
            (module
              (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
              (func (export "fib") (param i64) (result i64)
                (if (result i64) (i64.lt_u (local.get 0) (i64.const 2)) (then (local.get 0))
                  (else (i64.add (call 1 (i64.sub (local.get 0) (i64.const 1)))
                                 (call 1 (i64.sub (local.get 0) (i64.const 2))))))))
            """.getBytes(StandardCharsets.UTF_8);

    private static final byte[] GREET_WAT = """
            (module
              (import "env" "log" (func $log (param i32 i32)))
              (import "env" "scale" (func $scale (param f64) (result f64)))
              (memory (export "memory") 1)
              (data (i32.const 16) "hello from wasm")
              (func (export "greet") (call $log (i32.const 16) (i32.const 15)))
              (func (export "twice") (param f64) (result f64) (call $scale (local.get 0))))
            """.getBytes(StandardCharsets.UTF_8);

    private static final byte[] IMPORTS_WAT = """
            (module
              (import "host" "memory" (memory 1))
              (import "host" "table" (table 2 funcref))
              (import "host" "counter" (global $counter (mut i32)))
              (func (export "bump") (result i32)
                (global.set $counter (i32.add (global.get $counter) (i32.const 1)))
                (i32.store (i32.const 0) (global.get $counter))
                (global.get $counter)))
            """.getBytes(StandardCharsets.UTF_8);

    private static final byte[] HELLO_WAT = """
            (module
              (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
              (memory (export "memory") 1)
              (data (i32.const 16) "hello\\n")
              (func (export "_start")
                (i32.store (i32.const 0) (i32.const 16)) (i32.store (i32.const 4) (i32.const 6))
                (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
                (call $exit (i32.const 3))))
            """.getBytes(StandardCharsets.UTF_8);

    private static Engine nativeOrInterp() {
        return Engine.builder().tier(CodeTarget.host().isPresent() ? Tier.NATIVE : Tier.INTERP).precompiledCode(null).build();
    }

    @Test
    void typedCallsThroughAnEngine() {
        byte[] wasmBytes = ADD_WAT;
        // [readme:engine]
        Engine engine = Engine.builder()
                .tier(Tier.AUTO)                 // AUTO (default), NATIVE or INTERP
                .fuel(false)                     // true: stores meter fuel (store.fuel(n))
                .hotCalls(1000).hotLoops(10_000) // auto tier: when a function is hot enough to compile
                .build();                        // one engine, shared by any number of stores
        WasmModule module = engine.compile(wasmBytes);   // binary or text; bad input: WasmModuleException
        try (Store store = engine.newStore()) {
            Instance instance = store.instantiate(module);
            IntBinaryOperator add = instance.function("add").asIntBinaryOperator(); // type checked once, here
            int sum = add.applyAsInt(2, 3);                                           // 5, an int
            LongUnaryOperator fib = instance.function("fib").asLongUnaryOperator();
            long f20 = fib.applyAsLong(20);                                           // 6765
            Object[] any = instance.function("add").apply(-7, 3);                    // {-4}, checked per call
        }
        // [/readme]
        try (Store store = engine.newStore()) {
            Instance instance = store.instantiate(module);
            assertEquals(5, instance.function("add").asIntBinaryOperator().applyAsInt(2, 3));
            assertEquals(-4, instance.function("add").asIntBinaryOperator().applyAsInt(-7, 3), "an i32 comes back signed");
            assertEquals(6765, instance.function("fib").asLongUnaryOperator().applyAsLong(20));
            assertArrayEquals(new Object[] {-4}, instance.function("add").apply(-7, 3));
            assertThrows(IllegalArgumentException.class, () -> instance.function("add").apply(1L, 2), "a long is not an i32");
            assertThrows(IllegalArgumentException.class, () -> instance.function("fib").asIntBinaryOperator());
        }
    }

    @Test
    void aWasiProgramInTwoLines(@TempDir Path dataDir) {
        Engine engine = nativeOrInterp();
        WasmModule module = engine.compile(HELLO_WAT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // [readme:wasi]
        int exit = Wasi.builder().args("in.txt").env("LANG", "C").preopen(dataDir, "/data")
                .stdout(out).engine(engine).run(module);   // proc_exit's code, 0 when _start returns
        // [/readme]
        assertEquals(3, exit);
        assertEquals("hello\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void missingExportsAreClearErrorsOrEmptyOptionals() {
        try (Store store = nativeOrInterp().newStore()) {
            Instance instance = store.instantiate(WasmModule.of(ADD_WAT));
            // [readme:lookup]
            Optional<FunctionInstance> maybe = instance.findFunction("mul");  // Optional.empty()
            try {
                instance.function("mul");
            } catch (NoSuchExportException e) {
                // "no function export named 'mul' in ...; its exports: add (function), fib (function)"
            }
            // [/readme]
            assertTrue(maybe.isEmpty());
            NoSuchExportException e = assertThrows(NoSuchExportException.class, () -> instance.function("mul"));
            assertEquals("mul", e.exportName());
            assertTrue(e.getMessage().contains("add"), e.getMessage());
            assertThrows(NoSuchExportException.class, () -> instance.memory("add"), "an export of another kind");
        }
    }

    @Test
    void hostFunctionsAreTypedLambdasThatReachTheCallersMemory() {
        List<String> logged = new ArrayList<>();
        // [readme:host]
        HostFunction log = HostFunction.ofVoid("env", "log", I32, I32,
                (caller, ptr, len) -> logged.add(caller.memory().readString(ptr, len)));
        HostFunction scale = HostFunction.of("env", "scale", F64, F64,
                (caller, x) -> x * caller.data(Double.class));          // the store's data
        Engine engine = Engine.builder().build();
        try (Store store = engine.newStore().data(2.5)) {
            Instance app = store.instantiate(engine.compile(GREET_WAT), new Imports().define(log).define(scale));
            app.function("greet").asRunnable().run();                    // logged: "hello from wasm"
            double d = app.function("twice").asDoubleUnaryOperator().applyAsDouble(4);  // 10.0
        }
        // [/readme]
        assertEquals(List.of("hello from wasm"), logged);
        try (Store store = engine.newStore().data(2.5)) {
            Instance app = store.instantiate(engine.compile(GREET_WAT), new Imports().define(log).define(scale));
            assertEquals(10.0, app.function("twice").asDoubleUnaryOperator().applyAsDouble(4));
        }
    }

    @Test
    void aHostFunctionThatThrowsTrapsTheWasmCodeWithItsCause() {
        HostFunction boom = HostFunction.ofVoid("env", "log", I32, I32, (caller, p, n) -> {
            throw new IllegalStateException("no logging today");
        });
        HostFunction scale = HostFunction.of("env", "scale", F64, F64, (caller, x) -> x);
        try (Store store = nativeOrInterp().newStore()) {
            Instance app = store.instantiate(WasmModule.of(GREET_WAT), new Imports().define(boom).define(scale));
            WasmTrap t = assertThrows(WasmTrap.class, () -> app.function("greet").asRunnable().run());
            assertEquals(TrapKind.HOST_ERROR, t.kind());
            assertEquals("no logging today", t.getCause().getMessage());
        }
    }

    @Test
    void memoryHelpers() {
        try (Store store = nativeOrInterp().newStore()) {
            MemoryInstance memory = store.newMemory(MemoryType.of(1, 2));
            // [readme:memory]
            memory.writeInt(0, -2);
            long u = memory.readUnsignedInt(0);          // 4294967294
            memory.writeFloat(8, 1.5f);
            float f = memory.readFloat(8);               // 1.5
            int n = memory.writeCString(64, "héllo");    // 7: UTF-8 and the NUL
            String s = memory.readCString(64);           // "héllo"
            memory.fill(128, (byte) 7, 16);
            memory.copy(256, 128, 16);
            ByteBuffer view = memory.buffer(256, 16);  // little-endian, the memory itself
            try {
                memory.readLong(memory.byteSize() - 4);
            } catch (WasmTrap e) {
                // e.kind() == TrapKind.OUT_OF_BOUNDS_MEMORY
            }
            // [/readme]
            assertEquals(4294967294L, u);
            assertEquals(1.5f, f);
            assertEquals(7, n);
            assertEquals("héllo", s);
            assertEquals(0xFE, memory.readUnsignedByte(0));
            assertEquals(0xFFFF, memory.readUnsignedShort(2));
            assertEquals(7, view.get(15));
            view.put(0, (byte) 9);
            assertEquals(9, memory.readByte(256), "the view is the memory");
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY,
                    assertThrows(WasmTrap.class, () -> memory.readLong(memory.byteSize() - 4)).kind());
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, assertThrows(WasmTrap.class, () -> memory.fill(65530, (byte) 0, 7)).kind());
            assertEquals(1, memory.grow(1));
            assertEquals(-1, memory.grow(1), "the type's maximum is 2 pages");
        }
    }

    @Test
    void hostDefinedMemoriesTablesAndGlobalsAreImportable() {
        Engine engine = nativeOrInterp();
        // [readme:imports]
        try (Store store = engine.newStore()) {
            MemoryInstance memory = store.newMemory(MemoryType.of(1));
            TableInstance table = store.newTable(TableType.of(ValueType.FUNCREF, 2), null);
            GlobalInstance counter = store.newGlobal(new GlobalType(I32, true), 41);
            Imports imports = new Imports()
                    .define("host", "memory", memory)
                    .define("host", "table", table)
                    .define("host", "counter", counter);
            Instance instance = store.instantiate(engine.compile(IMPORTS_WAT), imports);
            int bumped = instance.function("bump").asIntSupplier().getAsInt();   // 42
            int seen = memory.readInt(0);                                        // 42: the module wrote the host's memory
            int now = counter.getInt();                                          // 42
        }
        // [/readme]
        try (Store store = engine.newStore()) {
            MemoryInstance memory = store.newMemory(MemoryType.of(1));
            TableInstance table = store.newTable(TableType.of(ValueType.FUNCREF, 2), null);
            GlobalInstance counter = store.newGlobal(new GlobalType(I32, true), 41);
            Imports imports = new Imports().define("host", "memory", memory).define("host", "table", table)
                    .define("host", "counter", counter);
            Instance instance = store.instantiate(WasmModule.of(IMPORTS_WAT), imports);
            assertEquals(42, instance.function("bump").asIntSupplier().getAsInt());
            assertEquals(42, memory.readInt(0));
            assertEquals(42, counter.getInt());
            assertEquals(2, table.size());
        }
    }

    @Test
    void badModulesAreWasmModuleExceptionsWithAPlace() {
        WasmModuleException bad = assertThrows(WasmModuleException.class, () -> WasmModule.of(new byte[] {0, 'a', 's', 'm', 2, 0, 0, 0}));
        assertTrue(bad.offset() >= 0, bad.getMessage());
        WasmModuleException text = assertThrows(WasmModuleException.class, () -> WasmModule.of("(module (func (i32.ad)))".getBytes()));
        assertEquals("text", text.category());
    }

    @Test
    void precompiledCodeIsBoundOnlyToItsOwnModule() {
        if (CodeTarget.host().isEmpty()) return;
        Engine engine = Engine.builder().tier(Tier.NATIVE).precompiledCode(null).build();
        // [readme:precompiled]
        byte[] object = engine.precompile(engine.compile(ADD_WAT), CodeTarget.X86_64);   // any target, on any machine
        // later, maybe in another process: no compilation, each function bound at its first call
        WasmModule module = engine.precompiled(ADD_WAT, object);
        // [/readme]
        if (CodeTarget.host().get().baseline() != CodeTarget.X86_64) return;
        try (Store store = engine.newStore()) {
            assertEquals(5, store.instantiate(module).function("add").asIntBinaryOperator().applyAsInt(2, 3));
        }
        byte[] other = new String(ADD_WAT, StandardCharsets.UTF_8).replace("i32.add", "i32.sub").getBytes(StandardCharsets.UTF_8);
        IncompatibleCodeException e = assertThrows(IncompatibleCodeException.class, () -> engine.precompiled(other, object));
        assertTrue(e.getMessage().contains("another module"), e.getMessage());
        Engine metered = Engine.builder().tier(Tier.NATIVE).fuel(true).precompiledCode(null).build();
        assertThrows(IncompatibleCodeException.class, () -> metered.precompiled(ADD_WAT, object), "other code options");
        object[object.length / 2] ^= 1;
        assertThrows(IncompatibleCodeException.class, () -> engine.precompiled(ADD_WAT, object), "damaged");
        assertFalse(module.exports().isEmpty());
    }
}
