package dev.kiln.backend.aarch64;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static dev.kiln.backend.aarch64.GeneralRegister.*;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every Advanced SIMD form of the SIMD lowering, in every arrangement it has, on registers V0,
 * V1, V15, V16, V31 and V7: the bytes against GNU as (the source written here), the listing
 * against objdump.
 */
class SimdFormsTest {
    private static final int[] NUMBERS = {0, 1, 15, 16, 31, 7};
    private static final VectorShape[] ARRANGEMENTS = {VectorShape.V8B, VectorShape.V16B, VectorShape.V4H, VectorShape.V8H,
            VectorShape.V2S, VectorShape.V4S, VectorShape.V2D};

    private static VectorRegister v(int i, VectorShape shape) {
        return VectorRegister.of(NUMBERS[Math.floorMod(i, NUMBERS.length)], shape);
    }

    /** Whether {@code op} accepts {@code t} (found by asking the encoder, so GNU as decides the rest). */
    private static boolean accepts(Runnable emit) {
        try {
            emit.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @TestFactory
    Stream<DynamicTest> threeSame() {
        EncodingCases c = new EncodingCases();
        A64Assembler probe = new A64Assembler();
        int i = 0;
        for (SimdThreeSameOp op : SimdThreeSameOp.values()) {
            for (VectorShape t : ARRANGEMENTS) {
                VectorRegister d = v(i, t), n = v(i + 1, t), m = v(i + 3, t);
                i++;
                if (!accepts(() -> probe.simd(op, d, n, m))) continue;
                c.add(op.mnemonic() + " " + d + ", " + n + ", " + m, a -> a.simd(op, d, n, m));
            }
        }
        c.add("orr v3.16b, v9.16b, v9.16b", a -> a.simd(SimdThreeSameOp.ORR, VectorRegister.of(3, VectorShape.V16B),
                VectorRegister.of(9, VectorShape.V16B), VectorRegister.of(9, VectorShape.V16B)));
        c.add("mov v31.16b, v0.16b", a -> a.movVector(VectorRegister.of(31, VectorShape.Q), VectorRegister.of(0, VectorShape.V4S)));
        assertTrue(c.size() > 150, "cases: " + c.size());
        return c.tests();
    }

    @TestFactory
    Stream<DynamicTest> twoRegisterMisc() {
        EncodingCases c = new EncodingCases();
        A64Assembler probe = new A64Assembler();
        int i = 0;
        for (SimdTwoMiscOp op : SimdTwoMiscOp.values()) {
            for (VectorShape t : ARRANGEMENTS) {
                for (VectorShape u : ARRANGEMENTS) {
                    VectorRegister d = v(i, t), n = v(i + 2, u);
                    i++;
                    if (!accepts(() -> probe.simd(op, d, n))) continue;
                    String name = op.name().toLowerCase();
                    boolean upper = switch (op) {
                        case XTN, SQXTN, UQXTN, SQXTUN, FCVTN -> t.isFullWidth();
                        case FCVTL -> u.isFullWidth();
                        default -> false;
                    };
                    String src = (name.endsWith("_zero") ? name.substring(0, name.length() - 5) : name) + (upper ? "2" : "")
                            + " " + d + ", " + n + (name.endsWith("_zero") ? ", #0" : "");
                    c.add(src, a -> a.simd(op, d, n));
                }
            }
        }
        assertTrue(c.size() > 100, "cases: " + c.size());
        return c.tests();
    }

    @TestFactory
    Stream<DynamicTest> shiftsPermutesWideningAndReductions() {
        EncodingCases c = new EncodingCases();
        A64Assembler probe = new A64Assembler();
        int i = 0;
        for (SimdShiftOp op : SimdShiftOp.values()) {
            for (VectorShape t : ARRANGEMENTS) {
                for (VectorShape u : ARRANGEMENTS) {
                    for (int shift : new int[] {0, 1, 7, 8, 15, 31, 32, 63, 64}) {
                        VectorRegister d = v(i, t), n = v(i + 1, u);
                        i++;
                        if (!accepts(() -> probe.simd(op, d, n, shift))) continue;
                        boolean upper = (op == SimdShiftOp.SSHLL || op == SimdShiftOp.USHLL) && u.isFullWidth();
                        c.add(op.mnemonic() + (upper ? "2" : "") + " " + d + ", " + n + ", #" + shift, a -> a.simd(op, d, n, shift));
                    }
                }
            }
        }
        for (SimdPermuteOp op : SimdPermuteOp.values()) {
            for (VectorShape t : ARRANGEMENTS) {
                VectorRegister d = v(i, t), n = v(i + 1, t), m = v(i + 2, t);
                i++;
                if (!accepts(() -> probe.simd(op, d, n, m))) continue;
                c.add(op.mnemonic() + " " + d + ", " + n + ", " + m, a -> a.simd(op, d, n, m));
            }
        }
        for (SimdWideningOp op : SimdWideningOp.values()) {
            for (VectorShape t : ARRANGEMENTS) {
                for (VectorShape u : ARRANGEMENTS) {
                    VectorRegister d = v(i, t), n = v(i + 1, u), m = v(i + 4, u);
                    i++;
                    if (!accepts(() -> probe.simd(op, d, n, m))) continue;
                    c.add(op.mnemonic() + (u.isFullWidth() ? "2" : "") + " " + d + ", " + n + ", " + m, a -> a.simd(op, d, n, m));
                }
            }
        }
        for (SimdAcrossOp op : SimdAcrossOp.values()) {
            for (VectorShape t : ARRANGEMENTS) {
                VectorRegister d = v(i, t.element()), n = v(i + 1, t);
                i++;
                if (!accepts(() -> probe.simd(op, d, n))) continue;
                c.add(op.mnemonic() + " " + d + ", " + n, a -> a.simd(op, d, n));
            }
        }
        assertTrue(c.size() > 150, "cases: " + c.size());
        return c.tests();
    }

    @TestFactory
    Stream<DynamicTest> lanesTablesAndImmediates() {
        EncodingCases c = new EncodingCases();
        int i = 0;
        for (VectorShape e : List.of(VectorShape.B, VectorShape.H, VectorShape.S, VectorShape.D)) {
            for (int lane : new int[] {0, 1, 128 / e.elementBits - 1}) {
                VectorLane l = v(i, VectorShape.Q).lane(e, lane);
                VectorLane from = v(i + 1, VectorShape.Q).lane(e, (lane + 1) % (128 / e.elementBits));
                i++;
                for (VectorShape t : ARRANGEMENTS) {
                    if (t.elementBits != e.elementBits || t == VectorShape.V2D && false) continue;
                    if (t.elementBits == 64 && !t.isFullWidth()) continue;
                    VectorRegister d = v(i + 2, t);
                    c.add("dup " + d + ", " + l, a -> a.dup(d, l));
                    GeneralRegister g = e == VectorShape.D ? X3 : W3;
                    c.add("dup " + d + ", " + g, a -> a.dup(d, g));
                }
                c.add("mov " + l + ", " + from, a -> a.ins(l, from));
                if (e != VectorShape.D) c.add("smov x5, " + l, a -> a.smov(X5, l));
                if (e == VectorShape.B || e == VectorShape.H) c.add("smov w5, " + l, a -> a.smov(W5, l));
                String list = "{v" + l.register().number() + "." + e.suffix() + "}[" + lane + "]";
                c.add("ld1 " + list + ", [x7]", a -> a.ld1(l, X7));
                c.add("st1 " + list + ", [sp]", a -> a.st1(l, SP));
            }
        }
        for (VectorShape t : ARRANGEMENTS) {
            VectorRegister d = v(i++, t);
            c.add("ld1r {" + d + "}, [x2]", a -> a.ld1r(d, X2));
        }
        for (int index : new int[] {0, 1, 7, 15}) {
            VectorRegister d = v(i, VectorShape.V16B), n = v(i + 1, VectorShape.V16B), m = v(i + 2, VectorShape.V16B);
            i++;
            c.add("ext " + d + ", " + n + ", " + m + ", #" + index, a -> a.ext(d, n, m, index));
        }
        c.add("ext v1.8b, v2.8b, v3.8b, #7", a -> a.ext(VectorRegister.of(1, VectorShape.V8B), VectorRegister.of(2, VectorShape.V8B),
                VectorRegister.of(3, VectorShape.V8B), 7));
        for (int count = 1; count <= 4; count++) {
            int k = count;
            VectorRegister d = v(i, VectorShape.V16B), n = VectorRegister.of(30, VectorShape.V16B), m = v(i + 1, VectorShape.V16B);
            i++;
            StringBuilder regs = new StringBuilder();
            for (int r = 0; r < count; r++) regs.append(r > 0 ? ", " : "").append("v").append((30 + r) % 32).append(".16b");
            c.add("tbl " + d + ", {" + regs + "}, " + m, a -> a.tbl(d, n, k, m));
        }
        // vector immediates: the encodable ones of each lane size
        long[][] values = {
                {0, 1, 0x7F, 0x80, 0xFF},                               // bytes
                {0, 0x12, 0x1200, 0xFF00, 0xFFED, 0xEDFF, 0xFFFF},     // halfwords (mvni for the complements)
                {0, 0x12, 0x1200, 0x120000, 0x12000000, 0xFFFFFFED, 0xFFFFEDFFL, 0xEDFFFFFFL, 0xFFFFFFFFL},
                {0, -1, 0xFF00FF00FF00FF00L, 0x00000000FFFFFFFFL}};
        VectorShape[][] shapes = {{VectorShape.V8B, VectorShape.V16B}, {VectorShape.V4H, VectorShape.V8H},
                {VectorShape.V2S, VectorShape.V4S}, {VectorShape.V2D}};
        for (int s = 0; s < values.length; s++) {
            for (VectorShape t : shapes[s]) {
                for (long value : values[s]) {
                    VectorRegister d = v(i++, t);
                    String source = ImmediateSource.of(d, value);
                    c.add(source, a -> assertTrue(a.moviIfEncodable(d, value)));
                }
            }
        }
        return c.tests();
    }

    @Test
    void unencodableImmediatesAndBadOperandsAreRefused() {
        A64Assembler a = new A64Assembler();
        assertFalse(a.moviIfEncodable(VectorRegister.of(0, VectorShape.V4S), 0x12345678));
        assertFalse(a.moviIfEncodable(VectorRegister.of(0, VectorShape.V2D), 0x1234));
        assertFalse(a.moviIfEncodable(VectorRegister.of(0, VectorShape.V8H), 0x1234));
        assertThrows(IllegalArgumentException.class, () -> a.simd(SimdThreeSameOp.MUL, VectorRegister.of(0, VectorShape.V2D),
                VectorRegister.of(1, VectorShape.V2D), VectorRegister.of(2, VectorShape.V2D)));
        assertThrows(IllegalArgumentException.class, () -> a.simd(SimdThreeSameOp.ADD, VectorRegister.of(0, VectorShape.V4S),
                VectorRegister.of(1, VectorShape.V4S), VectorRegister.of(2, VectorShape.V2D)));
        assertThrows(IllegalArgumentException.class, () -> a.simd(SimdShiftOp.SHL, VectorRegister.of(0, VectorShape.V4S),
                VectorRegister.of(1, VectorShape.V4S), 32));
        assertThrows(IllegalArgumentException.class, () -> a.tbl(VectorRegister.of(0, VectorShape.V16B),
                VectorRegister.of(1, VectorShape.V16B), 5, VectorRegister.of(2, VectorShape.V16B)));
        assertThrows(IllegalArgumentException.class, () -> a.ld1(VectorRegister.of(0, VectorShape.Q).lane(VectorShape.S, 0), W1));
    }

    /** The GNU source for a MOVI/MVNI of {@code value} in every lane (written independently of the encoder). */
    private static final class ImmediateSource {
        static String of(VectorRegister d, long value) {
            VectorShape t = d.shape();
            int bits = t.elementBits;
            long mask = bits == 64 ? -1L : (1L << bits) - 1;
            long v = value & mask;
            if (bits == 8) return "movi " + d + ", #" + v;
            if (bits == 64) return "movi " + d + ", #0x" + Long.toHexString(v);
            for (int shift = 0; shift < bits; shift += 8) {
                if ((v & ~(0xFFL << shift)) == 0) return "movi " + d + ", #" + (v >>> shift) + ", lsl #" + shift;
                long n = ~v & mask;
                if ((n & ~(0xFFL << shift)) == 0) return "mvni " + d + ", #" + (n >>> shift) + ", lsl #" + shift;
            }
            throw new AssertionError("not encodable: " + Long.toHexString(value));
        }
    }
}
