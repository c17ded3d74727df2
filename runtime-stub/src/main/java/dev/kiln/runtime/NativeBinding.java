package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ImplementationLimits;
import dev.kiln.ir.ThrownException;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.WasmFrame;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.linker.DamagedObjectException;
import dev.kiln.linker.MappedObject;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;

/**
 * Calls native code from Java: through the entry trampoline of the function's type, with the
 * arguments and results in a per-thread native buffer. A nonzero return is a trap (or proc_exit):
 * it becomes a {@link TrapException} carrying any trap raised in Java on the way (host function,
 * nested call) plus the native frames the trap routine recorded, innermost first.
 */
final class NativeBinding {
    /** Parameters or results a function type of a module may have (an OSR variant may have more). */
    private static final int MAX_VALUES = Math.max(ImplementationLimits.MAX_PARAMS, ImplementationLimits.MAX_RESULTS);
    private static final ThreadLocal<MemorySegment> BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(NativeValues.bytes(MAX_VALUES), 16));

    private NativeBinding() {
    }

    static long[] invoke(Instance instance, FuncType type, long code, long[] args) {
        NativeCodeMemory natives = NativeCodeMemory.get(instance.store().backend());
        MemorySegment entry = natives.entry(type);
        int values = Math.max(type.paramCount(), type.resultCount());
        MemorySegment buf = values <= MAX_VALUES ? BUFFER.get() : Arena.ofAuto().allocate(NativeValues.bytes(values), 16);
        NativeValues.write(buf.address(), type.params(), args);
        int result;
        try {
            // measured last: nothing between here and the call blocks, so a virtual thread stays on this carrier
            long stackLimit = instance.store().nativeStackLimit();
            instance.store().nativeEntering();
            try {
                result = (int) NativeCodeMemory.EntryCall.HANDLE.invokeExact(entry, instance.vmctxAddress(), code, buf.address(), stackLimit);
            } finally {
                instance.store().nativeLeft();
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            // the instance keeps its module, and so the code that just ran, from being freed meanwhile
            Reference.reachabilityFence(instance);
        }
        if (result == 0) return NativeValues.read(buf.address(), type.results());
        instance.store().state().clearTrapCode(); // the Java caller handles it from here (a caught exception must not stay in flight)
        if (result == ExecutionStateLayout.THROW) {
            ExecutionState.takePendingTrap();
            ThrownException e = ExecutionState.takePendingThrow();
            if (e != null) throw e;
        }
        if (result == ExecutionStateLayout.EXIT) {
            ExecutionState.takePendingTrap();
            throw new ProcessExit(ExecutionState.takePendingExit());
        }
        if (result == ExecutionStateLayout.DAMAGED_CODE) {
            ExecutionState.takePendingTrap();
            ExecutionState state = instance.store().state();
            long pc = state.frameCount() > 0 ? state.frame(0) : 0;
            MappedObject o = natives.mappedObjectAt(pc);
            throw new DamagedObjectException(o == null ? null : o.path(), "cached code "
                    + (o == null ? "" : "in " + o.path() + " ") + "is damaged: a 64 KiB block of its text failed its digest"
                    + " when first used, at 0x" + Long.toHexString(pc) + "; it was never run");
        }
        TrapException pending = ExecutionState.takePendingTrap();
        TrapException t = pending != null ? pending : new TrapException(trapKind(result));
        ExecutionState state = instance.store().state();
        if (pending == null && t.kind == TrapKind.OUT_OF_BOUNDS_MEMORY && state.frameCount() > 0
                && !natives.isTrapSite(state.frame(0), t.kind)) {
            // the guard-page handler turns every fault in kiln's code into this trap: one that is not at a
            // recorded access is a fault kiln's code must never make
            throw new IllegalStateException("native code faulted at 0x" + Long.toHexString(state.frame(0))
                    + ", which is not a memory access of Wasm code");
        }
        for (int i = 0, n = state.frameCount(); i < n; i++) {
            for (WasmFrame f : natives.framesAt(state.frame(i))) t.addFrame(f);
        }
        t.addOmittedFrames(state.walkedFrames() - state.frameCount());
        throw t;
    }

    /**
     * The trap a nonzero entry result names. A code no trap kind has means kiln's own code is broken
     * (a trap routine or trampoline wrote garbage): say so plainly instead of a trap with no kind.
     */
    static TrapKind trapKind(int result) {
        TrapKind kind = TrapKind.fromCode(result);
        if (kind == null) {
            throw new IllegalStateException("native code returned " + result + ", which is neither a trap code nor a"
                    + " known exit of the entry trampoline: an internal error in kiln's generated code");
        }
        return kind;
    }
}
