package dev.kiln.tests.fuzz.wasm;

import java.util.List;

import static dev.kiln.tests.fuzz.wasm.NumType.F32;
import static dev.kiln.tests.fuzz.wasm.NumType.F64;
import static dev.kiln.tests.fuzz.wasm.NumType.I32;
import static dev.kiln.tests.fuzz.wasm.NumType.I64;

/**
 * Every non-SIMD numeric instruction (tests, comparisons, arithmetic, conversions, saturating
 * truncations): text name, opcode ({@code 0xFCnn} for the prefixed ones), operand and result
 * types, and how the instruction treats NaN bits (see {@link NanBits}).
 */
public enum NumericOp {
    I32_EQZ("i32.eqz", 0x45, I32, I32), I32_EQ("i32.eq", 0x46, I32, I32, I32), I32_NE("i32.ne", 0x47, I32, I32, I32),
    I32_LT_S("i32.lt_s", 0x48, I32, I32, I32), I32_LT_U("i32.lt_u", 0x49, I32, I32, I32), I32_GT_S("i32.gt_s", 0x4A, I32, I32, I32),
    I32_GT_U("i32.gt_u", 0x4B, I32, I32, I32), I32_LE_S("i32.le_s", 0x4C, I32, I32, I32), I32_LE_U("i32.le_u", 0x4D, I32, I32, I32),
    I32_GE_S("i32.ge_s", 0x4E, I32, I32, I32), I32_GE_U("i32.ge_u", 0x4F, I32, I32, I32),
    I64_EQZ("i64.eqz", 0x50, I64, I32), I64_EQ("i64.eq", 0x51, I64, I64, I32), I64_NE("i64.ne", 0x52, I64, I64, I32),
    I64_LT_S("i64.lt_s", 0x53, I64, I64, I32), I64_LT_U("i64.lt_u", 0x54, I64, I64, I32), I64_GT_S("i64.gt_s", 0x55, I64, I64, I32),
    I64_GT_U("i64.gt_u", 0x56, I64, I64, I32), I64_LE_S("i64.le_s", 0x57, I64, I64, I32), I64_LE_U("i64.le_u", 0x58, I64, I64, I32),
    I64_GE_S("i64.ge_s", 0x59, I64, I64, I32), I64_GE_U("i64.ge_u", 0x5A, I64, I64, I32),
    F32_EQ("f32.eq", 0x5B, F32, F32, I32), F32_NE("f32.ne", 0x5C, F32, F32, I32), F32_LT("f32.lt", 0x5D, F32, F32, I32),
    F32_GT("f32.gt", 0x5E, F32, F32, I32), F32_LE("f32.le", 0x5F, F32, F32, I32), F32_GE("f32.ge", 0x60, F32, F32, I32),
    F64_EQ("f64.eq", 0x61, F64, F64, I32), F64_NE("f64.ne", 0x62, F64, F64, I32), F64_LT("f64.lt", 0x63, F64, F64, I32),
    F64_GT("f64.gt", 0x64, F64, F64, I32), F64_LE("f64.le", 0x65, F64, F64, I32), F64_GE("f64.ge", 0x66, F64, F64, I32),

    I32_CLZ("i32.clz", 0x67, I32, I32), I32_CTZ("i32.ctz", 0x68, I32, I32), I32_POPCNT("i32.popcnt", 0x69, I32, I32),
    I32_ADD("i32.add", 0x6A, I32, I32, I32), I32_SUB("i32.sub", 0x6B, I32, I32, I32), I32_MUL("i32.mul", 0x6C, I32, I32, I32),
    I32_DIV_S("i32.div_s", 0x6D, I32, I32, I32), I32_DIV_U("i32.div_u", 0x6E, I32, I32, I32),
    I32_REM_S("i32.rem_s", 0x6F, I32, I32, I32), I32_REM_U("i32.rem_u", 0x70, I32, I32, I32),
    I32_AND("i32.and", 0x71, I32, I32, I32), I32_OR("i32.or", 0x72, I32, I32, I32), I32_XOR("i32.xor", 0x73, I32, I32, I32),
    I32_SHL("i32.shl", 0x74, I32, I32, I32), I32_SHR_S("i32.shr_s", 0x75, I32, I32, I32), I32_SHR_U("i32.shr_u", 0x76, I32, I32, I32),
    I32_ROTL("i32.rotl", 0x77, I32, I32, I32), I32_ROTR("i32.rotr", 0x78, I32, I32, I32),
    I64_CLZ("i64.clz", 0x79, I64, I64), I64_CTZ("i64.ctz", 0x7A, I64, I64), I64_POPCNT("i64.popcnt", 0x7B, I64, I64),
    I64_ADD("i64.add", 0x7C, I64, I64, I64), I64_SUB("i64.sub", 0x7D, I64, I64, I64), I64_MUL("i64.mul", 0x7E, I64, I64, I64),
    I64_DIV_S("i64.div_s", 0x7F, I64, I64, I64), I64_DIV_U("i64.div_u", 0x80, I64, I64, I64),
    I64_REM_S("i64.rem_s", 0x81, I64, I64, I64), I64_REM_U("i64.rem_u", 0x82, I64, I64, I64),
    I64_AND("i64.and", 0x83, I64, I64, I64), I64_OR("i64.or", 0x84, I64, I64, I64), I64_XOR("i64.xor", 0x85, I64, I64, I64),
    I64_SHL("i64.shl", 0x86, I64, I64, I64), I64_SHR_S("i64.shr_s", 0x87, I64, I64, I64), I64_SHR_U("i64.shr_u", 0x88, I64, I64, I64),
    I64_ROTL("i64.rotl", 0x89, I64, I64, I64), I64_ROTR("i64.rotr", 0x8A, I64, I64, I64),

    F32_ABS("f32.abs", 0x8B, NanBits.PROPAGATES, F32, F32), F32_NEG("f32.neg", 0x8C, NanBits.PROPAGATES, F32, F32),
    F32_CEIL("f32.ceil", 0x8D, F32, F32), F32_FLOOR("f32.floor", 0x8E, F32, F32), F32_TRUNC("f32.trunc", 0x8F, F32, F32),
    F32_NEAREST("f32.nearest", 0x90, F32, F32), F32_SQRT("f32.sqrt", 0x91, F32, F32),
    F32_ADD("f32.add", 0x92, F32, F32, F32), F32_SUB("f32.sub", 0x93, F32, F32, F32), F32_MUL("f32.mul", 0x94, F32, F32, F32),
    F32_DIV("f32.div", 0x95, F32, F32, F32), F32_MIN("f32.min", 0x96, F32, F32, F32), F32_MAX("f32.max", 0x97, F32, F32, F32),
    F32_COPYSIGN("f32.copysign", 0x98, NanBits.OBSERVES, F32, F32, F32),
    F64_ABS("f64.abs", 0x99, NanBits.PROPAGATES, F64, F64), F64_NEG("f64.neg", 0x9A, NanBits.PROPAGATES, F64, F64),
    F64_CEIL("f64.ceil", 0x9B, F64, F64), F64_FLOOR("f64.floor", 0x9C, F64, F64), F64_TRUNC("f64.trunc", 0x9D, F64, F64),
    F64_NEAREST("f64.nearest", 0x9E, F64, F64), F64_SQRT("f64.sqrt", 0x9F, F64, F64),
    F64_ADD("f64.add", 0xA0, F64, F64, F64), F64_SUB("f64.sub", 0xA1, F64, F64, F64), F64_MUL("f64.mul", 0xA2, F64, F64, F64),
    F64_DIV("f64.div", 0xA3, F64, F64, F64), F64_MIN("f64.min", 0xA4, F64, F64, F64), F64_MAX("f64.max", 0xA5, F64, F64, F64),
    F64_COPYSIGN("f64.copysign", 0xA6, NanBits.OBSERVES, F64, F64, F64),

    I32_WRAP_I64("i32.wrap_i64", 0xA7, I64, I32),
    I32_TRUNC_F32_S("i32.trunc_f32_s", 0xA8, F32, I32), I32_TRUNC_F32_U("i32.trunc_f32_u", 0xA9, F32, I32),
    I32_TRUNC_F64_S("i32.trunc_f64_s", 0xAA, F64, I32), I32_TRUNC_F64_U("i32.trunc_f64_u", 0xAB, F64, I32),
    I64_EXTEND_I32_S("i64.extend_i32_s", 0xAC, I32, I64), I64_EXTEND_I32_U("i64.extend_i32_u", 0xAD, I32, I64),
    I64_TRUNC_F32_S("i64.trunc_f32_s", 0xAE, F32, I64), I64_TRUNC_F32_U("i64.trunc_f32_u", 0xAF, F32, I64),
    I64_TRUNC_F64_S("i64.trunc_f64_s", 0xB0, F64, I64), I64_TRUNC_F64_U("i64.trunc_f64_u", 0xB1, F64, I64),
    F32_CONVERT_I32_S("f32.convert_i32_s", 0xB2, NanBits.NEVER_NAN, I32, F32), F32_CONVERT_I32_U("f32.convert_i32_u", 0xB3, NanBits.NEVER_NAN, I32, F32),
    F32_CONVERT_I64_S("f32.convert_i64_s", 0xB4, NanBits.NEVER_NAN, I64, F32), F32_CONVERT_I64_U("f32.convert_i64_u", 0xB5, NanBits.NEVER_NAN, I64, F32),
    F32_DEMOTE_F64("f32.demote_f64", 0xB6, F64, F32),
    F64_CONVERT_I32_S("f64.convert_i32_s", 0xB7, NanBits.NEVER_NAN, I32, F64), F64_CONVERT_I32_U("f64.convert_i32_u", 0xB8, NanBits.NEVER_NAN, I32, F64),
    F64_CONVERT_I64_S("f64.convert_i64_s", 0xB9, NanBits.NEVER_NAN, I64, F64), F64_CONVERT_I64_U("f64.convert_i64_u", 0xBA, NanBits.NEVER_NAN, I64, F64),
    F64_PROMOTE_F32("f64.promote_f32", 0xBB, F32, F64),
    I32_REINTERPRET_F32("i32.reinterpret_f32", 0xBC, NanBits.OBSERVES, F32, I32),
    I64_REINTERPRET_F64("i64.reinterpret_f64", 0xBD, NanBits.OBSERVES, F64, I64),
    F32_REINTERPRET_I32("f32.reinterpret_i32", 0xBE, NanBits.NEVER_NAN, I32, F32),
    F64_REINTERPRET_I64("f64.reinterpret_i64", 0xBF, NanBits.NEVER_NAN, I64, F64),
    I32_EXTEND8_S("i32.extend8_s", 0xC0, I32, I32), I32_EXTEND16_S("i32.extend16_s", 0xC1, I32, I32),
    I64_EXTEND8_S("i64.extend8_s", 0xC2, I64, I64), I64_EXTEND16_S("i64.extend16_s", 0xC3, I64, I64),
    I64_EXTEND32_S("i64.extend32_s", 0xC4, I64, I64),
    I32_TRUNC_SAT_F32_S("i32.trunc_sat_f32_s", 0xFC00, F32, I32), I32_TRUNC_SAT_F32_U("i32.trunc_sat_f32_u", 0xFC01, F32, I32),
    I32_TRUNC_SAT_F64_S("i32.trunc_sat_f64_s", 0xFC02, F64, I32), I32_TRUNC_SAT_F64_U("i32.trunc_sat_f64_u", 0xFC03, F64, I32),
    I64_TRUNC_SAT_F32_S("i64.trunc_sat_f32_s", 0xFC04, F32, I64), I64_TRUNC_SAT_F32_U("i64.trunc_sat_f32_u", 0xFC05, F32, I64),
    I64_TRUNC_SAT_F64_S("i64.trunc_sat_f64_s", 0xFC06, F64, I64), I64_TRUNC_SAT_F64_U("i64.trunc_sat_f64_u", 0xFC07, F64, I64);

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
    public final int opcode;
    public final List<NumType> operands;
    public final NumType result;
    public final NanBits nanBits;

    NumericOp(String wat, int opcode, NumType operand, NumType result) {
        this(wat, opcode, NanBits.ARITHMETIC, List.of(operand), result);
    }

    NumericOp(String wat, int opcode, NumType a, NumType b, NumType result) {
        this(wat, opcode, NanBits.ARITHMETIC, List.of(a, b), result);
    }

    NumericOp(String wat, int opcode, NanBits nanBits, NumType operand, NumType result) {
        this(wat, opcode, nanBits, List.of(operand), result);
    }

    NumericOp(String wat, int opcode, NanBits nanBits, NumType a, NumType b, NumType result) {
        this(wat, opcode, nanBits, List.of(a, b), result);
    }

    NumericOp(String wat, int opcode, NanBits nanBits, List<NumType> operands, NumType result) {
        this.wat = wat;
        this.opcode = opcode;
        this.nanBits = nanBits;
        this.operands = operands;
        this.result = result;
    }
}
