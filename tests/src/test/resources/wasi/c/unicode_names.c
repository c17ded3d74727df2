// Files and directories with non-ASCII names (WASI paths are UTF-8): create them below the preopen
// "/", list them back in name order, read one, remove them. Prints the names it finds; exits 1 on
// the first failure (with the reason on stderr). Needs a JVM whose file-name encoding is UTF-8 (the
// kiln launcher sets a UTF-8 locale when none is set).
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void check(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "FAILED: %s (errno %d: %s)\n", what, errno, strerror(errno));
        exit(1);
    }
}

static int by_name(const void *a, const void *b) {
    return strcmp(*(char *const *) a, *(char *const *) b);
}

int main(void) {
    const char *dir = "/kiln_unicode.cleanup";
    const char *names[] = {"h\xc3\xa9llo-\xe2\x9c\x93.txt", "\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e", "emoji-\xf0\x9f\x94\xa5"};
    char path[256], buf[64];
    check(mkdir(dir, 0755) == 0, "mkdir");
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (i == 1) {
            check(mkdir(path, 0755) == 0, "mkdir with a non-ASCII name");
        } else {
            FILE *f = fopen(path, "w");
            check(f != NULL, "create a file with a non-ASCII name");
            fprintf(f, "%s\n", names[i]);
            fclose(f);
        }
    }
    char *found[8];
    int n = 0;
    DIR *d = opendir(dir);
    check(d != NULL, "opendir");
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 8) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) found[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(found, (size_t) n, sizeof found[0], by_name);
    for (int i = 0; i < n; i++) printf("%s\n", found[i]);
    snprintf(path, sizeof path, "%s/%s", dir, names[0]);
    FILE *f = fopen(path, "r");
    check(f != NULL && fgets(buf, sizeof buf, f) != NULL && strncmp(buf, names[0], strlen(names[0])) == 0, "read back");
    fclose(f);
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        check((i == 1 ? rmdir(path) : unlink(path)) == 0, "remove");
    }
    check(rmdir(dir) == 0, "rmdir");
    printf("done\n");
    return 0;
}
