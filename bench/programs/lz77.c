// LZ77 compression with a hash chain and decompression of the result, over generated text: byte
// loads and stores, match loops, unpredictable branches.
#include <stdlib.h>
#include <string.h>

#define WINDOW 4096
#define HASH 4096

static int compress(const unsigned char *in, int n, unsigned char *out) {
    static int head[HASH], prev[WINDOW];
    memset(head, -1, sizeof head);
    int o = 0, i = 0;
    while (i < n) {
        int best = 0, dist = 0;
        if (i + 3 <= n) {
            unsigned h = ((in[i] << 8) ^ (in[i + 1] << 4) ^ in[i + 2]) & (HASH - 1);
            int chain = 32;
            for (int c = head[h]; c >= 0 && i - c < WINDOW && chain-- > 0; c = prev[c % WINDOW]) {
                int len = 0;
                while (len < 255 && i + len < n && in[c + len] == in[i + len]) len++;
                if (len > best) { best = len; dist = i - c; }
            }
            prev[i % WINDOW] = head[h];
            head[h] = i;
        }
        if (best >= 4) {
            out[o++] = 0xff; out[o++] = (unsigned char) best; out[o++] = (unsigned char) (dist >> 8); out[o++] = (unsigned char) dist;
            i += best;
        } else {
            if (in[i] == 0xff) out[o++] = 0xff, out[o++] = 0;
            else out[o++] = in[i];
            i++;
        }
    }
    return o;
}

static int decompress(const unsigned char *in, int n, unsigned char *out) {
    int o = 0;
    for (int i = 0; i < n;) {
        if (in[i] != 0xff) { out[o++] = in[i++]; continue; }
        int len = in[i + 1];
        if (len == 0) { out[o++] = 0xff; i += 2; continue; }
        int dist = in[i + 2] << 8 | in[i + 3];
        for (int k = 0; k < len; k++, o++) out[o] = out[o - dist];
        i += 4;
    }
    return o;
}

__attribute__((export_name("run"))) int run(int n) {
    static const char *words[] = {"the ", "quick ", "brown ", "fox ", "jumps ", "over ", "lazy ", "dog ", "and ", "runs ", "away\n"};
    unsigned char *text = malloc(n + 16), *packed = malloc(2 * n + 16), *back = malloc(n + 16);
    unsigned seed = 1;
    for (int i = 0; i < n;) {
        seed = seed * 1103515245u + 12345u;
        const char *w = words[(seed >> 16) % 11];
        for (int k = 0; w[k] && i < n; k++) text[i++] = (unsigned char) w[k];
    }
    unsigned sum = 0;
    for (int r = 0; r < 4; r++) {
        int m = compress(text, n, packed);
        int k = decompress(packed, m, back);
        sum = sum * 31 + (unsigned) m + (unsigned) k + (memcmp(text, back, n) == 0);
        text[r * 97 % n] ^= 0x20;
    }
    free(text); free(packed); free(back);
    return (int) sum;
}
