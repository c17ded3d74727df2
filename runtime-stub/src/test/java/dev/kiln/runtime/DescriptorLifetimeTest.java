package dev.kiln.runtime;

import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Funcref descriptors live in their store's native memory, and binding a function re-points every
 * descriptor of it at its code. A module's native side outlives stores (it is shared by all of a
 * module's instances), so a function bound after a store closed (promoted by the compiler thread
 * when the call that made it hot has long returned, or bound lazily from another store) must not
 * write into the closed store's freed memory. It did: the JVM aborted in malloc
 * ({@code unaligned tcache chunk detected}) a few stores later.
 */
class DescriptorLifetimeTest {
    private static final byte[] BYTES = Wat.compile("""
            (module
              (table 2 funcref)
              (elem (i32.const 0) $f $g)
              (type $t (func (param i32) (result i32)))
              (func $f (export "f") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
              (func $g (export "g") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3)))
              (func (export "viaTable") (param i32 i32) (result i32)
                (call_indirect (type $t) (local.get 1) (local.get 0))))
            """);

    @BeforeEach
    void x86Only() {
        assumeTrue(Target.host() == Target.X86_64, "native tiers run on x86-64 here");
    }

    /** Hot at the third call, promoted on the calling thread. */
    private final Engine engine = Engine.builder().tier(Tier.AUTO).hotCalls(2).hotLoops(1_000_000).compileInBackground(false)
            .precompiledCode(null).build();

    private static void makeHot(Instance i, String export) {
        for (int k = 0; k < 4; k++) i.function(export).call(k);
    }

    @Test
    void aClosedStoreLeavesNoDescriptorForBindingToRepoint() {
        WasmModule m = WasmModule.of(BYTES);
        Store a = engine.newStore();
        makeHot(a.instantiate(m, new Imports()), "f");
        NativeModule nm = m.existingNativeCode();
        assertTrue(nm.describedIn(a) >= 2, "the table's descriptors of f and g are re-pointed by binding");
        a.close();
        assertEquals(0, nm.describedIn(a), "a closed store's descriptors are in freed memory");
    }

    @Test
    void bindingAfterAStoreClosedLeavesItsFreedMemoryAlone() {
        for (int round = 0; round < 200; round++) {
            WasmModule m = WasmModule.of(BYTES);
            try (Store a = engine.newStore()) {
                makeHot(a.instantiate(m, new Imports()), "f"); // native code active, descriptors of f and g described
            }
            try (Store b = engine.newStore()) {
                Instance i = b.instantiate(m, new Imports());
                makeHot(i, "g"); // binds g: re-points its descriptors, none of them a's
                assertNotEquals(0, m.existingNativeCode().address(index(m, "g")));
                assertArrayEquals(new long[] {21}, i.function("viaTable").call(1, 7));
                assertArrayEquals(new long[] {8}, i.function("viaTable").call(0, 7));
            }
        }
    }

    private static int index(WasmModule m, String export) {
        return m.validated().module().exports().stream().filter(e -> e.name().equals(export)).findFirst().orElseThrow().index();
    }
}
