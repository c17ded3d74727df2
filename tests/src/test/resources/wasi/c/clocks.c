// Clocks: realtime is plausible, monotonic never goes backwards and advances across a 20 ms sleep
// (poll_oneoff), resolutions are positive. Prints "clocks ok" or the failing check.
#include <stdio.h>
#include <time.h>

static long long ns(struct timespec t) {
    return (long long) t.tv_sec * 1000000000LL + t.tv_nsec;
}

static int fail(const char *what) {
    printf("FAILED: %s\n", what);
    return 1;
}

int main(void) {
    struct timespec a, b, wall, res;
    if (clock_gettime(CLOCK_REALTIME, &wall) != 0) return fail("realtime");
    if (wall.tv_sec < 1600000000) return fail("realtime is before 2020");
    if (clock_getres(CLOCK_MONOTONIC, &res) != 0 || ns(res) <= 0) return fail("monotonic resolution");
    if (clock_getres(CLOCK_REALTIME, &res) != 0 || ns(res) <= 0) return fail("realtime resolution");
    if (clock_gettime(CLOCK_MONOTONIC, &a) != 0) return fail("monotonic");
    for (int i = 0; i < 1000; i++) {
        if (clock_gettime(CLOCK_MONOTONIC, &b) != 0 || ns(b) < ns(a)) return fail("monotonic went backwards");
        a = b;
    }
    struct timespec sleep_for = {0, 20 * 1000 * 1000};
    if (nanosleep(&sleep_for, NULL) != 0) return fail("nanosleep");
    if (clock_gettime(CLOCK_MONOTONIC, &b) != 0 || ns(b) - ns(a) < 20 * 1000 * 1000) return fail("slept 20 ms");
    printf("clocks ok\n");
    return 0;
}
