// Motion estimation as a video encoder does it: the sum of absolute differences (SAD) of a 16x16
// block of the current frame against every position of a +-16 pixel window in the previous frame,
// for every block of a 256x128 frame; run(n) does n frames. With -msimd128, one row of a block is
// one u8x16 vector (|a-b| as two saturating subtractions, widened by pairwise additions).
#include <stdint.h>
#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

#define W 256
#define H 128
#define R 16
static uint8_t cur[H][W], prev[H + 2 * R][W + 2 * R];

static uint32_t sad16(const uint8_t *a, const uint8_t *b, int bstride) {
#ifdef __wasm_simd128__
    v128_t acc = wasm_i32x4_splat(0);
    for (int y = 0; y < 16; y++) {
        v128_t x = wasm_v128_load(a + y * W), z = wasm_v128_load(b + y * bstride);
        v128_t d = wasm_v128_or(wasm_u8x16_sub_sat(x, z), wasm_u8x16_sub_sat(z, x));
        acc = wasm_i32x4_add(acc, wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(d)));
    }
    return wasm_u32x4_extract_lane(acc, 0) + wasm_u32x4_extract_lane(acc, 1) + wasm_u32x4_extract_lane(acc, 2)
           + wasm_u32x4_extract_lane(acc, 3);
#else
    uint32_t s = 0;
    for (int y = 0; y < 16; y++)
        for (int x = 0; x < 16; x++) {
            int d = a[y * W + x] - b[y * bstride + x];
            s += d < 0 ? -d : d;
        }
    return s;
#endif
}

__attribute__((export_name("run"))) int run(int frames) {
    uint32_t seed = 12345, check = 0;
    for (int y = 0; y < H + 2 * R; y++)
        for (int x = 0; x < W + 2 * R; x++) prev[y][x] = (uint8_t) ((x * 7 + y * 13 + ((x * y) >> 3)) & 0xFF);
    for (int f = 0; f < frames; f++) {
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) {
                seed = seed * 1103515245u + 12345u;
                cur[y][x] = (uint8_t) (prev[y + R + 1][x + R - 2] + ((seed >> 28) & 3));
            }
        for (int by = 0; by < H; by += 16)
            for (int bx = 0; bx < W; bx += 16) {
                uint32_t best = 0xFFFFFFFFu; int bestPos = 0;
                for (int dy = -R; dy <= R; dy += 2)
                    for (int dx = -R; dx <= R; dx++) {
                        uint32_t s = sad16(&cur[by][bx], &prev[by + R + dy][bx + R + dx], W + 2 * R);
                        if (s < best) { best = s; bestPos = (dy + R) * 64 + dx + R; }
                    }
                check = check * 31 + best + (uint32_t) bestPos;
            }
    }
    return (int) check;
}
