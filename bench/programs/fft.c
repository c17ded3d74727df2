// An iterative radix-2 complex FFT and its inverse over f64 arrays, with sin and cos from libm:
// strided memory access and floating-point multiply-adds.
#include <math.h>
#include <stdlib.h>

static void fft(double *re, double *im, int n, int inverse) {
    for (int i = 1, j = 0; i < n; i++) {
        int bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) { double t = re[i]; re[i] = re[j]; re[j] = t; t = im[i]; im[i] = im[j]; im[j] = t; }
    }
    for (int len = 2; len <= n; len <<= 1) {
        double angle = 2 * M_PI / len * (inverse ? -1 : 1), wr = cos(angle), wi = sin(angle);
        for (int i = 0; i < n; i += len) {
            double cr = 1, ci = 0;
            for (int j = 0; j < len / 2; j++) {
                int a = i + j, b = i + j + len / 2;
                double xr = re[b] * cr - im[b] * ci, xi = re[b] * ci + im[b] * cr;
                re[b] = re[a] - xr; im[b] = im[a] - xi;
                re[a] += xr; im[a] += xi;
                double t = cr * wr - ci * wi; ci = cr * wi + ci * wr; cr = t;
            }
        }
    }
    if (inverse) for (int i = 0; i < n; i++) { re[i] /= n; im[i] /= n; }
}

__attribute__((export_name("run"))) int run(int rounds) {
    int n = 1 << 16;
    double *re = malloc(n * sizeof(double)), *im = malloc(n * sizeof(double));
    for (int i = 0; i < n; i++) { re[i] = sin(i * 0.01) + (i % 17) * 0.1; im[i] = 0; }
    double sum = 0;
    for (int r = 0; r < rounds; r++) {
        fft(re, im, n, 0);
        sum += fabs(re[r % n]) + fabs(im[(r * 7) % n]);
        fft(re, im, n, 1);
    }
    free(re); free(im);
    return (int) (sum * 1000) ^ (int) (re[12345] * 1e6);
}
