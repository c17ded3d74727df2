package dev.kiln.backend.x64;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.IrBuilder;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.pass.EdgeSplitting;
import dev.kiln.ir.pass.Optimizer;
import dev.kiln.regalloc.Allocation;
import dev.kiln.regalloc.AllocationChecker;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RAX, RCX and RDX hold values, except around the instructions that use them as scratch. */
class X64RegisterFileTest {
    private static IrFunction prepared(String wat) {
        ValidatedModule vm = ValidatedModule.of(Wat.compile(wat));
        IrFunction f = IrBuilder.build(vm, 0);
        Optimizer.optimize(f);
        new EdgeSplitting().run(f);
        return f;
    }

    /** Eleven integers live at once: {@code (p0*p1) + ... } keeps every product until the sum. */
    /** Eleven integers live at once: {@code (p0 op 3) + (p1 op 4) + ...}, each term computed before the sum. */
    private static String elevenLive(String op) {
        String sum = null;
        for (int k = 0; k < 11; k++) {
            String term = "(i32." + op + " (local.get " + k + ") (i32.const " + (k + 3) + "))";
            sum = sum == null ? term : "(i32.add " + sum + " " + term + ")";
        }
        return "(module (func (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32) " + sum + "))";
    }

    @Test
    void elevenIntegersFitInRegisters() {
        IrFunction f = prepared(elevenLive("mul"));
        Allocation a = X64Backend.INSTANCE.allocate(f);
        AllocationChecker.check(a, X64RegisterFile.INSTANCE);
        assertEquals(0, a.slotCount(), "no value spilled");
        assertTrue(a.usedRegisters().get(Gpr.RAX.encoding()) || a.usedRegisters().get(Gpr.RCX.encoding())
                || a.usedRegisters().get(Gpr.RDX.encoding()), "RAX, RCX or RDX holds a value");
    }

    @Test
    void divisionKeepsItsRegistersFree() {
        IrFunction f = prepared(elevenLive("div_u"));
        Allocation a = X64Backend.INSTANCE.allocate(f);
        AllocationChecker.check(a, X64RegisterFile.INSTANCE); // fails if a value lives in RAX/RCX/RDX across a div
    }
}
