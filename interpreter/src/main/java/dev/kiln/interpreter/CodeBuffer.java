package dev.kiln.interpreter;

import java.util.Arrays;

/** A growable int array for emitting interpreter code, with positions to patch later. */
final class CodeBuffer {
    /**
     * Spare zero words after a function's last instruction: the dispatch loop reads
     * {@code c[pc + PADDING]} at every instruction (the longest core instruction's last operand),
     * so that the JIT checks the code array's bounds once per instruction instead of once per operand.
     */
    static final int PADDING = 5;

    private int[] code = new int[64];
    private int size;

    int position() {
        return size;
    }

    void emit(int v) {
        if (size == code.length) code = Arrays.copyOf(code, size * 2);
        code[size++] = v;
    }

    void emit(int... vs) {
        for (int v : vs) emit(v);
    }

    int get(int position) {
        return code[position];
    }

    void set(int position, int v) {
        code[position] = v;
    }

    int[] toArray() {
        return Arrays.copyOf(code, size + PADDING);
    }
}
