// Single-precision matrix multiply, 96x96, C = A * B, repeated run(n) times. With -msimd128 the
// inner kernel works on four columns at once (f32x4: splat of A's element times a row of B, added
// into C's row), as BLAS kernels do; without it the same loop order in scalar code.
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define N 96
static float A[N][N], B[N][N], C[N][N];

__attribute__((export_name("run"))) int run(int reps) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            A[i][j] = (float) ((i * 7 + j * 3) % 17 - 8) * 0.25f;
            B[i][j] = (float) ((i * 5 + j * 11) % 13 - 6) * 0.5f;
        }
    double check = 0;
    for (int r = 0; r < reps; r++) {
        for (int i = 0; i < N; i++) {
#ifdef __wasm_simd128__
            for (int j = 0; j < N; j += 4) wasm_v128_store(&C[i][j], wasm_f32x4_splat(0));
            for (int k = 0; k < N; k++) {
                v128_t a = wasm_f32x4_splat(A[i][k]);
                for (int j = 0; j < N; j += 4)
                    wasm_v128_store(&C[i][j], wasm_f32x4_add(wasm_v128_load(&C[i][j]), wasm_f32x4_mul(a, wasm_v128_load(&B[k][j]))));
            }
#else
            for (int j = 0; j < N; j++) C[i][j] = 0;
            for (int k = 0; k < N; k++) {
                float a = A[i][k];
                for (int j = 0; j < N; j++) C[i][j] += a * B[k][j];
            }
#endif
        }
        check += C[r % N][(r * 7) % N];
        A[r % N][(r * 3) % N] += 0.125f;
    }
    return (int) check;
}
