// cat for WASI: writes each file named on the command line to standard output, or standard input
// when there is none. A WASI program sees only the directories it is given (kiln run --dir), so
//
//   ./kiln run --dir examples/data::/data examples/cat.wasm /data/hello.txt
//
// prints examples/data/hello.txt, and a path outside /data fails with a message on stderr and exit 1.
//
// Built with Debian's clang, lld and wasi-libc (packages clang, lld, wasi-libc,
// libclang-rt-14-dev-wasm32); --strip-debug drops the DWARF that Debian's libc.a carries (170 KB)
// and keeps the function names for trap messages:
//
//   clang --target=wasm32-wasi -O2 -Wl,--strip-debug -o examples/cat.wasm examples/cat.c
#include <errno.h>
#include <stdio.h>
#include <string.h>

static int copy(FILE *in, const char *name) {
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0) {
        if (fwrite(buf, 1, n, stdout) != n) {
            fprintf(stderr, "cat: write error: %s\n", strerror(errno));
            return 1;
        }
    }
    if (ferror(in)) {
        fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) return copy(stdin, "(standard input)");
    int status = 0;
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "r");
        if (f == NULL) {
            fprintf(stderr, "cat: %s: %s\n", argv[i], strerror(errno));
            status = 1;
            continue;
        }
        status |= copy(f, argv[i]);
        fclose(f);
    }
    return status;
}
