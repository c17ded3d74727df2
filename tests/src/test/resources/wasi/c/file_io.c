// File I/O inside a scratch directory below the preopen "/": create, write, read back, seek,
// append, truncate, rename, readdir, unlink, rmdir. Prints one line per step; exits 1 on the first
// failure (with the reason on stderr).
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
    printf("ok %s\n", what);
}

static int count_entries(const char *dir) {
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    }
    closedir(d);
    return n;
}

int main(void) {
    const char *dir = "/kiln_file_io.cleanup";
    char path[256], other[256], buf[128];
    snprintf(path, sizeof path, "%s/data.txt", dir);
    snprintf(other, sizeof other, "%s/renamed.txt", dir);

    check(mkdir(dir, 0755) == 0, "mkdir");
    int fd = open(path, O_CREAT | O_EXCL | O_RDWR, 0644);
    check(fd >= 0, "create");
    check(write(fd, "hello, world\n", 13) == 13, "write");
    check(lseek(fd, 0, SEEK_SET) == 0, "seek to start");
    memset(buf, 0, sizeof buf);
    check(read(fd, buf, sizeof buf) == 13 && strcmp(buf, "hello, world\n") == 0, "read back");
    check(lseek(fd, 7, SEEK_SET) == 7 && write(fd, "WASI!", 5) == 5, "overwrite in the middle");
    check(pread(fd, buf, 5, 7) == 5 && memcmp(buf, "WASI!", 5) == 0, "pread");
    check(pwrite(fd, "H", 1, 0) == 1, "pwrite");
    check(lseek(fd, 0, SEEK_CUR) == 12, "pread/pwrite keep the offset");
    close(fd);

    fd = open(path, O_WRONLY | O_APPEND);
    check(fd >= 0 && write(fd, "more\n", 5) == 5, "append");
    close(fd);
    struct stat st;
    check(stat(path, &st) == 0 && st.st_size == 18 && S_ISREG(st.st_mode), "stat size 18");
    check(truncate(path, 5) == 0 && stat(path, &st) == 0 && st.st_size == 5, "truncate to 5");

    FILE *f = fopen(path, "r");
    check(f != NULL && fgets(buf, sizeof buf, f) != NULL && strcmp(buf, "Hello") == 0, "fopen/fgets");
    fclose(f);

    check(rename(path, other) == 0, "rename");
    check(access(path, F_OK) != 0 && errno == ENOENT, "old name gone");
    check(count_entries(dir) == 1, "readdir sees one entry");
    check(open(other, O_CREAT | O_EXCL | O_WRONLY, 0644) < 0 && errno == EEXIST, "O_EXCL on an existing file");
    check(rmdir(dir) != 0 && errno == ENOTEMPTY, "rmdir of a non-empty directory fails");
    check(open("/../escape", O_CREAT | O_WRONLY, 0644) < 0, "cannot create outside the preopen");
    check(unlink(other) == 0, "unlink");
    check(rmdir(dir) == 0, "rmdir");
    printf("done\n");
    return 0;
}
