package dev.kiln.backend.x64;

import dev.kiln.ir.Instruction;

import static dev.kiln.backend.x64.MemoryOperand.rip;

/**
 * Packed-instruction helpers that read the same in both encodings, for the SIMD lowering. Every
 * method computes {@code dst} from its sources without touching them: with VEX the instruction
 * takes three operands, without it the first source is copied into {@code dst} first (so
 * {@code dst} must not be another source unless it is the first one). Also the constants of the
 * sequences: the zero idiom, all ones without a load, and lane-repeated constants in the pool.
 */
final class X64Vectors {
    /** The vector temporaries of the SIMD sequences (none is allocatable). */
    static final Xmm T1 = X64Function.FSCRATCH, T2 = X64Function.FSCRATCH2, T3 = X64Function.FSCRATCH3;

    final X64Function fn;
    final X64Assembler asm;
    final boolean vex;

    X64Vectors(X64Function fn) {
        this.fn = fn;
        this.asm = fn.asm;
        this.vex = fn.asm.usesVex();
    }

    /** {@code dst = a op b} for a {@link VecOp.Form#BINARY} instruction. */
    void op(VecOp op, Xmm dst, XmmOrMemory a, XmmOrMemory b) {
        asm.vec(op, dst, first(dst, a, b), b);
    }

    /** {@code dst = op(a, b, imm8)} for a {@link VecOp.Form#BINARY_IMM} instruction. */
    void op(VecOp op, Xmm dst, XmmOrMemory a, XmmOrMemory b, int imm8) {
        asm.vec(op, dst, first(dst, a, b), b, imm8);
    }

    /** {@code dst = op(src)} for a {@link VecOp.Form#UNARY} instruction. */
    void unary(VecOp op, Xmm dst, XmmOrMemory src) {
        asm.vec(op, dst, src);
    }

    /** {@code dst = op(src, imm8)} for a {@link VecOp.Form#UNARY_IMM} instruction. */
    void unary(VecOp op, Xmm dst, XmmOrMemory src, int imm8) {
        asm.vec(op, dst, src, imm8);
    }

    /** {@code dst = src} shifted by {@code imm8} ({@link VecOp.Form#SHIFT_IMM}). */
    void shift(VecOp op, Xmm dst, XmmOrMemory src, int imm8) {
        Xmm s;
        if (vex && src instanceof Xmm x) {
            s = x;
        } else {
            mov(dst, src);
            s = dst;
        }
        asm.vecShift(op, dst, s, imm8);
    }

    /** {@code dst = mask ? b : a} by the top bit of each lane of {@code mask}; VEX only (SSE would need the mask in XMM0). */
    void blend(VecOp op, Xmm dst, Xmm a, XmmOrMemory b, Xmm mask) {
        if (!vex) throw new IllegalStateException("blendv without VEX needs its mask in xmm0");
        asm.blendv(op, dst, a, b, mask);
    }

    /** {@code dst = lane of src} into a general register or memory. */
    void extract(VecOp op, GprOrMemory dst, Xmm src, int lane) {
        asm.vecExtract(op, dst, src, lane);
    }

    /** {@code dst = a with lane replaced by value}. */
    void insert(VecOp op, Xmm dst, XmmOrMemory a, GprOrMemory value, int lane) {
        insert(op, dst, a, value, lane, null);
    }

    /**
     * {@code dst = a with lane replaced by value}, the lane read from memory by the access
     * {@code access}: the insert itself is its guard-page site, recorded after any copy of {@code a}.
     */
    void insert(VecOp op, Xmm dst, XmmOrMemory a, GprOrMemory value, int lane, Instruction access) {
        Xmm s;
        if (vex && a instanceof Xmm x) {
            s = x;
        } else {
            mov(dst, a);
            s = dst;
        }
        if (access != null) X64MemoryLowering.site(fn, access);
        asm.vecInsert(op, dst, s, value, lane);
    }

    /** A whole-register or 16-byte copy (nothing when {@code src} is {@code dst}). */
    void mov(Xmm dst, XmmOrMemory src) {
        fn.vmov(dst, src);
    }

    /** {@code dst = 0} by the zero idiom (no dependency on the old value). */
    void zero(Xmm dst) {
        asm.vec(VecOp.PXOR, dst, dst, dst);
    }

    /** {@code dst = all ones} by {@code pcmpeqd dst, dst} (no load). */
    void ones(Xmm dst) {
        asm.vec(VecOp.PCMPEQD, dst, dst, dst);
    }

    /** A 16-byte constant from the pool (aligned, so legacy SSE instructions may read it). */
    MemoryOperand constant(long low, long high) {
        return rip(asm.constant128(low, high));
    }

    /** A constant with {@code value} in every lane of {@code bits} bits. */
    MemoryOperand splat(int bits, long value) {
        long lane = bits == 64 ? value : value & ((1L << bits) - 1);
        long word = lane;
        for (int b = bits; b < 64; b *= 2) word |= word << b;
        return constant(word, word);
    }

    /**
     * The first source's register: in VEX form {@code a} itself (loaded into {@code dst} when it
     * is memory); in SSE form {@code dst}, after copying {@code a} into it.
     */
    private Xmm first(Xmm dst, XmmOrMemory a, XmmOrMemory b) {
        if (vex) {
            if (a instanceof Xmm x) return x;
            if (b == dst) throw new IllegalStateException("the first source is memory and the second one is the destination " + dst);
            mov(dst, a);
            return dst;
        }
        if (b == dst && a != dst) throw new IllegalStateException("without VEX the destination " + dst + " cannot be the second source");
        mov(dst, a);
        return dst;
    }
}
