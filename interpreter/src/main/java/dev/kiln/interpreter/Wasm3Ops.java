package dev.kiln.interpreter;

import dev.kiln.ir.ThrownException;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;

/**
 * Family {@link Families#WASM3}: WebAssembly 3.0 calls and exceptions. {@link Op#CALL_REF} calls through a
 * function reference; the tail calls ({@link Op#RETURN_CALL}, {@link Op#RETURN_CALL_INDIRECT},
 * {@link Op#RETURN_CALL_REF}) let the callee take over the caller's frame, so a chain of tail
 * calls runs in constant interpreter stack and the callee returns straight to the caller's caller.
 * {@link Op#THROW} and {@link Op#THROW_REF} raise a {@link ThrownException}, which the interpreter
 * loop delivers to the innermost matching handler ({@link Interpreter}); the landing code's
 * {@link Op#CATCH} takes the payload.
 */
final class Wasm3Ops {
    private Wasm3Ops() {
    }

    static int run(int op, long[] r, int[] c, int pc, int fp, InterpreterStack st, InstanceContext ctx) {
        switch (op) {
            case Op.THROW -> {
                long[] payload = new long[c[pc + 2]];
                for (int i = 0; i < payload.length; i++) payload[i] = r[fp + c[pc + 3 + i]];
                throw new ThrownException(ctx.tag(c[pc + 1]), payload);
            }
            case Op.THROW_REF -> {
                long ref = r[fp + c[pc + 1]];
                if (ref == 0) throw new TrapException(TrapKind.NULL_EXCEPTION_REFERENCE);
                throw ctx.exception(ref);
            }
            case Op.CATCH -> {
                ThrownException e = st.caught;
                st.caught = null;
                int n = c[pc + 1];
                for (int i = 0; i < n; i++) r[fp + c[pc + 3 + i]] = e.payload[i];
                if (c[pc + 2] >= 0) r[fp + c[pc + 2]] = ctx.exnRef(e);
                return pc + 3 + n;
            }
            default -> {
                return callOrTailCall(op, r, c, pc, fp, st, ctx);
            }
        }
    }

    private static int callOrTailCall(int op, long[] r, int[] c, int pc, int fp, InterpreterStack st, InstanceContext ctx) {
        int nargs = c[pc + 2];
        int target;
        if (op == Op.RETURN_CALL) {
            target = c[pc + 1];
        } else {
            int nres = c[pc + 3];
            long callee = r[fp + c[pc + 5 + nargs + nres]];
            target = op == Op.RETURN_CALL_INDIRECT ? ctx.resolveIndirect(c[pc + 4 + nargs + nres], callee, c[pc + 1])
                    : ctx.resolveRef(callee);
        }
        CompiledFunction callee = target >= 0 ? ctx.prepare(target) : null;
        if (op == Op.CALL_REF) return call(r, c, pc, fp, st, ctx, callee, target);
        return tailCall(r, c, pc, fp, st, ctx, callee, target);
    }

    /** CALL_REF: pushes a frame for an interpreted callee, or calls out and stores the results. */
    private static int call(long[] r, int[] c, int pc, int fp, InterpreterStack st, InstanceContext ctx,
                            CompiledFunction callee, int target) {
        int nargs = c[pc + 2];
        int nres = c[pc + 3];
        if (callee != null) return CallOps.enter(st, callee, c, pc, fp);
        long[] res = callOut(r, c, pc, fp, ctx, target);
        long[] s = st.slots; // a re-entry may have grown the stack
        for (int i = 0; i < nres; i++) s[fp + c[pc + 4 + nargs + i]] = res[i];
        return pc + Op.lengthAt(c, pc);
    }

    /**
     * A tail call: an interpreted callee takes over the running frame (its arguments and constants
     * in place); any other callee runs now ({@link Interpreter#callInTail}), and its results leave
     * through the caller's shared return ({@link CompiledFunction#osrReturnPc}), as an OSR
     * continuation's do; or, from the bottom frame of an invocation whose caller makes tail calls,
     * the call is left to that caller ({@link PendingTailCall}).
     */
    private static int tailCall(long[] r, int[] c, int pc, int fp, InterpreterStack st, InstanceContext ctx,
                                CompiledFunction callee, int target) {
        int nargs = c[pc + 2];
        CompiledFunction fn = st.fn();
        if (callee != null) {
            // no allocation: the arguments go through the slots above the frame (they may overlap their destinations)
            int above = fp + fn.frameSize;
            st.bytes -= fn.stackBytes; // the callee's frame replaces the caller's
            st.push(callee, Math.max(fp + callee.frameSize, above + nargs));
            long[] s = st.slots;
            Interpreter.copyArgs(s, c, pc, fp, above);
            System.arraycopy(s, above, s, fp, nargs);
            preload(s, fp, callee);
            st.running(callee);
            st.pc = 0;
            return Families.ENTERED;
        }
        long[] args = new long[nargs];
        for (int i = 0; i < nargs; i++) args[i] = r[fp + c[pc + 4 + i]];
        if (st.depth == st.base && st.baseMayTail) { // the invocation's caller makes it: constant stack
            st.pendingTail = new PendingTailCall(ctx, target, args);
            return fn.osrReturnPc; // ends the invocation; its results are not read
        }
        long[] res = Interpreter.callInTail(ctx, target, args);
        long[] s = st.slots;
        for (int k = 0; k < res.length; k++) s[fp + fn.osrResultSlot + k] = res[k];
        return fn.osrReturnPc;
    }

    private static long[] callOut(long[] r, int[] c, int pc, int fp, InstanceContext ctx, int target) {
        int nargs = c[pc + 2];
        long[] args = new long[nargs];
        for (int i = 0; i < nargs; i++) args[i] = r[fp + c[pc + 4 + i]];
        return target >= 0 ? ctx.callFunction(target, args) : ctx.callHandle(-1 - target, args);
    }

    private static void preload(long[] s, int fp, CompiledFunction callee) {
        long[] k = callee.constants;
        if (k.length != 0) System.arraycopy(k, 0, s, fp + callee.paramCount, k.length);
    }
}
