package dev.kiln.tests.gc;

import dev.kiln.runtime.CodeTarget;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.tests.wasm3.Wat3;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.function.BiConsumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A GC object made external ({@code extern.convert_any}) by an interpreted GC module and held by a
 * non-GC module's native code (a local, a table, a global, an argument) across a call back into
 * the GC module that allocates enough to collect several times: the object survives intact.
 */
class GcRefsInNativeFramesTest {
    private static final byte[] GC = Wat3.compile("""
            (module
              (type $box (struct (field i64)))
              (table (export "shared") 1 externref)
              (global (export "sharedGlobal") (mut externref) (ref.null extern))
              ;; puts a new box where native code finds it, without passing it to native code
              (func (export "put") (param i64)
                (table.set 0 (i32.const 0) (extern.convert_any (struct.new $box (local.get 0))))
                (global.set 0 (extern.convert_any (struct.new $box (i64.add (local.get 0) (i64.const 1))))))
              (func (export "make") (param i64) (result externref)
                (extern.convert_any (struct.new $box (local.get 0))))
              ;; about 4.8 MiB of dead boxes: under a 2 MiB cap that collects several times, and a
              ;; freed box is reused by one holding -1
              (func (export "churn")
                (local i32)
                (loop $l
                  (drop (struct.new $box (i64.const -1)))
                  (br_if $l (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 1))) (i32.const 300000)))))
              (func (export "read") (param externref) (result i64)
                (struct.get $box 0 (ref.cast (ref $box) (any.convert_extern (local.get 0))))))
            """);

    /** Interpreted GC code that passes a new box straight into the non-GC module's native code. */
    private static final byte[] DRIVER = Wat3.compile("""
            (module
              (type $box (struct (field i64)))
              (import "plain" "viaArgument" (func $viaArgument (param externref) (result i64)))
              (func (export "drive") (param i64) (result i64)
                (call $viaArgument (extern.convert_any (struct.new $box (local.get 0))))))
            """);

    /** No GC types, so its functions run as native code under native and auto. */
    private static final byte[] PLAIN = Wat3.compile("""
            (module
              (import "gc" "make" (func $make (param i64) (result externref)))
              (import "gc" "churn" (func $churn))
              (import "gc" "read" (func $read (param externref) (result i64)))
              (import "gc" "shared" (table $shared 1 externref))
              (import "gc" "sharedGlobal" (global $shared (mut externref)))
              (table $t 1 externref)
              (global $g (mut externref) (ref.null extern))
              (func (export "viaLocals") (param i64) (result i64)
                (local $a externref) (local $b externref)
                (local.set $a (call $make (local.get 0)))
                (local.set $b (call $make (i64.add (local.get 0) (i64.const 1))))
                (call $churn)
                (i64.add (i64.mul (call $read (local.get $a)) (i64.const 1000)) (call $read (local.get $b))))
              (func (export "viaArgument") (param externref) (result i64)
                (call $churn)
                (call $read (local.get 0)))
              (func (export "viaStack") (param i64) (result i64)
                (call $make (local.get 0))
                (call $churn)
                (call $read))
              (func (export "viaTable") (param i64) (result i64)
                (table.set $t (i32.const 0) (call $make (local.get 0)))
                (call $churn)
                (call $read (table.get $t (i32.const 0))))
              (func (export "viaGlobal") (param i64) (result i64)
                (global.set $g (call $make (local.get 0)))
                (call $churn)
                (call $read (global.get $g)))
              (func (export "fromTableThenDropped") (param i64) (result i64)
                (local $a externref)
                (table.set $t (i32.const 0) (call $make (local.get 0)))
                (local.set $a (table.get $t (i32.const 0)))
                (table.set $t (i32.const 0) (ref.null extern))
                (call $churn)
                (call $read (local.get $a)))
              ;; about 3.2 MiB of boxes native code gets and drops at once: garbage under a 2 MiB cap
              (func (export "makeAndDrop") (param i32) (result i64)
                (loop $l
                  (drop (call $make (i64.extend_i32_u (local.get 0))))
                  (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
                (call $read (call $make (i64.const 5))))
              ;; boxes that never passed the boundary: read from an imported table and global, then dropped there
              (func (export "fromSharedThenDropped") (result i64)
                (local $a externref) (local $b externref)
                (local.set $a (table.get $shared (i32.const 0)))
                (local.set $b (global.get $shared))
                (table.set $shared (i32.const 0) (ref.null extern))
                (global.set $shared (ref.null extern))
                (call $churn)
                (i64.add (i64.mul (call $read (local.get $a)) (i64.const 1000)) (call $read (local.get $b)))))
            """);

    /** Through native locals and the operand stack: boxes returned to native code by an upcall. */
    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "AUTO"})
    void boxesReturnedToNativeCodeSurvive(Tier tier) {
        run(tier, (gc, plain) -> {
            assertEquals(7008, plain.function("viaLocals").call(7)[0]);
            assertEquals(11, plain.function("viaStack").call(11)[0]);
            for (int k = 0; k < 3; k++) assertEquals(100 + k, plain.function("viaStack").call(100 + k)[0]);
        });
    }

    /** A box passed as an argument into native code from the interpreter and from Java. */
    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "AUTO"})
    void boxesPassedIntoNativeCodeSurvive(Tier tier) {
        run(tier, (gc, plain) -> {
            Store store = plain.store();
            Instance driver = store.instantiate(WasmModule.of(DRIVER), new Imports().defineInstance("plain", plain));
            for (int k = 0; k < 3; k++) assertEquals(20 + k, driver.function("drive").call(20 + k)[0]);
            try (var scope = store.gcScope()) {
                long box = gc.function("make").call(15)[0];
                assertEquals(15, plain.function("viaArgument").call(box)[0]);
            }
        });
    }

    /** Boxes native code dropped are garbage while native frames are on the stack (they are not held until native code returns). */
    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "AUTO"})
    void boxesNativeCodeDroppedAreCollected(Tier tier) {
        run(tier, (gc, plain) -> assertEquals(5, plain.function("makeAndDrop").call(200_000)[0]));
    }

    /** Through the non-GC module's own table and global, also after the table's slot is cleared. */
    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "AUTO"})
    void boxesInTablesAndGlobalsOfTheNonGcModuleSurvive(Tier tier) {
        run(tier, (gc, plain) -> {
            assertEquals(12, plain.function("viaTable").call(12)[0]);
            assertEquals(13, plain.function("viaGlobal").call(13)[0]);
            assertEquals(14, plain.function("fromTableThenDropped").call(14)[0]);
        });
    }

    /**
     * A box native code loads from a table or global it did not get through the boundary, then
     * clears there: only the scan of native frames finds it.
     */
    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "AUTO"})
    void boxesLoadedFromSharedTablesThenClearedSurvive(Tier tier) {
        run(tier, (gc, plain) -> {
            gc.function("put").call(16);
            assertEquals(16017, plain.function("fromSharedThenDropped").call()[0]);
        });
    }

    /**
     * Under auto the non-GC module has precompiled code, so its functions run natively from their
     * first call, while the GC module's start in the interpreter and tier up when hot (churn's loop
     * by on-stack replacement).
     */
    private static void run(Tier tier, BiConsumer<Instance, Instance> test) {
        Engine engine = Engine.builder().tier(tier).precompiledCode(null).build();
        WasmModule plainModule = WasmModule.of(PLAIN);
        if (tier == Tier.AUTO) engine.precompiled(plainModule, engine.precompile(plainModule, CodeTarget.host().orElseThrow()));
        try (Store store = new Store(engine).maxGcHeapBytes(2 << 20)) {
            Instance gc = store.instantiate(WasmModule.of(GC), new Imports());
            Instance plain = store.instantiate(plainModule, new Imports().defineInstance("gc", gc));
            test.accept(gc, plain);
        }
    }
}
