package dev.kiln.interpreter;

/**
 * The interpreter's instruction set: each instruction is an opcode followed by its operands in the
 * {@code int[]} code array. Operands are frame slots (added to the frame pointer), branch targets
 * (absolute code positions), or immediates. This class is the one definition of the opcodes,
 * their lengths and names; {@link FunctionCompiler} emits them and {@link Interpreter} runs them.
 */
public final class Op {
    public static final int NOP = 0;  // nothing
    public static final int MOV = 1;  // d s: copy a slot
    public static final int JMP = 2;  // t: jump
    public static final int BR_IF = 3;  // c t: jump when c != 0
    public static final int BR_UNLESS = 4;  // c t: jump when c == 0
    public static final int BR_TABLE = 5;  // i n t0..tn-1 default
    public static final int RETURN = 6;  // n s0..sn-1
    public static final int TRAP = 7;  // kind wasmOffset
    public static final int CALL = 8;  // func nargs nres args... results...
    public static final int CALL_INDIRECT = 9;  // type table nargs nres args... index results...
    public static final int GENERIC1 = 10;  // opcodeOrdinal d a: any unary scalar op through Numerics
    public static final int GENERIC2 = 11;  // opcodeOrdinal d a b: any binary scalar op through Numerics
    public static final int SELECT = 12;  // d a b c
    public static final int I32_ADD = 13;  // d a b
    public static final int I32_SUB = 14;
    public static final int I32_MUL = 15;
    public static final int I32_AND = 16;
    public static final int I32_OR = 17;
    public static final int I32_XOR = 18;
    public static final int I32_SHL = 19;
    public static final int I32_SHR_S = 20;
    public static final int I32_SHR_U = 21;
    public static final int I32_ROTL = 22;
    public static final int I32_ROTR = 23;
    public static final int I32_DIV_S = 24;
    public static final int I32_DIV_U = 25;
    public static final int I32_REM_S = 26;
    public static final int I32_REM_U = 27;
    public static final int I32_EQ = 28;
    public static final int I32_NE = 29;
    public static final int I32_LT_S = 30;
    public static final int I32_LT_U = 31;
    public static final int I32_GT_S = 32;
    public static final int I32_GT_U = 33;
    public static final int I32_LE_S = 34;
    public static final int I32_LE_U = 35;
    public static final int I32_GE_S = 36;
    public static final int I32_GE_U = 37;
    public static final int I32_EQZ = 38;  // d a
    public static final int I32_CLZ = 39;
    public static final int I32_CTZ = 40;
    public static final int I32_POPCNT = 41;
    public static final int I64_ADD = 42;
    public static final int I64_SUB = 43;
    public static final int I64_MUL = 44;
    public static final int I64_AND = 45;
    public static final int I64_OR = 46;
    public static final int I64_XOR = 47;
    public static final int I64_SHL = 48;
    public static final int I64_SHR_S = 49;
    public static final int I64_SHR_U = 50;
    public static final int I64_ROTL = 51;
    public static final int I64_ROTR = 52;
    public static final int I64_DIV_S = 53;
    public static final int I64_DIV_U = 54;
    public static final int I64_REM_S = 55;
    public static final int I64_REM_U = 56;
    public static final int I64_EQ = 57;
    public static final int I64_NE = 58;
    public static final int I64_LT_S = 59;
    public static final int I64_LT_U = 60;
    public static final int I64_GT_S = 61;
    public static final int I64_GT_U = 62;
    public static final int I64_LE_S = 63;
    public static final int I64_LE_U = 64;
    public static final int I64_GE_S = 65;
    public static final int I64_GE_U = 66;
    public static final int I64_EQZ = 67;
    public static final int I64_CLZ = 68;
    public static final int I64_CTZ = 69;
    public static final int I64_POPCNT = 70;
    public static final int I32_WRAP_I64 = 71;
    public static final int I64_EXTEND_I32_S = 72;
    public static final int I64_EXTEND_I32_U = 73;
    public static final int F32_ADD = 74;
    public static final int F32_SUB = 75;
    public static final int F32_MUL = 76;
    public static final int F32_DIV = 77;
    public static final int F32_EQ = 78;
    public static final int F32_NE = 79;
    public static final int F32_LT = 80;
    public static final int F32_GT = 81;
    public static final int F32_LE = 82;
    public static final int F32_GE = 83;
    public static final int F64_ADD = 84;
    public static final int F64_SUB = 85;
    public static final int F64_MUL = 86;
    public static final int F64_DIV = 87;
    public static final int F64_EQ = 88;
    public static final int F64_NE = 89;
    public static final int F64_LT = 90;
    public static final int F64_GT = 91;
    public static final int F64_LE = 92;
    public static final int F64_GE = 93;
    public static final int F32_NEG = 94;
    public static final int F64_NEG = 95;
    public static final int F32_ABS = 96;
    public static final int F64_ABS = 97;
    public static final int F64_CONVERT_I32_S = 98;
    public static final int F64_PROMOTE_F32 = 99;
    public static final int BR_I32_EQ = 100;  // a b t: fused compare-and-branch
    public static final int BR_I32_NE = 101;
    public static final int BR_I32_LT_S = 102;
    public static final int BR_I32_LT_U = 103;
    public static final int BR_I32_GT_S = 104;
    public static final int BR_I32_GT_U = 105;
    public static final int BR_I32_LE_S = 106;
    public static final int BR_I32_LE_U = 107;
    public static final int BR_I32_GE_S = 108;
    public static final int BR_I32_GE_U = 109;
    public static final int LOAD_I32 = 110;  // d addr offset
    public static final int LOAD_I64 = 111;
    public static final int LOAD_I8_S = 112;
    public static final int LOAD_I8_U = 113;
    public static final int LOAD_I16_S = 114;
    public static final int LOAD_I16_U = 115;
    public static final int LOAD_U32 = 116;
    public static final int STORE_I32 = 117;  // addr value offset
    public static final int STORE_I64 = 118;
    public static final int STORE_I8 = 119;
    public static final int STORE_I16 = 120;
    public static final int GLOBAL_GET_32 = 121;  // d global
    public static final int GLOBAL_GET_64 = 122;
    public static final int GLOBAL_SET_32 = 123;  // global s
    public static final int GLOBAL_SET_64 = 124;
    public static final int REF_IS_NULL = 125;  // d a
    public static final int REF_FUNC = 126;  // d func
    public static final int MEMORY_SIZE = 127;  // d
    public static final int MEMORY_GROW = 128;  // d n
    public static final int MEMORY_FILL = 129;  // d v n
    public static final int MEMORY_COPY = 130;  // d s n
    public static final int MEMORY_INIT = 131;  // seg d s n
    public static final int DATA_DROP = 132;  // seg
    public static final int TABLE_GET = 133;  // d table i
    public static final int TABLE_SET = 134;  // table i v
    public static final int TABLE_SIZE = 135;  // d table
    public static final int TABLE_GROW = 136;  // d table v n
    public static final int TABLE_FILL = 137;  // table i v n
    public static final int TABLE_COPY = 138;  // dt st d s n
    public static final int TABLE_INIT = 139;  // seg table d s n
    public static final int ELEM_DROP = 140;  // seg
    // SIMD (run by SimdExecution): a v128 operand or result names the first of its two slots
    public static final int V128_SELECT = 141;  // d a b c
    public static final int GLOBAL_GET_128 = 142;  // d global
    public static final int GLOBAL_SET_128 = 143;  // global s
    public static final int SIMD = 144;  // opcodeOrdinal d a b c: any SIMD op on values without immediates
    public static final int SIMD_LANE = 145;  // opcodeOrdinal d a b lane: extract_lane, replace_lane
    public static final int SIMD_SHUFFLE = 146;  // d a b pattern0 pattern1 pattern2 pattern3 (4 bytes each)
    public static final int V128_LOAD = 147;  // opcodeOrdinal d addr offset: load, load_extend, load_splat, load_zero
    public static final int V128_LOAD_LANE = 148;  // opcodeOrdinal d addr v offset lane
    public static final int V128_STORE = 149;  // addr v offset
    public static final int V128_STORE_LANE = 150;  // opcodeOrdinal addr v offset lane

    /** Number of opcodes. */
    public static final int COUNT = 151;

    /** Length in ints (opcode included) of fixed-length instructions; -1 for variable-length ones. */
    private static final int[] LENGTH = {1, 3, 2, 3, 3, -1, -1, 3, -1, -1, 4, 5, 5, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 2, 3, 4, 4, 5, 2, 4, 4, 3, 5, 5, 6, 6, 2, 5, 3, 3, 6, 6, 8, 5, 7, 4, 6};

    private static final String[] NAME = {"NOP", "MOV", "JMP", "BR_IF", "BR_UNLESS", "BR_TABLE", "RETURN", "TRAP", "CALL", "CALL_INDIRECT", "GENERIC1", "GENERIC2", "SELECT", "I32_ADD", "I32_SUB", "I32_MUL", "I32_AND", "I32_OR", "I32_XOR", "I32_SHL", "I32_SHR_S", "I32_SHR_U", "I32_ROTL", "I32_ROTR", "I32_DIV_S", "I32_DIV_U", "I32_REM_S", "I32_REM_U", "I32_EQ", "I32_NE", "I32_LT_S", "I32_LT_U", "I32_GT_S", "I32_GT_U", "I32_LE_S", "I32_LE_U", "I32_GE_S", "I32_GE_U", "I32_EQZ", "I32_CLZ", "I32_CTZ", "I32_POPCNT", "I64_ADD", "I64_SUB", "I64_MUL", "I64_AND", "I64_OR", "I64_XOR", "I64_SHL", "I64_SHR_S", "I64_SHR_U", "I64_ROTL", "I64_ROTR", "I64_DIV_S", "I64_DIV_U", "I64_REM_S", "I64_REM_U", "I64_EQ", "I64_NE", "I64_LT_S", "I64_LT_U", "I64_GT_S", "I64_GT_U", "I64_LE_S", "I64_LE_U", "I64_GE_S", "I64_GE_U", "I64_EQZ", "I64_CLZ", "I64_CTZ", "I64_POPCNT", "I32_WRAP_I64", "I64_EXTEND_I32_S", "I64_EXTEND_I32_U", "F32_ADD", "F32_SUB", "F32_MUL", "F32_DIV", "F32_EQ", "F32_NE", "F32_LT", "F32_GT", "F32_LE", "F32_GE", "F64_ADD", "F64_SUB", "F64_MUL", "F64_DIV", "F64_EQ", "F64_NE", "F64_LT", "F64_GT", "F64_LE", "F64_GE", "F32_NEG", "F64_NEG", "F32_ABS", "F64_ABS", "F64_CONVERT_I32_S", "F64_PROMOTE_F32", "BR_I32_EQ", "BR_I32_NE", "BR_I32_LT_S", "BR_I32_LT_U", "BR_I32_GT_S", "BR_I32_GT_U", "BR_I32_LE_S", "BR_I32_LE_U", "BR_I32_GE_S", "BR_I32_GE_U", "LOAD_I32", "LOAD_I64", "LOAD_I8_S", "LOAD_I8_U", "LOAD_I16_S", "LOAD_I16_U", "LOAD_U32", "STORE_I32", "STORE_I64", "STORE_I8", "STORE_I16", "GLOBAL_GET_32", "GLOBAL_GET_64", "GLOBAL_SET_32", "GLOBAL_SET_64", "REF_IS_NULL", "REF_FUNC", "MEMORY_SIZE", "MEMORY_GROW", "MEMORY_FILL", "MEMORY_COPY", "MEMORY_INIT", "DATA_DROP", "TABLE_GET", "TABLE_SET", "TABLE_SIZE", "TABLE_GROW", "TABLE_FILL", "TABLE_COPY", "TABLE_INIT", "ELEM_DROP", "V128_SELECT", "GLOBAL_GET_128", "GLOBAL_SET_128", "SIMD", "SIMD_LANE", "SIMD_SHUFFLE", "V128_LOAD", "V128_LOAD_LANE", "V128_STORE", "V128_STORE_LANE"};

    private Op() {
    }

    public static int length(int op) {
        return LENGTH[op];
    }

    public static String name(int op) {
        return NAME[op];
    }
}
