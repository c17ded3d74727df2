// An image filter: a separable 5-tap Gaussian blur ([1 4 6 4 1] / 16) of a 512x256 8-bit
// grayscale image, horizontal then vertical pass, repeated run(n) times. Plain C loops: with
// -msimd128 clang vectorises them (u8 to u16 widening, multiply-add, narrowing).
#include <stdint.h>

#define W 512
#define H 256
static uint8_t img[H][W], tmp[H][W];

__attribute__((export_name("run"))) int run(int passes) {
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) img[y][x] = (uint8_t) ((x ^ y) * 3 + (x * y >> 5));
    for (int p = 0; p < passes; p++) {
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < 2; x++) tmp[y][x] = img[y][x];
            for (int x = 2; x < W - 2; x++)
                tmp[y][x] = (uint8_t) ((img[y][x - 2] + 4 * img[y][x - 1] + 6 * img[y][x] + 4 * img[y][x + 1] + img[y][x + 2] + 8) >> 4);
            for (int x = W - 2; x < W; x++) tmp[y][x] = img[y][x];
        }
        for (int y = 2; y < H - 2; y++)
            for (int x = 0; x < W; x++)
                img[y][x] = (uint8_t) ((tmp[y - 2][x] + 4 * tmp[y - 1][x] + 6 * tmp[y][x] + 4 * tmp[y + 1][x] + tmp[y + 2][x] + 8) >> 4);
    }
    uint32_t h = 2166136261u;
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) h = (h ^ img[y][x]) * 16777619u;
    return (int) h;
}
