// Copies standard input to standard output in upper case, then reports the byte and line counts.
// Reads in small chunks so several fd_read calls are needed.
#include <ctype.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
    char buf[7];
    long bytes = 0, lines = 0;
    ssize_t n;
    while ((n = read(0, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            if (buf[i] == '\n') lines++;
            buf[i] = (char) toupper((unsigned char) buf[i]);
        }
        if (write(1, buf, (size_t) n) != n) return 2;
        bytes += n;
    }
    if (n < 0) return 3;
    printf("lines=%ld bytes=%ld\n", lines, bytes);
    return 0;
}
