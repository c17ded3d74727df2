package dev.kiln.interpreter;

import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;

/**
 * Family {@link Families#CALLS}: the calls the dispatch loop does not make itself — a
 * {@link Op#CALL} whose callee has no interpreter code yet (prepared now, at its first call) or
 * runs elsewhere (an import, native code), and {@link Op#CALL_INDIRECT} — and traps.
 */
final class CallOps {
    private CallOps() {
    }

    static int run(int op, long[] r, int[] c, int pc, int fp, InterpreterStack st, InstanceContext ctx) {
        return switch (op) {
            case Op.CALL -> call(r, c, pc, fp, st, ctx);
            case Op.CALL_INDIRECT -> callIndirect(r, c, pc, fp, st, ctx);
            case Op.TRAP -> throw new TrapException(TrapKind.fromCode(c[pc + 1]));
            default -> throw Families.badOpcode(op, pc);
        };
    }

    /** CALL func nargs nres args... results...: to a function the loop found no interpreter code for. */
    private static int call(long[] r, int[] c, int pc, int fp, InterpreterStack st, InstanceContext ctx) {
        int fi = c[pc + 1];
        CompiledFunction callee = ctx.prepare(fi);
        if (callee != null) return enter(st, callee, c, pc, fp);
        return callOut(r, c, pc, fp, st, ctx, fi, -1, 4 + c[pc + 2] + c[pc + 3]);
    }

    /** CALL_INDIRECT type nargs nres args... results... table index. */
    private static int callIndirect(long[] r, int[] c, int pc, int fp, InterpreterStack st, InstanceContext ctx) {
        int nargs = c[pc + 2];
        int nres = c[pc + 3];
        int table = c[pc + 4 + nargs + nres];
        long elem = r[fp + c[pc + 5 + nargs + nres]];
        int target = ctx.resolveIndirect(table, elem, c[pc + 1]);
        CompiledFunction callee = target >= 0 ? ctx.interpretedFunctions()[target] : null;
        if (callee != null) return enter(st, callee, c, pc, fp);
        return callOut(r, c, pc, fp, st, ctx, target, target >= 0 ? -1 : -1 - target, 6 + nargs + nres);
    }

    /** Pushes the running frame and makes {@code callee} the running one, its arguments copied from the call at {@code pc}. */
    static int enter(InterpreterStack st, CompiledFunction callee, int[] c, int pc, int fp) {
        int depth = st.depth;
        long bytes = st.bytes;
        int nfp = fp + st.fn().frameSize;
        st.push(callee, nfp + callee.frameSize); // may trap: call stack exhausted
        long[] r = st.slots;
        r[nfp - 1] = InterpreterStack.link(pc, fp);
        r[nfp - 2] = InterpreterStack.saved(bytes, depth);
        st.depth = depth + 1;
        st.running(callee);
        Interpreter.copyArgs(r, c, pc, fp, nfp);
        long[] k = callee.constants;
        if (k.length != 0) System.arraycopy(k, 0, r, nfp + callee.paramCount, k.length);
        st.pc = 0;
        st.fp = nfp;
        return Families.ENTERED;
    }

    /** Calls a function the interpreter does not run (by index, or by handle when {@code handle >= 0}); returns the next pc. */
    private static int callOut(long[] r, int[] c, int pc, int fp, InterpreterStack st, InstanceContext ctx,
                               int funcIndex, int handle, int length) {
        int nargs = c[pc + 2];
        int nres = c[pc + 3];
        long[] args = new long[nargs];
        for (int i = 0; i < nargs; i++) args[i] = r[fp + c[pc + 4 + i]];
        long[] res = handle >= 0 ? ctx.callHandle(handle, args) : ctx.callFunction(funcIndex, args);
        r = st.slots; // a re-entry may have grown the stack
        for (int i = 0; i < nres; i++) r[fp + c[pc + 4 + nargs + i]] = res[i];
        return pc + length;
    }
}
