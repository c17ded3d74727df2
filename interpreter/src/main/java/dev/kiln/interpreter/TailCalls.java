package dev.kiln.interpreter;

/**
 * Tail calls ({@code return_call}, {@code return_call_indirect}, {@code return_call_ref}) in the
 * interpreter: the callee's frame replaces the caller's in place, so a chain of tail calls runs
 * in constant interpreter stack, and the callee returns straight to the caller's caller.
 */
final class TailCalls {
    private TailCalls() {
    }

    /**
     * Runs the tail call at {@code pc} of {@code fn}'s frame at {@code fp}. An interpreted callee
     * takes over the frame: it is returned, with its arguments and constants in place. Any other
     * callee (an import, native code, another instance) is called here; its results are left in
     * the frame's result slots and null is returned, so the caller continues at the function's
     * shared return.
     */
    static CompiledFunction enter(InterpreterStack st, InstanceContext ctx, CompiledFunction[] functions,
                                  CompiledFunction fn, int pc, int fp) {
        int[] c = fn.code;
        long[] r = st.slots;
        int op = c[pc];
        int target;
        int nargs;
        int argsAt;
        if (op == Op.RETURN_CALL) {
            target = c[pc + 1];
            nargs = c[pc + 2];
            argsAt = pc + 3;
        } else {
            nargs = c[pc + 3];
            argsAt = pc + 4;
            long callee = r[fp + c[argsAt + nargs]];
            target = op == Op.RETURN_CALL_REF ? ctx.resolveRef(callee) : ctx.resolveIndirect(c[pc + 2], (int) callee, c[pc + 1]);
        }
        long[] args = new long[nargs];
        for (int i = 0; i < nargs; i++) args[i] = r[fp + c[argsAt + i]];
        CompiledFunction callee = target >= 0 ? functions[target] : null;
        if (callee != null) {
            st.ensureSlots(fp + callee.frameSize);
            r = st.slots;
            System.arraycopy(args, 0, r, fp, nargs);
            System.arraycopy(callee.constants, 0, r, fp + callee.paramCount, callee.constants.length);
            Interpreter.countCall(st, ctx, callee);
            return callee;
        }
        long[] results = target >= 0 ? ctx.callFunction(target, args) : ctx.callHandle(-1 - target, args);
        r = st.slots;
        for (int k = 0; k < results.length; k++) r[fp + fn.osrResultSlot + k] = results[k];
        return null;
    }
}
