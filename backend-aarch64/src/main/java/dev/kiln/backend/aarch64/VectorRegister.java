package dev.kiln.backend.aarch64;

/**
 * One of the 32 SIMD&amp;FP registers V0-V31 in a given {@link VectorShape}: scalar views such as
 * {@code s5} and {@code d17} for floating point, or arrangements such as {@code v0.8b} for the few
 * vector instructions the backend needs (CNT, ADDV). Instances are canonical, so {@code ==} works.
 */
public final class VectorRegister implements A64Register {
    private static final VectorShape[] SHAPES = VectorShape.values();
    private static final VectorRegister[][] ALL = new VectorRegister[32][SHAPES.length];

    static {
        for (int n = 0; n < 32; n++) {
            for (VectorShape shape : SHAPES) {
                ALL[n][shape.ordinal()] = new VectorRegister(n, shape);
            }
        }
    }

    public static final VectorRegister S0 = s(0), S1 = s(1), S2 = s(2), S3 = s(3), S4 = s(4), S5 = s(5), S6 = s(6),
            S7 = s(7), S8 = s(8), S9 = s(9), S10 = s(10), S11 = s(11), S12 = s(12), S13 = s(13), S14 = s(14),
            S15 = s(15), S16 = s(16), S17 = s(17), S18 = s(18), S19 = s(19), S20 = s(20), S21 = s(21),
            S22 = s(22), S23 = s(23), S24 = s(24), S25 = s(25), S26 = s(26), S27 = s(27), S28 = s(28),
            S29 = s(29), S30 = s(30), S31 = s(31);
    public static final VectorRegister D0 = d(0), D1 = d(1), D2 = d(2), D3 = d(3), D4 = d(4), D5 = d(5), D6 = d(6),
            D7 = d(7), D8 = d(8), D9 = d(9), D10 = d(10), D11 = d(11), D12 = d(12), D13 = d(13), D14 = d(14),
            D15 = d(15), D16 = d(16), D17 = d(17), D18 = d(18), D19 = d(19), D20 = d(20), D21 = d(21),
            D22 = d(22), D23 = d(23), D24 = d(24), D25 = d(25), D26 = d(26), D27 = d(27), D28 = d(28),
            D29 = d(29), D30 = d(30), D31 = d(31);

    private final int number;
    private final VectorShape shape;

    private VectorRegister(int number, VectorShape shape) {
        this.number = number;
        this.shape = shape;
    }

    /** V{@code n} (0-31) viewed as {@code shape}. */
    public static VectorRegister of(int n, VectorShape shape) {
        if (n < 0 || n > 31) {
            throw new IllegalArgumentException("vector register number " + n + " is not 0-31");
        }
        return ALL[n][shape.ordinal()];
    }

    /** S{@code n}: the 32-bit scalar (single-precision) view. */
    public static VectorRegister s(int n) {
        return of(n, VectorShape.S);
    }

    /** D{@code n}: the 64-bit scalar (double-precision) view. */
    public static VectorRegister d(int n) {
        return of(n, VectorShape.D);
    }

    /** The same register viewed as {@code newShape}. */
    public VectorRegister as(VectorShape newShape) {
        return ALL[number][newShape.ordinal()];
    }

    /** This register's S view. */
    public VectorRegister s() {
        return as(VectorShape.S);
    }

    /** This register's D view. */
    public VectorRegister d() {
        return as(VectorShape.D);
    }

    /** This register's Q (128-bit) view: a whole v128 for loads and stores. */
    public VectorRegister q() {
        return as(VectorShape.Q);
    }

    /** This register's B (8-bit scalar) view, the result of ADDV over bytes. */
    public VectorRegister b() {
        return as(VectorShape.B);
    }

    /** This register's 8B arrangement (the low 64 bits as eight bytes). */
    public VectorRegister v8b() {
        return as(VectorShape.V8B);
    }

    /** This register's 16B arrangement. */
    public VectorRegister v16b() {
        return as(VectorShape.V16B);
    }

    /** Lane {@code index} of elements of size {@code element} (B, H, S or D) of this register. */
    public VectorLane lane(VectorShape element, int index) {
        return new VectorLane(this, element, index);
    }

    @Override
    public int number() {
        return number;
    }

    public VectorShape shape() {
        return shape;
    }

    /** True for the S and D views, the ones floating-point instructions take. */
    public boolean isFloatScalar() {
        return shape == VectorShape.S || shape == VectorShape.D;
    }

    @Override
    public String name() {
        return shape.isScalar() ? shape.suffix() + number : "v" + number + "." + shape.suffix();
    }

    @Override
    public String toString() {
        return name();
    }
}
