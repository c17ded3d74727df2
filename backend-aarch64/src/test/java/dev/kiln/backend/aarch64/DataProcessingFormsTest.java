package dev.kiln.backend.aarch64;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.stream.Stream;

import static dev.kiln.backend.aarch64.GeneralRegister.*;

/**
 * Every integer data-processing form, over a spread of registers (X0, X1, X9, X16, X17, X28-X30,
 * SP and XZR where the operand allows them), both widths and boundary immediates; each case is
 * checked against GNU as (bytes) and objdump (listing), see {@link EncodingCases}.
 */
class DataProcessingFormsTest {
    static final List<GeneralRegister> REGS = List.of(X0, X1, X9, X16, X17, X28, X29, X30);

    static GeneralRegister r(int i, boolean x64) {
        return REGS.get(Math.floorMod(i, REGS.size())).view(x64);
    }

    static String hex(long v) {
        return "#0x" + Long.toHexString(v);
    }

    @TestFactory
    Stream<DynamicTest> addSubtractImmediate() {
        EncodingCases c = new EncodingCases();
        long[] imms = {0, 1, 0x555, 0xFFF, 0x1000, 0x7FF000, 0xFFF000};
        int i = 0;
        for (AddSubOp op : AddSubOp.values()) {
            for (boolean x64 : new boolean[]{true, false}) {
                for (long imm : imms) {
                    GeneralRegister rd = r(i, x64), rn = r(i + 3, x64);
                    i++;
                    c.add(op.mnemonic() + " " + rd + ", " + rn + ", " + immText(imm), a -> a.addSub(op, rd, rn, imm));
                }
                GeneralRegister sp = x64 ? SP : WSP, zr = x64 ? XZR : WZR;
                GeneralRegister rd = op.setsFlags ? zr : sp;
                c.add(op.mnemonic() + " " + rd + ", " + sp + ", #0x10", a -> a.addSub(op, rd, sp, 16));
                GeneralRegister rn3 = r(3, x64);
                c.add(op.mnemonic() + " " + rd + ", " + rn3 + ", #0", a -> a.addSub(op, rd, rn3, 0));
            }
        }
        c.add("cmp x3, #0xfff", a -> a.cmp(X3, 0xFFF));
        c.add("cmp sp, #0x1, lsl #12", a -> a.cmp(SP, 0x1000));
        c.add("cmn w30, #0x0", a -> a.cmn(W30, 0));
        c.add("mov sp, x29", a -> a.mov(SP, X29));
        c.add("mov x29, sp", a -> a.mov(X29, SP));
        c.add("mov wsp, w0", a -> a.mov(WSP, W0));
        c.add("add x0, x1, #4095", a -> a.add(X0, X1, 4095));
        c.add("sub sp, sp, #0x10, lsl #12", a -> a.sub(SP, SP, 0x10000));
        return c.tests();
    }

    private static String immText(long imm) {
        return imm < 4096 ? "#" + imm : "#" + (imm >> 12) + ", lsl #12";
    }

    @TestFactory
    Stream<DynamicTest> addSubtractShiftedRegister() {
        EncodingCases c = new EncodingCases();
        int i = 0;
        for (AddSubOp op : AddSubOp.values()) {
            for (boolean x64 : new boolean[]{true, false}) {
                int w = x64 ? 64 : 32;
                for (Shift shift : new Shift[]{Shift.LSL, Shift.LSR, Shift.ASR}) {
                    for (int amount : new int[]{0, 1, w / 2, w - 1}) {
                        GeneralRegister rd = r(i, x64), rn = r(i + 2, x64), rm = r(i + 5, x64);
                        i++;
                        c.add(op.mnemonic() + " " + rd + ", " + rn + ", " + rm + ", " + shift.syntax() + " #" + amount,
                                a -> a.addSub(op, rd, rn, rm, shift, amount));
                    }
                }
                GeneralRegister zr = x64 ? XZR : WZR;
                c.add(op.mnemonic() + " " + zr + ", " + r(1, x64) + ", " + r(2, x64),
                        a -> a.addSub(op, zr, r(1, x64), r(2, x64), Shift.LSL, 0));
                c.add(op.mnemonic() + " " + r(1, x64) + ", " + zr + ", " + r(2, x64) + ", lsl #3",
                        a -> a.addSub(op, r(1, x64), zr, r(2, x64), Shift.LSL, 3));
                c.add(op.mnemonic() + " " + r(4, x64) + ", " + r(5, x64) + ", " + zr,
                        a -> a.addSub(op, r(4, x64), r(5, x64), zr));
                c.add(op.mnemonic() + " " + zr + ", " + zr + ", " + r(6, x64) + ", asr #2",
                        a -> a.addSub(op, zr, zr, r(6, x64), Shift.ASR, 2));
            }
        }
        c.add("cmp x0, x30", a -> a.cmp(X0, X30));
        c.add("cmp w28, w1, lsr #4", a -> a.cmp(W28, W1, Shift.LSR, 4));
        c.add("cmn x9, x16, asr #63", a -> a.cmn(X9, X16, Shift.ASR, 63));
        c.add("cmn w9, w16", a -> a.cmn(W9, W16));
        c.add("neg x0, x1", a -> a.neg(X0, X1));
        c.add("neg w0, w1, lsl #31", a -> a.neg(W0, W1, Shift.LSL, 31));
        c.add("negs x29, x30", a -> a.negs(X29, X30));
        c.add("add x0, x1, x2", a -> a.add(X0, X1, X2));
        c.add("adds w0, w1, w2", a -> a.adds(W0, W1, W2));
        c.add("sub x17, x16, x28, lsl #12", a -> a.sub(X17, X16, X28, Shift.LSL, 12));
        c.add("subs w17, w16, w28", a -> a.subs(W17, W16, W28));
        return c.tests();
    }

    @TestFactory
    Stream<DynamicTest> addSubtractExtendedRegister() {
        EncodingCases c = new EncodingCases();
        int i = 0;
        for (AddSubOp op : AddSubOp.values()) {
            for (boolean x64 : new boolean[]{true, false}) {
                for (Extend e : Extend.values()) {
                    for (int amount : new int[]{0, 2, 4}) {
                        GeneralRegister rd = r(i, x64), rn = r(i + 3, x64), rm = r(i + 6, x64 && e.takes64BitRegister());
                        i++;
                        c.add(op.mnemonic() + " " + rd + ", " + rn + ", " + rm + ", " + e.syntax() + " #" + amount,
                                a -> a.addSub(op, rd, rn, rm, e, amount));
                    }
                }
                GeneralRegister sp = x64 ? SP : WSP, zr = x64 ? XZR : WZR;
                GeneralRegister rd = op.setsFlags ? zr : sp;
                GeneralRegister rmExt = r(2, x64);
                Extend natural = x64 ? Extend.UXTX : Extend.UXTW;
                c.add(op.mnemonic() + " " + rd + ", " + sp + ", " + rmExt + ", " + natural.syntax() + " #0",
                        a -> a.addSub(op, rd, sp, rmExt, natural, 0));
                c.add(op.mnemonic() + " " + rd + ", " + sp + ", " + rmExt + ", " + natural.syntax() + " #3",
                        a -> a.addSub(op, rd, sp, rmExt, natural, 3));
                c.add(op.mnemonic() + " " + r(4, x64) + ", " + sp + ", " + rmExt.w() + ", sxtw #1",
                        a -> a.addSub(op, r(4, x64), sp, rmExt, Extend.SXTW, 1));
                c.add(op.mnemonic() + " " + rd + ", " + r(5, x64) + ", " + rmExt.w() + ", uxtb",
                        a -> a.addSub(op, rd, r(5, x64), rmExt, Extend.UXTB, 0));
                // register form with SP picks the extended encoding
                c.add(op.mnemonic() + " " + rd + ", " + sp + ", " + r(7, x64),
                        a -> a.addSub(op, rd, sp, r(7, x64)));
            }
        }
        c.add("add x0, x1, w2, uxtw", a -> a.add(X0, X1, W2, Extend.UXTW, 0));
        c.add("add x0, x1, w2, uxtw", a -> a.add(X0, X1, X2, Extend.UXTW, 0)); // either view of rm
        c.add("add sp, sp, x16", a -> a.add(SP, SP, X16));
        c.add("sub sp, sp, x16, uxtx #4", a -> a.sub(SP, SP, X16, Extend.UXTX, 4));
        c.add("cmp sp, x1", a -> a.cmp(SP, X1));
        c.add("cmp w0, w1, uxtw", a -> a.cmp(W0, W1, Extend.UXTW, 0));
        c.add("cmn sp, w2, uxtw #2", a -> a.cmn(SP, W2, Extend.UXTW, 2));
        c.add("subs x0, x1, w2, sxtb #4", a -> a.subs(X0, X1, W2, Extend.SXTB, 4));
        c.add("adds x0, sp, x2", a -> a.adds(X0, SP, X2));
        return c.tests();
    }

    static final long[] LOGICAL_IMMEDIATES_64 = {
            1, 0xFF, 0xFF00, 0xFFFF, 0x5555555555555555L, 0xAAAAAAAAAAAAAAAAL, 0x0F0F0F0F0F0F0F0FL,
            0x8000000000000001L, 0x7FFFFFFFFFFFFFFFL, 0xFFFFFFFFFFFFFFFEL, 0x00000000FFFFFFFFL, 0xFFFF0000FFFF0000L,
            0x0001000100010001L, 0xF00000000000000FL, 0x3FFFFFFFFFFFFFFCL, 0x0000FFFFFFFF0000L, 0x1L << 63,
            0xFFFFFFFF00000000L, 0x10000L, 0xFFFFFFFFFFFF0000L};
    static final long[] LOGICAL_IMMEDIATES_32 = {
            1, 0xFF, 0xFF00, 0xFFFF, 0x55555555L, 0xAAAAAAAAL, 0x0F0F0F0FL, 0x80000001L, 0x7FFFFFFFL,
            0xFFFFFFFEL, 0xFFFF0000L, 0x00010001L, 0xF000000FL, 0x3FFFFFFCL, 0x80000000L, 0xF0F0F0F0L, 0x10000L};

    @TestFactory
    Stream<DynamicTest> logicalShiftedRegister() {
        EncodingCases c = new EncodingCases();
        int i = 0;
        for (LogicalOp op : LogicalOp.values()) {
            for (boolean x64 : new boolean[]{true, false}) {
                int w = x64 ? 64 : 32;
                for (Shift shift : Shift.values()) {
                    for (int amount : new int[]{0, 7, w - 1}) {
                        GeneralRegister rd = r(i, x64), rn = r(i + 1, x64), rm = r(i + 4, x64);
                        i++;
                        c.add(op.mnemonic() + " " + rd + ", " + rn + ", " + rm + ", " + shift.syntax() + " #" + amount,
                                a -> a.logical(op, rd, rn, rm, shift, amount));
                    }
                }
                GeneralRegister zr = x64 ? XZR : WZR;
                c.add(op.mnemonic() + " " + zr + ", " + r(1, x64) + ", " + r(2, x64),
                        a -> a.logical(op, zr, r(1, x64), r(2, x64)));
                c.add(op.mnemonic() + " " + r(3, x64) + ", " + zr + ", " + r(2, x64),
                        a -> a.logical(op, r(3, x64), zr, r(2, x64)));
                c.add(op.mnemonic() + " " + r(3, x64) + ", " + zr + ", " + r(2, x64) + ", ror #5",
                        a -> a.logical(op, r(3, x64), zr, r(2, x64), Shift.ROR, 5));
                c.add(op.mnemonic() + " " + r(5, x64) + ", " + r(6, x64) + ", " + zr,
                        a -> a.logical(op, r(5, x64), r(6, x64), zr));
            }
        }
        c.add("mov x0, x1", a -> a.mov(X0, X1));
        c.add("mov w30, wzr", a -> a.mov(W30, WZR));
        c.add("mvn x0, x1", a -> a.mvn(X0, X1));
        c.add("mvn w0, w1, lsr #3", a -> a.mvn(W0, W1, Shift.LSR, 3));
        c.add("tst x0, x1", a -> a.tst(X0, X1));
        c.add("tst w0, w1, asr #31", a -> a.tst(W0, W1, Shift.ASR, 31));
        c.add("and x0, x1, x2", a -> a.and(X0, X1, X2));
        c.add("orr x0, x1, x2, lsl #4", a -> a.orr(X0, X1, X2, Shift.LSL, 4));
        c.add("eor w0, w1, w2", a -> a.eor(W0, W1, W2));
        c.add("bic x0, x1, x2", a -> a.bic(X0, X1, X2));
        c.add("bics x0, x1, x2", a -> a.bics(X0, X1, X2));
        c.add("orn w0, w1, w2", a -> a.orn(W0, W1, W2));
        c.add("eon x0, x1, x2", a -> a.eon(X0, X1, X2));
        c.add("ands x0, x1, x2", a -> a.ands(X0, X1, X2));
        return c.tests();
    }

    @TestFactory
    Stream<DynamicTest> logicalImmediate() {
        EncodingCases c = new EncodingCases();
        int i = 0;
        for (LogicalOp op : new LogicalOp[]{LogicalOp.AND, LogicalOp.ORR, LogicalOp.EOR, LogicalOp.ANDS}) {
            for (boolean x64 : new boolean[]{true, false}) {
                for (long imm : x64 ? LOGICAL_IMMEDIATES_64 : LOGICAL_IMMEDIATES_32) {
                    GeneralRegister rd = r(i, x64), rn = r(i + 5, x64);
                    i++;
                    c.add(op.mnemonic() + " " + rd + ", " + rn + ", " + hex(imm), a -> a.logical(op, rd, rn, imm));
                }
                GeneralRegister sp = x64 ? SP : WSP, zr = x64 ? XZR : WZR;
                GeneralRegister rd = op == LogicalOp.ANDS ? zr : sp;
                c.add(op.mnemonic() + " " + rd + ", " + r(2, x64) + ", #0xff", a -> a.logical(op, rd, r(2, x64), 0xFF));
                for (long imm : x64 ? new long[]{0xFF, 0xFFFF0000L, 0x5555555555555555L, -2L, 0xFFFF00000000L}
                        : new long[]{0xFF, 0xFFFF0000L, 0x55555555L, 0xFFFFFFFEL}) {
                    c.add(op.mnemonic() + " " + r(3, x64) + ", " + zr + ", " + hex(imm), a -> a.logical(op, r(3, x64), zr, imm));
                }
            }
        }
        c.add("tst x0, #0x1", a -> a.tst(X0, 1));
        c.add("tst w16, #0xfffffffe", a -> a.tst(W16, 0xFFFFFFFEL));
        c.add("and sp, x0, #0xfffffffffffffff0", a -> a.and(SP, X0, -16));
        c.add("and w0, w1, #0xffff0000", a -> a.and(W0, W1, -65536)); // only the low 32 bits count
        c.add("orr x0, x1, #0x5555555555555555", a -> a.orr(X0, X1, 0x5555555555555555L));
        c.add("eor w0, w1, #0x80000000", a -> a.eor(W0, W1, 0x80000000L));
        c.add("ands x0, x1, #0x7", a -> a.ands(X0, X1, 7));
        return c.tests();
    }

    @TestFactory
    Stream<DynamicTest> moves() {
        EncodingCases c = new EncodingCases();
        int i = 0;
        for (MoveWideOp op : MoveWideOp.values()) {
            for (boolean x64 : new boolean[]{true, false}) {
                for (int imm : new int[]{0, 1, 0x1234, 0xFFFF}) {
                    for (int shift = 0; shift < (x64 ? 64 : 32); shift += 16) {
                        GeneralRegister rd = r(i++, x64);
                        int s = shift;
                        c.add(op.mnemonic() + " " + rd + ", #" + imm + ", lsl #" + shift, a -> a.moveWide(op, rd, imm, s));
                    }
                }
                GeneralRegister zr = x64 ? XZR : WZR;
                c.add(op.mnemonic() + " " + zr + ", #7", a -> a.moveWide(op, zr, 7, 0));
            }
        }
        c.add("movz x0, #0x1234, lsl #16", a -> a.movz(X0, 0x1234, 16));
        c.add("movn w0, #0xffff", a -> a.movn(W0, 0xFFFF, 0));
        c.add("movk x30, #0xffff, lsl #48", a -> a.movk(X30, 0xFFFF, 48));
        c.add("mov x0, x30", a -> a.mov(X0, X30));
        c.add("mov w28, w29", a -> a.mov(W28, W29));
        c.add("mov sp, x0", a -> a.mov(SP, X0));
        c.add("mov x0, sp", a -> a.mov(X0, SP));
        c.add("mov x0, xzr", a -> a.mov(X0, XZR));
        return c.tests();
    }

    @TestFactory
    Stream<DynamicTest> shiftsAndBitfields() {
        EncodingCases c = new EncodingCases();
        int i = 0;
        for (boolean x64 : new boolean[]{true, false}) {
            int w = x64 ? 64 : 32;
            for (int amount : new int[]{0, 1, w / 2, w - 1}) {
                GeneralRegister rd = r(i, x64), rn = r(i + 1, x64);
                i++;
                c.add("lsl " + rd + ", " + rn + ", #" + amount, a -> a.lsl(rd, rn, amount));
                c.add("lsr " + rd + ", " + rn + ", #" + amount, a -> a.lsr(rd, rn, amount));
                c.add("asr " + rd + ", " + rn + ", #" + amount, a -> a.asr(rd, rn, amount));
                c.add("ror " + rd + ", " + rn + ", #" + amount, a -> a.ror(rd, rn, amount));
                GeneralRegister rm = r(i + 4, x64);
                c.add("extr " + rd + ", " + rn + ", " + rm + ", #" + amount, a -> a.extr(rd, rn, rm, amount));
            }
            GeneralRegister rd = r(2, x64), rn = r(5, x64), rm = r(6, x64);
            c.add("lslv " + rd + ", " + rn + ", " + rm, a -> a.lsl(rd, rn, rm));
            c.add("lsrv " + rd + ", " + rn + ", " + rm, a -> a.lsr(rd, rn, rm));
            c.add("asrv " + rd + ", " + rn + ", " + rm, a -> a.asr(rd, rn, rm));
            c.add("rorv " + rd + ", " + rn + ", " + rm, a -> a.ror(rd, rn, rm));
            c.add("sxtb " + rd + ", " + rn.w(), a -> a.sxtb(rd, rn));
            c.add("sxth " + rd + ", " + rn.w(), a -> a.sxth(rd, rn));
            c.add("uxtb " + rd.w() + ", " + rn.w(), a -> a.uxtb(rd, rn));
            c.add("uxth " + rd.w() + ", " + rn.w(), a -> a.uxth(rd, rn));
            int[][] fields = {{0, 1}, {0, 8}, {3, 4}, {1, w - 1}, {w - 1, 1}, {0, w - 1}, {4, 16}};
            for (int[] f : fields) {
                int lsb = f[0], width = f[1];
                c.add("ubfx " + rd + ", " + rn + ", #" + lsb + ", #" + width, a -> a.ubfx(rd, rn, lsb, width));
                c.add("sbfx " + rd + ", " + rn + ", #" + lsb + ", #" + width, a -> a.sbfx(rd, rn, lsb, width));
                c.add("ubfiz " + rd + ", " + rn + ", #" + lsb + ", #" + width, a -> a.ubfiz(rd, rn, lsb, width));
                c.add("sbfiz " + rd + ", " + rn + ", #" + lsb + ", #" + width, a -> a.sbfiz(rd, rn, lsb, width));
                c.add("bfi " + rd + ", " + rn + ", #" + lsb + ", #" + width, a -> a.bfi(rd, rn, lsb, width));
                c.add("bfxil " + rd + ", " + rn + ", #" + lsb + ", #" + width, a -> a.bfxil(rd, rn, lsb, width));
            }
            for (int[] f : new int[][]{{0, 0}, {0, 7}, {0, 15}, {0, 31}, {5, 3}, {w - 1, w - 1}, {1, 0}}) {
                int immr = f[0], imms = f[1];
                if (imms >= w || immr >= w) continue;
                c.add("ubfm " + rd + ", " + rn + ", #" + immr + ", #" + imms, a -> a.bitfield(BitfieldOp.UBFM, rd, rn, immr, imms));
                c.add("sbfm " + rd + ", " + rn + ", #" + immr + ", #" + imms, a -> a.bitfield(BitfieldOp.SBFM, rd, rn, immr, imms));
                c.add("bfm " + rd + ", " + rn + ", #" + immr + ", #" + imms, a -> a.bitfield(BitfieldOp.BFM, rd, rn, immr, imms));
            }
        }
        c.add("sxtw x0, w1", a -> a.sxtw(X0, W1));
        c.add("sxtw x30, w29", a -> a.sxtw(X30, X29)); // either view of the source
        c.add("mov w0, w1", a -> a.uxtw(X0, X1));
        c.add("lsl xzr, x0, #3", a -> a.lsl(XZR, X0, 3));
        c.add("ror x0, x1, #63", a -> a.ror(X0, X1, 63));
        return c.tests();
    }

    @TestFactory
    Stream<DynamicTest> multiplyDivideAndBits() {
        EncodingCases c = new EncodingCases();
        int i = 0;
        for (boolean x64 : new boolean[]{true, false}) {
            for (int k = 0; k < 4; k++) {
                GeneralRegister rd = r(i, x64), rn = r(i + 1, x64), rm = r(i + 3, x64), ra = r(i + 6, x64);
                i++;
                c.add("madd " + rd + ", " + rn + ", " + rm + ", " + ra, a -> a.madd(rd, rn, rm, ra));
                c.add("msub " + rd + ", " + rn + ", " + rm + ", " + ra, a -> a.msub(rd, rn, rm, ra));
                c.add("mul " + rd + ", " + rn + ", " + rm, a -> a.mul(rd, rn, rm));
                c.add("mneg " + rd + ", " + rn + ", " + rm, a -> a.mneg(rd, rn, rm));
                c.add("sdiv " + rd + ", " + rn + ", " + rm, a -> a.sdiv(rd, rn, rm));
                c.add("udiv " + rd + ", " + rn + ", " + rm, a -> a.udiv(rd, rn, rm));
                c.add("clz " + rd + ", " + rn, a -> a.clz(rd, rn));
                c.add("cls " + rd + ", " + rn, a -> a.cls(rd, rn));
                c.add("rbit " + rd + ", " + rn, a -> a.rbit(rd, rn));
                c.add("rev " + rd + ", " + rn, a -> a.rev(rd, rn));
                c.add("rev16 " + rd + ", " + rn, a -> a.rev16(rd, rn));
                if (x64) {
                    c.add("rev32 " + rd + ", " + rn, a -> a.rev32(rd, rn));
                    c.add("smulh " + rd + ", " + rn + ", " + rm, a -> a.smulh(rd, rn, rm));
                    c.add("umulh " + rd + ", " + rn + ", " + rm, a -> a.umulh(rd, rn, rm));
                    GeneralRegister wn = rn.w(), wm = rm.w();
                    c.add("smull " + rd + ", " + wn + ", " + wm, a -> a.smull(rd, wn, wm));
                    c.add("umull " + rd + ", " + wn + ", " + wm, a -> a.umull(rd, wn, wm));
                    for (DataProcessing3Op op : new DataProcessing3Op[]{DataProcessing3Op.SMADDL, DataProcessing3Op.SMSUBL,
                            DataProcessing3Op.UMADDL, DataProcessing3Op.UMSUBL}) {
                        c.add(op.mnemonic() + " " + rd + ", " + wn + ", " + wm + ", " + ra,
                                a -> a.multiply(op, rd, wn, wm, ra));
                        c.add(op.mnemonic() + " " + rd + ", " + wn + ", " + wm + ", xzr",
                                a -> a.multiply(op, rd, wn, wm, XZR));
                    }
                }
            }
            GeneralRegister zr = x64 ? XZR : WZR;
            c.add("madd " + zr + ", " + zr + ", " + zr + ", " + zr, a -> a.madd(zr, zr, zr, zr));
            c.add("clz " + zr + ", " + zr, a -> a.clz(zr, zr));
        }
        return c.tests();
    }

    @TestFactory
    Stream<DynamicTest> conditionalSelectAndCompare() {
        EncodingCases c = new EncodingCases();
        int i = 0;
        for (ConditionalSelectOp op : ConditionalSelectOp.values()) {
            for (boolean x64 : new boolean[]{true, false}) {
                GeneralRegister zr = x64 ? XZR : WZR;
                for (Condition cond : Condition.values()) {
                    GeneralRegister rd = r(i, x64), rn = r(i + 2, x64), rm = r(i + 3, x64);
                    i++;
                    c.add(op.mnemonic() + " " + rd + ", " + rn + ", " + rm + ", " + cond.syntax(),
                            a -> a.conditionalSelect(op, rd, rn, rm, cond));
                    c.add(op.mnemonic() + " " + rd + ", " + rn + ", " + rn + ", " + cond.syntax(),
                            a -> a.conditionalSelect(op, rd, rn, rn, cond));
                    c.add(op.mnemonic() + " " + rd + ", " + zr + ", " + zr + ", " + cond.syntax(),
                            a -> a.conditionalSelect(op, rd, zr, zr, cond));
                }
            }
        }
        for (Condition cond : Condition.values()) {
            if (cond == Condition.AL || cond == Condition.NV) continue;
            c.add("cset x0, " + cond.syntax(), a -> a.cset(X0, cond));
            c.add("csetm w30, " + cond.syntax(), a -> a.csetm(W30, cond));
            c.add("cinc x1, x2, " + cond.syntax(), a -> a.cinc(X1, X2, cond));
            c.add("cinv w28, w29, " + cond.syntax(), a -> a.cinv(W28, W29, cond));
            c.add("cneg x16, x17, " + cond.syntax(), a -> a.cneg(X16, X17, cond));
        }
        c.add("cset w0, hs", a -> a.cset(W0, Condition.HS));
        c.add("cset w0, lo", a -> a.cset(W0, Condition.LO));
        for (boolean x64 : new boolean[]{true, false}) {
            for (Condition cond : Condition.values()) {
                GeneralRegister rn = r(i, x64), rm = r(i + 3, x64);
                int nzcv = i % 16, imm = (i * 7) % 32;
                i++;
                c.add("ccmp " + rn + ", " + rm + ", #" + nzcv + ", " + cond.syntax(), a -> a.ccmp(rn, rm, nzcv, cond));
                c.add("ccmn " + rn + ", " + rm + ", #" + nzcv + ", " + cond.syntax(), a -> a.ccmn(rn, rm, nzcv, cond));
                c.add("ccmp " + rn + ", #" + imm + ", #" + nzcv + ", " + cond.syntax(), a -> a.ccmp(rn, imm, nzcv, cond));
                c.add("ccmn " + rn + ", #" + imm + ", #" + nzcv + ", " + cond.syntax(), a -> a.ccmn(rn, imm, nzcv, cond));
            }
        }
        c.add("ccmp xzr, #31, #15, ne", a -> a.ccmp(XZR, 31, 15, Condition.NE));
        c.add("ccmn w0, wzr, #0, eq", a -> a.ccmn(W0, WZR, 0, Condition.EQ));
        return c.tests();
    }
}
