package dev.kiln.regalloc;

import java.util.Arrays;

/** A small unordered set of value numbers kept in an array (removal swaps in the last one). */
final class ValueList {
    private int[] values = new int[16];
    private int size;

    int size() {
        return size;
    }

    int get(int i) {
        return values[i];
    }

    void add(int v) {
        if (size == values.length) values = Arrays.copyOf(values, size * 2);
        values[size++] = v;
    }

    /** Removes {@code v} if present. */
    void remove(int v) {
        for (int i = 0; i < size; i++) {
            if (values[i] == v) {
                values[i] = values[--size];
                return;
            }
        }
    }
}
