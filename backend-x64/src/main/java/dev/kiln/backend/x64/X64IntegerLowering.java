package dev.kiln.backend.x64;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.code.CpuFeature;
import dev.kiln.regalloc.Location;

import java.util.EnumMap;
import java.util.Map;

/**
 * Integer arithmetic, comparisons, bit counting, sign extension, select and constants. i32 values
 * are kept zero-extended in their 64-bit registers and slots (32-bit x86 operations do that on
 * their own), so addresses can use them directly.
 */
final class X64IntegerLowering {
    private static final Map<Opcode, AluOp> ALU = new EnumMap<>(Opcode.class);
    private static final Map<Opcode, ShiftOp> SHIFT = new EnumMap<>(Opcode.class);
    private static final Map<Opcode, Condition> COMPARE = new EnumMap<>(Opcode.class);
    private static final Map<Opcode, BitCountOp> BITS = new EnumMap<>(Opcode.class);

    static {
        for (String w : new String[] {"I32", "I64"}) {
            ALU.put(Opcode.valueOf(w + "_ADD"), AluOp.ADD);
            ALU.put(Opcode.valueOf(w + "_SUB"), AluOp.SUB);
            ALU.put(Opcode.valueOf(w + "_AND"), AluOp.AND);
            ALU.put(Opcode.valueOf(w + "_OR"), AluOp.OR);
            ALU.put(Opcode.valueOf(w + "_XOR"), AluOp.XOR);
            SHIFT.put(Opcode.valueOf(w + "_SHL"), ShiftOp.SHL);
            SHIFT.put(Opcode.valueOf(w + "_SHR_S"), ShiftOp.SAR);
            SHIFT.put(Opcode.valueOf(w + "_SHR_U"), ShiftOp.SHR);
            SHIFT.put(Opcode.valueOf(w + "_ROTL"), ShiftOp.ROL);
            SHIFT.put(Opcode.valueOf(w + "_ROTR"), ShiftOp.ROR);
            COMPARE.put(Opcode.valueOf(w + "_EQ"), Condition.E);
            COMPARE.put(Opcode.valueOf(w + "_NE"), Condition.NE);
            COMPARE.put(Opcode.valueOf(w + "_LT_S"), Condition.L);
            COMPARE.put(Opcode.valueOf(w + "_LT_U"), Condition.B);
            COMPARE.put(Opcode.valueOf(w + "_GT_S"), Condition.G);
            COMPARE.put(Opcode.valueOf(w + "_GT_U"), Condition.A);
            COMPARE.put(Opcode.valueOf(w + "_LE_S"), Condition.LE);
            COMPARE.put(Opcode.valueOf(w + "_LE_U"), Condition.BE);
            COMPARE.put(Opcode.valueOf(w + "_GE_S"), Condition.GE);
            COMPARE.put(Opcode.valueOf(w + "_GE_U"), Condition.AE);
            BITS.put(Opcode.valueOf(w + "_CLZ"), BitCountOp.LZCNT);
            BITS.put(Opcode.valueOf(w + "_CTZ"), BitCountOp.TZCNT);
            BITS.put(Opcode.valueOf(w + "_POPCNT"), BitCountOp.POPCNT);
        }
    }

    /** The CPU feature each counting instruction needs; without it, {@link #bitCountWithoutExtension}. */
    private static final Map<BitCountOp, CpuFeature> REQUIRES = Map.of(BitCountOp.LZCNT, CpuFeature.LZCNT,
            BitCountOp.TZCNT, CpuFeature.BMI1, BitCountOp.POPCNT, CpuFeature.POPCNT);

    private X64IntegerLowering() {
    }

    /** True for the shifts and rotates (by a register count, they use CL). */
    static boolean isShift(Opcode op) {
        return SHIFT.containsKey(op);
    }

    /** True for the division and remainder operations (they use RAX, RCX and RDX). */
    static boolean isDivision(Opcode op) {
        return switch (op) {
            case I32_DIV_S, I32_DIV_U, I32_REM_S, I32_REM_U, I64_DIV_S, I64_DIV_U, I64_REM_S, I64_REM_U -> true;
            default -> false;
        };
    }

    /** True for clz, ctz and popcnt (their fallbacks without the CPU extension use RAX and RDX). */
    static boolean isBitCount(Opcode op) {
        return BITS.containsKey(op);
    }

    /**
     * clz, ctz and popcnt for CPUs without LZCNT, BMI1 (TZCNT) or POPCNT, which would run the
     * first two as BSR/BSF and fault on the third. RAX and RDX serve as temporaries.
     * <pre>
     *   clz:    mov eax, 2W-1; bsr d, src; cmovz d, eax; xor d, W-1   ; zero: (2W-1)^(W-1) = W
     *   ctz:    mov eax, W; bsf d, src; cmovz d, eax
     *   popcnt: the SWAR sum: pairs, nibbles, bytes, then a multiply adds the bytes up
     * </pre>
     */
    private static void bitCountWithoutExtension(X64Assembler asm, BitCountOp op, Width w, Gpr d, GprOrMemory src) {
        int bits = w == Width.QWORD ? 64 : 32;
        switch (op) {
            case LZCNT -> {
                asm.mov(Width.DWORD, Gpr.RAX, 2 * bits - 1);
                asm.bitCount(BitCountOp.BSR, w, d, src);
                asm.cmov(Condition.E, w, d, Gpr.RAX);
                asm.alu(AluOp.XOR, Width.DWORD, d, bits - 1);
            }
            case TZCNT -> {
                asm.mov(Width.DWORD, Gpr.RAX, bits);
                asm.bitCount(BitCountOp.BSF, w, d, src);
                asm.cmov(Condition.E, w, d, Gpr.RAX);
            }
            default -> {
                if (src != d) asm.mov(w, d, src);
                swarStep(asm, w, d, 1, 0x5555_5555_5555_5555L, true);
                swarStep(asm, w, d, 2, 0x3333_3333_3333_3333L, false);
                asm.mov(w, Gpr.RAX, d);                            // bytes: d = (d + (d >> 4)) & 0x0f0f...
                asm.shift(ShiftOp.SHR, w, Gpr.RAX, 4);
                asm.alu(AluOp.ADD, w, d, Gpr.RAX);
                asm.mov(w, Gpr.RDX, 0x0F0F_0F0F_0F0F_0F0FL & mask(bits));
                asm.alu(AluOp.AND, w, d, Gpr.RDX);
                asm.mov(w, Gpr.RDX, 0x0101_0101_0101_0101L & mask(bits)); // the top byte of d * 0x0101... is the sum
                asm.imul(w, d, Gpr.RDX);
                asm.shift(ShiftOp.SHR, w, d, bits - 8);
            }
        }
    }

    /** One SWAR step: pairs ({@code d - ((d >> 1) & m)}) or nibbles ({@code (d & m) + ((d >> 2) & m)}). */
    private static void swarStep(X64Assembler asm, Width w, Gpr d, int shift, long m, boolean pairs) {
        long mask = m & mask(w == Width.QWORD ? 64 : 32);
        asm.mov(w, Gpr.RDX, mask);
        asm.mov(w, Gpr.RAX, d);
        asm.shift(ShiftOp.SHR, w, Gpr.RAX, shift);
        asm.alu(AluOp.AND, w, Gpr.RAX, Gpr.RDX);
        if (pairs) {
            asm.alu(AluOp.SUB, w, d, Gpr.RAX);
        } else {
            asm.alu(AluOp.AND, w, d, Gpr.RDX);
            asm.alu(AluOp.ADD, w, d, Gpr.RAX);
        }
    }

    private static long mask(int bits) {
        return bits == 64 ? -1L : 0xFFFF_FFFFL;
    }

    static boolean handles(Opcode op) {
        return ALU.containsKey(op) || SHIFT.containsKey(op) || COMPARE.containsKey(op) || BITS.containsKey(op)
                || switch (op) {
                    case I32_MUL, I64_MUL, I32_DIV_S, I32_DIV_U, I32_REM_S, I32_REM_U, I64_DIV_S, I64_DIV_U,
                         I64_REM_S, I64_REM_U, I32_EQZ, I64_EQZ, I32_WRAP_I64, I64_EXTEND_I32_S, I64_EXTEND_I32_U,
                         I32_EXTEND8_S, I32_EXTEND16_S, I64_EXTEND8_S, I64_EXTEND16_S, I64_EXTEND32_S -> true;
                    default -> false;
                };
    }

    /** The comparison's x86 condition, or null when {@code op} is not an integer comparison. */
    static Condition condition(Opcode op) {
        return COMPARE.get(op);
    }

    static Width width(Opcode op) {
        return op.mnemonic.startsWith("i64") ? Width.QWORD : Width.DWORD;
    }

    static void lower(X64Function fn, Instruction i) {
        Opcode op = i.op;
        X64Assembler asm = fn.asm;
        Width w = width(op);
        AluOp alu = ALU.get(op);
        if (alu != null || op == Opcode.I32_MUL || op == Opcode.I64_MUL) {
            binary(fn, i, alu, w);
            return;
        }
        if (SHIFT.containsKey(op)) {
            shift(fn, i, SHIFT.get(op), w);
            return;
        }
        if (COMPARE.containsKey(op)) {
            compareInto(fn, i.arg(0), i.arg(1), w);
            setFlagResult(fn, i.result(), COMPARE.get(op));
            return;
        }
        if (BITS.containsKey(op)) {
            Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
            BitCountOp bits = BITS.get(op);
            if (fn.cpu.has(REQUIRES.get(bits))) asm.bitCount(bits, w, d, fn.iop(i.arg(0)));
            else bitCountWithoutExtension(asm, bits, w, d, fn.iop(i.arg(0)));
            fn.iput(i.result(), d);
            return;
        }
        switch (op) {
            case I32_EQZ -> compareZero(fn, i, Width.DWORD);
            case I64_EQZ -> compareZero(fn, i, Width.QWORD);
            case I32_DIV_S, I32_DIV_U, I32_REM_S, I32_REM_U, I64_DIV_S, I64_DIV_U, I64_REM_S, I64_REM_U -> divide(fn, i, w);
            case I32_WRAP_I64, I64_EXTEND_I32_U -> {
                Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
                asm.mov(Width.DWORD, d, fn.iop(i.arg(0)));
                fn.iput(i.result(), d);
            }
            case I64_EXTEND_I32_S, I64_EXTEND32_S -> extend(fn, i, Width.QWORD, Width.DWORD);
            case I32_EXTEND8_S -> extend(fn, i, Width.DWORD, Width.BYTE);
            case I32_EXTEND16_S -> extend(fn, i, Width.DWORD, Width.WORD);
            case I64_EXTEND8_S -> extend(fn, i, Width.QWORD, Width.BYTE);
            case I64_EXTEND16_S -> extend(fn, i, Width.QWORD, Width.WORD);
            default -> throw new IllegalStateException("not an integer operation: " + op);
        }
    }

    /** dst = a op b for a two-address ALU operation (or imul when {@code alu} is null). */
    private static void binary(X64Function fn, Instruction i, AluOp alu, Width w) {
        X64Assembler asm = fn.asm;
        int a = i.arg(0), b = i.arg(1), r = i.result();
        boolean commutative = alu != AluOp.SUB;
        Long imm = fn.constant(b);
        if (imm == null && commutative && fn.constant(a) != null) {
            imm = fn.constant(a);
            int t = a;
            a = b;
            b = t;
        }
        Gpr d = fn.idst(r, X64Function.SCRATCH);
        boolean dIsB = fn.inRegister(b) && fn.iop(b) == d;
        if (addAsLea(fn, alu, w, a, b, imm, d)) {
            fn.iput(r, d);
            return;
        }
        if (imm != null && fitsImm32(imm, w)) {
            if (alu == null) {
                asm.imul(w, d, fn.iop(a), imm.intValue());
            } else {
                if (!(fn.inRegister(a) && fn.iop(a) == d)) asm.mov(w, d, fn.iop(a));
                asm.alu(alu, w, d, imm.intValue());
            }
        } else if (dIsB) {
            if (commutative) {
                if (alu == null) asm.imul(w, d, fn.iop(a));
                else asm.alu(alu, w, d, fn.iop(a));
            } else {
                asm.mov(w, X64Function.SCRATCH, fn.iop(a));
                asm.alu(alu, w, X64Function.SCRATCH, d);
                d = X64Function.SCRATCH;
            }
        } else {
            if (!(fn.inRegister(a) && fn.iop(a) == d)) asm.mov(w, d, fn.iop(a));
            if (alu == null) asm.imul(w, d, fn.iop(b));
            else asm.alu(alu, w, d, fn.iop(b));
        }
        fn.iput(r, d);
    }

    /**
     * {@code lea d, [a + imm]} or {@code lea d, [a + b]} for an addition (or a subtraction of a
     * constant) into a register other than its operands' registers: one instruction instead of a
     * move and an add. A 32-bit lea keeps the low 32 bits and zero-extends them, as i32 wants.
     */
    private static boolean addAsLea(X64Function fn, AluOp alu, Width w, int a, int b, Long imm, Gpr d) {
        if ((alu != AluOp.ADD && alu != AluOp.SUB) || !fn.inRegister(a) || fn.iop(a) == d) return false;
        Gpr x = (Gpr) fn.iop(a);
        if (imm != null) {
            long disp = alu == AluOp.ADD ? imm : -imm;
            if (w == Width.DWORD) disp = (int) disp;
            if (disp != (int) disp) return false;
            fn.asm.lea(w, d, MemoryOperand.mem(x, (int) disp));
            return true;
        }
        if (alu != AluOp.ADD || !fn.inRegister(b) || fn.iop(b) == d) return false;
        fn.asm.lea(w, d, MemoryOperand.mem(x, (Gpr) fn.iop(b), 1, 0));
        return true;
    }

    static boolean fitsImm32(long v, Width w) {
        return w == Width.DWORD || v == (int) v;
    }

    private static void shift(X64Function fn, Instruction i, ShiftOp op, Width w) {
        X64Assembler asm = fn.asm;
        int a = i.arg(0), b = i.arg(1), r = i.result();
        Long imm = fn.constant(b);
        if (imm != null) {
            Gpr d = fn.idst(r, X64Function.SCRATCH);
            if (!(fn.inRegister(a) && fn.iop(a) == d)) asm.mov(w, d, fn.iop(a));
            asm.shift(op, w, d, (int) (imm & (w == Width.QWORD ? 63 : 31)));
            fn.iput(r, d);
            return;
        }
        asm.mov(Width.DWORD, Gpr.RCX, fn.iop(b));
        Gpr d = fn.idst(r, X64Function.SCRATCH);
        if (!(fn.inRegister(a) && fn.iop(a) == d)) asm.mov(w, d, fn.iop(a));
        asm.shiftByCl(op, w, d);
        fn.iput(r, d);
    }

    /** Sets the flags for a compare of two integer values (constant right operands become immediates). */
    static void compareInto(X64Function fn, int a, int b, Width w) {
        X64Assembler asm = fn.asm;
        Long imm = fn.constant(b);
        if (imm != null && fitsImm32(imm, w)) {
            asm.alu(AluOp.CMP, w, fn.iop(a), imm.intValue());
        } else if (fn.inRegister(a)) {
            asm.alu(AluOp.CMP, w, (Gpr) fn.iop(a), fn.iop(b));
        } else {
            asm.alu(AluOp.CMP, w, fn.slot(a), fn.iget(b, X64Function.SCRATCH)); // a spilled: cmp [slot], reg
        }
    }

    /** result = condition ? 1 : 0. */
    static void setFlagResult(X64Function fn, int result, Condition c) {
        Gpr d = fn.idst(result, X64Function.SCRATCH); // the compare has read its operands: d is free to write
        fn.asm.setcc(c, d);
        fn.asm.movzx(Width.DWORD, d, Width.BYTE, d);
        fn.iput(result, d);
    }

    static void compareZero(X64Function fn, Instruction i, Width w) {
        fn.asm.alu(AluOp.CMP, w, fn.iop(i.arg(0)), 0);
        setFlagResult(fn, i.result(), Condition.E);
    }

    private static void extend(X64Function fn, Instruction i, Width to, Width from) {
        Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
        fn.asm.movsx(to, d, from, fn.iop(i.arg(0)));
        fn.iput(i.result(), d);
    }

    /** Division and remainder with Wasm's traps (x86 would fault instead). */
    private static void divide(X64Function fn, Instruction i, Width w) {
        X64Assembler asm = fn.asm;
        Opcode op = i.op;
        boolean signed = op.mnemonic.endsWith("_s");
        boolean rem = op.mnemonic.contains("rem");
        asm.mov(w, Gpr.RCX, fn.iop(i.arg(1)));
        asm.test(w, Gpr.RCX, Gpr.RCX);
        asm.jcc(Condition.E, fn.trap(TrapKind.INTEGER_DIVIDE_BY_ZERO, i.wasmOffset));
        asm.mov(w, Gpr.RAX, fn.iop(i.arg(0)));
        Label done = asm.newLabel();
        if (signed) {
            Label normal = asm.newLabel();
            asm.alu(AluOp.CMP, w, Gpr.RCX, -1);
            asm.jcc(Condition.NE, normal);
            if (rem) {
                asm.alu(AluOp.XOR, Width.DWORD, Gpr.RDX, Gpr.RDX); // x rem -1 = 0 (idiv would fault on MIN)
                asm.jmp(done);
            } else {
                // MIN / -1 overflows; anything else / -1 is a negation
                if (w == Width.DWORD) {
                    asm.alu(AluOp.CMP, w, Gpr.RAX, Integer.MIN_VALUE);
                } else {
                    asm.movabs(Gpr.RDX, Long.MIN_VALUE);
                    asm.alu(AluOp.CMP, w, Gpr.RAX, Gpr.RDX);
                }
                asm.jcc(Condition.E, fn.trap(TrapKind.INTEGER_OVERFLOW, i.wasmOffset));
            }
            asm.bind(normal);
            asm.emit(w == Width.QWORD ? FixedInstruction.CQO : FixedInstruction.CDQ);
            asm.mulDiv(MulDivOp.IDIV, w, Gpr.RCX);
        } else {
            asm.alu(AluOp.XOR, Width.DWORD, Gpr.RDX, Gpr.RDX);
            asm.mulDiv(MulDivOp.DIV, w, Gpr.RCX);
        }
        asm.bind(done);
        Gpr result = rem ? Gpr.RDX : Gpr.RAX;
        if (w == Width.DWORD) asm.mov(Width.DWORD, result, result);
        fn.iput(i.result(), result);
    }

    /**
     * result = cond ? a : b. A comparison fused into the select sets the flags itself and the select
     * picks on its condition ({@code cmp; cmovCC}); otherwise the condition value is tested.
     */
    static void select(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        int a = i.arg(0), b = i.arg(1), r = i.result();
        Instruction cmp = fn.compareOfSelect(i);
        Condition cc;
        if (cmp != null) {
            cc = X64ControlLowering.fusedCondition(fn, cmp);
        } else {
            asm.alu(AluOp.CMP, Width.DWORD, fn.iop(i.arg(2)), 0);
            cc = Condition.NE;
        }
        // the flags are set: from here on only moves and the cmov/jcc
        if (X64RegisterFile.isFloat(fn.type(r))) {
            Label keep = asm.newLabel();
            Xmm t = X64Function.FSCRATCH;
            fn.fmov(t, b);
            asm.jcc(cc.invert(), keep);
            fn.fmov(t, a);
            asm.bind(keep);
            fn.fput(r, t);
            return;
        }
        // in place where the result shares a register with an operand: one cmov
        GprOrMemory opA = fn.iop(a), opB = fn.iop(b);
        Gpr d = fn.idst(r, X64Function.SCRATCH);
        if (opB == d) {
            asm.cmov(cc, Width.QWORD, d, opA);
        } else if (opA == d) {
            asm.cmov(cc.invert(), Width.QWORD, d, opB);
        } else {
            asm.mov(Width.QWORD, d, opB);
            asm.cmov(cc, Width.QWORD, d, opA);
        }
        fn.iput(r, d);
    }

    /** Materialises a constant in the value's location. */
    static void constant(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        int r = i.result();
        if (fn.location(r) == Location.NONE) return;
        ValType t = fn.type(r);
        long bits = i.op == Opcode.REF_NULL ? 0 : i.imm;
        if (X64RegisterFile.isFloat(t)) {
            Xmm d = fn.fdst(r, X64Function.FSCRATCH);
            if (bits == 0) {
                asm.sse(SseOp.XORPS, d, d);
            } else {
                if (t == ValType.F32) asm.movss(d, MemoryOperand.rip(asm.constant32((int) bits)));
                else asm.movsd(d, MemoryOperand.rip(asm.constant64(bits)));
            }
            fn.fput(r, d);
            return;
        }
        Gpr d = fn.idst(r, X64Function.SCRATCH);
        materialize(asm, d, t == ValType.I32 ? bits & 0xFFFF_FFFFL : bits);
        fn.iput(r, d);
    }

    /** {@code d = bits} in the shortest form: xor for 0, a 32-bit mov (zero-extending) when it fits. */
    static void materialize(X64Assembler asm, Gpr d, long bits) {
        if (bits == 0) asm.alu(AluOp.XOR, Width.DWORD, d, d);
        else if (bits == (bits & 0xFFFF_FFFFL)) asm.mov(Width.DWORD, d, bits);
        else asm.mov(Width.QWORD, d, bits);
    }
}
