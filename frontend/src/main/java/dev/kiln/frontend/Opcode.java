package dev.kiln.frontend;

import static dev.kiln.frontend.Immediate.*;

/**
 * Every WebAssembly 2.0 instruction and the relaxed SIMD instructions of 3.0: its encoding (prefix byte and code), its text mnemonic, the
 * shape of its immediates, its operand-stack signature and, for memory accesses, the access width.
 * This table is the one definition the decoder, validator, IR builder and printers read.
 * The other WebAssembly 3.0 instructions (tail calls, exceptions, typed function references, GC)
 * are here too with their {@link WasmFeature}; the text parser and printer use them, and the
 * decoder reads them once their feature is {@link WasmFeature#decoded}.
 *
 * <p>Signatures are written {@code params>results} with one letter per value:
 * {@code i}=i32, {@code I}=i64, {@code f}=f32, {@code F}=f64, {@code v}=v128. A null signature
 * marks an instruction whose typing depends on its immediates or on the control stack; the
 * validator handles those one by one.
 */
public enum Opcode {
    UNREACHABLE(0x00, "unreachable", NONE, null),
    NOP(0x01, "nop", NONE, null),
    BLOCK(0x02, "block", BLOCK_TYPE, null),
    LOOP(0x03, "loop", BLOCK_TYPE, null),
    IF(0x04, "if", BLOCK_TYPE, null),
    ELSE(0x05, "else", NONE, null),
    TRY(WasmFeature.LEGACY_EXCEPTIONS, 0, 0x06, "try", BLOCK_TYPE),
    CATCH(WasmFeature.LEGACY_EXCEPTIONS, 0, 0x07, "catch", TAG),
    THROW(WasmFeature.EXCEPTIONS, 0, 0x08, "throw", TAG),
    RETHROW(WasmFeature.LEGACY_EXCEPTIONS, 0, 0x09, "rethrow", LABEL),
    THROW_REF(WasmFeature.EXCEPTIONS, 0, 0x0A, "throw_ref", NONE),
    END(0x0B, "end", NONE, null),
    BR(0x0C, "br", LABEL, null),
    BR_IF(0x0D, "br_if", LABEL, null),
    BR_TABLE(0x0E, "br_table", LABEL_TABLE, null),
    RETURN(0x0F, "return", NONE, null),
    CALL(0x10, "call", FUNC, null),
    CALL_INDIRECT(0x11, "call_indirect", TYPE_TABLE, null),
    RETURN_CALL(WasmFeature.TAIL_CALL, 0, 0x12, "return_call", FUNC),
    RETURN_CALL_INDIRECT(WasmFeature.TAIL_CALL, 0, 0x13, "return_call_indirect", TYPE_TABLE),
    CALL_REF(WasmFeature.FUNCTION_REFERENCES, 0, 0x14, "call_ref", TYPE),
    RETURN_CALL_REF(WasmFeature.TAIL_CALL, 0, 0x15, "return_call_ref", TYPE),
    DELEGATE(WasmFeature.LEGACY_EXCEPTIONS, 0, 0x18, "delegate", LABEL),
    CATCH_ALL(WasmFeature.LEGACY_EXCEPTIONS, 0, 0x19, "catch_all", NONE),
    DROP(0x1A, "drop", NONE, null),
    SELECT(0x1B, "select", NONE, null),
    SELECT_T(0x1C, "select", SELECT_TYPES, null),
    TRY_TABLE(WasmFeature.EXCEPTIONS, 0, 0x1F, "try_table", BLOCK_CATCHES),
    LOCAL_GET(0x20, "local.get", LOCAL, null),
    LOCAL_SET(0x21, "local.set", LOCAL, null),
    LOCAL_TEE(0x22, "local.tee", LOCAL, null),
    GLOBAL_GET(0x23, "global.get", GLOBAL, null),
    GLOBAL_SET(0x24, "global.set", GLOBAL, null),
    TABLE_GET(0x25, "table.get", TABLE, null),
    TABLE_SET(0x26, "table.set", TABLE, null),
    I32_LOAD(0x28, "i32.load", MEMARG, "i>i", 4),
    I64_LOAD(0x29, "i64.load", MEMARG, "i>I", 8),
    F32_LOAD(0x2A, "f32.load", MEMARG, "i>f", 4),
    F64_LOAD(0x2B, "f64.load", MEMARG, "i>F", 8),
    I32_LOAD8_S(0x2C, "i32.load8_s", MEMARG, "i>i", 1),
    I32_LOAD8_U(0x2D, "i32.load8_u", MEMARG, "i>i", 1),
    I32_LOAD16_S(0x2E, "i32.load16_s", MEMARG, "i>i", 2),
    I32_LOAD16_U(0x2F, "i32.load16_u", MEMARG, "i>i", 2),
    I64_LOAD8_S(0x30, "i64.load8_s", MEMARG, "i>I", 1),
    I64_LOAD8_U(0x31, "i64.load8_u", MEMARG, "i>I", 1),
    I64_LOAD16_S(0x32, "i64.load16_s", MEMARG, "i>I", 2),
    I64_LOAD16_U(0x33, "i64.load16_u", MEMARG, "i>I", 2),
    I64_LOAD32_S(0x34, "i64.load32_s", MEMARG, "i>I", 4),
    I64_LOAD32_U(0x35, "i64.load32_u", MEMARG, "i>I", 4),
    I32_STORE(0x36, "i32.store", MEMARG, "ii>", 4),
    I64_STORE(0x37, "i64.store", MEMARG, "iI>", 8),
    F32_STORE(0x38, "f32.store", MEMARG, "if>", 4),
    F64_STORE(0x39, "f64.store", MEMARG, "iF>", 8),
    I32_STORE8(0x3A, "i32.store8", MEMARG, "ii>", 1),
    I32_STORE16(0x3B, "i32.store16", MEMARG, "ii>", 2),
    I64_STORE8(0x3C, "i64.store8", MEMARG, "iI>", 1),
    I64_STORE16(0x3D, "i64.store16", MEMARG, "iI>", 2),
    I64_STORE32(0x3E, "i64.store32", MEMARG, "iI>", 4),
    MEMORY_SIZE(0x3F, "memory.size", MEMORY, null),
    MEMORY_GROW(0x40, "memory.grow", MEMORY, null),
    I32_CONST(0x41, "i32.const", I32, ">i"),
    I64_CONST(0x42, "i64.const", I64, ">I"),
    F32_CONST(0x43, "f32.const", F32, ">f"),
    F64_CONST(0x44, "f64.const", F64, ">F"),
    I32_EQZ(0x45, "i32.eqz", NONE, "i>i"),
    I32_EQ(0x46, "i32.eq", NONE, "ii>i"),
    I32_NE(0x47, "i32.ne", NONE, "ii>i"),
    I32_LT_S(0x48, "i32.lt_s", NONE, "ii>i"),
    I32_LT_U(0x49, "i32.lt_u", NONE, "ii>i"),
    I32_GT_S(0x4A, "i32.gt_s", NONE, "ii>i"),
    I32_GT_U(0x4B, "i32.gt_u", NONE, "ii>i"),
    I32_LE_S(0x4C, "i32.le_s", NONE, "ii>i"),
    I32_LE_U(0x4D, "i32.le_u", NONE, "ii>i"),
    I32_GE_S(0x4E, "i32.ge_s", NONE, "ii>i"),
    I32_GE_U(0x4F, "i32.ge_u", NONE, "ii>i"),
    I64_EQZ(0x50, "i64.eqz", NONE, "I>i"),
    I64_EQ(0x51, "i64.eq", NONE, "II>i"),
    I64_NE(0x52, "i64.ne", NONE, "II>i"),
    I64_LT_S(0x53, "i64.lt_s", NONE, "II>i"),
    I64_LT_U(0x54, "i64.lt_u", NONE, "II>i"),
    I64_GT_S(0x55, "i64.gt_s", NONE, "II>i"),
    I64_GT_U(0x56, "i64.gt_u", NONE, "II>i"),
    I64_LE_S(0x57, "i64.le_s", NONE, "II>i"),
    I64_LE_U(0x58, "i64.le_u", NONE, "II>i"),
    I64_GE_S(0x59, "i64.ge_s", NONE, "II>i"),
    I64_GE_U(0x5A, "i64.ge_u", NONE, "II>i"),
    F32_EQ(0x5B, "f32.eq", NONE, "ff>i"),
    F32_NE(0x5C, "f32.ne", NONE, "ff>i"),
    F32_LT(0x5D, "f32.lt", NONE, "ff>i"),
    F32_GT(0x5E, "f32.gt", NONE, "ff>i"),
    F32_LE(0x5F, "f32.le", NONE, "ff>i"),
    F32_GE(0x60, "f32.ge", NONE, "ff>i"),
    F64_EQ(0x61, "f64.eq", NONE, "FF>i"),
    F64_NE(0x62, "f64.ne", NONE, "FF>i"),
    F64_LT(0x63, "f64.lt", NONE, "FF>i"),
    F64_GT(0x64, "f64.gt", NONE, "FF>i"),
    F64_LE(0x65, "f64.le", NONE, "FF>i"),
    F64_GE(0x66, "f64.ge", NONE, "FF>i"),
    I32_CLZ(0x67, "i32.clz", NONE, "i>i"),
    I32_CTZ(0x68, "i32.ctz", NONE, "i>i"),
    I32_POPCNT(0x69, "i32.popcnt", NONE, "i>i"),
    I32_ADD(0x6A, "i32.add", NONE, "ii>i"),
    I32_SUB(0x6B, "i32.sub", NONE, "ii>i"),
    I32_MUL(0x6C, "i32.mul", NONE, "ii>i"),
    I32_DIV_S(0x6D, "i32.div_s", NONE, "ii>i"),
    I32_DIV_U(0x6E, "i32.div_u", NONE, "ii>i"),
    I32_REM_S(0x6F, "i32.rem_s", NONE, "ii>i"),
    I32_REM_U(0x70, "i32.rem_u", NONE, "ii>i"),
    I32_AND(0x71, "i32.and", NONE, "ii>i"),
    I32_OR(0x72, "i32.or", NONE, "ii>i"),
    I32_XOR(0x73, "i32.xor", NONE, "ii>i"),
    I32_SHL(0x74, "i32.shl", NONE, "ii>i"),
    I32_SHR_S(0x75, "i32.shr_s", NONE, "ii>i"),
    I32_SHR_U(0x76, "i32.shr_u", NONE, "ii>i"),
    I32_ROTL(0x77, "i32.rotl", NONE, "ii>i"),
    I32_ROTR(0x78, "i32.rotr", NONE, "ii>i"),
    I64_CLZ(0x79, "i64.clz", NONE, "I>I"),
    I64_CTZ(0x7A, "i64.ctz", NONE, "I>I"),
    I64_POPCNT(0x7B, "i64.popcnt", NONE, "I>I"),
    I64_ADD(0x7C, "i64.add", NONE, "II>I"),
    I64_SUB(0x7D, "i64.sub", NONE, "II>I"),
    I64_MUL(0x7E, "i64.mul", NONE, "II>I"),
    I64_DIV_S(0x7F, "i64.div_s", NONE, "II>I"),
    I64_DIV_U(0x80, "i64.div_u", NONE, "II>I"),
    I64_REM_S(0x81, "i64.rem_s", NONE, "II>I"),
    I64_REM_U(0x82, "i64.rem_u", NONE, "II>I"),
    I64_AND(0x83, "i64.and", NONE, "II>I"),
    I64_OR(0x84, "i64.or", NONE, "II>I"),
    I64_XOR(0x85, "i64.xor", NONE, "II>I"),
    I64_SHL(0x86, "i64.shl", NONE, "II>I"),
    I64_SHR_S(0x87, "i64.shr_s", NONE, "II>I"),
    I64_SHR_U(0x88, "i64.shr_u", NONE, "II>I"),
    I64_ROTL(0x89, "i64.rotl", NONE, "II>I"),
    I64_ROTR(0x8A, "i64.rotr", NONE, "II>I"),
    F32_ABS(0x8B, "f32.abs", NONE, "f>f"),
    F32_NEG(0x8C, "f32.neg", NONE, "f>f"),
    F32_CEIL(0x8D, "f32.ceil", NONE, "f>f"),
    F32_FLOOR(0x8E, "f32.floor", NONE, "f>f"),
    F32_TRUNC(0x8F, "f32.trunc", NONE, "f>f"),
    F32_NEAREST(0x90, "f32.nearest", NONE, "f>f"),
    F32_SQRT(0x91, "f32.sqrt", NONE, "f>f"),
    F32_ADD(0x92, "f32.add", NONE, "ff>f"),
    F32_SUB(0x93, "f32.sub", NONE, "ff>f"),
    F32_MUL(0x94, "f32.mul", NONE, "ff>f"),
    F32_DIV(0x95, "f32.div", NONE, "ff>f"),
    F32_MIN(0x96, "f32.min", NONE, "ff>f"),
    F32_MAX(0x97, "f32.max", NONE, "ff>f"),
    F32_COPYSIGN(0x98, "f32.copysign", NONE, "ff>f"),
    F64_ABS(0x99, "f64.abs", NONE, "F>F"),
    F64_NEG(0x9A, "f64.neg", NONE, "F>F"),
    F64_CEIL(0x9B, "f64.ceil", NONE, "F>F"),
    F64_FLOOR(0x9C, "f64.floor", NONE, "F>F"),
    F64_TRUNC(0x9D, "f64.trunc", NONE, "F>F"),
    F64_NEAREST(0x9E, "f64.nearest", NONE, "F>F"),
    F64_SQRT(0x9F, "f64.sqrt", NONE, "F>F"),
    F64_ADD(0xA0, "f64.add", NONE, "FF>F"),
    F64_SUB(0xA1, "f64.sub", NONE, "FF>F"),
    F64_MUL(0xA2, "f64.mul", NONE, "FF>F"),
    F64_DIV(0xA3, "f64.div", NONE, "FF>F"),
    F64_MIN(0xA4, "f64.min", NONE, "FF>F"),
    F64_MAX(0xA5, "f64.max", NONE, "FF>F"),
    F64_COPYSIGN(0xA6, "f64.copysign", NONE, "FF>F"),
    I32_WRAP_I64(0xA7, "i32.wrap_i64", NONE, "I>i"),
    I32_TRUNC_F32_S(0xA8, "i32.trunc_f32_s", NONE, "f>i"),
    I32_TRUNC_F32_U(0xA9, "i32.trunc_f32_u", NONE, "f>i"),
    I32_TRUNC_F64_S(0xAA, "i32.trunc_f64_s", NONE, "F>i"),
    I32_TRUNC_F64_U(0xAB, "i32.trunc_f64_u", NONE, "F>i"),
    I64_EXTEND_I32_S(0xAC, "i64.extend_i32_s", NONE, "i>I"),
    I64_EXTEND_I32_U(0xAD, "i64.extend_i32_u", NONE, "i>I"),
    I64_TRUNC_F32_S(0xAE, "i64.trunc_f32_s", NONE, "f>I"),
    I64_TRUNC_F32_U(0xAF, "i64.trunc_f32_u", NONE, "f>I"),
    I64_TRUNC_F64_S(0xB0, "i64.trunc_f64_s", NONE, "F>I"),
    I64_TRUNC_F64_U(0xB1, "i64.trunc_f64_u", NONE, "F>I"),
    F32_CONVERT_I32_S(0xB2, "f32.convert_i32_s", NONE, "i>f"),
    F32_CONVERT_I32_U(0xB3, "f32.convert_i32_u", NONE, "i>f"),
    F32_CONVERT_I64_S(0xB4, "f32.convert_i64_s", NONE, "I>f"),
    F32_CONVERT_I64_U(0xB5, "f32.convert_i64_u", NONE, "I>f"),
    F32_DEMOTE_F64(0xB6, "f32.demote_f64", NONE, "F>f"),
    F64_CONVERT_I32_S(0xB7, "f64.convert_i32_s", NONE, "i>F"),
    F64_CONVERT_I32_U(0xB8, "f64.convert_i32_u", NONE, "i>F"),
    F64_CONVERT_I64_S(0xB9, "f64.convert_i64_s", NONE, "I>F"),
    F64_CONVERT_I64_U(0xBA, "f64.convert_i64_u", NONE, "I>F"),
    F64_PROMOTE_F32(0xBB, "f64.promote_f32", NONE, "f>F"),
    I32_REINTERPRET_F32(0xBC, "i32.reinterpret_f32", NONE, "f>i"),
    I64_REINTERPRET_F64(0xBD, "i64.reinterpret_f64", NONE, "F>I"),
    F32_REINTERPRET_I32(0xBE, "f32.reinterpret_i32", NONE, "i>f"),
    F64_REINTERPRET_I64(0xBF, "f64.reinterpret_i64", NONE, "I>F"),
    I32_EXTEND8_S(0xC0, "i32.extend8_s", NONE, "i>i"),
    I32_EXTEND16_S(0xC1, "i32.extend16_s", NONE, "i>i"),
    I64_EXTEND8_S(0xC2, "i64.extend8_s", NONE, "I>I"),
    I64_EXTEND16_S(0xC3, "i64.extend16_s", NONE, "I>I"),
    I64_EXTEND32_S(0xC4, "i64.extend32_s", NONE, "I>I"),
    REF_NULL(0xD0, "ref.null", REF_TYPE, null),
    REF_IS_NULL(0xD1, "ref.is_null", NONE, null),
    REF_FUNC(0xD2, "ref.func", FUNC, null),
    REF_EQ(WasmFeature.GC, 0, 0xD3, "ref.eq", NONE),
    REF_AS_NON_NULL(WasmFeature.FUNCTION_REFERENCES, 0, 0xD4, "ref.as_non_null", NONE),
    BR_ON_NULL(WasmFeature.FUNCTION_REFERENCES, 0, 0xD5, "br_on_null", LABEL),
    BR_ON_NON_NULL(WasmFeature.FUNCTION_REFERENCES, 0, 0xD6, "br_on_non_null", LABEL),
    I32_TRUNC_SAT_F32_S(0xFC, 0x00, "i32.trunc_sat_f32_s", NONE, "f>i"),
    I32_TRUNC_SAT_F32_U(0xFC, 0x01, "i32.trunc_sat_f32_u", NONE, "f>i"),
    I32_TRUNC_SAT_F64_S(0xFC, 0x02, "i32.trunc_sat_f64_s", NONE, "F>i"),
    I32_TRUNC_SAT_F64_U(0xFC, 0x03, "i32.trunc_sat_f64_u", NONE, "F>i"),
    I64_TRUNC_SAT_F32_S(0xFC, 0x04, "i64.trunc_sat_f32_s", NONE, "f>I"),
    I64_TRUNC_SAT_F32_U(0xFC, 0x05, "i64.trunc_sat_f32_u", NONE, "f>I"),
    I64_TRUNC_SAT_F64_S(0xFC, 0x06, "i64.trunc_sat_f64_s", NONE, "F>I"),
    I64_TRUNC_SAT_F64_U(0xFC, 0x07, "i64.trunc_sat_f64_u", NONE, "F>I"),
    MEMORY_INIT(0xFC, 0x08, "memory.init", DATA_MEMORY, null),
    DATA_DROP(0xFC, 0x09, "data.drop", DATA, ">"),
    MEMORY_COPY(0xFC, 0x0A, "memory.copy", MEMORY_MEMORY, null),
    MEMORY_FILL(0xFC, 0x0B, "memory.fill", MEMORY, null),
    TABLE_INIT(0xFC, 0x0C, "table.init", ELEM_TABLE, null),
    ELEM_DROP(0xFC, 0x0D, "elem.drop", ELEM, ">"),
    TABLE_COPY(0xFC, 0x0E, "table.copy", TABLE_TABLE, null),
    TABLE_GROW(0xFC, 0x0F, "table.grow", TABLE, null),
    TABLE_SIZE(0xFC, 0x10, "table.size", TABLE, null),
    TABLE_FILL(0xFC, 0x11, "table.fill", TABLE, null),
    // GC (WebAssembly 3.0): the 0xFB prefix. ref.test and ref.cast have a code for each nullability of the target type.
    STRUCT_NEW(WasmFeature.GC, 0xFB, 0x00, "struct.new", TYPE),
    STRUCT_NEW_DEFAULT(WasmFeature.GC, 0xFB, 0x01, "struct.new_default", TYPE),
    STRUCT_GET(WasmFeature.GC, 0xFB, 0x02, "struct.get", TYPE_FIELD),
    STRUCT_GET_S(WasmFeature.GC, 0xFB, 0x03, "struct.get_s", TYPE_FIELD),
    STRUCT_GET_U(WasmFeature.GC, 0xFB, 0x04, "struct.get_u", TYPE_FIELD),
    STRUCT_SET(WasmFeature.GC, 0xFB, 0x05, "struct.set", TYPE_FIELD),
    ARRAY_NEW(WasmFeature.GC, 0xFB, 0x06, "array.new", TYPE),
    ARRAY_NEW_DEFAULT(WasmFeature.GC, 0xFB, 0x07, "array.new_default", TYPE),
    ARRAY_NEW_FIXED(WasmFeature.GC, 0xFB, 0x08, "array.new_fixed", TYPE_COUNT),
    ARRAY_NEW_DATA(WasmFeature.GC, 0xFB, 0x09, "array.new_data", TYPE_DATA),
    ARRAY_NEW_ELEM(WasmFeature.GC, 0xFB, 0x0A, "array.new_elem", TYPE_ELEM),
    ARRAY_GET(WasmFeature.GC, 0xFB, 0x0B, "array.get", TYPE),
    ARRAY_GET_S(WasmFeature.GC, 0xFB, 0x0C, "array.get_s", TYPE),
    ARRAY_GET_U(WasmFeature.GC, 0xFB, 0x0D, "array.get_u", TYPE),
    ARRAY_SET(WasmFeature.GC, 0xFB, 0x0E, "array.set", TYPE),
    ARRAY_LEN(WasmFeature.GC, 0xFB, 0x0F, "array.len", NONE),
    ARRAY_FILL(WasmFeature.GC, 0xFB, 0x10, "array.fill", TYPE),
    ARRAY_COPY(WasmFeature.GC, 0xFB, 0x11, "array.copy", TYPE_TYPE),
    ARRAY_INIT_DATA(WasmFeature.GC, 0xFB, 0x12, "array.init_data", TYPE_DATA),
    ARRAY_INIT_ELEM(WasmFeature.GC, 0xFB, 0x13, "array.init_elem", TYPE_ELEM),
    REF_TEST(WasmFeature.GC, 0xFB, 0x14, "ref.test", HEAP_TYPE),
    REF_TEST_NULL(WasmFeature.GC, 0xFB, 0x15, "ref.test", HEAP_TYPE),
    REF_CAST(WasmFeature.GC, 0xFB, 0x16, "ref.cast", HEAP_TYPE),
    REF_CAST_NULL(WasmFeature.GC, 0xFB, 0x17, "ref.cast", HEAP_TYPE),
    BR_ON_CAST(WasmFeature.GC, 0xFB, 0x18, "br_on_cast", CAST_BRANCH),
    BR_ON_CAST_FAIL(WasmFeature.GC, 0xFB, 0x19, "br_on_cast_fail", CAST_BRANCH),
    ANY_CONVERT_EXTERN(WasmFeature.GC, 0xFB, 0x1A, "any.convert_extern", NONE),
    EXTERN_CONVERT_ANY(WasmFeature.GC, 0xFB, 0x1B, "extern.convert_any", NONE),
    REF_I31(WasmFeature.GC, 0xFB, 0x1C, "ref.i31", NONE),
    I31_GET_S(WasmFeature.GC, 0xFB, 0x1D, "i31.get_s", NONE),
    I31_GET_U(WasmFeature.GC, 0xFB, 0x1E, "i31.get_u", NONE),
    V128_LOAD(0xFD, 0x00, "v128.load", MEMARG, "i>v", 16),
    V128_LOAD8X8_S(0xFD, 0x01, "v128.load8x8_s", MEMARG, "i>v", 8),
    V128_LOAD8X8_U(0xFD, 0x02, "v128.load8x8_u", MEMARG, "i>v", 8),
    V128_LOAD16X4_S(0xFD, 0x03, "v128.load16x4_s", MEMARG, "i>v", 8),
    V128_LOAD16X4_U(0xFD, 0x04, "v128.load16x4_u", MEMARG, "i>v", 8),
    V128_LOAD32X2_S(0xFD, 0x05, "v128.load32x2_s", MEMARG, "i>v", 8),
    V128_LOAD32X2_U(0xFD, 0x06, "v128.load32x2_u", MEMARG, "i>v", 8),
    V128_LOAD8_SPLAT(0xFD, 0x07, "v128.load8_splat", MEMARG, "i>v", 1),
    V128_LOAD16_SPLAT(0xFD, 0x08, "v128.load16_splat", MEMARG, "i>v", 2),
    V128_LOAD32_SPLAT(0xFD, 0x09, "v128.load32_splat", MEMARG, "i>v", 4),
    V128_LOAD64_SPLAT(0xFD, 0x0A, "v128.load64_splat", MEMARG, "i>v", 8),
    V128_STORE(0xFD, 0x0B, "v128.store", MEMARG, "iv>", 16),
    V128_CONST(0xFD, 0x0C, "v128.const", V128, ">v"),
    I8X16_SHUFFLE(0xFD, 0x0D, "i8x16.shuffle", SHUFFLE, "vv>v"),
    I8X16_SWIZZLE(0xFD, 0x0E, "i8x16.swizzle", NONE, "vv>v"),
    I8X16_SPLAT(0xFD, 0x0F, "i8x16.splat", NONE, "i>v"),
    I16X8_SPLAT(0xFD, 0x10, "i16x8.splat", NONE, "i>v"),
    I32X4_SPLAT(0xFD, 0x11, "i32x4.splat", NONE, "i>v"),
    I64X2_SPLAT(0xFD, 0x12, "i64x2.splat", NONE, "I>v"),
    F32X4_SPLAT(0xFD, 0x13, "f32x4.splat", NONE, "f>v"),
    F64X2_SPLAT(0xFD, 0x14, "f64x2.splat", NONE, "F>v"),
    I8X16_EXTRACT_LANE_S(0xFD, 0x15, "i8x16.extract_lane_s", LANE, "v>i"),
    I8X16_EXTRACT_LANE_U(0xFD, 0x16, "i8x16.extract_lane_u", LANE, "v>i"),
    I8X16_REPLACE_LANE(0xFD, 0x17, "i8x16.replace_lane", LANE, "vi>v"),
    I16X8_EXTRACT_LANE_S(0xFD, 0x18, "i16x8.extract_lane_s", LANE, "v>i"),
    I16X8_EXTRACT_LANE_U(0xFD, 0x19, "i16x8.extract_lane_u", LANE, "v>i"),
    I16X8_REPLACE_LANE(0xFD, 0x1A, "i16x8.replace_lane", LANE, "vi>v"),
    I32X4_EXTRACT_LANE(0xFD, 0x1B, "i32x4.extract_lane", LANE, "v>i"),
    I32X4_REPLACE_LANE(0xFD, 0x1C, "i32x4.replace_lane", LANE, "vi>v"),
    I64X2_EXTRACT_LANE(0xFD, 0x1D, "i64x2.extract_lane", LANE, "v>I"),
    I64X2_REPLACE_LANE(0xFD, 0x1E, "i64x2.replace_lane", LANE, "vI>v"),
    F32X4_EXTRACT_LANE(0xFD, 0x1F, "f32x4.extract_lane", LANE, "v>f"),
    F32X4_REPLACE_LANE(0xFD, 0x20, "f32x4.replace_lane", LANE, "vf>v"),
    F64X2_EXTRACT_LANE(0xFD, 0x21, "f64x2.extract_lane", LANE, "v>F"),
    F64X2_REPLACE_LANE(0xFD, 0x22, "f64x2.replace_lane", LANE, "vF>v"),
    I8X16_EQ(0xFD, 0x23, "i8x16.eq", NONE, "vv>v"),
    I8X16_NE(0xFD, 0x24, "i8x16.ne", NONE, "vv>v"),
    I8X16_LT_S(0xFD, 0x25, "i8x16.lt_s", NONE, "vv>v"),
    I8X16_LT_U(0xFD, 0x26, "i8x16.lt_u", NONE, "vv>v"),
    I8X16_GT_S(0xFD, 0x27, "i8x16.gt_s", NONE, "vv>v"),
    I8X16_GT_U(0xFD, 0x28, "i8x16.gt_u", NONE, "vv>v"),
    I8X16_LE_S(0xFD, 0x29, "i8x16.le_s", NONE, "vv>v"),
    I8X16_LE_U(0xFD, 0x2A, "i8x16.le_u", NONE, "vv>v"),
    I8X16_GE_S(0xFD, 0x2B, "i8x16.ge_s", NONE, "vv>v"),
    I8X16_GE_U(0xFD, 0x2C, "i8x16.ge_u", NONE, "vv>v"),
    I16X8_EQ(0xFD, 0x2D, "i16x8.eq", NONE, "vv>v"),
    I16X8_NE(0xFD, 0x2E, "i16x8.ne", NONE, "vv>v"),
    I16X8_LT_S(0xFD, 0x2F, "i16x8.lt_s", NONE, "vv>v"),
    I16X8_LT_U(0xFD, 0x30, "i16x8.lt_u", NONE, "vv>v"),
    I16X8_GT_S(0xFD, 0x31, "i16x8.gt_s", NONE, "vv>v"),
    I16X8_GT_U(0xFD, 0x32, "i16x8.gt_u", NONE, "vv>v"),
    I16X8_LE_S(0xFD, 0x33, "i16x8.le_s", NONE, "vv>v"),
    I16X8_LE_U(0xFD, 0x34, "i16x8.le_u", NONE, "vv>v"),
    I16X8_GE_S(0xFD, 0x35, "i16x8.ge_s", NONE, "vv>v"),
    I16X8_GE_U(0xFD, 0x36, "i16x8.ge_u", NONE, "vv>v"),
    I32X4_EQ(0xFD, 0x37, "i32x4.eq", NONE, "vv>v"),
    I32X4_NE(0xFD, 0x38, "i32x4.ne", NONE, "vv>v"),
    I32X4_LT_S(0xFD, 0x39, "i32x4.lt_s", NONE, "vv>v"),
    I32X4_LT_U(0xFD, 0x3A, "i32x4.lt_u", NONE, "vv>v"),
    I32X4_GT_S(0xFD, 0x3B, "i32x4.gt_s", NONE, "vv>v"),
    I32X4_GT_U(0xFD, 0x3C, "i32x4.gt_u", NONE, "vv>v"),
    I32X4_LE_S(0xFD, 0x3D, "i32x4.le_s", NONE, "vv>v"),
    I32X4_LE_U(0xFD, 0x3E, "i32x4.le_u", NONE, "vv>v"),
    I32X4_GE_S(0xFD, 0x3F, "i32x4.ge_s", NONE, "vv>v"),
    I32X4_GE_U(0xFD, 0x40, "i32x4.ge_u", NONE, "vv>v"),
    F32X4_EQ(0xFD, 0x41, "f32x4.eq", NONE, "vv>v"),
    F32X4_NE(0xFD, 0x42, "f32x4.ne", NONE, "vv>v"),
    F32X4_LT(0xFD, 0x43, "f32x4.lt", NONE, "vv>v"),
    F32X4_GT(0xFD, 0x44, "f32x4.gt", NONE, "vv>v"),
    F32X4_LE(0xFD, 0x45, "f32x4.le", NONE, "vv>v"),
    F32X4_GE(0xFD, 0x46, "f32x4.ge", NONE, "vv>v"),
    F64X2_EQ(0xFD, 0x47, "f64x2.eq", NONE, "vv>v"),
    F64X2_NE(0xFD, 0x48, "f64x2.ne", NONE, "vv>v"),
    F64X2_LT(0xFD, 0x49, "f64x2.lt", NONE, "vv>v"),
    F64X2_GT(0xFD, 0x4A, "f64x2.gt", NONE, "vv>v"),
    F64X2_LE(0xFD, 0x4B, "f64x2.le", NONE, "vv>v"),
    F64X2_GE(0xFD, 0x4C, "f64x2.ge", NONE, "vv>v"),
    V128_NOT(0xFD, 0x4D, "v128.not", NONE, "v>v"),
    V128_AND(0xFD, 0x4E, "v128.and", NONE, "vv>v"),
    V128_ANDNOT(0xFD, 0x4F, "v128.andnot", NONE, "vv>v"),
    V128_OR(0xFD, 0x50, "v128.or", NONE, "vv>v"),
    V128_XOR(0xFD, 0x51, "v128.xor", NONE, "vv>v"),
    V128_BITSELECT(0xFD, 0x52, "v128.bitselect", NONE, "vvv>v"),
    V128_ANY_TRUE(0xFD, 0x53, "v128.any_true", NONE, "v>i"),
    V128_LOAD8_LANE(0xFD, 0x54, "v128.load8_lane", MEMARG_LANE, "iv>v", 1),
    V128_LOAD16_LANE(0xFD, 0x55, "v128.load16_lane", MEMARG_LANE, "iv>v", 2),
    V128_LOAD32_LANE(0xFD, 0x56, "v128.load32_lane", MEMARG_LANE, "iv>v", 4),
    V128_LOAD64_LANE(0xFD, 0x57, "v128.load64_lane", MEMARG_LANE, "iv>v", 8),
    V128_STORE8_LANE(0xFD, 0x58, "v128.store8_lane", MEMARG_LANE, "iv>", 1),
    V128_STORE16_LANE(0xFD, 0x59, "v128.store16_lane", MEMARG_LANE, "iv>", 2),
    V128_STORE32_LANE(0xFD, 0x5A, "v128.store32_lane", MEMARG_LANE, "iv>", 4),
    V128_STORE64_LANE(0xFD, 0x5B, "v128.store64_lane", MEMARG_LANE, "iv>", 8),
    V128_LOAD32_ZERO(0xFD, 0x5C, "v128.load32_zero", MEMARG, "i>v", 4),
    V128_LOAD64_ZERO(0xFD, 0x5D, "v128.load64_zero", MEMARG, "i>v", 8),
    F32X4_DEMOTE_F64X2_ZERO(0xFD, 0x5E, "f32x4.demote_f64x2_zero", NONE, "v>v"),
    F64X2_PROMOTE_LOW_F32X4(0xFD, 0x5F, "f64x2.promote_low_f32x4", NONE, "v>v"),
    I8X16_ABS(0xFD, 0x60, "i8x16.abs", NONE, "v>v"),
    I8X16_NEG(0xFD, 0x61, "i8x16.neg", NONE, "v>v"),
    I8X16_POPCNT(0xFD, 0x62, "i8x16.popcnt", NONE, "v>v"),
    I8X16_ALL_TRUE(0xFD, 0x63, "i8x16.all_true", NONE, "v>i"),
    I8X16_BITMASK(0xFD, 0x64, "i8x16.bitmask", NONE, "v>i"),
    I8X16_NARROW_I16X8_S(0xFD, 0x65, "i8x16.narrow_i16x8_s", NONE, "vv>v"),
    I8X16_NARROW_I16X8_U(0xFD, 0x66, "i8x16.narrow_i16x8_u", NONE, "vv>v"),
    F32X4_CEIL(0xFD, 0x67, "f32x4.ceil", NONE, "v>v"),
    F32X4_FLOOR(0xFD, 0x68, "f32x4.floor", NONE, "v>v"),
    F32X4_TRUNC(0xFD, 0x69, "f32x4.trunc", NONE, "v>v"),
    F32X4_NEAREST(0xFD, 0x6A, "f32x4.nearest", NONE, "v>v"),
    I8X16_SHL(0xFD, 0x6B, "i8x16.shl", NONE, "vi>v"),
    I8X16_SHR_S(0xFD, 0x6C, "i8x16.shr_s", NONE, "vi>v"),
    I8X16_SHR_U(0xFD, 0x6D, "i8x16.shr_u", NONE, "vi>v"),
    I8X16_ADD(0xFD, 0x6E, "i8x16.add", NONE, "vv>v"),
    I8X16_ADD_SAT_S(0xFD, 0x6F, "i8x16.add_sat_s", NONE, "vv>v"),
    I8X16_ADD_SAT_U(0xFD, 0x70, "i8x16.add_sat_u", NONE, "vv>v"),
    I8X16_SUB(0xFD, 0x71, "i8x16.sub", NONE, "vv>v"),
    I8X16_SUB_SAT_S(0xFD, 0x72, "i8x16.sub_sat_s", NONE, "vv>v"),
    I8X16_SUB_SAT_U(0xFD, 0x73, "i8x16.sub_sat_u", NONE, "vv>v"),
    F64X2_CEIL(0xFD, 0x74, "f64x2.ceil", NONE, "v>v"),
    F64X2_FLOOR(0xFD, 0x75, "f64x2.floor", NONE, "v>v"),
    I8X16_MIN_S(0xFD, 0x76, "i8x16.min_s", NONE, "vv>v"),
    I8X16_MIN_U(0xFD, 0x77, "i8x16.min_u", NONE, "vv>v"),
    I8X16_MAX_S(0xFD, 0x78, "i8x16.max_s", NONE, "vv>v"),
    I8X16_MAX_U(0xFD, 0x79, "i8x16.max_u", NONE, "vv>v"),
    F64X2_TRUNC(0xFD, 0x7A, "f64x2.trunc", NONE, "v>v"),
    I8X16_AVGR_U(0xFD, 0x7B, "i8x16.avgr_u", NONE, "vv>v"),
    I16X8_EXTADD_PAIRWISE_I8X16_S(0xFD, 0x7C, "i16x8.extadd_pairwise_i8x16_s", NONE, "v>v"),
    I16X8_EXTADD_PAIRWISE_I8X16_U(0xFD, 0x7D, "i16x8.extadd_pairwise_i8x16_u", NONE, "v>v"),
    I32X4_EXTADD_PAIRWISE_I16X8_S(0xFD, 0x7E, "i32x4.extadd_pairwise_i16x8_s", NONE, "v>v"),
    I32X4_EXTADD_PAIRWISE_I16X8_U(0xFD, 0x7F, "i32x4.extadd_pairwise_i16x8_u", NONE, "v>v"),
    I16X8_ABS(0xFD, 0x80, "i16x8.abs", NONE, "v>v"),
    I16X8_NEG(0xFD, 0x81, "i16x8.neg", NONE, "v>v"),
    I16X8_Q15MULR_SAT_S(0xFD, 0x82, "i16x8.q15mulr_sat_s", NONE, "vv>v"),
    I16X8_ALL_TRUE(0xFD, 0x83, "i16x8.all_true", NONE, "v>i"),
    I16X8_BITMASK(0xFD, 0x84, "i16x8.bitmask", NONE, "v>i"),
    I16X8_NARROW_I32X4_S(0xFD, 0x85, "i16x8.narrow_i32x4_s", NONE, "vv>v"),
    I16X8_NARROW_I32X4_U(0xFD, 0x86, "i16x8.narrow_i32x4_u", NONE, "vv>v"),
    I16X8_EXTEND_LOW_I8X16_S(0xFD, 0x87, "i16x8.extend_low_i8x16_s", NONE, "v>v"),
    I16X8_EXTEND_HIGH_I8X16_S(0xFD, 0x88, "i16x8.extend_high_i8x16_s", NONE, "v>v"),
    I16X8_EXTEND_LOW_I8X16_U(0xFD, 0x89, "i16x8.extend_low_i8x16_u", NONE, "v>v"),
    I16X8_EXTEND_HIGH_I8X16_U(0xFD, 0x8A, "i16x8.extend_high_i8x16_u", NONE, "v>v"),
    I16X8_SHL(0xFD, 0x8B, "i16x8.shl", NONE, "vi>v"),
    I16X8_SHR_S(0xFD, 0x8C, "i16x8.shr_s", NONE, "vi>v"),
    I16X8_SHR_U(0xFD, 0x8D, "i16x8.shr_u", NONE, "vi>v"),
    I16X8_ADD(0xFD, 0x8E, "i16x8.add", NONE, "vv>v"),
    I16X8_ADD_SAT_S(0xFD, 0x8F, "i16x8.add_sat_s", NONE, "vv>v"),
    I16X8_ADD_SAT_U(0xFD, 0x90, "i16x8.add_sat_u", NONE, "vv>v"),
    I16X8_SUB(0xFD, 0x91, "i16x8.sub", NONE, "vv>v"),
    I16X8_SUB_SAT_S(0xFD, 0x92, "i16x8.sub_sat_s", NONE, "vv>v"),
    I16X8_SUB_SAT_U(0xFD, 0x93, "i16x8.sub_sat_u", NONE, "vv>v"),
    F64X2_NEAREST(0xFD, 0x94, "f64x2.nearest", NONE, "v>v"),
    I16X8_MUL(0xFD, 0x95, "i16x8.mul", NONE, "vv>v"),
    I16X8_MIN_S(0xFD, 0x96, "i16x8.min_s", NONE, "vv>v"),
    I16X8_MIN_U(0xFD, 0x97, "i16x8.min_u", NONE, "vv>v"),
    I16X8_MAX_S(0xFD, 0x98, "i16x8.max_s", NONE, "vv>v"),
    I16X8_MAX_U(0xFD, 0x99, "i16x8.max_u", NONE, "vv>v"),
    I16X8_AVGR_U(0xFD, 0x9B, "i16x8.avgr_u", NONE, "vv>v"),
    I16X8_EXTMUL_LOW_I8X16_S(0xFD, 0x9C, "i16x8.extmul_low_i8x16_s", NONE, "vv>v"),
    I16X8_EXTMUL_HIGH_I8X16_S(0xFD, 0x9D, "i16x8.extmul_high_i8x16_s", NONE, "vv>v"),
    I16X8_EXTMUL_LOW_I8X16_U(0xFD, 0x9E, "i16x8.extmul_low_i8x16_u", NONE, "vv>v"),
    I16X8_EXTMUL_HIGH_I8X16_U(0xFD, 0x9F, "i16x8.extmul_high_i8x16_u", NONE, "vv>v"),
    I32X4_ABS(0xFD, 0xA0, "i32x4.abs", NONE, "v>v"),
    I32X4_NEG(0xFD, 0xA1, "i32x4.neg", NONE, "v>v"),
    I32X4_ALL_TRUE(0xFD, 0xA3, "i32x4.all_true", NONE, "v>i"),
    I32X4_BITMASK(0xFD, 0xA4, "i32x4.bitmask", NONE, "v>i"),
    I32X4_EXTEND_LOW_I16X8_S(0xFD, 0xA7, "i32x4.extend_low_i16x8_s", NONE, "v>v"),
    I32X4_EXTEND_HIGH_I16X8_S(0xFD, 0xA8, "i32x4.extend_high_i16x8_s", NONE, "v>v"),
    I32X4_EXTEND_LOW_I16X8_U(0xFD, 0xA9, "i32x4.extend_low_i16x8_u", NONE, "v>v"),
    I32X4_EXTEND_HIGH_I16X8_U(0xFD, 0xAA, "i32x4.extend_high_i16x8_u", NONE, "v>v"),
    I32X4_SHL(0xFD, 0xAB, "i32x4.shl", NONE, "vi>v"),
    I32X4_SHR_S(0xFD, 0xAC, "i32x4.shr_s", NONE, "vi>v"),
    I32X4_SHR_U(0xFD, 0xAD, "i32x4.shr_u", NONE, "vi>v"),
    I32X4_ADD(0xFD, 0xAE, "i32x4.add", NONE, "vv>v"),
    I32X4_SUB(0xFD, 0xB1, "i32x4.sub", NONE, "vv>v"),
    I32X4_MUL(0xFD, 0xB5, "i32x4.mul", NONE, "vv>v"),
    I32X4_MIN_S(0xFD, 0xB6, "i32x4.min_s", NONE, "vv>v"),
    I32X4_MIN_U(0xFD, 0xB7, "i32x4.min_u", NONE, "vv>v"),
    I32X4_MAX_S(0xFD, 0xB8, "i32x4.max_s", NONE, "vv>v"),
    I32X4_MAX_U(0xFD, 0xB9, "i32x4.max_u", NONE, "vv>v"),
    I32X4_DOT_I16X8_S(0xFD, 0xBA, "i32x4.dot_i16x8_s", NONE, "vv>v"),
    I32X4_EXTMUL_LOW_I16X8_S(0xFD, 0xBC, "i32x4.extmul_low_i16x8_s", NONE, "vv>v"),
    I32X4_EXTMUL_HIGH_I16X8_S(0xFD, 0xBD, "i32x4.extmul_high_i16x8_s", NONE, "vv>v"),
    I32X4_EXTMUL_LOW_I16X8_U(0xFD, 0xBE, "i32x4.extmul_low_i16x8_u", NONE, "vv>v"),
    I32X4_EXTMUL_HIGH_I16X8_U(0xFD, 0xBF, "i32x4.extmul_high_i16x8_u", NONE, "vv>v"),
    I64X2_ABS(0xFD, 0xC0, "i64x2.abs", NONE, "v>v"),
    I64X2_NEG(0xFD, 0xC1, "i64x2.neg", NONE, "v>v"),
    I64X2_ALL_TRUE(0xFD, 0xC3, "i64x2.all_true", NONE, "v>i"),
    I64X2_BITMASK(0xFD, 0xC4, "i64x2.bitmask", NONE, "v>i"),
    I64X2_EXTEND_LOW_I32X4_S(0xFD, 0xC7, "i64x2.extend_low_i32x4_s", NONE, "v>v"),
    I64X2_EXTEND_HIGH_I32X4_S(0xFD, 0xC8, "i64x2.extend_high_i32x4_s", NONE, "v>v"),
    I64X2_EXTEND_LOW_I32X4_U(0xFD, 0xC9, "i64x2.extend_low_i32x4_u", NONE, "v>v"),
    I64X2_EXTEND_HIGH_I32X4_U(0xFD, 0xCA, "i64x2.extend_high_i32x4_u", NONE, "v>v"),
    I64X2_SHL(0xFD, 0xCB, "i64x2.shl", NONE, "vi>v"),
    I64X2_SHR_S(0xFD, 0xCC, "i64x2.shr_s", NONE, "vi>v"),
    I64X2_SHR_U(0xFD, 0xCD, "i64x2.shr_u", NONE, "vi>v"),
    I64X2_ADD(0xFD, 0xCE, "i64x2.add", NONE, "vv>v"),
    I64X2_SUB(0xFD, 0xD1, "i64x2.sub", NONE, "vv>v"),
    I64X2_MUL(0xFD, 0xD5, "i64x2.mul", NONE, "vv>v"),
    I64X2_EQ(0xFD, 0xD6, "i64x2.eq", NONE, "vv>v"),
    I64X2_NE(0xFD, 0xD7, "i64x2.ne", NONE, "vv>v"),
    I64X2_LT_S(0xFD, 0xD8, "i64x2.lt_s", NONE, "vv>v"),
    I64X2_GT_S(0xFD, 0xD9, "i64x2.gt_s", NONE, "vv>v"),
    I64X2_LE_S(0xFD, 0xDA, "i64x2.le_s", NONE, "vv>v"),
    I64X2_GE_S(0xFD, 0xDB, "i64x2.ge_s", NONE, "vv>v"),
    I64X2_EXTMUL_LOW_I32X4_S(0xFD, 0xDC, "i64x2.extmul_low_i32x4_s", NONE, "vv>v"),
    I64X2_EXTMUL_HIGH_I32X4_S(0xFD, 0xDD, "i64x2.extmul_high_i32x4_s", NONE, "vv>v"),
    I64X2_EXTMUL_LOW_I32X4_U(0xFD, 0xDE, "i64x2.extmul_low_i32x4_u", NONE, "vv>v"),
    I64X2_EXTMUL_HIGH_I32X4_U(0xFD, 0xDF, "i64x2.extmul_high_i32x4_u", NONE, "vv>v"),
    F32X4_ABS(0xFD, 0xE0, "f32x4.abs", NONE, "v>v"),
    F32X4_NEG(0xFD, 0xE1, "f32x4.neg", NONE, "v>v"),
    F32X4_SQRT(0xFD, 0xE3, "f32x4.sqrt", NONE, "v>v"),
    F32X4_ADD(0xFD, 0xE4, "f32x4.add", NONE, "vv>v"),
    F32X4_SUB(0xFD, 0xE5, "f32x4.sub", NONE, "vv>v"),
    F32X4_MUL(0xFD, 0xE6, "f32x4.mul", NONE, "vv>v"),
    F32X4_DIV(0xFD, 0xE7, "f32x4.div", NONE, "vv>v"),
    F32X4_MIN(0xFD, 0xE8, "f32x4.min", NONE, "vv>v"),
    F32X4_MAX(0xFD, 0xE9, "f32x4.max", NONE, "vv>v"),
    F32X4_PMIN(0xFD, 0xEA, "f32x4.pmin", NONE, "vv>v"),
    F32X4_PMAX(0xFD, 0xEB, "f32x4.pmax", NONE, "vv>v"),
    F64X2_ABS(0xFD, 0xEC, "f64x2.abs", NONE, "v>v"),
    F64X2_NEG(0xFD, 0xED, "f64x2.neg", NONE, "v>v"),
    F64X2_SQRT(0xFD, 0xEF, "f64x2.sqrt", NONE, "v>v"),
    F64X2_ADD(0xFD, 0xF0, "f64x2.add", NONE, "vv>v"),
    F64X2_SUB(0xFD, 0xF1, "f64x2.sub", NONE, "vv>v"),
    F64X2_MUL(0xFD, 0xF2, "f64x2.mul", NONE, "vv>v"),
    F64X2_DIV(0xFD, 0xF3, "f64x2.div", NONE, "vv>v"),
    F64X2_MIN(0xFD, 0xF4, "f64x2.min", NONE, "vv>v"),
    F64X2_MAX(0xFD, 0xF5, "f64x2.max", NONE, "vv>v"),
    F64X2_PMIN(0xFD, 0xF6, "f64x2.pmin", NONE, "vv>v"),
    F64X2_PMAX(0xFD, 0xF7, "f64x2.pmax", NONE, "vv>v"),
    I32X4_TRUNC_SAT_F32X4_S(0xFD, 0xF8, "i32x4.trunc_sat_f32x4_s", NONE, "v>v"),
    I32X4_TRUNC_SAT_F32X4_U(0xFD, 0xF9, "i32x4.trunc_sat_f32x4_u", NONE, "v>v"),
    F32X4_CONVERT_I32X4_S(0xFD, 0xFA, "f32x4.convert_i32x4_s", NONE, "v>v"),
    F32X4_CONVERT_I32X4_U(0xFD, 0xFB, "f32x4.convert_i32x4_u", NONE, "v>v"),
    I32X4_TRUNC_SAT_F64X2_S_ZERO(0xFD, 0xFC, "i32x4.trunc_sat_f64x2_s_zero", NONE, "v>v"),
    I32X4_TRUNC_SAT_F64X2_U_ZERO(0xFD, 0xFD, "i32x4.trunc_sat_f64x2_u_zero", NONE, "v>v"),
    F64X2_CONVERT_LOW_I32X4_S(0xFD, 0xFE, "f64x2.convert_low_i32x4_s", NONE, "v>v"),
    F64X2_CONVERT_LOW_I32X4_U(0xFD, 0xFF, "f64x2.convert_low_i32x4_u", NONE, "v>v"),
    // Relaxed SIMD (WebAssembly 3.0). kiln gives each the result of the spec's deterministic profile.
    I8X16_RELAXED_SWIZZLE(0xFD, 0x100, "i8x16.relaxed_swizzle", NONE, "vv>v"),
    I32X4_RELAXED_TRUNC_F32X4_S(0xFD, 0x101, "i32x4.relaxed_trunc_f32x4_s", NONE, "v>v"),
    I32X4_RELAXED_TRUNC_F32X4_U(0xFD, 0x102, "i32x4.relaxed_trunc_f32x4_u", NONE, "v>v"),
    I32X4_RELAXED_TRUNC_F64X2_S_ZERO(0xFD, 0x103, "i32x4.relaxed_trunc_f64x2_s_zero", NONE, "v>v"),
    I32X4_RELAXED_TRUNC_F64X2_U_ZERO(0xFD, 0x104, "i32x4.relaxed_trunc_f64x2_u_zero", NONE, "v>v"),
    F32X4_RELAXED_MADD(0xFD, 0x105, "f32x4.relaxed_madd", NONE, "vvv>v"),
    F32X4_RELAXED_NMADD(0xFD, 0x106, "f32x4.relaxed_nmadd", NONE, "vvv>v"),
    F64X2_RELAXED_MADD(0xFD, 0x107, "f64x2.relaxed_madd", NONE, "vvv>v"),
    F64X2_RELAXED_NMADD(0xFD, 0x108, "f64x2.relaxed_nmadd", NONE, "vvv>v"),
    I8X16_RELAXED_LANESELECT(0xFD, 0x109, "i8x16.relaxed_laneselect", NONE, "vvv>v"),
    I16X8_RELAXED_LANESELECT(0xFD, 0x10A, "i16x8.relaxed_laneselect", NONE, "vvv>v"),
    I32X4_RELAXED_LANESELECT(0xFD, 0x10B, "i32x4.relaxed_laneselect", NONE, "vvv>v"),
    I64X2_RELAXED_LANESELECT(0xFD, 0x10C, "i64x2.relaxed_laneselect", NONE, "vvv>v"),
    F32X4_RELAXED_MIN(0xFD, 0x10D, "f32x4.relaxed_min", NONE, "vv>v"),
    F32X4_RELAXED_MAX(0xFD, 0x10E, "f32x4.relaxed_max", NONE, "vv>v"),
    F64X2_RELAXED_MIN(0xFD, 0x10F, "f64x2.relaxed_min", NONE, "vv>v"),
    F64X2_RELAXED_MAX(0xFD, 0x110, "f64x2.relaxed_max", NONE, "vv>v"),
    I16X8_RELAXED_Q15MULR_S(0xFD, 0x111, "i16x8.relaxed_q15mulr_s", NONE, "vv>v"),
    I16X8_RELAXED_DOT_I8X16_I7X16_S(0xFD, 0x112, "i16x8.relaxed_dot_i8x16_i7x16_s", NONE, "vv>v"),
    I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S(0xFD, 0x113, "i32x4.relaxed_dot_i8x16_i7x16_add_s", NONE, "vvv>v");

    /** Prefix byte for saturating truncation, bulk memory and table instructions. */
    public static final int PREFIX_FC = 0xFC;
    /** Prefix byte for SIMD instructions. */
    public static final int PREFIX_FD = 0xFD;
    /** Prefix byte for GC instructions (WebAssembly 3.0). */
    public static final int PREFIX_FB = 0xFB;

    private static final Opcode[] CORE = new Opcode[256];
    private static final Opcode[] MISC = new Opcode[32];
    private static final Opcode[] SIMD = new Opcode[0x114];
    private static final Opcode[] GC = new Opcode[32];
    static {
        for (Opcode op : values()) {
            Opcode[] table = switch (op.prefix) {
                case 0 -> CORE;
                case PREFIX_FC -> MISC;
                case PREFIX_FB -> GC;
                default -> SIMD;
            };
            if (table[op.code] != null) throw new AssertionError("duplicate opcode " + op);
            table[op.code] = op;
        }
    }

    /** 0 for single-byte opcodes, else {@link #PREFIX_FC}, {@link #PREFIX_FD} or {@link #PREFIX_FB}. */
    public final int prefix;
    /** The opcode byte, or the u32 sub-opcode after a prefix. */
    public final int code;
    public final String mnemonic;
    public final Immediate immediate;
    /** Parameter types, or null when the signature is not fixed. */
    private final ValType[] params;
    /** Result types, or null when the signature is not fixed. */
    private final ValType[] results;
    /** Bytes accessed in memory (1, 2, 4, 8, 16), or 0 for non-memory instructions. */
    public final int memoryBytes;
    /** The proposal the instruction belongs to ({@link WasmFeature#BASE} for WebAssembly 2.0 without SIMD). */
    public final WasmFeature feature;

    Opcode(int code, String mnemonic, Immediate immediate, String signature) {
        this(0, code, mnemonic, immediate, signature, 0);
    }

    Opcode(int code, String mnemonic, Immediate immediate, String signature, int memoryBytes) {
        this(0, code, mnemonic, immediate, signature, memoryBytes);
    }

    Opcode(int prefix, int code, String mnemonic, Immediate immediate, String signature) {
        this(prefix, code, mnemonic, immediate, signature, 0);
    }

    /** A WebAssembly 3.0 instruction whose typing the validator decides case by case. */
    Opcode(WasmFeature feature, int prefix, int code, String mnemonic, Immediate immediate) {
        this(prefix, code, mnemonic, immediate, null, 0, feature);
    }

    Opcode(int prefix, int code, String mnemonic, Immediate immediate, String signature, int memoryBytes) {
        this(prefix, code, mnemonic, immediate, signature, memoryBytes,
                prefix != PREFIX_FD ? WasmFeature.BASE : code >= 0x100 ? WasmFeature.RELAXED_SIMD : WasmFeature.SIMD);
    }

    Opcode(int prefix, int code, String mnemonic, Immediate immediate, String signature, int memoryBytes, WasmFeature feature) {
        this.feature = feature;
        this.prefix = prefix;
        this.code = code;
        this.mnemonic = mnemonic;
        this.immediate = immediate;
        this.memoryBytes = memoryBytes;
        if (signature == null) {
            this.params = null;
            this.results = null;
        } else {
            int arrow = signature.indexOf('>');
            this.params = parseTypes(signature.substring(0, arrow));
            this.results = parseTypes(signature.substring(arrow + 1));
        }
    }

    private static ValType[] parseTypes(String letters) {
        ValType[] types = new ValType[letters.length()];
        for (int i = 0; i < types.length; i++) {
            types[i] = switch (letters.charAt(i)) {
                case 'i' -> ValType.I32;
                case 'I' -> ValType.I64;
                case 'f' -> ValType.F32;
                case 'F' -> ValType.F64;
                case 'v' -> ValType.V128;
                default -> throw new IllegalArgumentException(letters);
            };
        }
        return types;
    }

    /** The single-byte instruction with this code, or null when the byte is not an opcode. */
    public static Opcode core(int code) {
        return code >= 0 && code < 256 ? CORE[code] : null;
    }

    /** The instruction with this prefix and sub-opcode, or null when there is none. */
    public static Opcode prefixed(int prefix, long subOpcode) {
        Opcode[] table = prefix == PREFIX_FC ? MISC : prefix == PREFIX_FD ? SIMD : prefix == PREFIX_FB ? GC : null;
        if (table == null || subOpcode < 0 || subOpcode >= table.length) return null;
        return table[(int) subOpcode];
    }

    /** True when the instruction's stack effect is given by {@link #params()} and {@link #results()}. */
    public boolean hasFixedSignature() {
        return params != null;
    }

    public int paramCount() {
        return params.length;
    }

    public ValType param(int i) {
        return params[i];
    }

    public int resultCount() {
        return results.length;
    }

    public ValType result(int i) {
        return results[i];
    }

    /** log2 of the natural alignment of a memory access; the memarg alignment may not exceed it. */
    public int naturalAlignmentLog2() {
        return Integer.numberOfTrailingZeros(memoryBytes);
    }

    /**
     * Number of lanes addressable by a lane immediate: the lane count of the shape that prefixes
     * the mnemonic for extract/replace, or 16 / access width for load/store lane.
     */
    public int laneCount() {
        if (immediate == MEMARG_LANE) return 16 / memoryBytes;
        if (immediate == SHUFFLE) return 32;
        String shape = mnemonic.substring(0, mnemonic.indexOf('.'));
        return Integer.parseInt(shape.substring(shape.indexOf('x') + 1));
    }

    /** Instructions allowed in constant expressions (WebAssembly 3.0: extended constants and the allocating GC instructions included). */
    public boolean isConstant() {
        return switch (this) {
            case I32_CONST, I64_CONST, F32_CONST, F64_CONST, V128_CONST, REF_NULL, REF_FUNC, GLOBAL_GET,
                 I32_ADD, I32_SUB, I32_MUL, I64_ADD, I64_SUB, I64_MUL,
                 STRUCT_NEW, STRUCT_NEW_DEFAULT, ARRAY_NEW, ARRAY_NEW_DEFAULT, ARRAY_NEW_FIXED,
                 REF_I31, ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY -> true;
            default -> false;
        };
    }

    /**
     * True for memory accesses (loads and stores, SIMD included): their first operand is an address
     * of the memory's index type (i32, or i64 for a 64-bit memory), which the signature writes as i32.
     */
    public boolean isMemoryAccess() {
        return immediate == MEMARG || immediate == MEMARG_LANE;
    }

    /** True for the SIMD (0xFD-prefixed) instructions. */
    public boolean isSimd() {
        return prefix == PREFIX_FD;
    }

    @Override
    public String toString() {
        return mnemonic;
    }
}
