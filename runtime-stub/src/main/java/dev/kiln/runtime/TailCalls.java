package dev.kiln.runtime;

import dev.kiln.backend.TailLaunchArea;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.interpreter.PendingTailCall;
import dev.kiln.ir.abi.VmContextLayout;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Tail calls from interpreted code into any function, made by native code (docs/design-changes.md,
 * "Tail calls across tiers"): when an interpreted function that native code called through the
 * adapter ends in a tail call, the call goes to the launch area ({@link TailLaunchArea}) and the
 * adapter's frame is replaced by the callee's, so a chain that alternates between tiers runs in
 * constant stack, native and Java alike.
 */
final class TailCalls {
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private TailCalls() {
    }

    /**
     * Writes {@code tail} to the launch area of execution state {@code state}; false when the
     * backend has no launcher, the callee has no native entry yet, or its arguments do not fit
     * (the caller then makes the call itself).
     */
    static boolean launch(long state, PendingTailCall tail) {
        NativeCodeMemory code = NativeCodeMemory.existing();
        if (code == null || code.tailLauncher() == 0 || !(tail.ctx() instanceof InterpreterBinding binding)) return false;
        FunctionInstance f = binding.tailTarget(tail.target());
        Store store = binding.instance().store();
        long descriptor = store.funcref(f);
        if (NATIVE.get(ValueLayout.JAVA_LONG, descriptor + VmContextLayout.FUNC_CODE) == 0) return false;
        FuncType t = f.funcType();
        int[] offsets = code.tailLaunchOffsets(t);
        if (offsets == null) return false;
        NATIVE.set(ValueLayout.JAVA_LONG, state + TailLaunchArea.LAUNCHER, code.tailLauncher());
        NATIVE.set(ValueLayout.JAVA_LONG, state + TailLaunchArea.DESCRIPTOR, descriptor);
        NATIVE.set(ValueLayout.JAVA_LONG, state + TailLaunchArea.STACK_BYTES, offsets[t.paramCount()]);
        long[] args = tail.args();
        for (int i = 0, k = 0; i < t.paramCount(); i++) {
            ValType p = t.param(i);
            long at = state + offsets[i];
            long v = args[k++];
            // native code takes i32 and f32 zero-extended (the interpreter keeps i32 sign-extended)
            NATIVE.set(ValueLayout.JAVA_LONG, at, p == ValType.I32 || p == ValType.F32 ? v & 0xFFFF_FFFFL : v);
            if (p == ValType.V128) NATIVE.set(ValueLayout.JAVA_LONG, at + 8, args[k++]);
        }
        return true;
    }
}
