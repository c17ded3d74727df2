package dev.kiln.interpreter.gc;

import dev.kiln.frontend.ConstInstr;

/**
 * The GC instructions of constant expressions (struct.new, struct.new_default, array.new,
 * array.new_default, array.new_fixed, ref.i31, any.convert_extern, extern.convert_any) on an
 * evaluator's operand stack of one word per value (a v128 field takes its low half only:
 * constant expressions of v128 fields are not supported yet). The caller keeps collections
 * deferred while values sit on that stack.
 */
public final class ConstGc {
    private ConstGc() {
    }

    /** Runs {@code ci} on {@code stack[0, sp)}; returns the new stack height. */
    public static int eval(ConstInstr ci, long[] stack, int sp, GcType[] types, GcHeap heap) {
        switch (ci.op()) {
            case REF_I31 -> stack[sp - 1] = GcRefs.i31((int) stack[sp - 1]);
            case ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY -> { }
            case STRUCT_NEW -> {
                GcType t = types[(int) ci.imm()];
                int n = t.fieldCount();
                long o = heap.allocate(t, 0);
                for (int k = 0; k < n; k++) GcObjects.write(GcObjects.field(o, t, k), Math.min(8, t.fieldSize(k)), stack[sp - n + k]);
                sp -= n;
                stack[sp++] = o;
            }
            case STRUCT_NEW_DEFAULT -> stack[sp++] = heap.allocate(types[(int) ci.imm()], 0);
            case ARRAY_NEW -> {
                GcType t = types[(int) ci.imm()];
                long n = stack[sp - 1] & 0xFFFF_FFFFL;
                long v = stack[sp - 2];
                long o = heap.allocate(t, n);
                for (long i = 0; i < n; i++) GcObjects.write(GcObjects.element(o, t, i), Math.min(8, t.elementSize()), v);
                sp -= 2;
                stack[sp++] = o;
            }
            case ARRAY_NEW_DEFAULT -> {
                GcType t = types[(int) ci.imm()];
                stack[sp - 1] = heap.allocate(t, stack[sp - 1] & 0xFFFF_FFFFL);
            }
            case ARRAY_NEW_FIXED -> {
                GcType t = types[(int) ci.imm()];
                int n = (int) ci.imm2();
                long o = heap.allocate(t, n);
                for (int i = 0; i < n; i++) GcObjects.write(GcObjects.element(o, t, i), Math.min(8, t.elementSize()), stack[sp - n + i]);
                sp -= n;
                stack[sp++] = o;
            }
            default -> throw new IllegalStateException("not a constant GC instruction: " + ci.op());
        }
        return sp;
    }
}
