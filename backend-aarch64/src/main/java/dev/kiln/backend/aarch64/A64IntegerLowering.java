package dev.kiln.backend.aarch64;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.TrapKind;
import dev.kiln.regalloc.Location;

import java.util.EnumMap;
import java.util.Map;

import static dev.kiln.backend.aarch64.A64Function.SCRATCH2;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH3;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH;

/**
 * Integer arithmetic, comparisons, bit counting, sign extension, select and constants. Operations
 * on i32 use W registers, which keeps every i32 value zero-extended in its X register. Right
 * operands that are constants become immediates where A64 has a form for them (add/sub imm12,
 * logical bitmask immediates, shift amounts, cmp/cmn imm12); see {@link A64Immediates}.
 */
final class A64IntegerLowering {
    enum Binary { ADD, SUB, AND, OR, XOR, MUL }

    private static final Map<Opcode, Binary> BINARY = new EnumMap<>(Opcode.class);
    private static final Map<Opcode, Condition> COMPARE = new EnumMap<>(Opcode.class);

    static {
        for (String w : new String[] {"I32", "I64"}) {
            BINARY.put(Opcode.valueOf(w + "_ADD"), Binary.ADD);
            BINARY.put(Opcode.valueOf(w + "_SUB"), Binary.SUB);
            BINARY.put(Opcode.valueOf(w + "_AND"), Binary.AND);
            BINARY.put(Opcode.valueOf(w + "_OR"), Binary.OR);
            BINARY.put(Opcode.valueOf(w + "_XOR"), Binary.XOR);
            BINARY.put(Opcode.valueOf(w + "_MUL"), Binary.MUL);
            COMPARE.put(Opcode.valueOf(w + "_EQ"), Condition.EQ);
            COMPARE.put(Opcode.valueOf(w + "_NE"), Condition.NE);
            COMPARE.put(Opcode.valueOf(w + "_LT_S"), Condition.LT);
            COMPARE.put(Opcode.valueOf(w + "_LT_U"), Condition.LO);
            COMPARE.put(Opcode.valueOf(w + "_GT_S"), Condition.GT);
            COMPARE.put(Opcode.valueOf(w + "_GT_U"), Condition.HI);
            COMPARE.put(Opcode.valueOf(w + "_LE_S"), Condition.LE);
            COMPARE.put(Opcode.valueOf(w + "_LE_U"), Condition.LS);
            COMPARE.put(Opcode.valueOf(w + "_GE_S"), Condition.GE);
            COMPARE.put(Opcode.valueOf(w + "_GE_U"), Condition.HS);
        }
    }

    private A64IntegerLowering() {
    }

    static boolean handles(Opcode op) {
        return BINARY.containsKey(op) || COMPARE.containsKey(op)
                || switch (op) {
                    case I32_SHL, I32_SHR_S, I32_SHR_U, I32_ROTL, I32_ROTR, I64_SHL, I64_SHR_S, I64_SHR_U, I64_ROTL, I64_ROTR,
                         I32_CLZ, I32_CTZ, I32_POPCNT, I64_CLZ, I64_CTZ, I64_POPCNT,
                         I32_DIV_S, I32_DIV_U, I32_REM_S, I32_REM_U, I64_DIV_S, I64_DIV_U,
                         I64_REM_S, I64_REM_U, I32_EQZ, I64_EQZ, I32_WRAP_I64, I64_EXTEND_I32_S, I64_EXTEND_I32_U,
                         I32_EXTEND8_S, I32_EXTEND16_S, I64_EXTEND8_S, I64_EXTEND16_S, I64_EXTEND32_S -> true;
                    default -> false;
                };
    }

    /** The comparison's A64 condition, or null when {@code op} is not an integer comparison. */
    static Condition condition(Opcode op) {
        return COMPARE.get(op);
    }

    static Binary binaryOp(Opcode op) {
        return BINARY.get(op);
    }

    static boolean is64(Opcode op) {
        return op.mnemonic.startsWith("i64");
    }

    /** An immediate as the operation sees it: the low 32 bits sign-extended for 32-bit operations. */
    static long normalize(long imm, boolean w64) {
        return w64 ? imm : (int) imm;
    }

    /** True when {@code add}/{@code sub} (or {@code cmp}/{@code cmn}) can take {@code imm}, negated if need be. */
    static boolean addSubEncodable(long imm, boolean w64) {
        long v = normalize(imm, w64);
        return AddSubOp.isImmediateEncodable(v) || (v != Long.MIN_VALUE && AddSubOp.isImmediateEncodable(-v));
    }

    static boolean logicalEncodable(long imm, boolean w64) {
        return LogicalImmediate.isLogicalImmediate(imm, w64 ? 64 : 32);
    }

    static void lower(A64Function fn, Instruction i) {
        Opcode op = i.op;
        A64Assembler asm = fn.asm;
        boolean w64 = is64(op);
        Binary b = BINARY.get(op);
        if (b != null) {
            binary(fn, i, b, w64);
            return;
        }
        Condition c = COMPARE.get(op);
        if (c != null) {
            compareInto(fn, i.arg(0), i.arg(1), w64);
            setFlagResult(fn, i.result(), c);
            return;
        }
        switch (op) {
            case I32_SHL, I32_SHR_S, I32_SHR_U, I32_ROTL, I32_ROTR, I64_SHL, I64_SHR_S, I64_SHR_U, I64_ROTL, I64_ROTR -> shift(fn, i, w64);
            case I32_CLZ, I64_CLZ, I32_CTZ, I64_CTZ -> {
                GeneralRegister a = fn.iget(i.arg(0), SCRATCH).view(w64);
                GeneralRegister d = fn.idst(i.result(), SCRATCH).view(w64);
                if (op == Opcode.I32_CTZ || op == Opcode.I64_CTZ) {
                    asm.rbit(d, a);
                    asm.clz(d, d);
                } else {
                    asm.clz(d, a);
                }
                fn.iput(i.result(), d);
            }
            case I32_POPCNT, I64_POPCNT -> {
                GeneralRegister a = fn.iget(i.arg(0), SCRATCH).view(w64);
                VectorRegister v = A64Function.FSCRATCH;
                asm.fmov(w64 ? v.d() : v.s(), a);
                asm.cnt(v.v8b(), v.v8b());
                asm.addv(v.b(), v.v8b());
                GeneralRegister d = fn.idst(i.result(), SCRATCH);
                asm.fmov(d.w(), v.s());
                fn.iput(i.result(), d);
            }
            case I32_EQZ -> compareZero(fn, i, false);
            case I64_EQZ -> compareZero(fn, i, true);
            case I32_DIV_S, I32_DIV_U, I32_REM_S, I32_REM_U, I64_DIV_S, I64_DIV_U, I64_REM_S, I64_REM_U -> divide(fn, i, w64);
            case I32_WRAP_I64, I64_EXTEND_I32_U -> {
                GeneralRegister a = fn.iget(i.arg(0), SCRATCH);
                GeneralRegister d = fn.idst(i.result(), SCRATCH);
                asm.mov(d.w(), a.w());
                fn.iput(i.result(), d);
            }
            case I64_EXTEND_I32_S, I64_EXTEND32_S -> {
                GeneralRegister a = fn.iget(i.arg(0), SCRATCH);
                GeneralRegister d = fn.idst(i.result(), SCRATCH);
                asm.sxtw(d, a.w());
                fn.iput(i.result(), d);
            }
            case I32_EXTEND8_S, I64_EXTEND8_S, I32_EXTEND16_S, I64_EXTEND16_S -> {
                GeneralRegister a = fn.iget(i.arg(0), SCRATCH);
                GeneralRegister d = fn.idst(i.result(), SCRATCH).view(w64);
                if (op == Opcode.I32_EXTEND8_S || op == Opcode.I64_EXTEND8_S) asm.sxtb(d, a.w());
                else asm.sxth(d, a.w());
                fn.iput(i.result(), d);
            }
            default -> throw new IllegalStateException("not an integer operation: " + op);
        }
    }

    /** d = a op b, with b (or a, for commutative operations) as an immediate when it is a constant that fits. */
    private static void binary(A64Function fn, Instruction i, Binary op, boolean w64) {
        A64Assembler asm = fn.asm;
        int a = i.arg(0), b = i.arg(1), r = i.result();
        boolean commutative = op != Binary.SUB;
        if (commutative && fn.constant(b) == null && fn.constant(a) != null) {
            int t = a;
            a = b;
            b = t;
        }
        Long imm = fn.constant(b);
        GeneralRegister ra = fn.iget(a, SCRATCH).view(w64);
        GeneralRegister d = fn.idst(r, SCRATCH).view(w64);
        if (imm != null) {
            long v = normalize(imm, w64);
            switch (op) {
                case ADD, SUB -> {
                    if (addSubEncodable(v, w64)) {
                        boolean negate = !AddSubOp.isImmediateEncodable(v);
                        AddSubOp o = (op == Binary.ADD) != negate ? AddSubOp.ADD : AddSubOp.SUB;
                        asm.addSub(o, d, ra, negate ? -v : v);
                        fn.iput(r, d);
                        return;
                    }
                }
                case AND, OR, XOR -> {
                    if (logicalEncodable(v, w64)) {
                        LogicalOp o = op == Binary.AND ? LogicalOp.AND : op == Binary.OR ? LogicalOp.ORR : LogicalOp.EOR;
                        asm.logical(o, d, ra, w64 ? v : v & 0xFFFF_FFFFL);
                        fn.iput(r, d);
                        return;
                    }
                }
                default -> { }
            }
        }
        GeneralRegister rb = fn.iget(b, SCRATCH2).view(w64);
        switch (op) {
            case ADD -> asm.add(d, ra, rb);
            case SUB -> asm.sub(d, ra, rb);
            case AND -> asm.and(d, ra, rb);
            case OR -> asm.orr(d, ra, rb);
            case XOR -> asm.eor(d, ra, rb);
            case MUL -> asm.mul(d, ra, rb);
        }
        fn.iput(r, d);
    }

    /** Shifts and rotates: A64's variable shifts already take the amount modulo the width, as Wasm does. */
    private static void shift(A64Function fn, Instruction i, boolean w64) {
        A64Assembler asm = fn.asm;
        String kind = i.op.mnemonic.substring(4);
        int width = w64 ? 64 : 32;
        GeneralRegister ra = fn.iget(i.arg(0), SCRATCH).view(w64);
        GeneralRegister d = fn.idst(i.result(), SCRATCH).view(w64);
        Long imm = fn.constant(i.arg(1));
        if (imm != null) {
            int n = (int) (imm & (width - 1));
            if (kind.equals("rotl")) n = (width - n) & (width - 1);
            if (n == 0) {
                if (d != ra) asm.mov(d, ra);
            } else {
                switch (kind) {
                    case "shl" -> asm.lsl(d, ra, n);
                    case "shr_s" -> asm.asr(d, ra, n);
                    case "shr_u" -> asm.lsr(d, ra, n);
                    default -> asm.ror(d, ra, n);
                }
            }
            fn.iput(i.result(), d);
            return;
        }
        GeneralRegister rb = fn.iget(i.arg(1), SCRATCH2).view(w64);
        switch (kind) {
            case "shl" -> asm.lsl(d, ra, rb);
            case "shr_s" -> asm.asr(d, ra, rb);
            case "shr_u" -> asm.lsr(d, ra, rb);
            case "rotr" -> asm.ror(d, ra, rb);
            default -> {
                GeneralRegister neg = SCRATCH2.view(w64);
                asm.neg(neg, rb); // rotl by n = rotr by -n (modulo the width)
                asm.ror(d, ra, neg);
            }
        }
        fn.iput(i.result(), d);
    }

    /** Sets the flags for a compare of two integer values (constant right operands become immediates). */
    static void compareInto(A64Function fn, int a, int b, boolean w64) {
        A64Assembler asm = fn.asm;
        GeneralRegister ra = fn.iget(a, SCRATCH).view(w64);
        Long imm = fn.constant(b);
        if (imm != null && addSubEncodable(imm, w64)) {
            long v = normalize(imm, w64);
            if (AddSubOp.isImmediateEncodable(v)) asm.cmp(ra, v);
            else asm.cmn(ra, -v);
            return;
        }
        asm.cmp(ra, fn.iget(b, SCRATCH2).view(w64));
    }

    /** result = condition ? 1 : 0. */
    static void setFlagResult(A64Function fn, int result, Condition c) {
        GeneralRegister d = fn.idst(result, SCRATCH);
        fn.asm.cset(d.w(), c);
        fn.iput(result, d);
    }

    static void compareZero(A64Function fn, Instruction i, boolean w64) {
        fn.asm.cmp(fn.iget(i.arg(0), SCRATCH).view(w64), 0);
        setFlagResult(fn, i.result(), Condition.EQ);
    }

    /**
     * Division and remainder with Wasm's traps (A64 division never faults: x/0 = 0 and MIN/-1 =
     * MIN). The remainder is {@code a - (a / b) * b}, which gives MIN rem -1 = 0 on its own.
     */
    private static void divide(A64Function fn, Instruction i, boolean w64) {
        A64Assembler asm = fn.asm;
        Opcode op = i.op;
        boolean signed = op.mnemonic.endsWith("_s");
        boolean rem = op.mnemonic.contains("rem");
        GeneralRegister ra = fn.iget(i.arg(0), SCRATCH).view(w64);
        GeneralRegister rb = fn.iget(i.arg(1), SCRATCH2).view(w64);
        asm.cbz(rb, fn.trap(TrapKind.INTEGER_DIVIDE_BY_ZERO, i.wasmOffset));
        if (signed && !rem) {
            // overflow exactly when b == -1 and a == MIN (a - 1 overflows only for MIN)
            asm.cmn(rb, 1);
            asm.ccmp(ra, 1, 0, Condition.EQ);
            asm.b(Condition.VS, fn.trap(TrapKind.INTEGER_OVERFLOW, i.wasmOffset));
        }
        GeneralRegister d = fn.idst(i.result(), SCRATCH).view(w64);
        if (rem) {
            GeneralRegister q = SCRATCH3.view(w64);
            if (signed) asm.sdiv(q, ra, rb);
            else asm.udiv(q, ra, rb);
            asm.msub(d, q, rb, ra);
        } else if (signed) {
            asm.sdiv(d, ra, rb);
        } else {
            asm.udiv(d, ra, rb);
        }
        fn.iput(i.result(), d);
    }

    /** result = cond ? a : b. */
    static void select(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        int a = i.arg(0), b = i.arg(1), r = i.result();
        Instruction cmp = fn.compareOfSelect(i); // a fused comparison sets the flags itself: cmp; csel
        Condition cc = cmp != null ? A64ControlLowering.fusedCondition(fn, cmp) : Condition.NE;
        if (cmp == null) asm.cmp(fn.iget(i.arg(2), SCRATCH).w(), 0);
        // loads and constant materialisations below leave the flags alone
        if (fn.type(r) == ValType.V128) { // no 128-bit fcsel: a mask from the condition, then bsl
            VectorRegister va = fn.fget(a, A64Function.FSCRATCH);
            VectorRegister vb = fn.fget(b, A64Function.FSCRATCH2);
            VectorRegister m = A64Function.FSCRATCH3;
            asm.csetm(SCRATCH, cc);
            asm.dup(m.as(VectorShape.V2D), SCRATCH);
            asm.simd(SimdThreeSameOp.BSL, m.v16b(), va.v16b(), vb.v16b());
            fn.fput(r, m.q());
        } else if (A64RegisterFile.isFloat(fn.type(r))) {
            VectorRegister va = fn.fget(a, A64Function.FSCRATCH);
            VectorRegister vb = fn.fget(b, A64Function.FSCRATCH2);
            VectorRegister d = fn.fdst(r, A64Function.FSCRATCH);
            asm.fcsel(d, va, vb, cc);
            fn.fput(r, d);
        } else {
            GeneralRegister xa = fn.iget(a, SCRATCH);
            GeneralRegister xb = fn.iget(b, SCRATCH2);
            GeneralRegister d = fn.idst(r, SCRATCH);
            asm.csel(d, xa, xb, cc);
            fn.iput(r, d);
        }
    }

    /** Materialises a constant in the value's location (constants without one are encoded where used). */
    static void constant(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        int r = i.result();
        if (fn.location(r) == Location.NONE) return;
        ValType t = fn.type(r);
        long bits = i.op == Opcode.REF_NULL ? 0 : i.imm;
        if (A64RegisterFile.isFloat(t)) {
            VectorRegister d = fn.fdst(r, A64Function.FSCRATCH);
            asm.movFloat(d, bits);
            fn.fput(r, d);
            return;
        }
        GeneralRegister d = fn.idst(r, SCRATCH);
        fn.materialize(d, t, bits);
        fn.iput(r, d);
    }
}
