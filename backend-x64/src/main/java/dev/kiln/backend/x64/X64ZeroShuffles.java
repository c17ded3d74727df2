package dev.kiln.backend.x64;

/**
 * An i8x16.shuffle of a vector and the zero constant: the lanes taken from zero are zero whatever
 * their index, so the pattern matches more single instructions than a shuffle of two vectors —
 * a zero extension ({@code pmovzx*}, which needs no zero register), an interleave with zero
 * ({@code punpck*}), a whole-register byte shift ({@code psrldq}/{@code pslldq}) — and otherwise
 * it is one pshufb of the vector with index 0x80 in the zero lanes (not two pshufb and a por).
 * clang widens bytes and words this way ({@code u8 → u16/u32} in a vectorised loop is a shuffle
 * with {@code v128.const 0}).
 */
final class X64ZeroShuffles {
    /** A lane taken from the zero vector. */
    static final int ZERO = -1;

    /** Zero extensions from elements of 1, 2 or 4 bytes to twice, four or eight times the width. */
    private record Extension(int from, int to, VecOp op) {
    }

    private static final Extension[] EXTENSIONS = {
            new Extension(1, 2, VecOp.PMOVZXBW), new Extension(1, 4, VecOp.PMOVZXBD), new Extension(1, 8, VecOp.PMOVZXBQ),
            new Extension(2, 4, VecOp.PMOVZXWD), new Extension(2, 8, VecOp.PMOVZXWQ), new Extension(4, 8, VecOp.PMOVZXDQ)};

    private static final VecOp[][] INTERLEAVES = {
            {VecOp.PUNPCKLBW, VecOp.PUNPCKHBW}, {VecOp.PUNPCKLWD, VecOp.PUNPCKHWD},
            {VecOp.PUNPCKLDQ, VecOp.PUNPCKHDQ}, {VecOp.PUNPCKLQDQ, VecOp.PUNPCKHQDQ}};

    private X64ZeroShuffles() {
    }

    /**
     * {@code result = shuffle(x, zero)} with {@code lanes[k]} the byte of {@code x} lane k takes
     * (0-15) or {@link #ZERO}; {@code zero} is the zero constant's operand (for an interleave).
     */
    static void lower(X64Vectors v, int result, XmmOrMemory x, XmmOrMemory zero, int[] lanes) {
        X64Function fn = v.fn;
        for (Extension e : EXTENSIONS) {
            if (zeroExtends(lanes, e)) {
                Xmm d = fn.fdst(result, X64Vectors.T1);
                v.unary(e.op, d, x);
                fn.fput(result, d);
                return;
            }
        }
        for (int s = 0; s < 4; s++) {
            for (int half = 0; half < 2; half++) {
                for (int xFirst = 0; xFirst < 2; xFirst++) {
                    if (interleaves(lanes, 1 << s, half, xFirst == 1)) {
                        X64SimdLowering.binary(v, result, INTERLEAVES[s][half], xFirst == 1 ? x : zero, xFirst == 1 ? zero : x, -1, false);
                        return;
                    }
                }
            }
        }
        Xmm d = fn.fdst(result, X64Vectors.T1);
        int shift = byteShift(lanes);
        if (shift > 0) v.shift(VecOp.PSRLDQ, d, x, shift);
        else if (shift < 0) v.shift(VecOp.PSLLDQ, d, x, -shift);
        else v.op(VecOp.PSHUFB, d, x, v.constant(X64SimdLanes.bytes(lanes, 0), X64SimdLanes.bytes(lanes, 8)));
        fn.fput(result, d);
    }

    /** Whether each element of {@code e.to} bytes is the next element of {@code e.from} bytes of x, then zero bytes. */
    private static boolean zeroExtends(int[] lanes, Extension e) {
        for (int k = 0; k < 16; k++) {
            int pos = k % e.to, element = k / e.to;
            int want = pos < e.from ? element * e.from + pos : ZERO;
            if (lanes[k] != want) return false;
        }
        return true;
    }

    /** Whether the lanes interleave elements of {@code size} bytes of one half of x with zero, x's element first or second. */
    private static boolean interleaves(int[] lanes, int size, int half, boolean xFirst) {
        for (int k = 0; k < 16; k++) {
            int element = k / size, fromX = element % 2 == (xFirst ? 0 : 1) ? 1 : 0;
            int want = fromX == 1 ? (element / 2 + half * (8 / size)) * size + k % size : ZERO;
            if (lanes[k] != want) return false;
        }
        return true;
    }

    /**
     * n > 0 when the lanes are x shifted right by n bytes (psrldq: lane k is byte k + n, the top n
     * zero), n < 0 when shifted left by -n bytes (pslldq), else 0.
     */
    private static int byteShift(int[] lanes) {
        for (int n = 1; n < 16; n++) {
            boolean right = true, left = true;
            for (int k = 0; k < 16; k++) {
                right &= lanes[k] == (k + n < 16 ? k + n : ZERO);
                left &= lanes[k] == (k >= n ? k - n : ZERO);
            }
            if (right) return n;
            if (left) return -n;
        }
        return 0;
    }
}
