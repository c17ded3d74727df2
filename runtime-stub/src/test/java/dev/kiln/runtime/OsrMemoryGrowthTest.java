package dev.kiln.runtime;

import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An interpreted caller must see memory that an OSR continuation of its callee grew. The
 * interpreter keeps the memory size in a local, refreshed after calls it makes into native code,
 * but not when a callee's loop had entered native code by OSR and returned through the
 * interpreter: the caller's next access past the old size trapped. Found by the differential fuzzer.
 */
class OsrMemoryGrowthTest {
    private static final byte[] BYTES = Wat.compile("""
            (module
              (memory 1 3)
              (func $growAfterLoop (local $n i32)
                (local.set $n (i32.const 3))
                (loop $l (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                (drop (memory.grow (i32.const 1))))
              (func (export "g") (result i32)
                (call $growAfterLoop)  ;; compiled for the interpreter and run, not hot yet
                (call $growAfterLoop)  ;; run inside g's interpreter loop; hot at its second back edge: OSR
                (i32.store (i32.const 140000) (i32.const 42))  ;; in the third page
                (i32.load (i32.const 140000))))
            """);
    private Store store;
    private Engine engine = Engine.builder().tier(Tier.AUTO).precompiledCode(null).build();

    @AfterEach
    void restore() {
        if (store != null) store.close();
    }

    @Test
    void theCallerSeesMemoryGrownAfterOsr() {
        assumeTrue(Target.host() == Target.X86_64, "native tiers run on x86-64 here");
        engine = Engine.builder().tier(Tier.AUTO).hotCalls(1000).hotLoops(4).compileInBackground(false).precompiledCode(null).build(); // hot after one call and two back edges, or four back edges
        store = new Store(engine);
        Instance i = store.instantiate(WasmModule.of(BYTES), new Imports());
        assertArrayEquals(new long[] {42}, i.function("g").call());
    }
}
