package dev.kiln.runtime;

import dev.kiln.frontend.testing.ModuleBytes;
import dev.kiln.runtime.internal.Backends;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Instantiating a module whose element segment fills a table of 10 000 functions makes no Java
 * object and no store handle per element, counted, not timed: each element gets its descriptor
 * (four native words) and nothing else; a {@link WasmFunction} is made only for an element Java
 * code reads, and {@code call_indirect} (its signature check included) works through the
 * descriptors alone, on every tier.
 */
class LazyTableFuncrefsTest {
    private static final int ELEMENTS = 10_000;

    /**
     * {@code run(i)} returns {@code table[i]()} (type {@code () -> i32}); {@code bad(i)} calls
     * {@code table[i]} as {@code (i32) -> i32}, a signature mismatch. Element k is function k + 2,
     * which returns (k + 2) mod 64. The table is exported as "t".
     */
    private static byte[] module(int elements) {
        int count = elements + 2;
        ModuleBytes functions = ModuleBytes.contents().u32(count).u32(0).u32(0);
        ModuleBytes code = ModuleBytes.contents().u32(count)
                .u32(7).bytes(0x00, 0x20, 0x00, 0x11, 0x01, 0x00, 0x0B)
                .u32(9).bytes(0x00, 0x41, 0x00, 0x20, 0x00, 0x11, 0x00, 0x00, 0x0B);
        ModuleBytes items = ModuleBytes.contents().u32(1).bytes(0x00, 0x41, 0x00, 0x0B).u32(elements);
        for (int f = 2; f < count; f++) {
            functions.u32(1);
            code.u32(4).bytes(0x00, 0x41, f % 64, 0x0B);
            items.u32(f);
        }
        return ModuleBytes.header()
                .section(1, ModuleBytes.contents().u32(2).bytes(0x60, 0x01, 0x7F, 0x01, 0x7F).bytes(0x60, 0x00, 0x01, 0x7F))
                .section(3, functions)
                .section(4, ModuleBytes.contents().u32(1).bytes(0x70, 0x00).u32(elements))
                .section(7, ModuleBytes.contents().u32(3)
                        .u32(3).bytes('r', 'u', 'n', 0x00).u32(0)
                        .u32(3).bytes('b', 'a', 'd', 0x00).u32(1)
                        .u32(1).bytes('t', 0x01).u32(0))
                .section(9, items)
                .section(10, code)
                .build();
    }

    @Test
    void aTableOfTenThousandFunctionsMakesNoObjectPerElementInTheInterpreter() {
        checkLazy(Tier.INTERP, ELEMENTS);
    }

    @Test
    void aTableOfTenThousandFunctionsMakesNoObjectPerElementOnTheAutoTier() {
        assumeTrue(Backends.host() != null, "a native backend for this machine");
        checkLazy(Tier.AUTO, ELEMENTS);
    }

    @Test
    void nativeCallIndirectRunsThroughDescriptorsWithoutObjects() {
        assumeTrue(Backends.host() != null, "a native backend for this machine");
        checkLazy(Tier.NATIVE, 1_000); // the native tier compiles every function here (no cache)
    }

    private static void checkLazy(Tier tier, int elements) {
        WasmModule module = WasmModule.of(module(elements), "table");
        try (Store store = new Store().tier(tier)) {
            Instance instance = store.instantiate(module, new Imports());
            assertEquals(2, instance.definedFunctionObjects(), "objects for the two exports only, none for " + elements + " elements");
            assertEquals(elements + 2, instance.filledDescriptors(), "a descriptor per element and export (declared references), no more");
            assertArrayEquals(new long[] {7}, instance.function("run").call(5));
            assertArrayEquals(new long[] {(elements + 1) % 64}, instance.function("run").call(elements - 1));
            WasmTrap mismatch = assertThrows(WasmTrap.class, () -> instance.function("bad").call(3));
            assertEquals(TrapKind.INDIRECT_CALL_TYPE_MISMATCH, mismatch.kind());
            assertEquals(2, instance.definedFunctionObjects(), "call_indirect makes no function object");

            TableInstance table = (TableInstance) instance.exports().get("t");
            FunctionInstance seventh = (FunctionInstance) table.element(7);
            assertEquals(3, instance.definedFunctionObjects(), "reading an element from Java makes its object");
            assertSame(seventh, table.element(7), "one object per function");
            assertArrayEquals(new long[] {9}, seventh.call());
            assertEquals(table.get(7), store.funcref(seventh), "the object's funcref is the element's descriptor");
            assertSame(seventh, store.function(table.get(7)));

            long raw = table.get(7);
            assertThrows(IllegalArgumentException.class, () -> store.function(raw + 8), "inside a descriptor is no funcref");
            table.setElement(8, seventh);
            assertArrayEquals(new long[] {9}, instance.function("run").call(8));
        }
    }
}
