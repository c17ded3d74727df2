package dev.kiln.interpreter.gc;

import dev.kiln.frontend.ConstInstr;

/**
 * The GC instructions of constant expressions (struct.new, struct.new_default, array.new,
 * array.new_default, array.new_fixed, ref.i31, any.convert_extern, extern.convert_any) on an
 * evaluator's operand stack of one slot per value, two for a v128 (low half first, as in the
 * interpreter). The caller keeps collections deferred while values sit on that stack.
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
                int slots = 0;
                for (int k = 0; k < n; k++) slots += slots(t.fieldSize(k));
                long o = heap.allocate(t, 0);
                int from = sp - slots;
                for (int k = 0; k < n; k++) from = write(stack, from, GcObjects.field(o, t, k), t.fieldSize(k));
                sp -= slots;
                stack[sp++] = o;
            }
            case STRUCT_NEW_DEFAULT -> stack[sp++] = heap.allocate(types[(int) ci.imm()], 0);
            case ARRAY_NEW -> {
                GcType t = types[(int) ci.imm()];
                long n = stack[sp - 1] & 0xFFFF_FFFFL;
                int size = t.elementSize();
                int from = sp - 1 - slots(size);
                long o = heap.allocate(t, n);
                for (long i = 0; i < n; i++) write(stack, from, GcObjects.element(o, t, i), size);
                sp = from;
                stack[sp++] = o;
            }
            case ARRAY_NEW_DEFAULT -> {
                GcType t = types[(int) ci.imm()];
                stack[sp - 1] = heap.allocate(t, stack[sp - 1] & 0xFFFF_FFFFL);
            }
            case ARRAY_NEW_FIXED -> {
                GcType t = types[(int) ci.imm()];
                int n = (int) ci.imm2();
                int size = t.elementSize();
                long o = heap.allocate(t, n);
                int from = sp - n * slots(size);
                sp = from;
                for (int i = 0; i < n; i++) from = write(stack, from, GcObjects.element(o, t, i), size);
                stack[sp++] = o;
            }
            default -> throw new IllegalStateException("not a constant GC instruction: " + ci.op());
        }
        return sp;
    }

    /** Stack slots a value of a field of {@code size} bytes takes. */
    private static int slots(int size) {
        return size == 16 ? 2 : 1;
    }

    /** Writes the value at {@code stack[from]} (and the next slot for a v128) to a field; returns the slot after it. */
    private static int write(long[] stack, int from, long address, int size) {
        if (size == 16) {
            GcObjects.write(address, 8, stack[from]);
            GcObjects.write(address + 8, 8, stack[from + 1]);
            return from + 2;
        }
        GcObjects.write(address, size, stack[from]);
        return from + 1;
    }
}
