package dev.kiln.regalloc;

import java.util.Arrays;

/**
 * The active intervals of {@link LinearScan}: a binary min-heap of values keyed by interval end,
 * with each value's index in the heap, so the scan can ask for the heap order of the few values
 * that hold registers without walking every active (mostly spilled) value. The sift steps are
 * those of {@link java.util.PriorityQueue}, so the heap array order, which breaks ties between
 * equal ends when a victim is chosen, is the same one the scan saw when it kept a PriorityQueue.
 */
final class ActiveIntervals {
    private final int[] end;
    private final int[] index;
    private int[] heap = new int[16];
    private int size;

    /** {@code end[v]} is the end of value {@code v}'s interval; {@code valueCount} bounds the values. */
    ActiveIntervals(int[] end) {
        this.end = end;
        this.index = new int[end.length];
        Arrays.fill(index, -1);
    }

    boolean isEmpty() {
        return size == 0;
    }

    int peekEnd() {
        return end[heap[0]];
    }

    /** The heap position of an active value (lower comes first in iteration order), -1 if inactive. */
    int position(int v) {
        return index[v];
    }

    void add(int v) {
        if (size == heap.length) heap = Arrays.copyOf(heap, size * 2);
        siftUp(size++, v);
    }

    int poll() {
        int result = heap[0];
        index[result] = -1;
        int n = --size;
        int x = heap[n];
        if (n > 0) siftDown(0, x, n);
        return result;
    }

    private void place(int k, int v) {
        heap[k] = v;
        index[v] = k;
    }

    private void siftUp(int k, int x) {
        while (k > 0) {
            int parent = (k - 1) >>> 1;
            int e = heap[parent];
            if (end[x] >= end[e]) break;
            place(k, e);
            k = parent;
        }
        place(k, x);
    }

    private void siftDown(int k, int x, int n) {
        int half = n >>> 1;
        while (k < half) {
            int child = (k << 1) + 1;
            int c = heap[child];
            int right = child + 1;
            if (right < n && end[c] > end[heap[right]]) c = heap[child = right];
            if (end[x] <= end[c]) break;
            place(k, c);
            k = child;
        }
        place(k, x);
    }
}
