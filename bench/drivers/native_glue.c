// native-c: the benchmark's C source compiled for the host and linked in directly; nothing to load.
int run(int arg);

void bench_instantiate(void) {}

int bench_run(int arg) { return run(arg); }
