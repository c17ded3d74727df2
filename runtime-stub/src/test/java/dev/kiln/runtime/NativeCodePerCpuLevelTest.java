package dev.kiln.runtime;

import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Target;
import dev.kiln.runtime.internal.HostCpu;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A module's native code is made per CPU level: a store limited to a lower level ({@link Store#cpu})
 * never runs code another store of a higher level made first (with instructions the lower level
 * lacks), and stores of one level share one copy.
 */
class NativeCodePerCpuLevelTest {
    private static final byte[] MODULE = Wat.compile("""
            (module (func (export "pop") (param i32) (result i32) (i32.popcnt (local.get 0))))
            """);

    /** True when {@code code} has a POPCNT instruction (F3, an optional REX prefix, 0F B8). */
    private static boolean hasPopcnt(byte[] code) {
        for (int i = 0; i + 2 < code.length; i++) {
            if ((code[i] & 0xff) != 0xF3) continue;
            int j = i + 1;
            if ((code[j] & 0xf0) == 0x40) j++;
            if (j + 1 < code.length && (code[j] & 0xff) == 0x0F && (code[j + 1] & 0xff) == 0xB8) return true;
        }
        return false;
    }

    @Test
    void storesOfDifferentLevelsNeverShareCode() {
        CpuFeatures host = HostCpu.level();
        assumeTrue(host != null && host.target() == Target.X86_64 && host.includes(CpuFeatures.X86_64_V2), "an x86-64-v2 machine");
        WasmModule m = WasmModule.of(MODULE);
        int pop = m.validated().module().importedFunctionCount();
        try (Store high = new Store().tier(Tier.NATIVE); Store low = new Store().tier(Tier.NATIVE).cpu(CodeTarget.X86_64);
             Store high2 = new Store().tier(Tier.NATIVE)) {
            // the higher level first: before code was made per level, the baseline store ran this store's code
            assertArrayEquals(new long[] {3}, high.instantiate(m, new Imports()).function("pop").call(7));
            assertArrayEquals(new long[] {32}, low.instantiate(m, new Imports()).function("pop").call(-1));
            assertArrayEquals(new long[] {1}, high2.instantiate(m, new Imports()).function("pop").call(8));
            NativeModule highCode = m.existingNativeCode(host, CodeOptions.DEFAULT);
            NativeModule lowCode = m.existingNativeCode(CpuFeatures.X86_64, CodeOptions.DEFAULT);
            assertNotNull(lowCode, "the baseline store has code of its own");
            assertNotSame(highCode, lowCode);
            assertEquals(CpuFeatures.X86_64, lowCode.backend().cpu());
            MachineCode lowPop = lowCode.machineCode(pop), highPop = highCode.machineCode(pop);
            assertFalse(hasPopcnt(lowPop.code()), "baseline code computes popcnt without the instruction");
            assertTrue(hasPopcnt(highPop.code()), "code for " + host + " uses POPCNT");
            assertTrue(lowCode.address(pop) != highCode.address(pop), "two copies of the code");
        }
    }
}
