package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.WasmFrame;
import dev.kiln.ir.abi.ExecutionStateLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Calls native code from Java: through the entry trampoline of the function's type, with the
 * arguments and results in a per-thread native buffer. A nonzero return is a trap (or proc_exit):
 * it becomes a {@link TrapException} carrying any trap raised in Java on the way (host function,
 * nested call) plus the native frames the trap routine recorded, innermost first.
 */
final class NativeBinding {
    private static final ThreadLocal<MemorySegment> BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(8L * ExecutionStateLayout.MAX_RESULTS, 16));

    private NativeBinding() {
    }

    static long[] invoke(Instance instance, FuncType type, long code, long[] args) {
        NativeCodeMemory natives = NativeCodeMemory.get(instance.store().backend());
        MethodHandle entry = natives.entry(type);
        MemorySegment buf = BUFFER.get();
        for (int i = 0; i < args.length; i++) buf.setAtIndex(ValueLayout.JAVA_LONG, i, args[i]);
        int result;
        try {
            // measured last: nothing between here and the call blocks, so a virtual thread stays on this carrier
            long stackLimit = instance.store().nativeStackLimit();
            result = (int) entry.invokeExact(instance.vmctxAddress(), code, buf.address(), stackLimit);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            // the instance keeps its module, and so the code that just ran, from being freed meanwhile
            java.lang.ref.Reference.reachabilityFence(instance);
        }
        if (result == 0) {
            long[] out = new long[type.resultCount()];
            for (int i = 0; i < out.length; i++) {
                long v = buf.getAtIndex(ValueLayout.JAVA_LONG, i);
                out[i] = type.result(i) == dev.kiln.frontend.ValType.I32 || type.result(i) == dev.kiln.frontend.ValType.F32
                        ? v & 0xFFFF_FFFFL : v;
            }
            return out;
        }
        if (result == ExecutionStateLayout.EXIT) {
            ExecutionState.takePendingTrap();
            throw new ProcessExit(ExecutionState.takePendingExit());
        }
        TrapException t = ExecutionState.takePendingTrap();
        if (t == null) t = new TrapException(TrapKind.fromCode(result));
        ExecutionState state = instance.store().state();
        for (int i = 0, n = state.frameCount(); i < n; i++) {
            WasmFrame f = natives.frameAt(state.frame(i));
            if (f != null) t.addFrame(f);
        }
        throw t;
    }
}
