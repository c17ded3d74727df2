// wasm2c: calls the exported run of a module that `wasm2c -n prog` translated to prog.c/prog.h.
#include "prog.h"

#ifdef W2C_NEW_API
// wabt >= 1.0.33 names (untested here: Debian 12 ships wabt 1.0.32).
static w2c_prog instance;

void bench_instantiate(void) {
    wasm_rt_init();
    wasm2c_prog_instantiate(&instance);
}

int bench_run(int arg) { return (int) w2c_prog_run(&instance, (u32) arg); }
#else
// wabt 1.0.32 names.
static Z_prog_instance_t instance;

void bench_instantiate(void) {
    wasm_rt_init();
    Z_prog_init_module();
    Z_prog_instantiate(&instance);
}

int bench_run(int arg) { return (int) Z_progZ_run(&instance, (u32) arg); }
#endif
