package dev.kiln.regalloc;

import dev.kiln.frontend.ValType;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.pass.LoopSplitting;

/** A register file as live-range splitting ({@link LoopSplitting}, {@code CallSplitting}) counts it. */
public final class SplitRegisters {
    private SplitRegisters() {
    }

    public static LoopSplitting.Registers of(RegisterFile rf) {
        return new LoopSplitting.Registers() {
            @Override
            public int count(ValType type, boolean acrossCalls) {
                int n = 0;
                for (int r : rf.allocatable(rf.classOf(type))) if (!acrossCalls || !rf.isClobberedByCalls(r, type)) n++;
                return n;
            }

            @Override
            public boolean isCall(Instruction i) {
                return LiveIntervals.isCall(i);
            }
        };
    }
}
