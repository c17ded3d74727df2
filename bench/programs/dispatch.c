// A bytecode interpreter for a small stack machine: a switch in a loop, and calls through a table of
// function pointers (call_indirect) for its arithmetic, as interpreters and virtual calls do.
typedef int (*binop)(int, int);
static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }
static int xor(int a, int b) { return a ^ b; }
static int shr(int a, int b) { return (int) ((unsigned) a >> (b & 31)); }
static binop volatile ops[] = {add, sub, mul, xor, shr};

enum { PUSH, LOAD, STORE, OP, JNZ, DEC, HALT };
static int code[] = {
    PUSH, 0, STORE, 1,                  // acc = 0
    LOAD, 0, STORE, 2,                  // i = n
    LOAD, 1, LOAD, 2, OP, 0, PUSH, 7, OP, 2, PUSH, 3, OP, 4, LOAD, 2, OP, 3, STORE, 1, // acc = ((acc + i) * 7 >> 3) ^ i
    DEC, 2, LOAD, 2, JNZ, 8,            // while (--i)
    LOAD, 1, HALT};

static int interpret(const int *pc0, int n) {
    int stack[16], vars[4] = {n, 0, 0, 0}, sp = 0;
    const int *pc = pc0;
    for (;;) {
        switch (*pc++) {
        case PUSH: stack[sp++] = *pc++; break;
        case LOAD: stack[sp++] = vars[*pc++]; break;
        case STORE: vars[*pc++] = stack[--sp]; break;
        case OP: sp--; stack[sp - 1] = ops[*pc++](stack[sp - 1], stack[sp]); break;
        case JNZ: { int t = *pc++; if (stack[--sp]) pc = pc0 + t; break; }
        case DEC: vars[*pc++]--; break;
        default: return stack[sp - 1];
        }
    }
}

__attribute__((export_name("run"))) int run(int n) {
    int sum = 0;
    for (int i = 0; i < 10; i++) sum += interpret(code, n + i);
    return sum;
}
