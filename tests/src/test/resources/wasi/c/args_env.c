// Prints its arguments and two environment variables.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) printf("arg %d: %s\n", i, argv[i]);
    const char *a = getenv("KILN_A");
    const char *b = getenv("KILN_B");
    printf("KILN_A=%s\nKILN_B=%s\n", a ? a : "(unset)", b ? b : "(unset)");
    return 0;
}
