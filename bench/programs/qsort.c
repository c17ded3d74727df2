// Sorting a million pseudo-random integers twice: libc's qsort (a comparison function called through a
// pointer) and a hand-written introsort-like quicksort with insertion sort for small ranges.
#include <stdlib.h>

static unsigned seed;
static unsigned next(void) { seed = seed * 1664525u + 1013904223u; return seed; }

static int compare(const void *a, const void *b) {
    int x = *(const int *) a, y = *(const int *) b;
    return (x > y) - (x < y);
}

static void insertion(int *a, int n) {
    for (int i = 1; i < n; i++) {
        int v = a[i], j = i - 1;
        while (j >= 0 && a[j] > v) { a[j + 1] = a[j]; j--; }
        a[j + 1] = v;
    }
}

static void quick(int *a, int n) {
    while (n > 16) {
        int p = a[n / 2], i = 0, j = n - 1;
        while (i <= j) {
            while (a[i] < p) i++;
            while (a[j] > p) j--;
            if (i <= j) { int t = a[i]; a[i] = a[j]; a[j] = t; i++; j--; }
        }
        if (j + 1 < n - i) { quick(a, j + 1); a += i; n -= i; } else { quick(a + i, n - i); n = j + 1; }
    }
    insertion(a, n);
}

__attribute__((export_name("run"))) int run(int n) {
    int *a = malloc(n * sizeof(int)), *b = malloc(n * sizeof(int));
    seed = 42;
    for (int i = 0; i < n; i++) a[i] = b[i] = (int) (next() >> 4);
    qsort(a, n, sizeof(int), compare);
    quick(b, n);
    unsigned sum = 0;
    for (int i = 0; i < n; i++) sum = sum * 31 + (unsigned) (a[i] ^ b[i]) + (unsigned) a[i] * (i & 7);
    free(a);
    free(b);
    return (int) sum;
}
