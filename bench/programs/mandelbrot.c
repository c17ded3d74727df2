// Mandelbrot set membership on a size x size grid: f64 arithmetic in a tight loop.
__attribute__((export_name("run"))) int run(int size) {
    int inside = 0;
    for (int y = 0; y < size; y++) {
        double ci = 2.0 * y / size - 1.0;
        for (int x = 0; x < size; x++) {
            double cr = 2.0 * x / size - 1.5;
            double zr = 0, zi = 0;
            int k = 0;
            for (; k < 100; k++) {
                double zr2 = zr * zr, zi2 = zi * zi;
                if (zr2 + zi2 > 4.0) break;
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
            }
            if (k == 100) inside++;
        }
    }
    return inside;
}
