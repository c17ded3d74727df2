package dev.kiln.backend.aarch64;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Locale;
import java.util.stream.Stream;

import static dev.kiln.backend.aarch64.GeneralRegister.*;

/**
 * Every scalar floating-point form on S and D registers (V0, V1, V15, V16, V31), the conversions
 * to and from W/X registers, FMOV immediates at the ends of their range, and the vector
 * instructions used for popcnt; checked against GNU as and objdump.
 */
class FloatingPointFormsTest {
    private static final int[] NUMBERS = {0, 1, 15, 16, 31, 7};

    private static VectorRegister v(int i, VectorShape shape) {
        return VectorRegister.of(NUMBERS[Math.floorMod(i, NUMBERS.length)], shape);
    }

    @TestFactory
    Stream<DynamicTest> arithmetic() {
        EncodingCases c = new EncodingCases();
        int i = 0;
        for (VectorShape t : new VectorShape[]{VectorShape.S, VectorShape.D}) {
            for (FloatBinaryOp op : FloatBinaryOp.values()) {
                for (int k = 0; k < 3; k++) {
                    VectorRegister rd = v(i, t), rn = v(i + 1, t), rm = v(i + 3, t);
                    i++;
                    c.add(op.mnemonic() + " " + rd + ", " + rn + ", " + rm, a -> a.floatBinary(op, rd, rn, rm));
                }
            }
            for (FloatUnaryOp op : FloatUnaryOp.values()) {
                for (int k = 0; k < 3; k++) {
                    VectorRegister rd = v(i, op == FloatUnaryOp.FCVT ? other(t) : t), rn = v(i + 2, t);
                    i++;
                    c.add(op.mnemonic() + " " + rd + ", " + rn, a -> a.floatUnary(op, rd, rn));
                }
            }
            for (int k = 0; k < 3; k++) {
                VectorRegister rn = v(i, t), rm = v(i + 1, t);
                i++;
                c.add("fcmp " + rn + ", " + rm, a -> a.fcmp(rn, rm));
                c.add("fcmpe " + rn + ", " + rm, a -> a.fcmpe(rn, rm));
                c.add("fcmp " + rn + ", #0.0", a -> a.fcmpZero(rn));
                c.add("fcmpe " + rn + ", #0.0", a -> a.fcmpeZero(rn));
            }
            for (Condition cond : Condition.values()) {
                VectorRegister rd = v(i, t), rn = v(i + 1, t), rm = v(i + 4, t);
                i++;
                c.add("fcsel " + rd + ", " + rn + ", " + rm + ", " + cond.syntax(), a -> a.fcsel(rd, rn, rm, cond));
            }
        }
        c.add("fadd d0, d1, d2", a -> a.fadd(VectorRegister.D0, VectorRegister.D1, VectorRegister.D2));
        c.add("fsub s0, s1, s2", a -> a.fsub(VectorRegister.S0, VectorRegister.S1, VectorRegister.S2));
        c.add("fmul d16, d31, d0", a -> a.fmul(VectorRegister.D16, VectorRegister.D31, VectorRegister.D0));
        c.add("fdiv s31, s30, s29", a -> a.fdiv(VectorRegister.S31, VectorRegister.S30, VectorRegister.S29));
        c.add("fmin d0, d1, d2", a -> a.fmin(VectorRegister.D0, VectorRegister.D1, VectorRegister.D2));
        c.add("fmax s0, s1, s2", a -> a.fmax(VectorRegister.S0, VectorRegister.S1, VectorRegister.S2));
        c.add("fsqrt d0, d1", a -> a.fsqrt(VectorRegister.D0, VectorRegister.D1));
        c.add("fabs s3, s4", a -> a.fabs(VectorRegister.S3, VectorRegister.S4));
        c.add("fneg d5, d6", a -> a.fneg(VectorRegister.D5, VectorRegister.D6));
        c.add("frintp d0, d1", a -> a.frintp(VectorRegister.D0, VectorRegister.D1));
        c.add("frintm s0, s1", a -> a.frintm(VectorRegister.S0, VectorRegister.S1));
        c.add("frintz d0, d1", a -> a.frintz(VectorRegister.D0, VectorRegister.D1));
        c.add("frintn s0, s1", a -> a.frintn(VectorRegister.S0, VectorRegister.S1));
        c.add("fcvt d0, s1", a -> a.fcvt(VectorRegister.D0, VectorRegister.S1));
        c.add("fcvt s0, d1", a -> a.fcvt(VectorRegister.S0, VectorRegister.D1));
        c.add("fmov d0, d1", a -> a.fmov(VectorRegister.D0, VectorRegister.D1));
        return c.tests();
    }

    private static VectorShape other(VectorShape t) {
        return t == VectorShape.S ? VectorShape.D : VectorShape.S;
    }

    @TestFactory
    Stream<DynamicTest> conversionsAndMoves() {
        EncodingCases c = new EncodingCases();
        GeneralRegister[] gprs = {X0, X1, X17, X28, X30, XZR};
        int i = 0;
        for (FloatIntegerConversionOp op : FloatIntegerConversionOp.values()) {
            for (VectorShape t : new VectorShape[]{VectorShape.S, VectorShape.D}) {
                for (boolean x64 : new boolean[]{true, false}) {
                    boolean fmov = op == FloatIntegerConversionOp.FMOV_TO_GENERAL || op == FloatIntegerConversionOp.FMOV_FROM_GENERAL;
                    if (fmov && x64 != (t == VectorShape.D)) continue;
                    VectorRegister fp = v(i, t);
                    GeneralRegister g = gprs[i++ % gprs.length].view(x64);
                    if (op.toGeneral) {
                        c.add(op.mnemonic() + " " + g + ", " + fp, a -> a.floatToInteger(op, g, fp));
                    } else {
                        c.add(op.mnemonic() + " " + fp + ", " + g, a -> a.integerToFloat(op, fp, g));
                    }
                }
            }
        }
        c.add("fcvtzs w0, s1", a -> a.fcvtzs(W0, VectorRegister.S1));
        c.add("fcvtzs x0, d1", a -> a.fcvtzs(X0, VectorRegister.D1));
        c.add("fcvtzu w16, d31", a -> a.fcvtzu(W16, VectorRegister.D31));
        c.add("fcvtzu x30, s16", a -> a.fcvtzu(X30, VectorRegister.S16));
        c.add("scvtf d0, w1", a -> a.scvtf(VectorRegister.D0, W1));
        c.add("scvtf s0, x1", a -> a.scvtf(VectorRegister.S0, X1));
        c.add("ucvtf d0, x1", a -> a.ucvtf(VectorRegister.D0, X1));
        c.add("ucvtf s31, w28", a -> a.ucvtf(VectorRegister.S31, W28));
        c.add("fmov d0, x0", a -> a.fmov(VectorRegister.D0, X0));
        c.add("fmov x0, d0", a -> a.fmov(X0, VectorRegister.D0));
        c.add("fmov s16, w29", a -> a.fmov(VectorRegister.S16, W29));
        c.add("fmov w0, s31", a -> a.fmov(W0, VectorRegister.S31));
        c.add("fmov d1, xzr", a -> a.fmov(VectorRegister.D1, XZR));
        return c.tests();
    }

    @TestFactory
    Stream<DynamicTest> immediates() {
        EncodingCases c = new EncodingCases();
        double[] values = {1.0, -1.0, 0.125, -0.125, 31.0, -31.0, 2.0, 0.5, 1.9375, 0.1328125, 15.5, 3.0, 10.0, -2.5};
        int i = 0;
        for (double value : values) {
            for (VectorShape t : new VectorShape[]{VectorShape.S, VectorShape.D}) {
                VectorRegister rd = v(i++, t);
                c.add("fmov " + rd + ", #" + String.format(Locale.ROOT, "%.7f", value), a -> a.fmov(rd, value));
            }
        }
        // every one of the 256 encodings, through the movFloat helper (which must pick FMOV immediate)
        for (int imm8 = 0; imm8 < 256; imm8++) {
            long bits = FloatImmediate.expandDouble(imm8);
            int fbits = FloatImmediate.expandFloat(imm8);
            VectorRegister d = v(imm8, VectorShape.D), s = v(imm8 + 1, VectorShape.S);
            c.add("fmov " + d + ", #" + String.format(Locale.ROOT, "%.10e", Double.longBitsToDouble(bits)),
                    a -> a.movFloat(d, bits));
            c.add("fmov " + s + ", #" + String.format(Locale.ROOT, "%.10e", Float.intBitsToFloat(fbits)),
                    a -> a.movFloat(s, fbits));
        }
        c.add("fmov d7, xzr", a -> a.movFloat(VectorRegister.D7, 0));
        c.add("fmov s7, wzr", a -> a.movFloat(VectorRegister.S7, 0));
        return c.tests();
    }

    @TestFactory
    Stream<DynamicTest> vectorPopcountAndLanes() {
        EncodingCases c = new EncodingCases();
        for (int n : NUMBERS) {
            VectorRegister r = VectorRegister.of(n, VectorShape.V8B), q = VectorRegister.of(n, VectorShape.V16B);
            VectorRegister src = VectorRegister.of(31 - n, VectorShape.V8B);
            c.add("cnt " + r + ", " + src, a -> a.cnt(r, src));
            c.add("cnt " + q + ", " + src.as(VectorShape.V16B), a -> a.cnt(q, src.as(VectorShape.V16B)));
            c.add("addv b" + n + ", " + src, a -> a.addv(r.b(), src));
            c.add("addv b" + n + ", " + src.v16b(), a -> a.addv(r.b(), src.v16b()));
            c.add("addv h" + n + ", " + src.as(VectorShape.V4H), a -> a.addv(r.as(VectorShape.H), src.as(VectorShape.V4H)));
            c.add("addv h" + n + ", " + src.as(VectorShape.V8H), a -> a.addv(r.as(VectorShape.H), src.as(VectorShape.V8H)));
            c.add("addv s" + n + ", " + src.as(VectorShape.V4S), a -> a.addv(r.s(), src.as(VectorShape.V4S)));
        }
        GeneralRegister[] gprs = {X0, X1, X17, X30, XZR};
        int i = 0;
        for (VectorShape e : new VectorShape[]{VectorShape.B, VectorShape.H, VectorShape.S, VectorShape.D}) {
            int lanes = 128 / e.elementBits;
            for (int index : new int[]{0, 1, lanes - 1}) {
                VectorRegister reg = v(i, VectorShape.Q);
                GeneralRegister g = gprs[i++ % gprs.length].view(e == VectorShape.D);
                VectorLane lane = reg.lane(e, index);
                c.add("umov " + g + ", " + lane, a -> a.umov(g, lane));
                c.add("ins " + lane + ", " + g, a -> a.ins(lane, g));
            }
        }
        // the popcnt sequence
        c.add("fmov d0, x1\ncnt v0.8b, v0.8b\naddv b0, v0.8b\numov w1, v0.b[0]", a -> {
            a.fmov(VectorRegister.D0, X1);
            a.cnt(VectorRegister.D0.v8b(), VectorRegister.D0.v8b());
            a.addv(VectorRegister.D0.b(), VectorRegister.D0.v8b());
            a.umov(W1, VectorRegister.D0.lane(VectorShape.B, 0));
        });
        return c.tests();
    }
}
