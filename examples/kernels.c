// A mix of small loops for the kiln launcher's startup training (cli StartupTraining): integer
// arithmetic, byte and word memory traffic, f64 arithmetic, calls and recursion, a switch, so the
// interpreter's dispatch loop is profiled on every common instruction before its AOT cache is
// written. Built with: clang --target=wasm32 -O2 -nostdlib -fno-builtin -Wl,--no-entry -o kernels.wasm kernels.c
#define N 4096
static unsigned char bytes[N];
static int words[N];
static double reals[N];
static long long wide[N];

static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static unsigned hash(unsigned h, unsigned x) { return (h ^ x) * 16777619u + (h >> 13); }

__attribute__((export_name("run"))) int run(int rounds) {
    unsigned h = 2166136261u;
    for (int r = 0; r < rounds; r++) {
        for (int i = 0; i < N; i++) bytes[i] = (unsigned char) (i * 7 + r);
        for (int i = 0; i < N; i++) words[i] = bytes[i] * (i - r) / 3 + (i % 5);
        for (int i = 1; i < N; i++) reals[i] = reals[i - 1] * 0.5 + (double) words[i] / (i + 1.0);
        for (int i = 0; i < N; i++) wide[i] = (long long) words[i] * 1000003LL + (wide[(i + 1) % N] >> 3);
        for (int i = 0; i < N; i += 4) {
            switch (bytes[i] & 3) {
                case 0: h = hash(h, words[i]); break;
                case 1: h = hash(h, (unsigned) wide[i]); break;
                case 2: h = hash(h, (unsigned) (reals[i] * 1000)); break;
                default: h ^= (unsigned) i; break;
            }
        }
        h += (unsigned) fib(12 + (r & 3));
    }
    return (int) h;
}
