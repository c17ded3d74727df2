// Digits of pi by Machin's formula in fixed-point big-number arithmetic on 32-bit limbs: 64-bit
// multiplications and divisions, carries through arrays.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void divide(uint32_t *x, int n, uint32_t d) {
    uint64_t r = 0;
    for (int i = 0; i < n; i++) { uint64_t v = r << 32 | x[i]; x[i] = (uint32_t) (v / d); r = v % d; }
}

static void add(uint32_t *x, const uint32_t *y, int n, int sign) {
    int64_t carry = 0;
    for (int i = n - 1; i >= 0; i--) {
        int64_t v = (int64_t) x[i] + sign * (int64_t) y[i] + carry;
        x[i] = (uint32_t) v; carry = v >> 32;
    }
}

static int zero(const uint32_t *x, int n) { for (int i = 0; i < n; i++) if (x[i]) return 0; return 1; }

static void arctan_inverse(uint32_t *sum, int n, uint32_t k, int factor) {
    uint32_t *term = calloc(n, 4), *t = malloc(n * 4);
    term[0] = (uint32_t) factor;
    divide(term, n, k);
    add(sum, term, n, 1);
    for (uint32_t i = 3, sign = 0; !zero(term, n); i += 2, sign ^= 1) {
        divide(term, n, k * k);
        memcpy(t, term, n * 4);
        divide(t, n, i);
        add(sum, t, n, sign ? 1 : -1);
    }
    free(term); free(t);
}

__attribute__((export_name("run"))) int run(int limbs) {
    uint32_t *pi = calloc(limbs, 4);
    arctan_inverse(pi, limbs, 5, 16);
    uint32_t *b = calloc(limbs, 4);
    arctan_inverse(b, limbs, 239, 4);
    add(pi, b, limbs, -1);
    uint32_t h = 0;
    for (int i = 0; i < limbs; i++) h = h * 31 + pi[i];
    free(pi); free(b);
    return (int) h;
}
