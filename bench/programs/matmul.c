// Dense 128x128 f64 matrix multiplication, repeated: nested loops over memory.
#define M 128
static double a[M][M], b[M][M], c[M][M];

__attribute__((export_name("run"))) int run(int reps) {
    for (int i = 0; i < M; i++)
        for (int j = 0; j < M; j++) {
            a[i][j] = (i * 7 + j * 3) % 17 - 8;
            b[i][j] = (i * 5 + j * 11) % 13 - 6;
        }
    double sum = 0;
    for (int r = 0; r < reps; r++) {
        for (int i = 0; i < M; i++)
            for (int j = 0; j < M; j++) {
                double s = 0;
                for (int k = 0; k < M; k++) s += a[i][k] * b[k][j];
                c[i][j] = s;
            }
        sum += c[r % M][(r * 7) % M];
    }
    return (int) sum;
}
