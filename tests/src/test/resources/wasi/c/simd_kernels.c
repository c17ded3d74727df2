// SIMD in C as programs use it: wasm_simd128.h intrinsics (when built with -msimd128) and loops
// clang vectorises, each with the scalar code a native build runs instead. Every tier must print
// what the native build prints (gcc -O2 on the host; the expected stdout in simd_kernels.json).
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

static uint8_t a8[4096], b8[4096], out8[4096];
static int16_t a16[1024];
static float fa[256], fb[256], fc[256];

static uint32_t fnv(const void *p, size_t n) {
    const uint8_t *b = p;
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 16777619u;
    return h;
}

// |a - b| summed over 16 bytes (a codec's SAD)
static uint32_t sad16(const uint8_t *a, const uint8_t *b) {
#ifdef __wasm_simd128__
    v128_t x = wasm_v128_load(a), y = wasm_v128_load(b);
    v128_t d = wasm_v128_or(wasm_u8x16_sub_sat(x, y), wasm_u8x16_sub_sat(y, x));
    v128_t s = wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(d));
    return wasm_u32x4_extract_lane(s, 0) + wasm_u32x4_extract_lane(s, 1) + wasm_u32x4_extract_lane(s, 2) + wasm_u32x4_extract_lane(s, 3);
#else
    uint32_t s = 0;
    for (int i = 0; i < 16; i++) s += a[i] > b[i] ? a[i] - b[i] : b[i] - a[i];
    return s;
#endif
}

// bytes equal to c in 16 bytes (bitmask + popcount)
static int count16(const uint8_t *p, uint8_t c) {
#ifdef __wasm_simd128__
    return __builtin_popcount(wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p), wasm_i8x16_splat((int8_t) c))));
#else
    int k = 0;
    for (int i = 0; i < 16; i++) k += p[i] == c;
    return k;
#endif
}

// reverse 16 bytes (a shuffle)
static void reverse16(uint8_t *d, const uint8_t *s) {
#ifdef __wasm_simd128__
    v128_t v = wasm_v128_load(s);
    wasm_v128_store(d, wasm_i8x16_shuffle(v, v, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
#else
    for (int i = 0; i < 16; i++) d[i] = s[15 - i];
#endif
}

// i16 to u8 with saturation, 16 at a time (a codec's final clamp)
static void pack16(uint8_t *d, const int16_t *s) {
#ifdef __wasm_simd128__
    wasm_v128_store(d, wasm_u8x16_narrow_i16x8(wasm_v128_load(s), wasm_v128_load(s + 8)));
#else
    for (int i = 0; i < 16; i++) d[i] = (uint8_t) (s[i] < 0 ? 0 : s[i] > 255 ? 255 : s[i]);
#endif
}

// 4 x 4 float dot products (f32x4 multiply-add), exact in binary32 for these inputs
static float dot(const float *x, const float *y, int n) {
#ifdef __wasm_simd128__
    v128_t acc = wasm_f32x4_splat(0);
    for (int i = 0; i < n; i += 4) acc = wasm_f32x4_add(acc, wasm_f32x4_mul(wasm_v128_load(x + i), wasm_v128_load(y + i)));
    float l[4];
    wasm_v128_store(l, acc);
    return (l[0] + l[1]) + (l[2] + l[3]);
#else
    float l[4] = {0, 0, 0, 0};
    for (int i = 0; i < n; i += 4)
        for (int j = 0; j < 4; j++) l[j] += x[i + j] * y[i + j];
    return (l[0] + l[1]) + (l[2] + l[3]);
#endif
}

int main(void) {
    uint32_t seed = 1;
    for (int i = 0; i < 4096; i++) {
        seed = seed * 1103515245u + 12345u;
        a8[i] = (uint8_t) (seed >> 16);
        b8[i] = (uint8_t) (seed >> 24);
    }
    for (int i = 0; i < 1024; i++) a16[i] = (int16_t) ((i * 97) % 700 - 200);
    for (int i = 0; i < 256; i++) {
        fa[i] = (float) (i % 13 - 6) * 0.5f;
        fb[i] = (float) (i % 7 - 3) * 0.25f;
    }

    uint32_t sad = 0;
    for (int i = 0; i < 4096; i += 16) sad += sad16(a8 + i, b8 + i);
    printf("sad %u\n", sad);

    int n = 0;
    for (int i = 0; i < 4096; i += 16) n += count16(a8 + i, 0x41);
    printf("count 0x41: %d\n", n);

    for (int i = 0; i < 4096; i += 16) reverse16(out8 + i, a8 + i);
    printf("reverse %08x\n", fnv(out8, sizeof out8));

    for (int i = 0; i < 1024; i += 16) pack16(out8 + i, a16 + i);
    printf("pack %08x\n", fnv(out8, 1024));

    printf("dot %.4f\n", (double) dot(fa, fb, 256));

    // loops clang vectorises with -msimd128: a blend with rounding, a clamp, a widening sum, a max
    for (int i = 0; i < 4096; i++) out8[i] = (uint8_t) ((a8[i] * 3 + b8[i] + 2) >> 2);
    printf("blend %08x\n", fnv(out8, sizeof out8));
    for (int i = 0; i < 256; i++) fc[i] = fa[i] < -1.0f ? -1.0f : fa[i] > 1.5f ? 1.5f : fa[i];
    printf("clamp %08x\n", fnv(fc, sizeof fc));
    uint32_t wide = 0;
    for (int i = 0; i < 4096; i++) wide += a8[i] * b8[i];
    printf("sum of products %u\n", wide);
    int16_t mx = -32768;
    for (int i = 0; i < 1024; i++) mx = a16[i] > mx ? a16[i] : mx;
    printf("max %d\n", mx);
    return 0;
}
