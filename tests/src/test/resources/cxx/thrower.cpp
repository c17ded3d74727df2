// A C++ program built with clang++ --target=wasm32-wasi -fwasm-exceptions: throws through several
// frames (recursion, a function pointer call) and catches with catch (...); the small C++ ABI it
// needs (Debian ships no libc++abi or libunwind for wasm32) is at the end of this file.
#include <stdio.h>
struct Boom { int depth; };
static int thrown = 0;
__attribute__((noinline)) static int dive(int n, int limit) {
  if (n == limit) { thrown++; throw Boom{n}; }
  return dive(n + 1, limit) + 1;
}
__attribute__((noinline)) static int through(int (*f)(int, int), int limit) { return f(0, limit) * 2; }
static int attempt(int limit) {
  try {
    return through(dive, limit);
  } catch (...) {
    return -limit;
  }
}
int main() {
  long sum = 0;
  for (int i = 0; i < 1000; i++) sum += attempt(i % 50 == 49 ? 10000 : i % 37);
  printf("sum %ld thrown %d\n", sum, thrown);
  return 0;
}
// The part of the Itanium C++ ABI a program with only catch (...) needs: the exception object lives
// in calloc'd memory, a throw is the Wasm throw of tag __cpp_exception (__builtin_wasm_throw(0, ...);
// in a C file clang 14 crashes on it, "undefined tag symbol cannot be weak"), a catch (...) needs no
// type information.
#include <stdlib.h>
extern "C" {
void *__cxa_allocate_exception(unsigned long size) { return calloc(1, size); }
void __cxa_throw(void *object, void *type, void (*destructor)(void *)) {
  (void)type; (void)destructor;
  __builtin_wasm_throw(0, object);
}
static void *caught;
void *__cxa_begin_catch(void *object) { caught = object; return object; }
void __cxa_end_catch(void) { free(caught); caught = 0; }
}
