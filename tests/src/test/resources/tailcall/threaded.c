/*
 * Deep mutual tail recursion for kiln's TailCallProgramTest: built with
 * clang --target=wasm32-wasi -O2 -mtail-call, every "musttail" return below is a
 * return_call (is_even/is_odd, collatz_*) or a return_call_indirect (the handlers of the
 * threaded-code interpreter, which dispatch through a table of function pointers).
 * No loop in the hot paths: each step is a tail call, so any tier that grows the stack
 * per tail call runs out of stack long before the end.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define TAIL __attribute__((musttail))
#define NOINLINE __attribute__((noinline))

/* Direct mutual recursion: return_call. */
NOINLINE static int is_odd(uint32_t n);
NOINLINE static int is_even(uint32_t n) {
    if (n == 0) return 1;
    TAIL return is_odd(n - 1);
}
NOINLINE static int is_odd(uint32_t n) {
    if (n == 0) return 0;
    TAIL return is_even(n - 1);
}

/* Three functions tail-calling each other with different argument counts' worth of state. */
NOINLINE static uint64_t collatz_even(uint64_t n, uint64_t steps, uint64_t hash);
NOINLINE static uint64_t collatz_odd(uint64_t n, uint64_t steps, uint64_t hash);
NOINLINE static uint64_t collatz_step(uint64_t n, uint64_t steps, uint64_t hash) {
    if (n == 1) return steps * 1000003u ^ hash;
    hash = (hash ^ n) * 0x100000001b3ull;
    if (n & 1) TAIL return collatz_odd(n, steps + 1, hash);
    TAIL return collatz_even(n, steps + 1, hash);
}
NOINLINE static uint64_t collatz_even(uint64_t n, uint64_t steps, uint64_t hash) {
    TAIL return collatz_step(n >> 1, steps, hash);
}
NOINLINE static uint64_t collatz_odd(uint64_t n, uint64_t steps, uint64_t hash) {
    TAIL return collatz_step(3 * n + 1, steps, hash);
}

/* A threaded-code interpreter: every handler ends by tail-calling the next one through
 * the table (return_call_indirect). The VM has an accumulator, a counter and a checksum. */
typedef struct Vm Vm;
typedef uint64_t (*Handler)(const uint8_t *pc, Vm *vm, uint64_t acc, uint32_t counter);
struct Vm {
    const Handler *table;
    const uint8_t *code;
    uint64_t dispatched;
};

enum { OP_HALT, OP_INC, OP_MUL, OP_XOR, OP_ROT, OP_DEC_JNZ, OP_ODD_SKIP, OP_COUNT };

#define NEXT(pc, vm, acc, counter) do { (vm)->dispatched++; TAIL return (vm)->table[*(pc)]((pc) + 1, vm, acc, counter); } while (0)

NOINLINE static uint64_t op_halt(const uint8_t *pc, Vm *vm, uint64_t acc, uint32_t counter) {
    (void) pc; (void) counter;
    return acc ^ vm->dispatched;
}
NOINLINE static uint64_t op_inc(const uint8_t *pc, Vm *vm, uint64_t acc, uint32_t counter) {
    acc += *pc + counter;
    pc++;
    NEXT(pc, vm, acc, counter);
}
NOINLINE static uint64_t op_mul(const uint8_t *pc, Vm *vm, uint64_t acc, uint32_t counter) {
    acc *= 0x9E3779B97F4A7C15ull;
    NEXT(pc, vm, acc, counter);
}
NOINLINE static uint64_t op_xor(const uint8_t *pc, Vm *vm, uint64_t acc, uint32_t counter) {
    acc ^= acc >> 29;
    NEXT(pc, vm, acc, counter);
}
NOINLINE static uint64_t op_rot(const uint8_t *pc, Vm *vm, uint64_t acc, uint32_t counter) {
    acc = acc << 7 | acc >> 57;
    NEXT(pc, vm, acc, counter);
}
NOINLINE static uint64_t op_dec_jnz(const uint8_t *pc, Vm *vm, uint64_t acc, uint32_t counter) {
    /* operand: the jump target as an offset from the start of the code */
    if (--counter != 0) pc = vm->code + *pc;
    else pc++;
    NEXT(pc, vm, acc, counter);
}
NOINLINE static uint64_t op_odd_skip(const uint8_t *pc, Vm *vm, uint64_t acc, uint32_t counter) {
    /* skips the next instruction (one byte) when the accumulator is odd */
    if (acc & 1) pc++;
    NEXT(pc, vm, acc, counter);
}

static const Handler TABLE[OP_COUNT] = { op_halt, op_inc, op_mul, op_xor, op_rot, op_dec_jnz, op_odd_skip };

static uint64_t run_vm(uint32_t iterations) {
    static const uint8_t code[] = {
        /* 0 */ OP_INC, 3,
        /* 2 */ OP_MUL,
        /* 3 */ OP_ODD_SKIP,
        /* 4 */ OP_ROT,
        /* 5 */ OP_XOR,
        /* 6 */ OP_DEC_JNZ, 0,
        /* 8 */ OP_HALT,
    };
    Vm vm = { TABLE, code, 0 };
    uint64_t result = TABLE[code[0]](code + 1, &vm, 1, iterations);
    printf("vm dispatched %llu\n", (unsigned long long) vm.dispatched);
    return result;
}

int main(int argc, char **argv) {
    uint32_t parity_depth = argc > 1 ? (uint32_t) strtoul(argv[1], 0, 10) : 10000001u;
    uint32_t vm_iterations = argc > 2 ? (uint32_t) strtoul(argv[2], 0, 10) : 2000000u;
    printf("is_even(%u) = %d\n", parity_depth, is_even(parity_depth));
    printf("is_odd(%u) = %d\n", parity_depth + 1, is_odd(parity_depth + 1));
    uint64_t c = 0;
    for (uint64_t n = 1; n <= 3000; n++) c = c * 31 + collatz_step(n, 0, 0xcbf29ce484222325ull);
    printf("collatz checksum %016llx\n", (unsigned long long) c);
    printf("vm checksum %016llx\n", (unsigned long long) run_vm(vm_iterations));
    return 0;
}
