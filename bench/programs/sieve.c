// Sieve of Eratosthenes over a 4 MB byte array in linear memory: loads, stores, loops.
#define N 4000000
static unsigned char flags[N];

__attribute__((export_name("run"))) int run(int iterations) {
    int count = 0;
    for (int it = 0; it < iterations; it++) {
        count = 0;
        for (int i = 2; i < N; i++) flags[i] = 1;
        for (int i = 2; i < N; i++) {
            if (flags[i]) {
                count++;
                for (int j = i + i; j < N; j += i) flags[j] = 0;
            }
        }
    }
    return count;
}
