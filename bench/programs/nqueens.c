// Counting the solutions of the n-queens problem by backtracking over bit masks: recursion, branches,
// bit operations.
static int solve(unsigned cols, unsigned left, unsigned right, unsigned all) {
    if (cols == all) return 1;
    int count = 0;
    for (unsigned free = all & ~(cols | left | right); free; free &= free - 1) {
        unsigned bit = free & -free;
        count += solve(cols | bit, (left | bit) << 1, (right | bit) >> 1, all);
    }
    return count;
}

__attribute__((export_name("run"))) int run(int n) {
    return solve(0, 0, 0, (1u << n) - 1);
}
