package dev.kiln.runtime;

import dev.kiln.frontend.Opcode;
import dev.kiln.interpreter.GcInstructions;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.RuntimeHelper;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The runtime's GC helper ({@link RuntimeHelper#GC}): a GC instruction of native code, carried
 * out by the interpreter's implementation. The operands come from the execution state's return
 * area and stay GC roots while it runs (an allocation may collect; they are in no native frame).
 */
final class NativeGcHelper {
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final Opcode[] OPCODES = Opcode.values();

    private NativeGcHelper() {
    }

    /** Returns the result's low 8 bytes (or 0); the whole result is in return slot 0. */
    static long run(Instance instance, long state, long opcode, long x, long y, long counts) {
        int nargs = (int) counts;
        int nres = (int) (counts >>> 32);
        long[] slots = new long[2 * (nargs + nres)];
        for (int k = 0; k < nargs; k++) {
            slots[2 * k] = NATIVE.get(ValueLayout.JAVA_LONG, state + ExecutionStateLayout.returnSlot(k));
            slots[2 * k + 1] = NATIVE.get(ValueLayout.JAVA_LONG, state + ExecutionStateLayout.returnSlot(k) + 8);
        }
        Store store = instance.store();
        long[] outer = store.gcOperands(slots);
        try {
            GcInstructions.run(instance.interpreterContext(), OPCODES[(int) opcode], x, y, slots, nargs, nres);
        } finally {
            store.gcOperands(outer);
        }
        if (nres == 0) return 0;
        NATIVE.set(ValueLayout.JAVA_LONG, state + ExecutionStateLayout.returnSlot(0), slots[2 * nargs]);
        NATIVE.set(ValueLayout.JAVA_LONG, state + ExecutionStateLayout.returnSlot(0) + 8, slots[2 * nargs + 1]);
        return slots[2 * nargs];
    }
}
