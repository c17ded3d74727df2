// A codec's output stage: YUV 4:2:0 (BT.601, 8-bit) to packed RGBA, 640x360 frames, fixed-point
// arithmetic with clamping, run(n) frames. Plain C loops: with -msimd128 clang vectorises the
// widening multiplies, the shifts and the saturating narrowing.
#include <stdint.h>

#define W 640
#define H 360
static uint8_t Y[H][W], U[H / 2][W / 2], V[H / 2][W / 2];
static uint8_t rgba[H][W][4];

static inline uint8_t clamp(int v) { return (uint8_t) (v < 0 ? 0 : v > 255 ? 255 : v); }

__attribute__((export_name("run"))) int run(int frames) {
    uint32_t h = 0;
    for (int f = 0; f < frames; f++) {
        for (int y = 0; y < H; y++)
            for (int x = 0; x < W; x++) Y[y][x] = (uint8_t) (x + y * 3 + f);
        for (int y = 0; y < H / 2; y++)
            for (int x = 0; x < W / 2; x++) {
                U[y][x] = (uint8_t) (128 + ((x - y) & 63) - 32 + f);
                V[y][x] = (uint8_t) (128 + ((x + 2 * y) & 127) - 64);
            }
        for (int y = 0; y < H; y++) {
            const uint8_t *yr = Y[y], *ur = U[y / 2], *vr = V[y / 2];
            for (int x = 0; x < W; x++) {
                int c = 298 * (yr[x] - 16), d = ur[x / 2] - 128, e = vr[x / 2] - 128;
                rgba[y][x][0] = clamp((c + 409 * e + 128) >> 8);
                rgba[y][x][1] = clamp((c - 100 * d - 208 * e + 128) >> 8);
                rgba[y][x][2] = clamp((c + 516 * d + 128) >> 8);
                rgba[y][x][3] = 255;
            }
        }
        for (int y = 0; y < H; y += 7)
            for (int x = 0; x < W; x += 5) h = h * 31 + rgba[y][x][0] + 3u * rgba[y][x][1] + 7u * rgba[y][x][2];
    }
    return (int) h;
}
