package dev.kiln.ir.vector;

import dev.kiln.frontend.Immediate;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;

/**
 * The exact semantics of every SIMD instruction that does not access memory, on values kept in
 * {@code long} slots: a v128 takes two consecutive slots (bits 0-63, then bits 64-127), a scalar
 * one (i32 in the low 32 bits, floats as raw bits). The interpreter runs SIMD code with it; it is
 * the reference the native backends are tested against.
 *
 * <p>Relaxed SIMD instructions give the result the 3.0 spec's deterministic profile prescribes:
 * {@code relaxed_swizzle} is {@code swizzle}, {@code relaxed_trunc*} saturate like
 * {@code trunc_sat*}, {@code relaxed_madd}/{@code relaxed_nmadd} round after the multiply and after
 * the add, {@code relaxed_laneselect} is {@code bitselect}, {@code relaxed_min}/{@code relaxed_max}
 * are {@code min}/{@code max}, {@code relaxed_q15mulr_s} saturates, and the relaxed dot products
 * treat both operands as signed and add the byte products with i16 saturation.
 */
public final class VectorNumerics {
    private VectorNumerics() {
    }

    /**
     * Evaluates {@code op} with operands in slots {@code a}, {@code b}, {@code c} of {@code r} (by
     * the instruction's operand order; unused ones are ignored) and writes the result at {@code d}.
     * {@code imm} is the lane index of lane instructions; {@code imm}/{@code imm2} are the low and
     * high halves of a shuffle's lane pattern. Inputs are all read before the result is written.
     */
    public static void eval(Opcode op, long[] r, int d, int a, int b, int c, long imm, long imm2) {
        if (op.immediate == Immediate.LANE) {
            lane(op, r, d, a, b, (int) imm);
            return;
        }
        if (op == Opcode.I8X16_SHUFFLE) {
            shuffle(r, d, a, b, imm, imm2);
            return;
        }
        LaneShape shape = LaneShape.of(op);
        switch (Kind.of(op)) {
            case LANEWISE -> lanewise(op, shape, r, d, a, b, c);
            case SHIFT -> {
                int count = (int) r[b];
                long lo = IntegerLanes.shift(op, shape.laneBits, r[a], count);
                long hi = IntegerLanes.shift(op, shape.laneBits, r[a + 1], count);
                r[d] = lo;
                r[d + 1] = hi;
            }
            case WIDENING -> {
                long[] out = new long[2];
                WideningLanes.eval(op, shape, r[a], r[a + 1], r[b], r[b + 1], r[c], r[c + 1], out);
                r[d] = out[0];
                r[d + 1] = out[1];
            }
            case SPLAT -> splat(shape, r, d, r[a]);
            case REDUCTION -> r[d] = reduce(op, shape, r[a], r[a + 1]);
            case BITWISE -> bitwise(op, r, d, a, b, c);
            case SWIZZLE -> swizzle(r, d, a, b);
        }
    }

    /** How an instruction uses its lanes. */
    private enum Kind {
        LANEWISE, SHIFT, WIDENING, SPLAT, REDUCTION, BITWISE, SWIZZLE;

        private static final Kind[] BY_OPCODE = new Kind[Opcode.values().length];

        static {
            for (Opcode op : Opcode.values()) {
                if (op.isSimd() && op.hasFixedSignature() && !op.mnemonic.startsWith("v128.load")
                        && !op.mnemonic.startsWith("v128.store") && op != Opcode.V128_CONST) {
                    BY_OPCODE[op.ordinal()] = classify(op);
                }
            }
        }

        static Kind of(Opcode op) {
            Kind k = BY_OPCODE[op.ordinal()];
            if (k == null) throw new IllegalArgumentException("not a SIMD operation on values: " + op);
            return k;
        }

        private static Kind classify(Opcode op) {
            String m = op.mnemonic;
            String name = m.substring(m.indexOf('.') + 1);
            if (name.equals("splat")) return SPLAT;
            if (name.equals("shl") || name.startsWith("shr_")) return SHIFT;
            if (name.equals("bitmask") || name.equals("all_true") || name.equals("any_true")) return REDUCTION;
            if (name.equals("swizzle") || name.equals("relaxed_swizzle")) return SWIZZLE;
            if (m.startsWith("v128.") || name.equals("relaxed_laneselect")) return BITWISE;
            if (name.startsWith("extend_") || name.startsWith("extmul_") || name.startsWith("extadd_")
                    || name.startsWith("dot_") || name.startsWith("relaxed_dot_") || name.startsWith("narrow_")
                    || name.endsWith("_zero") || name.startsWith("convert_low_") || name.startsWith("promote_low_")) {
                return WIDENING;
            }
            return LANEWISE;
        }
    }

    private static void lanewise(Opcode op, LaneShape shape, long[] r, int d, int a, int b, int c) {
        int arity = op.paramCount();
        long aLo = r[a], aHi = r[a + 1];
        long bLo = arity > 1 ? r[b] : 0, bHi = arity > 1 ? r[b + 1] : 0;
        long cLo = arity > 2 ? r[c] : 0, cHi = arity > 2 ? r[c + 1] : 0;
        long lo, hi;
        switch (shape) {
            case F32X4 -> {
                lo = FloatLanes.f32(op, aLo, bLo, cLo);
                hi = FloatLanes.f32(op, aHi, bHi, cHi);
            }
            case F64X2 -> {
                lo = FloatLanes.f64(op, aLo, bLo, cLo);
                hi = FloatLanes.f64(op, aHi, bHi, cHi);
            }
            default -> {
                if (op.mnemonic.contains("_f32x4")) { // i32x4.trunc_sat_f32x4_*: lanes stay 32 bits wide
                    lo = FloatLanes.f32(op, aLo, 0, 0);
                    hi = FloatLanes.f32(op, aHi, 0, 0);
                } else {
                    lo = IntegerLanes.binary(op, shape.laneBits, aLo, bLo);
                    hi = IntegerLanes.binary(op, shape.laneBits, aHi, bHi);
                }
            }
        }
        r[d] = lo;
        r[d + 1] = hi;
    }

    private static void bitwise(Opcode op, long[] r, int d, int a, int b, int c) {
        long aLo = r[a], aHi = r[a + 1];
        long lo, hi;
        switch (op) {
            case V128_NOT -> {
                lo = ~aLo;
                hi = ~aHi;
            }
            case V128_AND -> {
                lo = aLo & r[b];
                hi = aHi & r[b + 1];
            }
            case V128_ANDNOT -> {
                lo = aLo & ~r[b];
                hi = aHi & ~r[b + 1];
            }
            case V128_OR -> {
                lo = aLo | r[b];
                hi = aHi | r[b + 1];
            }
            case V128_XOR -> {
                lo = aLo ^ r[b];
                hi = aHi ^ r[b + 1];
            }
            default -> { // bitselect and every relaxed_laneselect: bits of a where c is set, else of b
                lo = (aLo & r[c]) | (r[b] & ~r[c]);
                hi = (aHi & r[c + 1]) | (r[b + 1] & ~r[c + 1]);
            }
        }
        r[d] = lo;
        r[d + 1] = hi;
    }

    /** A scalar of {@code shape}'s lane type repeated in every lane. */
    private static void splat(LaneShape shape, long[] r, int d, long v) {
        long half = switch (shape.laneBits) {
            case 8 -> (v & 0xFF) * 0x0101_0101_0101_0101L;
            case 16 -> (v & 0xFFFF) * 0x0001_0001_0001_0001L;
            case 32 -> (v & 0xFFFF_FFFFL) * 0x0000_0001_0000_0001L;
            default -> v;
        };
        r[d] = half;
        r[d + 1] = half;
    }

    /** any_true, all_true and bitmask: an i32 from the whole vector. */
    private static long reduce(Opcode op, LaneShape shape, long lo, long hi) {
        if (op == Opcode.V128_ANY_TRUE) return (lo | hi) != 0 ? 1 : 0;
        int bits = shape.laneBits;
        boolean all = true;
        int mask = 0;
        for (int i = 0; i < shape.lanes; i++) {
            long v = WideningLanes.lane(lo, hi, bits, i, true);
            all &= v != 0;
            if (v < 0) mask |= 1 << i;
        }
        return op.mnemonic.endsWith("all_true") ? (all ? 1 : 0) : mask;
    }

    /** extract_lane (scalar result at d) and replace_lane (vector at a, scalar at b). */
    private static void lane(Opcode op, long[] r, int d, int a, int b, int i) {
        LaneShape shape = LaneShape.of(op);
        int bits = shape.laneBits;
        if (op.result(0) != ValType.V128) { // extract: i32 and f32 lanes sign-extended, as the interpreter keeps them
            r[d] = WideningLanes.lane(r[a], r[a + 1], bits, i, !op.mnemonic.endsWith("_u"));
            return;
        }
        long lo = r[a], hi = r[a + 1];
        int perHalf = 64 / bits;
        int shift = (i % perHalf) * bits;
        long mask = bits == 64 ? -1L : ((1L << bits) - 1) << shift;
        long v = (r[b] << shift) & mask;
        if (i < perHalf) lo = (lo & ~mask) | v;
        else hi = (hi & ~mask) | v;
        r[d] = lo;
        r[d + 1] = hi;
    }

    /** i8x16.shuffle: byte k of the result is byte {@code pattern[k]} of a:b (0-15 from a, 16-31 from b). */
    private static void shuffle(long[] r, int d, int a, int b, long patternLo, long patternHi) {
        long aLo = r[a], aHi = r[a + 1], bLo = r[b], bHi = r[b + 1];
        long lo = 0, hi = 0;
        for (int k = 0; k < 16; k++) {
            int index = (int) ((k < 8 ? patternLo : patternHi) >>> (8 * (k % 8))) & 0xFF;
            long half = index < 8 ? aLo : index < 16 ? aHi : index < 24 ? bLo : bHi;
            long v = (half >>> (8 * (index % 8))) & 0xFF;
            if (k < 8) lo |= v << (8 * k);
            else hi |= v << (8 * (k - 8));
        }
        r[d] = lo;
        r[d + 1] = hi;
    }

    /** i8x16.swizzle (and the deterministic relaxed_swizzle): indices 16 and up select 0. */
    private static void swizzle(long[] r, int d, int a, int b) {
        long aLo = r[a], aHi = r[a + 1], iLo = r[b], iHi = r[b + 1];
        long lo = 0, hi = 0;
        for (int k = 0; k < 16; k++) {
            int index = (int) ((k < 8 ? iLo : iHi) >>> (8 * (k % 8))) & 0xFF;
            long v = index >= 16 ? 0 : ((index < 8 ? aLo : aHi) >>> (8 * (index % 8))) & 0xFF;
            if (k < 8) lo |= v << (8 * k);
            else hi |= v << (8 * (k - 8));
        }
        r[d] = lo;
        r[d + 1] = hi;
    }
}
