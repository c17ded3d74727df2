package dev.kiln.interpreter;

import java.util.Arrays;

/** A growable int array for emitting interpreter code, with positions to patch later. */
final class CodeBuffer {
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
        return Arrays.copyOf(code, size);
    }
}
