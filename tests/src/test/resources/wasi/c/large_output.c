// Writes 2 MiB of numbered lines to stdout through stdio and then one large write(2), to exercise
// buffering and large fd_write calls; the expected output is checked by length and SHA-256.
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static char big[1 << 20];

int main(void) {
    for (int i = 0; i < 65536; i++) printf("line %08d\n", i); // 14 bytes x 65536 = 917504
    fflush(stdout);
    for (size_t i = 0; i < sizeof big; i++) big[i] = (char) ('a' + i % 26);
    big[sizeof big - 1] = '\n';
    size_t done = 0;
    while (done < sizeof big) {
        ssize_t n = write(1, big + done, sizeof big - done);
        if (n <= 0) return 1;
        done += (size_t) n;
    }
    return 0;
}
