typedef unsigned long long u64;
typedef unsigned char u8;
/* A libc-free wasm64 program (clang --target=wasm64-unknown-unknown -nostdlib): grows its memory
   past 4 GiB and stores and loads at addresses above 2^32 (Wasm64ProgramTest). Returns 1 when
   memory.grow fails. */
__attribute__((export_name("run"))) u64 run(u64 seed) {
  u64 pages = __builtin_wasm_memory_size(0);
  u64 want = (5ULL << 30) >> 16;               /* 5 GiB in 64 KiB pages */
  if (__builtin_wasm_memory_grow(0, want - pages) == (u64)-1) return 1;
  u64 sum = 0;
  for (u64 k = 0; k < 64; k++) {
    volatile u64 *p = (volatile u64 *)((4ULL << 30) + k * 16777216ULL + 8 * k); /* 4 GiB .. 5 GiB */
    *p = seed * (k + 1) ^ (u64)p;
  }
  for (u64 k = 0; k < 64; k++) sum += *(volatile u64 *)((4ULL << 30) + k * 16777216ULL + 8 * k) * (k | 1);
  return sum ^ (__builtin_wasm_memory_size(0) << 32);
}
