// Spectral norm (the Computer Language Benchmarks Game's): f64 division and multiply-add in nested loops
// through small functions.
#include <math.h>
#include <stdlib.h>

static double a(int i, int j) { return 1.0 / ((i + j) * (i + j + 1) / 2 + i + 1); }

static void times(const double *v, double *av, int n) {
    for (int i = 0; i < n; i++) { double s = 0; for (int j = 0; j < n; j++) s += a(i, j) * v[j]; av[i] = s; }
}

static void times_transposed(const double *v, double *atv, int n) {
    for (int i = 0; i < n; i++) { double s = 0; for (int j = 0; j < n; j++) s += a(j, i) * v[j]; atv[i] = s; }
}

static void times_ata(const double *v, double *out, double *tmp, int n) {
    times(v, tmp, n);
    times_transposed(tmp, out, n);
}

__attribute__((export_name("run"))) int run(int n) {
    double *u = malloc(n * sizeof(double)), *v = malloc(n * sizeof(double)), *t = malloc(n * sizeof(double));
    for (int i = 0; i < n; i++) u[i] = 1;
    for (int i = 0; i < 10; i++) { times_ata(u, v, t, n); times_ata(v, u, t, n); }
    double vbv = 0, vv = 0;
    for (int i = 0; i < n; i++) { vbv += u[i] * v[i]; vv += v[i] * v[i]; }
    free(u); free(v); free(t);
    return (int) (sqrt(vbv / vv) * 1e9);
}
