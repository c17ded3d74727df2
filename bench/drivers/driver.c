// Timing driver shared by the engines that build a host executable (native-c, wasm2c): the same
// measurement as the Java harness (BenchMain). Load once, call run(arg) for WARMUP seconds and at
// least twice, then time ITER calls with clock_gettime and print ONE JSON line.
//   ./bench-exe ENGINE PROGRAM ARG WARMUP_SECONDS ITERATIONS BUILD_MS
// BUILD_MS is the ahead-of-time build time that run.sh measured; load_ms = BUILD_MS + instantiation.
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void bench_instantiate(void);  // provided by the engine's glue file
int bench_run(int arg);

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    if (argc != 7) {
        fprintf(stderr, "usage: %s ENGINE PROGRAM ARG WARMUP_SECONDS ITERATIONS BUILD_MS\n", argv[0]);
        return 2;
    }
    const char *engine = argv[1], *program = argv[2];
    int arg = atoi(argv[3]);
    double warmup_ms = atof(argv[4]) * 1e3;
    int iterations = atoi(argv[5]);
    double build_ms = atof(argv[6]);
    if (iterations < 1) iterations = 1;

    double t0 = now_ms();
    bench_instantiate();
    double load_ms = build_ms + (now_ms() - t0);

    int result = 0, warmups = 0;
    double warmup_end = now_ms() + warmup_ms;
    do {
        result = bench_run(arg);
        warmups++;
    } while (now_ms() < warmup_end || warmups < 2);

    double *ms = malloc(sizeof(double) * iterations);
    for (int i = 0; i < iterations; i++) {
        double s = now_ms();
        int r = bench_run(arg);
        ms[i] = now_ms() - s;
        if (r != result) {
            fprintf(stderr, "result changed between calls: %d vs %d\n", result, r);
            return 1;
        }
    }
    qsort(ms, iterations, sizeof(double), by_value);
    printf("{\"engine\":\"%s\",\"program\":\"%s\",\"arg\":%d,\"result\":%d,\"median_ms\":%.3f,"
           "\"min_ms\":%.3f,\"max_ms\":%.3f,\"load_ms\":%.1f,\"warmup_calls\":%d}\n",
           engine, program, arg, result, ms[iterations / 2], ms[0], ms[iterations - 1], load_ms, warmups);
    return 0;
}
