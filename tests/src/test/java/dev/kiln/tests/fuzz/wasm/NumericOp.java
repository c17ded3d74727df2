package dev.kiln.tests.fuzz.wasm;

import dev.kiln.frontend.Opcode;

import java.util.ArrayList;
import java.util.List;

/**
 * Every non-SIMD numeric instruction (tests, comparisons, arithmetic, conversions, saturating
 * truncations) the generator may use, and how it treats NaN bits (see {@link NanBits}). Names,
 * encodings and types are kiln's opcode table's; wasmtime validates every generated module and
 * wat2wasm re-encodes its text, so a mistake in that table still shows here.
 */
public enum NumericOp {
    I32_EQZ, I32_EQ, I32_NE, I32_LT_S, I32_LT_U, I32_GT_S, I32_GT_U, I32_LE_S, I32_LE_U, I32_GE_S, I32_GE_U,
    I64_EQZ, I64_EQ, I64_NE, I64_LT_S, I64_LT_U, I64_GT_S, I64_GT_U, I64_LE_S, I64_LE_U, I64_GE_S, I64_GE_U,
    F32_EQ, F32_NE, F32_LT, F32_GT, F32_LE, F32_GE, F64_EQ, F64_NE, F64_LT, F64_GT, F64_LE, F64_GE,

    I32_CLZ, I32_CTZ, I32_POPCNT, I32_ADD, I32_SUB, I32_MUL, I32_DIV_S, I32_DIV_U, I32_REM_S, I32_REM_U,
    I32_AND, I32_OR, I32_XOR, I32_SHL, I32_SHR_S, I32_SHR_U, I32_ROTL, I32_ROTR, I64_CLZ, I64_CTZ, I64_POPCNT,
    I64_ADD, I64_SUB, I64_MUL, I64_DIV_S, I64_DIV_U, I64_REM_S, I64_REM_U, I64_AND, I64_OR, I64_XOR, I64_SHL,
    I64_SHR_S, I64_SHR_U, I64_ROTL, I64_ROTR,

    F32_ABS(NanBits.PROPAGATES), F32_NEG(NanBits.PROPAGATES), F32_CEIL, F32_FLOOR, F32_TRUNC, F32_NEAREST,
    F32_SQRT, F32_ADD, F32_SUB, F32_MUL, F32_DIV, F32_MIN, F32_MAX, F32_COPYSIGN(NanBits.OBSERVES),
    F64_ABS(NanBits.PROPAGATES), F64_NEG(NanBits.PROPAGATES), F64_CEIL, F64_FLOOR, F64_TRUNC, F64_NEAREST,
    F64_SQRT, F64_ADD, F64_SUB, F64_MUL, F64_DIV, F64_MIN, F64_MAX, F64_COPYSIGN(NanBits.OBSERVES),

    I32_WRAP_I64, I32_TRUNC_F32_S, I32_TRUNC_F32_U, I32_TRUNC_F64_S, I32_TRUNC_F64_U, I64_EXTEND_I32_S,
    I64_EXTEND_I32_U, I64_TRUNC_F32_S, I64_TRUNC_F32_U, I64_TRUNC_F64_S, I64_TRUNC_F64_U,
    F32_CONVERT_I32_S(NanBits.NEVER_NAN), F32_CONVERT_I32_U(NanBits.NEVER_NAN),
    F32_CONVERT_I64_S(NanBits.NEVER_NAN), F32_CONVERT_I64_U(NanBits.NEVER_NAN), F32_DEMOTE_F64,
    F64_CONVERT_I32_S(NanBits.NEVER_NAN), F64_CONVERT_I32_U(NanBits.NEVER_NAN),
    F64_CONVERT_I64_S(NanBits.NEVER_NAN), F64_CONVERT_I64_U(NanBits.NEVER_NAN), F64_PROMOTE_F32,
    I32_REINTERPRET_F32(NanBits.OBSERVES), I64_REINTERPRET_F64(NanBits.OBSERVES),
    F32_REINTERPRET_I32(NanBits.NEVER_NAN), F64_REINTERPRET_I64(NanBits.NEVER_NAN), I32_EXTEND8_S,
    I32_EXTEND16_S, I64_EXTEND8_S, I64_EXTEND16_S, I64_EXTEND32_S, I32_TRUNC_SAT_F32_S, I32_TRUNC_SAT_F32_U,
    I32_TRUNC_SAT_F64_S, I32_TRUNC_SAT_F64_U, I64_TRUNC_SAT_F32_S, I64_TRUNC_SAT_F32_U, I64_TRUNC_SAT_F64_S,
    I64_TRUNC_SAT_F64_U;

    /**
     * What the spec lets an implementation choose about NaN bits. An arithmetic float result that
     * is NaN has a nondeterministic payload (and sign), so the fuzzer must never let such bits be
     * observed exactly; see {@link NanBits}.
     */
    public enum NanBits {
        /** Integer result, or a float result whose NaN bits the spec leaves to the implementation. */
        ARITHMETIC,
        /** abs/neg: the result's bits are the operand's bits (sign aside). */
        PROPAGATES,
        /** copysign, reinterpret to integer: the result exposes operand bits exactly. */
        OBSERVES,
        /** Conversions from integers and reinterpret from integers: never a nondeterministic NaN. */
        NEVER_NAN
    }

    public final String wat;
    /** The opcode byte, or {@code 0xFCnn} for the prefixed ones. */
    public final int opcode;
    public final List<NumType> operands;
    public final NumType result;
    public final NanBits nanBits;

    NumericOp() {
        this(NanBits.ARITHMETIC);
    }

    /** Text name, encoding and signature come from kiln's one opcode table ({@link Opcode}). */
    NumericOp(NanBits nanBits) {
        Opcode op = Opcode.valueOf(name());
        this.wat = op.mnemonic;
        this.opcode = op.prefix == Opcode.PREFIX_FC ? 0xFC00 | op.code : op.code;
        this.nanBits = nanBits;
        List<NumType> params = new ArrayList<>();
        for (int i = 0; i < op.paramCount(); i++) params.add(NumType.of(op.param(i)));
        this.operands = List.copyOf(params);
        this.result = NumType.of(op.result(0));
    }
}
