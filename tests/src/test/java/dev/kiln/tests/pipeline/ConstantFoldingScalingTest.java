package dev.kiln.tests.pipeline;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.IrBuilder;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.pass.ConstantFolding;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Folding away most of a block is linear in the block's size: removing folded instructions one by
 * one from the block's list (each removal shifting the rest down) took time quadratic in it, 200 000
 * foldable instructions about 100x as long as 20 000.
 */
class ConstantFoldingScalingTest {
    /** A function of one block of {@code n} additions of zero to a parameter (each folds away). */
    private static ValidatedModule additionsOfZero(int n) {
        StringBuilder body = new StringBuilder();
        for (int k = 0; k < n; k++) body.append("(local.set 0 (i32.add (local.get 0) (i32.const 0)))\n");
        return ValidatedModule.of(Wat.compile("(module (func (param i32) (result i32)\n" + body + "(local.get 0)))"));
    }

    /** CPU nanoseconds of constant folding on {@code f}. */
    private static long foldingTime(IrFunction f) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        new ConstantFolding().run(f);
        return threads.getCurrentThreadCpuTime() - start;
    }

    @Test
    void foldingABlockIsLinearInItsSize() {
        int n = 20_000;
        ValidatedModule smallModule = additionsOfZero(n), largeModule = additionsOfZero(10 * n);
        long small = Long.MAX_VALUE, large = Long.MAX_VALUE;
        for (int round = 0; round < 2; round++) { // best of two, the first also warms up
            small = Math.min(small, foldingTime(IrBuilder.build(smallModule, 0)));
            IrFunction big = IrBuilder.build(largeModule, 0);
            int before = big.entry().instructions.size();
            large = Math.min(large, foldingTime(big));
            assertEquals(2 * 10 * n, before, "one constant and one addition per line");
            assertEquals(10 * n, big.entry().instructions.size(), "every addition folds away (dead constants are left to DCE)");
        }
        // 10x the instructions, about 10x the time (below 10 ms, noise and fixed costs dominate)
        double growth = (double) large / Math.max(small, 10_000_000);
        String figures = String.format("n=%d: %.1f ms, 10n: %.1f ms (x%.1f)", n, small / 1e6, large / 1e6, growth);
        System.out.println("ConstantFoldingScalingTest: " + figures);
        assertTrue(growth < 30, figures);
    }
}
