// Byte search as parsers and text tools do it: count the newlines and find the first byte above
// 0x7F in 64-byte chunks of a 1 MiB buffer, run(n) passes. With -msimd128: i8x16.eq and
// i8x16.bitmask with popcount per 16 bytes; without, a byte loop.
#include <stdint.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define SIZE (1 << 20)
static uint8_t buf[SIZE];

static uint32_t count(const uint8_t *p, int n, uint8_t c) {
#ifdef __wasm_simd128__
    uint32_t k = 0;
    v128_t cc = wasm_i8x16_splat((int8_t) c);
    for (int i = 0; i < n; i += 16) k += (uint32_t) __builtin_popcount(wasm_i8x16_bitmask(wasm_i8x16_eq(wasm_v128_load(p + i), cc)));
    return k;
#else
    uint32_t k = 0;
    for (int i = 0; i < n; i++) k += p[i] == c;
    return k;
#endif
}

static int firstHigh(const uint8_t *p, int n) {
#ifdef __wasm_simd128__
    for (int i = 0; i < n; i += 16) {
        uint32_t m = wasm_i8x16_bitmask(wasm_v128_load(p + i)); // the sign bits: bytes >= 0x80
        if (m) return i + __builtin_ctz(m);
    }
    return -1;
#else
    for (int i = 0; i < n; i++)
        if (p[i] & 0x80) return i;
    return -1;
#endif
}

__attribute__((export_name("run"))) int run(int passes) {
    uint32_t seed = 7;
    for (int i = 0; i < SIZE; i++) {
        seed = seed * 1664525u + 1013904223u;
        uint8_t b = (uint8_t) (32 + (seed >> 25));
        buf[i] = (seed >> 8) % 61 == 0 ? '\n' : b > 126 ? ' ' : b;
    }
    uint32_t total = 0;
    for (int r = 0; r < passes; r++) {
        buf[(r * 4099) % SIZE] = (uint8_t) (0x80 | r);
        for (int off = 0; off < SIZE; off += 4096) total += count(buf + off, 4096, '\n');
        total = total * 3 + (uint32_t) firstHigh(buf, SIZE);
        buf[(r * 4099) % SIZE] = 'x';
    }
    return (int) total;
}
