// Hashing as a content-addressed store or a hash table does it, run(n) passes: the stripe loop of
// XXH3 (Yann Collet's xxHash, 64-bit; four 64-bit accumulators over 32-byte stripes with a
// 32x32->64 multiply per 8-byte lane, accumulators scrambled every 1 KiB) over a 1 MiB buffer,
// and over 64-byte keys at 4 KiB steps. With -msimd128: two u64x2 accumulators, i64x2 shuffles,
// u64x2.extmul_low_u32x4 and i64x2.mul (wasm_simd128.h); without, scalar code. Both builds return
// the same value. (The stripe loop and scramble are XXH3's; the secret, the short-input path and
// the final mix are simplified, so values differ from the reference XXH3_64bits.)
#include <stdint.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define SIZE (1 << 20)
#define P32 0x9E3779B1u
#define P64_2 0xC2B2AE3D27D4EB4Full
#define P64_3 0x165667B19E3779F9ull

static uint8_t buf[SIZE];
static const uint64_t key[4] = {0xbe4ba423396cfeb8ull, 0x1cad21f72c81017cull, 0xdb979083e96dd4deull, 0x1f67b3b7a4a44072ull};

static inline uint64_t read64(const uint8_t *p) {
    uint64_t v = 0;
    for (int k = 7; k >= 0; k--) v = v << 8 | p[k];
    return v;
}

static uint64_t mix(uint64_t h) {
    h ^= h >> 37;
    h *= P64_3;
    return h ^ h >> 32;
}

static uint64_t hash(const uint8_t *p, uint32_t len, uint64_t seed) {
    uint32_t stripes = len / 32;
#ifdef __wasm_simd128__
    v128_t a0 = wasm_u64x2_make(seed, ~seed), a1 = wasm_u64x2_make(seed * P64_2, seed ^ P64_3);
    const v128_t k0 = wasm_v128_load(key), k1 = wasm_v128_load(key + 2), prime = wasm_u64x2_splat(P32);
    for (uint32_t s = 0; s < stripes; s++, p += 32) {
        v128_t d0 = wasm_v128_load(p), d1 = wasm_v128_load(p + 16);
        v128_t x0 = wasm_v128_xor(d0, k0), x1 = wasm_v128_xor(d1, k1);
        v128_t m0 = wasm_u64x2_extmul_low_u32x4(wasm_i32x4_shuffle(x0, x0, 0, 2, 0, 2), wasm_i32x4_shuffle(x0, x0, 1, 3, 1, 3));
        v128_t m1 = wasm_u64x2_extmul_low_u32x4(wasm_i32x4_shuffle(x1, x1, 0, 2, 0, 2), wasm_i32x4_shuffle(x1, x1, 1, 3, 1, 3));
        a0 = wasm_i64x2_add(a0, wasm_i64x2_add(wasm_i64x2_shuffle(d0, d0, 1, 0), m0));
        a1 = wasm_i64x2_add(a1, wasm_i64x2_add(wasm_i64x2_shuffle(d1, d1, 1, 0), m1));
        if ((s & 31) == 31) { // scramble every 1 KiB
            a0 = wasm_i64x2_mul(wasm_v128_xor(wasm_v128_xor(a0, wasm_u64x2_shr(a0, 47)), k1), prime);
            a1 = wasm_i64x2_mul(wasm_v128_xor(wasm_v128_xor(a1, wasm_u64x2_shr(a1, 47)), k0), prime);
        }
    }
    uint64_t acc[4] = {wasm_u64x2_extract_lane(a0, 0), wasm_u64x2_extract_lane(a0, 1), wasm_u64x2_extract_lane(a1, 0),
                       wasm_u64x2_extract_lane(a1, 1)};
#else
    uint64_t acc[4] = {seed, ~seed, seed * P64_2, seed ^ P64_3};
    for (uint32_t s = 0; s < stripes; s++, p += 32) {
        for (int i = 0; i < 4; i++) {
            uint64_t d = read64(p + 8 * i), x = d ^ key[i];
            acc[i ^ 1] += d;
            acc[i] += (x & 0xFFFFFFFFu) * (x >> 32);
        }
        if ((s & 31) == 31) {
            for (int i = 0; i < 4; i++) acc[i] = (acc[i] ^ acc[i] >> 47 ^ key[i ^ 2]) * P32;
        }
    }
#endif
    uint64_t h = len * P64_3;
    for (int i = 0; i < 4; i++) h = mix(h + (acc[i] ^ key[3 - i]));
    for (uint32_t k = stripes * 32; k < len; k++, p++) h = mix(h ^ *p * P64_2);
    return mix(h);
}

__attribute__((export_name("run"))) int run(int passes) {
    uint32_t seed = 11;
    for (int i = 0; i < SIZE; i++) {
        seed = seed * 1664525u + 1013904223u;
        buf[i] = (uint8_t) (seed >> 24);
    }
    uint64_t total = 0;
    for (int r = 0; r < passes; r++) {
        total ^= hash(buf + (r & 15), SIZE - 64 - (r & 31), (uint64_t) r);
        for (int off = 0; off + 96 <= SIZE; off += 4096) total = total * 31 + hash(buf + off + (r & 7), 64 + (r & 31), total);
    }
    return (int) (total ^ total >> 32);
}
