package dev.kiln.backend.aarch64;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static dev.kiln.backend.aarch64.GeneralRegister.*;

/**
 * Every load/store form (each entry of {@link LoadStoreOp} and {@link LoadStorePairOp}) in every
 * addressing mode, with offsets at the range boundaries, SP as base, the zero register as transfer
 * register and vector registers up to V31; checked against GNU as and objdump.
 */
class MemoryFormsTest {
    private static final List<GeneralRegister> BASES = List.of(X1, SP, X16, X28, X30, X0);
    private static final int[] VECTOR_NUMBERS = {0, 1, 16, 31};

    /** Transfer registers for an op: a few general (including the zero register) or vector registers. */
    private static List<A64Register> transferRegisters(LoadStoreOp op) {
        List<A64Register> out = new ArrayList<>();
        LoadStoreOp probe = op;
        for (GeneralRegister g : List.of(X2, X29, XZR, X17)) {
            for (GeneralRegister view : List.of(g.x(), g.w())) {
                if (accepts(probe, view)) out.add(view);
            }
        }
        for (VectorShape shape : new VectorShape[]{VectorShape.B, VectorShape.H, VectorShape.S, VectorShape.D, VectorShape.Q}) {
            for (int n : VECTOR_NUMBERS) {
                VectorRegister v = VectorRegister.of(n, shape);
                if (accepts(probe, v)) out.add(v);
            }
        }
        return out;
    }

    private static boolean accepts(LoadStoreOp op, A64Register r) {
        try {
            op.checkRegister(r);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String unscaled(String mnemonic) {
        return mnemonic.replaceFirst("^(ld|st)r", "$1ur");
    }

    @TestFactory
    Stream<DynamicTest> singleRegister() {
        EncodingCases c = new EncodingCases();
        int i = 0;
        for (LoadStoreOp op : LoadStoreOp.values()) {
            int size = op.accessBytes();
            int scale = Integer.numberOfTrailingZeros(size);
            List<A64Register> regs = transferRegisters(op);
            for (long offset : new long[]{0, size, 4095L * size, 7L * size, -256, -1, 255, 1, -8, 4096L * size}) {
                A64Register rt = regs.get(i % regs.size());
                GeneralRegister base = BASES.get(i++ % BASES.size());
                boolean scaled = offset >= 0 && offset % size == 0 && offset / size < 4096;
                boolean unscaledFits = offset >= -256 && offset <= 255;
                if (!scaled && !unscaledFits) continue;
                String mnemonic = scaled ? op.mnemonic() : unscaled(op.mnemonic());
                c.add(mnemonic + " " + rt + ", [" + base + ", #" + offset + "]",
                        a -> a.loadStore(op, rt, Address.offset(base, offset)));
            }
            A64Register rt0 = regs.get(0);
            c.add(op.mnemonic() + " " + rt0 + ", [x3]", a -> a.loadStore(op, rt0, Address.base(X3)));
            c.add(unscaled(op.mnemonic()) + " " + rt0 + ", [sp]", a -> a.loadStore(op, rt0, Address.unscaled(SP, 0)));
            c.add(unscaled(op.mnemonic()) + " " + rt0 + ", [x4, #16]", a -> a.loadStore(op, rt0, Address.unscaled(X4, 16)));
            for (long offset : new long[]{-256, 255, 0, 16, -1}) {
                A64Register rt = regs.get(i % regs.size());
                GeneralRegister base = BASES.get(i++ % BASES.size());
                if (rt instanceof GeneralRegister g && !g.isZero() && g.number() == base.number()) continue;
                c.add(op.mnemonic() + " " + rt + ", [" + base + ", #" + offset + "]!",
                        a -> a.loadStore(op, rt, Address.preIndex(base, offset)));
                c.add(op.mnemonic() + " " + rt + ", [" + base + "], #" + offset,
                        a -> a.loadStore(op, rt, Address.postIndex(base, offset)));
            }
            for (A64Register rt : regs) {
                GeneralRegister base = BASES.get(i++ % BASES.size());
                GeneralRegister index = List.of(X5, X9, X30, XZR, X16).get(i % 5);
                c.add(op.mnemonic() + " " + rt + ", [" + base + ", " + index + "]",
                        a -> a.loadStore(op, rt, Address.index(base, index)));
                c.add(op.mnemonic() + " " + rt + ", [" + base + ", " + index.w() + ", uxtw]",
                        a -> a.loadStore(op, rt, Address.index(base, index.w(), Extend.UXTW, 0)));
                c.add(op.mnemonic() + " " + rt + ", [" + base + ", " + index.w() + ", sxtw]",
                        a -> a.loadStore(op, rt, Address.index(base, index, Extend.SXTW, 0)));
                c.add(op.mnemonic() + " " + rt + ", [" + base + ", " + index + ", sxtx]",
                        a -> a.loadStore(op, rt, Address.index(base, index, Extend.SXTX, 0)));
                if (scale > 0) {
                    c.add(op.mnemonic() + " " + rt + ", [" + base + ", " + index + ", lsl #" + scale + "]",
                            a -> a.loadStore(op, rt, Address.index(base, index, scale)));
                    c.add(op.mnemonic() + " " + rt + ", [" + base + ", " + index.w() + ", uxtw #" + scale + "]",
                            a -> a.loadStore(op, rt, Address.index(base, index, Extend.UXTW, scale)));
                    c.add(op.mnemonic() + " " + rt + ", [" + base + ", " + index.w() + ", sxtw #" + scale + "]",
                            a -> a.loadStore(op, rt, Address.index(base, index, Extend.SXTW, scale)));
                    c.add(op.mnemonic() + " " + rt + ", [" + base + ", " + index + ", sxtx #" + scale + "]",
                            a -> a.loadStore(op, rt, Address.index(base, index, Extend.SXTX, scale)));
                }
            }
        }
        // the mnemonic methods
        c.add("ldr x0, [x1, #8]", a -> a.ldr(X0, Address.offset(X1, 8)));
        c.add("ldr w0, [x1, w2, uxtw #2]", a -> a.ldr(W0, Address.index(X1, W2, Extend.UXTW, 2)));
        c.add("str x30, [sp, #-16]!", a -> a.str(X30, Address.preIndex(SP, -16)));
        c.add("ldr x30, [sp], #16", a -> a.ldr(X30, Address.postIndex(SP, 16)));
        c.add("ldur x0, [x29, #-8]", a -> a.ldr(X0, Address.offset(X29, -8)));
        c.add("ldrb w0, [x1, #4095]", a -> a.ldrb(W0, Address.offset(X1, 4095)));
        c.add("ldrb w0, [x1, x2]", a -> a.ldrb(X0, Address.index(X1, X2)));
        c.add("ldrh w3, [x1, #2]", a -> a.ldrh(W3, Address.offset(X1, 2)));
        c.add("ldurh w3, [x1, #1]", a -> a.ldrh(W3, Address.offset(X1, 1)));
        c.add("strb wzr, [x1]", a -> a.strb(WZR, Address.base(X1)));
        c.add("strh w4, [x1, x2, lsl #1]", a -> a.strh(W4, Address.index(X1, X2, 1)));
        c.add("ldrsb w0, [x1]", a -> a.ldrsb(W0, Address.base(X1)));
        c.add("ldrsb x0, [x1, #1]", a -> a.ldrsb(X0, Address.offset(X1, 1)));
        c.add("ldrsh x0, [x1, #2]", a -> a.ldrsh(X0, Address.offset(X1, 2)));
        c.add("ldrsh w0, [x1, #-2]!", a -> a.ldrsh(W0, Address.preIndex(X1, -2)));
        c.add("ldrsw x0, [x1, w2, sxtw #2]", a -> a.ldrsw(X0, Address.index(X1, W2, Extend.SXTW, 2)));
        c.add("ldr s0, [x1, #4]", a -> a.ldr(VectorRegister.S0, Address.offset(X1, 4)));
        c.add("ldr d31, [sp, #8]", a -> a.ldr(VectorRegister.D31, Address.offset(SP, 8)));
        c.add("str d16, [x1, x2, lsl #3]", a -> a.str(VectorRegister.D16, Address.index(X1, X2, 3)));
        c.add("ldr q5, [x1, #16]", a -> a.ldr(VectorRegister.of(5, VectorShape.Q), Address.offset(X1, 16)));
        return c.tests();
    }

    @TestFactory
    Stream<DynamicTest> registerPairs() {
        EncodingCases c = new EncodingCases();
        int i = 0;
        for (LoadStorePairOp op : LoadStorePairOp.values()) {
            int scale = op.offsetScale();
            String mnemonic = op.name().startsWith("LDPSW") ? "ldpsw" : op.name().startsWith("LDP") ? "ldp" : "stp";
            List<A64Register[]> pairs = pairsFor(op);
            for (long offset : new long[]{0, -64L * scale, 63L * scale, scale, -scale}) {
                A64Register[] p = pairs.get(i % pairs.size());
                GeneralRegister base = BASES.get(i++ % BASES.size());
                if (clashes(p, base)) continue;
                c.add(mnemonic + " " + p[0] + ", " + p[1] + ", [" + base + ", #" + offset + "]",
                        a -> a.loadStorePair(op, p[0], p[1], Address.offset(base, offset)));
                c.add(mnemonic + " " + p[0] + ", " + p[1] + ", [" + base + ", #" + offset + "]!",
                        a -> a.loadStorePair(op, p[0], p[1], Address.preIndex(base, offset)));
                c.add(mnemonic + " " + p[0] + ", " + p[1] + ", [" + base + "], #" + offset,
                        a -> a.loadStorePair(op, p[0], p[1], Address.postIndex(base, offset)));
            }
        }
        c.add("stp x29, x30, [sp, #-16]!", a -> a.stp(X29, X30, Address.preIndex(SP, -16)));
        c.add("mov x29, sp", a -> a.mov(X29, SP));
        c.add("ldp x29, x30, [sp], #16", a -> a.ldp(X29, X30, Address.postIndex(SP, 16)));
        c.add("stp d8, d9, [sp, #16]", a -> a.stp(VectorRegister.D8, VectorRegister.D9, Address.offset(SP, 16)));
        c.add("ldp s0, s31, [x0]", a -> a.ldp(VectorRegister.S0, VectorRegister.S31, Address.base(X0)));
        c.add("stp wzr, w1, [sp, #-256]", a -> a.stp(WZR, W1, Address.offset(SP, -256)));
        c.add("ldpsw x0, x1, [x2, #252]", a -> a.ldpsw(X0, X1, Address.offset(X2, 252)));
        return c.tests();
    }

    private static boolean clashes(A64Register[] p, GeneralRegister base) {
        for (A64Register r : p) {
            if (r instanceof GeneralRegister g && !g.isZero() && g.number() == base.number()) return true;
        }
        return false;
    }

    private static List<A64Register[]> pairsFor(LoadStorePairOp op) {
        List<A64Register[]> out = new ArrayList<>();
        String name = op.name();
        if (name.endsWith("_W")) {
            out.add(new A64Register[]{W2, W3});
            out.add(new A64Register[]{W29, WZR});
        } else if (name.endsWith("_X") || name.equals("LDPSW")) {
            out.add(new A64Register[]{X2, X3});
            out.add(new A64Register[]{X29, X30});
            out.add(new A64Register[]{X17, X16});
            if (!name.startsWith("LDP")) out.add(new A64Register[]{XZR, XZR});
        } else {
            VectorShape shape = name.endsWith("_S") ? VectorShape.S : name.endsWith("_D") ? VectorShape.D : VectorShape.Q;
            out.add(new A64Register[]{VectorRegister.of(0, shape), VectorRegister.of(1, shape)});
            out.add(new A64Register[]{VectorRegister.of(31, shape), VectorRegister.of(16, shape)});
        }
        return out;
    }
}
