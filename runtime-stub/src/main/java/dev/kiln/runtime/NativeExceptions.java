package dev.kiln.runtime;

import dev.kiln.frontend.ValType;
import dev.kiln.ir.ThrownException;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.RuntimeHelper;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The runtime's side of exceptions in native code (docs/design-changes.md, "Exceptions in native
 * code"): the helpers that raise an exception for a native throw, search the native frames for a
 * call site with an exception dispatch, and match a dispatch's clauses. An exception in flight
 * waits in the execution state (trap code THROW, the exception in {@link ExecutionState}'s
 * pending slot) until a clause takes it or the entry trampoline hands it to the Java caller.
 */
final class NativeExceptions {
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private NativeExceptions() {
    }

    static long helper(RuntimeHelper h, long vmctx, Instance i, long a, long b) {
        long state = NativeUpcalls.stateOf(vmctx);
        return switch (h) {
            case THROW -> {
                TagInstance tag = i.tags[(int) a];
                ValType[] types = tag.funcType().params();
                ExecutionState.raise(state, new ThrownException(tag, NativeValues.read(state + ExecutionStateLayout.returnSlot(0), types)));
                yield 0;
            }
            case THROW_REF -> {
                if (a == 0) throw new TrapException(TrapKind.NULL_EXCEPTION_REFERENCE);
                ExecutionState.raise(state, i.store().exception(a));
                yield 0;
            }
            case CATCH -> caught(state, i, (int) a, b != 0);
            case FIND_HANDLER -> findHandler(state, a, b);
            default -> throw new IllegalStateException("not an exception helper: " + h);
        };
    }

    /**
     * A dispatch's clause for tag {@code tag} of the frame's instance (-1: any): when the pending
     * exception matches, its payload (then its exnref when asked) goes to the return area, the
     * exception stops being pending, and the result is 1.
     */
    private static long caught(long state, Instance i, int tag, boolean withExnref) {
        ThrownException e = ExecutionState.pendingThrow();
        if (e == null || NATIVE.get(ValueLayout.JAVA_INT, state + ExecutionStateLayout.TRAP_CODE) != ExecutionStateLayout.THROW) {
            throw new IllegalStateException("an exception dispatch ran with no exception pending");
        }
        int n = 0;
        if (tag >= 0) {
            TagInstance t = i.tags[tag];
            if (t != e.tag) return 0;
            ValType[] types = t.funcType().params();
            NativeValues.write(state + ExecutionStateLayout.returnSlot(0), types, e.payload);
            n = types.length;
        }
        if (withExnref) NATIVE.set(ValueLayout.JAVA_LONG, state + ExecutionStateLayout.returnSlot(n), i.store().exnRef(e));
        ExecutionState.takePendingThrow();
        NATIVE.set(ValueLayout.JAVA_INT, state + ExecutionStateLayout.TRAP_CODE, 0);
        return 1;
    }

    /**
     * Walks the frame-pointer chain from the trap routine's caller up to the innermost entry
     * trampoline: {@code ra} is the return address into the code that raised the exception,
     * {@code fp} its frame; each frame record gives the next return address and frame. The first
     * return address with an exception dispatch wins: its frame pointer goes to HANDLER_FP and its
     * dispatch address is the result (which then matches the clauses). 0 when none: the exception
     * leaves the native code through the trampoline.
     */
    private static long findHandler(long state, long ra, long fp) {
        NativeCodeMemory code = NativeCodeMemory.existing();
        if (code == null) return 0;
        long entryFp = NATIVE.get(ValueLayout.JAVA_LONG, state + ExecutionStateLayout.ENTRY_FP);
        for (int depth = 0; fp != 0 && fp != entryFp && depth < 1_000_000; depth++) {
            long dispatch = code.dispatchAt(ra);
            if (dispatch != 0) {
                NATIVE.set(ValueLayout.JAVA_LONG, state + ExecutionStateLayout.HANDLER_FP, fp);
                return dispatch;
            }
            ra = NATIVE.get(ValueLayout.JAVA_LONG, fp + 8);
            fp = NATIVE.get(ValueLayout.JAVA_LONG, fp);
        }
        return 0;
    }
}
