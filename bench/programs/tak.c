// Takeuchi's function and Ackermann's: deep recursion, almost nothing but calls and returns.
static int tak(int x, int y, int z) {
    return y < x ? tak(tak(x - 1, y, z), tak(y - 1, z, x), tak(z - 1, x, y)) : z;
}

static int ack(int m, int n) {
    if (m == 0) return n + 1;
    if (n == 0) return ack(m - 1, 1);
    return ack(m - 1, ack(m, n - 1));
}

__attribute__((export_name("run"))) int run(int n) {
    int sum = 0;
    for (int i = 0; i < n; i++) sum += tak(18 + i % 3, 12, 6) + ack(2, 200 + i % 7);
    return sum;
}
