package dev.kiln.backend.aarch64;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

import static dev.kiln.backend.aarch64.GeneralRegister.*;

/**
 * Random operands for every instruction form: batches of random instructions (random registers
 * among all 31 plus SP/XZR where allowed, random widths, immediates anywhere in their ranges) must
 * assemble exactly as GNU as assembles the same operands, and list exactly as objdump disassembles
 * them. The GNU source of each instruction is written here from the random operands.
 */
class RandomInstructionProperties {
    private static final List<Function<Random, EncodingCases.Case>> FORMS = List.of(
            RandomInstructionProperties::addSubImmediate,
            RandomInstructionProperties::addSubShifted,
            RandomInstructionProperties::addSubExtended,
            RandomInstructionProperties::logicalShifted,
            RandomInstructionProperties::logicalImmediate,
            RandomInstructionProperties::moveWide,
            RandomInstructionProperties::bitfield,
            RandomInstructionProperties::extract,
            RandomInstructionProperties::dataProcessing,
            RandomInstructionProperties::multiply,
            RandomInstructionProperties::conditional,
            RandomInstructionProperties::loadStore,
            RandomInstructionProperties::loadStorePair,
            RandomInstructionProperties::floatingPoint,
            RandomInstructionProperties::conversion,
            RandomInstructionProperties::lanes);

    @Provide
    Arbitrary<List<EncodingCases.Case>> batches() {
        return Arbitraries.randomValue(r -> FORMS.get(r.nextInt(FORMS.size())).apply(r)).list().ofSize(400);
    }

    @Property(tries = 15)
    void randomInstructionsMatchGnuBinutils(@ForAll("batches") List<EncodingCases.Case> batch) {
        GnuBinutils.assumeAvailable();
        EncodingCases c = new EncodingCases();
        for (EncodingCases.Case k : batch) c.add(k.source(), k.emit());
        c.assertAll();
    }

    // ---- operands ----

    private static GeneralRegister gpr(Random r, boolean x64, boolean zr, boolean sp) {
        int n = r.nextInt(zr || sp ? 33 : 31);
        GeneralRegister g = n < 31 ? GeneralRegister.x(n) : (zr && (!sp || n == 31)) ? XZR : SP;
        return g.view(x64);
    }

    private static VectorRegister fp(Random r, VectorShape shape) {
        return VectorRegister.of(r.nextInt(32), shape);
    }

    private static <T> T pick(Random r, T[] values) {
        return values[r.nextInt(values.length)];
    }

    private static EncodingCases.Case k(String source, Consumer<A64Assembler> emit) {
        return new EncodingCases.Case(source, emit);
    }

    // ---- forms ----

    private static EncodingCases.Case addSubImmediate(Random r) {
        AddSubOp op = pick(r, AddSubOp.values());
        boolean x64 = r.nextBoolean();
        GeneralRegister rd = gpr(r, x64, op.setsFlags, !op.setsFlags), rn = gpr(r, x64, false, true);
        boolean shifted = r.nextBoolean();
        int imm12 = r.nextInt(4096);
        long imm = shifted ? (long) imm12 << 12 : imm12;
        // #0, lsl #12 is the same value as #0, which the assembler encodes unshifted
        return k(op.mnemonic() + " " + rd + ", " + rn + ", #" + imm12 + (shifted && imm12 != 0 ? ", lsl #12" : ""),
                a -> a.addSub(op, rd, rn, imm));
    }

    private static EncodingCases.Case addSubShifted(Random r) {
        AddSubOp op = pick(r, AddSubOp.values());
        boolean x64 = r.nextBoolean();
        GeneralRegister rd = gpr(r, x64, true, false), rn = gpr(r, x64, true, false), rm = gpr(r, x64, true, false);
        Shift shift = pick(r, new Shift[]{Shift.LSL, Shift.LSR, Shift.ASR});
        int amount = r.nextInt(x64 ? 64 : 32);
        return k(op.mnemonic() + " " + rd + ", " + rn + ", " + rm + ", " + shift.syntax() + " #" + amount,
                a -> a.addSub(op, rd, rn, rm, shift, amount));
    }

    private static EncodingCases.Case addSubExtended(Random r) {
        AddSubOp op = pick(r, AddSubOp.values());
        boolean x64 = r.nextBoolean();
        Extend e = pick(r, Extend.values());
        GeneralRegister rd = gpr(r, x64, op.setsFlags, !op.setsFlags), rn = gpr(r, x64, false, true);
        GeneralRegister rm = gpr(r, x64 && e.takes64BitRegister(), true, false);
        int amount = r.nextInt(5);
        return k(op.mnemonic() + " " + rd + ", " + rn + ", " + rm + ", " + e.syntax() + " #" + amount,
                a -> a.addSub(op, rd, rn, rm, e, amount));
    }

    private static EncodingCases.Case logicalShifted(Random r) {
        LogicalOp op = pick(r, LogicalOp.values());
        boolean x64 = r.nextBoolean();
        GeneralRegister rd = gpr(r, x64, true, false), rn = gpr(r, x64, true, false), rm = gpr(r, x64, true, false);
        Shift shift = pick(r, Shift.values());
        int amount = r.nextInt(x64 ? 64 : 32);
        return k(op.mnemonic() + " " + rd + ", " + rn + ", " + rm + ", " + shift.syntax() + " #" + amount,
                a -> a.logical(op, rd, rn, rm, shift, amount));
    }

    private static EncodingCases.Case logicalImmediate(Random r) {
        LogicalOp op = pick(r, new LogicalOp[]{LogicalOp.AND, LogicalOp.ORR, LogicalOp.EOR, LogicalOp.ANDS});
        boolean x64 = r.nextBoolean();
        int width = x64 ? 64 : 32;
        long imm;
        do {
            imm = r.nextLong();
            if (r.nextBoolean()) {
                int size = 2 << r.nextInt(x64 ? 6 : 5);
                int ones = 1 + r.nextInt(size - 1);
                long element = Long.rotateRight((1L << ones) - 1, 0);
                imm = element;
                for (int f = size; f < 64; f *= 2) imm |= imm << f;
                imm = Long.rotateRight(imm, r.nextInt(size));
            }
        } while (!LogicalImmediate.isLogicalImmediate(imm, width));
        long value = x64 ? imm : imm & 0xFFFF_FFFFL;
        GeneralRegister rd = gpr(r, x64, op == LogicalOp.ANDS, op != LogicalOp.ANDS), rn = gpr(r, x64, true, false);
        return k(op.mnemonic() + " " + rd + ", " + rn + ", #0x" + Long.toHexString(value), a -> a.logical(op, rd, rn, value));
    }

    private static EncodingCases.Case moveWide(Random r) {
        MoveWideOp op = pick(r, MoveWideOp.values());
        boolean x64 = r.nextBoolean();
        GeneralRegister rd = gpr(r, x64, true, false);
        int imm = r.nextBoolean() ? r.nextInt(0x10000) : pick(r, new Integer[]{0, 0xFFFF, 1});
        int shift = 16 * r.nextInt(x64 ? 4 : 2);
        return k(op.mnemonic() + " " + rd + ", #" + imm + ", lsl #" + shift, a -> a.moveWide(op, rd, imm, shift));
    }

    private static EncodingCases.Case bitfield(Random r) {
        BitfieldOp op = pick(r, BitfieldOp.values());
        boolean x64 = r.nextBoolean();
        int w = x64 ? 64 : 32;
        GeneralRegister rd = gpr(r, x64, true, false), rn = gpr(r, x64, op != BitfieldOp.BFM, false);
        int immr = r.nextInt(w), imms = r.nextBoolean() ? r.nextInt(w) : pick(r, new Integer[]{7, 15, 31, w - 1});
        return k(op.mnemonic() + " " + rd + ", " + rn + ", #" + immr + ", #" + imms, a -> a.bitfield(op, rd, rn, immr, imms));
    }

    private static EncodingCases.Case extract(Random r) {
        boolean x64 = r.nextBoolean();
        GeneralRegister rd = gpr(r, x64, true, false), rn = gpr(r, x64, true, false);
        GeneralRegister rm = r.nextInt(3) == 0 ? rn : gpr(r, x64, true, false);
        int lsb = r.nextInt(x64 ? 64 : 32);
        return k("extr " + rd + ", " + rn + ", " + rm + ", #" + lsb, a -> a.extr(rd, rn, rm, lsb));
    }

    private static EncodingCases.Case dataProcessing(Random r) {
        boolean x64 = r.nextBoolean();
        GeneralRegister rd = gpr(r, x64, true, false), rn = gpr(r, x64, true, false), rm = gpr(r, x64, true, false);
        if (r.nextBoolean()) {
            DataProcessing2Op op = pick(r, DataProcessing2Op.values());
            return k(op.name().toLowerCase(Locale.ROOT) + " " + rd + ", " + rn + ", " + rm, a -> a.dataProcessing2(op, rd, rn, rm));
        }
        DataProcessing1Op op = pick(r, DataProcessing1Op.values());
        GeneralRegister d = op == DataProcessing1Op.REV32 ? rd.x() : rd, n = op == DataProcessing1Op.REV32 ? rn.x() : rn;
        return k(op.mnemonic() + " " + d + ", " + n, a -> a.dataProcessing1(op, d, n));
    }

    private static EncodingCases.Case multiply(Random r) {
        DataProcessing3Op op = pick(r, DataProcessing3Op.values());
        boolean x64 = r.nextBoolean();
        switch (op) {
            case MADD, MSUB -> {
                GeneralRegister rd = gpr(r, x64, true, false), rn = gpr(r, x64, true, false), rm = gpr(r, x64, true, false),
                        ra = gpr(r, x64, true, false);
                return k(op.mnemonic() + " " + rd + ", " + rn + ", " + rm + ", " + ra, a -> a.multiply(op, rd, rn, rm, ra));
            }
            case SMULH, UMULH -> {
                GeneralRegister rd = gpr(r, true, true, false), rn = gpr(r, true, true, false), rm = gpr(r, true, true, false);
                return k(op.mnemonic() + " " + rd + ", " + rn + ", " + rm, a -> a.multiply(op, rd, rn, rm, XZR));
            }
            default -> {
                GeneralRegister rd = gpr(r, true, true, false), rn = gpr(r, false, true, false), rm = gpr(r, false, true, false),
                        ra = gpr(r, true, true, false);
                return k(op.mnemonic() + " " + rd + ", " + rn + ", " + rm + ", " + ra, a -> a.multiply(op, rd, rn, rm, ra));
            }
        }
    }

    private static EncodingCases.Case conditional(Random r) {
        boolean x64 = r.nextBoolean();
        Condition cond = pick(r, Condition.values());
        GeneralRegister rd = gpr(r, x64, true, false), rn = gpr(r, x64, true, false);
        GeneralRegister rm = r.nextInt(3) == 0 ? rn : gpr(r, x64, true, false);
        switch (r.nextInt(3)) {
            case 0 -> {
                ConditionalSelectOp op = pick(r, ConditionalSelectOp.values());
                return k(op.mnemonic() + " " + rd + ", " + rn + ", " + rm + ", " + cond.syntax(),
                        a -> a.conditionalSelect(op, rd, rn, rm, cond));
            }
            case 1 -> {
                int nzcv = r.nextInt(16);
                boolean ccmp = r.nextBoolean();
                return k((ccmp ? "ccmp " : "ccmn ") + rn + ", " + rm + ", #" + nzcv + ", " + cond.syntax(),
                        a -> { if (ccmp) a.ccmp(rn, rm, nzcv, cond); else a.ccmn(rn, rm, nzcv, cond); });
            }
            default -> {
                int nzcv = r.nextInt(16), imm = r.nextInt(32);
                boolean ccmp = r.nextBoolean();
                return k((ccmp ? "ccmp " : "ccmn ") + rn + ", #" + imm + ", #" + nzcv + ", " + cond.syntax(),
                        a -> { if (ccmp) a.ccmp(rn, imm, nzcv, cond); else a.ccmn(rn, imm, nzcv, cond); });
            }
        }
    }

    private static A64Register transfer(Random r, LoadStoreOp op) {
        while (true) {
            A64Register candidate = r.nextBoolean()
                    ? gpr(r, r.nextBoolean(), true, false)
                    : fp(r, pick(r, new VectorShape[]{VectorShape.B, VectorShape.H, VectorShape.S, VectorShape.D, VectorShape.Q}));
            try {
                op.checkRegister(candidate);
                return candidate;
            } catch (IllegalArgumentException wrongClass) {
                // try again
            }
        }
    }

    private static EncodingCases.Case loadStore(Random r) {
        LoadStoreOp op = pick(r, LoadStoreOp.values());
        A64Register rt = transfer(r, op);
        GeneralRegister base = gpr(r, true, false, true);
        int size = op.accessBytes(), scale = Integer.numberOfTrailingZeros(size);
        String m = op.mnemonic();
        switch (r.nextInt(4)) {
            case 0 -> {
                long offset = (long) r.nextInt(4096) * size;
                return k(m + " " + rt + ", [" + base + ", #" + offset + "]", a -> a.loadStore(op, rt, Address.offset(base, offset)));
            }
            case 1 -> {
                long offset = r.nextInt(512) - 256;
                return k(m.replaceFirst("^(ld|st)r", "$1ur") + " " + rt + ", [" + base + ", #" + offset + "]",
                        a -> a.loadStore(op, rt, Address.unscaled(base, offset)));
            }
            case 2 -> {
                long offset = r.nextInt(512) - 256;
                boolean pre = r.nextBoolean();
                if (rt instanceof GeneralRegister g && !g.isZero() && g.number() == base.number()) {
                    return k(m + " " + rt + ", [" + base + "]", a -> a.loadStore(op, rt, Address.base(base)));
                }
                return k(m + " " + rt + ", [" + base + (pre ? ", #" + offset + "]!" : "], #" + offset),
                        a -> a.loadStore(op, rt, pre ? Address.preIndex(base, offset) : Address.postIndex(base, offset)));
            }
            default -> {
                Extend e = pick(r, new Extend[]{Extend.UXTW, Extend.SXTW, Extend.UXTX, Extend.SXTX});
                GeneralRegister index = gpr(r, e.takes64BitRegister(), true, false);
                int shift = r.nextBoolean() ? scale : 0;
                String ext = e == Extend.UXTX ? "lsl" : e.syntax();
                String text = shift == 0 && e == Extend.UXTX ? "" : ", " + ext + (shift == 0 ? "" : " #" + shift);
                return k(m + " " + rt + ", [" + base + ", " + index + text + "]",
                        a -> a.loadStore(op, rt, Address.index(base, index, e, shift)));
            }
        }
    }

    private static EncodingCases.Case loadStorePair(Random r) {
        LoadStorePairOp op = pick(r, LoadStorePairOp.values());
        String name = op.name();
        String m = name.startsWith("LDPSW") ? "ldpsw" : name.startsWith("LDP") ? "ldp" : "stp";
        A64Register rt1, rt2;
        if (name.endsWith("_S") || name.endsWith("_D") || name.endsWith("_Q")) {
            VectorShape s = name.endsWith("_S") ? VectorShape.S : name.endsWith("_D") ? VectorShape.D : VectorShape.Q;
            rt1 = fp(r, s);
            do rt2 = fp(r, s); while (m.equals("ldp") && rt2.number() == rt1.number());
        } else {
            boolean x64 = !name.endsWith("_W");
            rt1 = gpr(r, x64, true, false);
            do rt2 = gpr(r, x64, true, false); while (!m.equals("stp") && rt2.number() == rt1.number());
        }
        A64Register t1 = rt1, t2 = rt2;
        GeneralRegister base = gpr(r, true, false, true);
        long offset = (long) (r.nextInt(128) - 64) * op.offsetScale();
        int mode = r.nextInt(3);
        boolean clash = !(t1 instanceof VectorRegister) && (t1.number() == base.number() || t2.number() == base.number());
        if (clash) mode = 0;
        int fm = mode;
        String address = switch (fm) {
            case 0 -> "[" + base + ", #" + offset + "]";
            case 1 -> "[" + base + ", #" + offset + "]!";
            default -> "[" + base + "], #" + offset;
        };
        return k(m + " " + t1 + ", " + t2 + ", " + address, a -> a.loadStorePair(op, t1, t2,
                fm == 0 ? Address.offset(base, offset) : fm == 1 ? Address.preIndex(base, offset) : Address.postIndex(base, offset)));
    }

    private static EncodingCases.Case floatingPoint(Random r) {
        VectorShape t = r.nextBoolean() ? VectorShape.S : VectorShape.D;
        VectorRegister rd = fp(r, t), rn = fp(r, t), rm = fp(r, t);
        switch (r.nextInt(5)) {
            case 0 -> {
                FloatBinaryOp op = pick(r, FloatBinaryOp.values());
                return k(op.mnemonic() + " " + rd + ", " + rn + ", " + rm, a -> a.floatBinary(op, rd, rn, rm));
            }
            case 1 -> {
                FloatUnaryOp op = pick(r, FloatUnaryOp.values());
                VectorRegister d = op == FloatUnaryOp.FCVT ? rd.as(t == VectorShape.S ? VectorShape.D : VectorShape.S) : rd;
                return k(op.mnemonic() + " " + d + ", " + rn, a -> a.floatUnary(op, d, rn));
            }
            case 2 -> {
                Condition cond = pick(r, Condition.values());
                return k("fcsel " + rd + ", " + rn + ", " + rm + ", " + cond.syntax(), a -> a.fcsel(rd, rn, rm, cond));
            }
            case 3 -> {
                int imm8 = r.nextInt(256);
                double value = t == VectorShape.D ? Double.longBitsToDouble(FloatImmediate.expandDouble(imm8))
                        : Float.intBitsToFloat(FloatImmediate.expandFloat(imm8));
                return k("fmov " + rd + ", #" + String.format(Locale.ROOT, "%.10e", value), a -> a.fmov(rd, value));
            }
            default -> {
                return switch (r.nextInt(4)) {
                    case 0 -> k("fcmp " + rn + ", " + rm, a -> a.fcmp(rn, rm));
                    case 1 -> k("fcmpe " + rn + ", " + rm, a -> a.fcmpe(rn, rm));
                    case 2 -> k("fcmp " + rn + ", #0.0", a -> a.fcmpZero(rn));
                    default -> k("fcmpe " + rn + ", #0.0", a -> a.fcmpeZero(rn));
                };
            }
        }
    }

    private static EncodingCases.Case conversion(Random r) {
        FloatIntegerConversionOp op = pick(r, FloatIntegerConversionOp.values());
        boolean x64 = r.nextBoolean();
        boolean fmov = op == FloatIntegerConversionOp.FMOV_TO_GENERAL || op == FloatIntegerConversionOp.FMOV_FROM_GENERAL;
        VectorShape t = fmov ? (x64 ? VectorShape.D : VectorShape.S) : (r.nextBoolean() ? VectorShape.S : VectorShape.D);
        GeneralRegister g = gpr(r, x64, true, false);
        VectorRegister v = fp(r, t);
        return op.toGeneral
                ? k(op.mnemonic() + " " + g + ", " + v, a -> a.floatToInteger(op, g, v))
                : k(op.mnemonic() + " " + v + ", " + g, a -> a.integerToFloat(op, v, g));
    }

    private static EncodingCases.Case lanes(Random r) {
        VectorShape e = pick(r, new VectorShape[]{VectorShape.B, VectorShape.H, VectorShape.S, VectorShape.D});
        VectorLane lane = fp(r, VectorShape.Q).lane(e, r.nextInt(128 / e.elementBits));
        GeneralRegister g = gpr(r, e == VectorShape.D, true, false);
        return r.nextBoolean() ? k("umov " + g + ", " + lane, a -> a.umov(g, lane)) : k("ins " + lane + ", " + g, a -> a.ins(lane, g));
    }
}
