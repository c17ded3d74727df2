// LU decomposition with partial pivoting and a solve (LINPACK's kernel): f64 row operations over a
// matrix in memory.
#include <math.h>
#include <stdlib.h>

static void decompose(double *a, int *piv, int n) {
    for (int k = 0; k < n; k++) {
        int p = k;
        for (int i = k + 1; i < n; i++) if (fabs(a[i * n + k]) > fabs(a[p * n + k])) p = i;
        piv[k] = p;
        if (p != k) for (int j = 0; j < n; j++) { double t = a[k * n + j]; a[k * n + j] = a[p * n + j]; a[p * n + j] = t; }
        double d = 1 / a[k * n + k];
        for (int i = k + 1; i < n; i++) {
            double f = a[i * n + k] *= d;
            double *row = a + i * n, *pivot = a + k * n;
            for (int j = k + 1; j < n; j++) row[j] -= f * pivot[j];
        }
    }
}

static void solve(const double *a, const int *piv, double *b, int n) {
    for (int k = 0; k < n; k++) { double t = b[piv[k]]; b[piv[k]] = b[k]; b[k] = t; }
    for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) b[i] -= a[i * n + j] * b[j];
    for (int i = n - 1; i >= 0; i--) { for (int j = i + 1; j < n; j++) b[i] -= a[i * n + j] * b[j]; b[i] /= a[i * n + i]; }
}

__attribute__((export_name("run"))) int run(int n) {
    double *a = malloc(n * n * sizeof(double)), *b = malloc(n * sizeof(double));
    int *piv = malloc(n * sizeof(int));
    unsigned seed = 7;
    for (int i = 0; i < n * n; i++) { seed = seed * 1664525u + 1013904223u; a[i] = (seed >> 8) / 16777216.0 - 0.5; }
    for (int i = 0; i < n; i++) b[i] = i % 5;
    decompose(a, piv, n);
    solve(a, piv, b, n);
    double s = 0;
    for (int i = 0; i < n; i++) s += b[i] * (i + 1);
    free(a); free(b); free(piv);
    return (int) (s * 1000);
}
