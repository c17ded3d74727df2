// Exits with the status given as the first argument, through exit(), after printing to stdout
// (which must be flushed on exit). Without an argument, returns 7 from main.
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    printf("exiting\n");
    if (argc > 1) exit(atoi(argv[1]));
    return 7;
}
