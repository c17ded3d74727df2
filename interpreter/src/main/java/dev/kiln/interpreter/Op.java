package dev.kiln.interpreter;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * The interpreter's instruction set: each instruction is an opcode followed by its operands in the
 * {@code int[]} code array. Operands are frame slots (added to the frame pointer), branch targets
 * (absolute code positions), or immediates. This class is the one definition of the opcodes, their
 * lengths and names; {@link FunctionCompiler} emits them and {@link Interpreter} runs them.
 *
 * <p>Opcodes are grouped in <em>families</em> of 256 ({@link Families}): family {@link Families#CORE}
 * runs inline in {@link Interpreter}'s dispatch loop, every other family in a method of its own that
 * the loop reaches through its {@code default} branch.
 */
public final class Op {
    // ---- family CORE: run inline in the dispatch loop ----
    public static final int MOV = 0;  // d s
    public static final int JMP = 1;  // t
    public static final int BR_AND_NZ = 2;  // a imm t: jump when a & imm != 0 (i32; a branch on c alone is BR_I32_NE_IMM c 0)
    public static final int BR_AND_Z = 3;  // a imm t: jump when a & imm == 0
    public static final int BR_TABLE = 4;  // i n t0..tn-1 default
    public static final int RETURN = 5;  // n s0..sn-1
    public static final int CALL = 6;  // func nargs nres args... results...
    public static final int SELECT = 7;  // d a b c
    public static final int CONST = 8;  // d imm: an int constant, sign-extended into the slot
    public static final int MOV2 = 9;  // d1 s1 d2 s2: two moves (block parameters)
    // fused i32 compare-and-branch, slot against slot: a b t (GT/GE: the operands swapped)
    public static final int BR_I32_EQ = 10;
    public static final int BR_I32_NE = 11;
    public static final int BR_I32_LT_S = 12;
    public static final int BR_I32_LT_U = 13;
    public static final int BR_I32_LE_S = 14;
    public static final int BR_I32_LE_U = 15;
    // fused i32 compare-and-branch, slot against an immediate: a imm t (LE/GE: as LT/GT with imm +- 1)
    public static final int BR_I32_EQ_IMM = 16;
    public static final int BR_I32_NE_IMM = 17;
    public static final int BR_I32_LT_S_IMM = 18;
    public static final int BR_I32_LT_U_IMM = 19;
    public static final int BR_I32_GT_S_IMM = 20;
    public static final int BR_I32_GT_U_IMM = 21;
    // i32, slot op slot: d a b (GT/GE: the operands swapped)
    public static final int I32_ADD = 22;
    public static final int I32_SUB = 23;
    public static final int I32_MUL = 24;
    public static final int I32_AND = 25;
    public static final int I32_OR = 26;
    public static final int I32_XOR = 27;
    public static final int I32_SHL = 28;
    public static final int I32_SHR_S = 29;
    public static final int I32_SHR_U = 30;
    // 31: free (I32_EQ moved to IntegerOps)
    public static final int MOV_JMP = 32;  // d s t: a MOV, then a JMP to t (a block's last parameter move and its jump)
    // 33: free (I32_LT_S moved to IntegerOps)
    public static final int CONST_JMP = 34;  // d imm t: a CONST, then a JMP to t
    // 35, 36: free (I32_LE_S and I32_LE_U moved to IntegerOps: a comparison that only feeds a branch is fused into it)
    public static final int I32_EQZ = 37;  // d a (unused): every value-computing CORE instruction has length 4
    // i32, slot op immediate: d a imm (LE/GE: as LT/GT with imm +- 1)
    public static final int I32_ADD_IMM = 38;
    public static final int I32_MUL_IMM = 39;
    public static final int I32_AND_IMM = 40;
    public static final int I32_OR_IMM = 41;
    public static final int I32_XOR_IMM = 42;
    public static final int I32_SHL_IMM = 43;
    public static final int I32_SHR_S_IMM = 44;
    public static final int I32_SHR_U_IMM = 45;
    public static final int I32_EQ_IMM = 46;
    public static final int I32_NE_IMM = 47;
    public static final int I32_LT_S_IMM = 48;
    public static final int I32_LT_U_IMM = 49;
    public static final int I32_GT_S_IMM = 50;
    public static final int I32_GT_U_IMM = 51;
    // i64: d a b
    public static final int I64_ADD = 52;
    public static final int I64_SUB = 53;
    public static final int I64_MUL = 54;
    public static final int I64_AND = 55;
    public static final int I64_OR = 56;
    public static final int I64_XOR = 57;
    public static final int I64_SHL = 58;
    // 59: free (I64_SHR_S moved to IntegerOps)
    public static final int I64_SHR_U = 60;
    public static final int I64_EQ = 61;
    // 62: free (I64_NE moved to IntegerOps)
    public static final int I64_LT_S = 63;
    // 64-66: free (I64_LT_U, I64_LE_S and I64_LE_U moved to IntegerOps)
    public static final int I64_EQZ = 67;  // d a (unused)
    // i64, slot op immediate (the int immediate, sign-extended): d a imm
    public static final int I64_ADD_IMM = 68;
    public static final int I64_AND_IMM = 69;
    public static final int I64_SHL_IMM = 70;
    public static final int I64_SHR_U_IMM = 71;
    // conversions: d a (unused)
    public static final int I32_WRAP_I64 = 72;
    public static final int I64_EXTEND_I32_S = 73;
    public static final int I64_EXTEND_I32_U = 74;
    // f64 and f32 arithmetic: d a b (f64 GT/GE: LT/LE with the operands swapped)
    public static final int F64_ADD = 75;
    public static final int F64_SUB = 76;
    public static final int F64_MUL = 77;
    public static final int F64_DIV = 78;
    // 79-85: free (the f64 comparisons with a result and f32 arithmetic moved to FloatOps for the fused f64 branches)
    // memory 0: loads d addr offset, stores value addr offset
    public static final int LOAD_I32 = 86;
    public static final int LOAD_I64 = 87;
    public static final int LOAD_I8_S = 88;
    public static final int LOAD_I8_U = 89;
    public static final int LOAD_I16_U = 90;
    public static final int GLOBAL_GET_32 = 91;  // d global (unused)
    public static final int STORE_I32 = 92;
    public static final int STORE_I64 = 93;
    public static final int STORE_I8 = 94;
    public static final int STORE_I16 = 95;
    public static final int GLOBAL_SET_32 = 96;  // global s
    // superinstructions, chosen from measured instruction-pair counts (bench/README.md)
    public static final int ADD_IMM_LOAD_I32 = 97;  // d1 a k d2 offset: d1 = a + k (i32); d2 = i32 load at d1 + offset
    public static final int ADD_IMM_LOAD_I64 = 98;  // d1 a k d2 offset: d1 = a + k (i32); d2 = i64 load at d1 + offset
    public static final int LOAD_I64_MUL_F64 = 99;  // d1 addr offset d2 b: d1 = 64-bit load; d2 = d1 * b (f64)
    public static final int F64_MUL_ADD = 100;  // d1 a b d2 c: d1 = a * b; d2 = d1 + c (f64, rounded twice)
    public static final int ADD_IMM_STORE_I8 = 101;  // d1 a k v offset: d1 = a + k (i32); store the low byte of v at d1 + offset
    public static final int ADD_IMM_STORE_I32 = 102;  // d1 a k v offset: d1 = a + k (i32); store v (32 bits) at d1 + offset
    public static final int ADD_IMM_BR_NE_IMM = 103;  // d a k imm target: d = a + k (i32); branch to target if d != imm
    public static final int ADD_BR_LT_U_IMM = 104;  // d a b imm target: d = a + b (i32); branch to target if d < imm (unsigned)
    public static final int ADD_IMM_BR_EQ_IMM = 105;  // d a k imm target: d = a + k (i32); branch to target if d == imm
    public static final int ADD_IMM_LOAD_I8_U = 106;  // d1 a k d2 offset: d1 = a + k (i32); d2 = zero-extended byte at d1 + offset
    // fused f64 compare-and-branch: a b t (GT/GE: the operands swapped; NOT_: taken when the comparison is false, NaN included)
    public static final int BR_F64_LT = 107;
    public static final int BR_F64_NOT_LT = 108;
    public static final int BR_F64_LE = 109;
    public static final int BR_F64_NOT_LE = 110;
    public static final int F64_MUL_MUL = 111;  // d1 a b d2 c: d1 = a * b; d2 = d1 * c (f64)

    // ---- family INT (IntegerOps): rarer integer instructions; d a [b] ----
    public static final int I32_DIV_S = 0x100;
    public static final int I32_DIV_U = 0x101;
    public static final int I32_REM_S = 0x102;
    public static final int I32_REM_U = 0x103;
    public static final int I32_ROTL = 0x104;
    public static final int I32_ROTR = 0x105;
    public static final int I32_CLZ = 0x106;
    public static final int I32_CTZ = 0x107;
    public static final int I32_POPCNT = 0x108;
    public static final int I64_SHR_S_IMM = 0x109;
    // comparisons with a result (rare: most only feed a branch and are fused with it) and a rare shift: d a b
    public static final int I32_NE = 0x10A;
    public static final int I32_LT_U = 0x10B;
    public static final int I32_LE_S = 0x10C;
    public static final int I32_LE_U = 0x116;
    public static final int I64_SHR_S = 0x117;
    public static final int I64_DIV_S = 0x10D;
    public static final int I64_DIV_U = 0x10E;
    public static final int I64_REM_S = 0x10F;
    public static final int I64_REM_U = 0x110;
    public static final int I64_ROTL = 0x111;
    public static final int I64_ROTR = 0x112;
    public static final int I64_CLZ = 0x113;
    public static final int I64_CTZ = 0x114;
    public static final int I64_POPCNT = 0x115;
    public static final int I64_MUL_IMM = 0x11A;
    public static final int I64_OR_IMM = 0x11B;
    public static final int I64_XOR_IMM = 0x11C;
    /** opcodeOrdinal d a: any unary scalar operation, through {@link dev.kiln.ir.Numerics}. */
    public static final int GENERIC1 = 0x11D;
    /** opcodeOrdinal d a b: any binary scalar operation, through {@link dev.kiln.ir.Numerics}. */
    public static final int GENERIC2 = 0x11E;
    // out of the loop to leave it room for superinstructions (a comparison that only feeds a branch is fused with it)
    public static final int I32_EQ = 0x11F;
    public static final int I32_LT_S = 0x120;
    public static final int I64_NE = 0x121;
    public static final int I64_LT_U = 0x122;
    public static final int I64_LE_S = 0x123;
    public static final int I64_LE_U = 0x124;

    // ---- family FLOAT (FloatOps): rarer float instructions; d a [b] ----
    public static final int F32_EQ = 0x200;
    public static final int F32_NE = 0x201;
    public static final int F32_LT = 0x202;  // (F32 GT/GE: LT/LE with the operands swapped)
    public static final int F32_LE = 0x204;
    public static final int F32_NEG = 0x206;
    public static final int F64_NEG = 0x207;
    public static final int F32_ABS = 0x208;
    public static final int F64_ABS = 0x209;
    public static final int F64_SQRT = 0x20A;
    public static final int F32_SQRT = 0x20B;
    public static final int F64_CONVERT_I32_S = 0x20C;
    public static final int F64_PROMOTE_F32 = 0x20D;
    public static final int F32_DIV = 0x20E;  // out of the loop to leave it room for superinstructions
    // out of the loop to leave it room for the fused f64 branches (a comparison that only feeds a branch is fused with it)
    public static final int F32_ADD = 0x20F;
    public static final int F32_SUB = 0x210;
    public static final int F32_MUL = 0x211;
    public static final int F64_EQ = 0x212;
    public static final int F64_NE = 0x213;
    public static final int F64_LT = 0x214;
    public static final int F64_LE = 0x215;

    // ---- family MEMORY (MemoryOps): bulk memory, tables, references ----
    public static final int REF_IS_NULL = 0x300;  // d a
    public static final int REF_FUNC = 0x301;  // d func
    public static final int MEMORY_SIZE = 0x302;  // d
    public static final int MEMORY_GROW = 0x303;  // d n
    public static final int MEMORY_FILL = 0x304;  // d v n
    public static final int MEMORY_COPY = 0x305;  // d s n
    public static final int MEMORY_INIT = 0x306;  // seg d s n
    public static final int DATA_DROP = 0x307;  // seg
    public static final int TABLE_GET = 0x308;  // d table i
    public static final int TABLE_SET = 0x309;  // table i v
    public static final int TABLE_SIZE = 0x30A;  // d table
    public static final int TABLE_GROW = 0x30B;  // d table v n
    public static final int TABLE_FILL = 0x30C;  // table i v n
    public static final int TABLE_COPY = 0x30D;  // dt st d s n
    public static final int TABLE_INIT = 0x30E;  // seg table d s n
    public static final int ELEM_DROP = 0x30F;  // seg
    public static final int NOP = 0x310;
    // memory instructions too rare for the loop (same operands as the loop's)
    public static final int LOAD_I16_S = 0x311;  // d addr offset
    public static final int LOAD_U32 = 0x312;  // d addr offset
    public static final int GLOBAL_GET_64 = 0x313;  // d global (unused)
    public static final int GLOBAL_SET_64 = 0x314;  // global s
    // several memories, 64-bit memories (MultiMemory); a memory operand is index << 1, | 1 for a 64-bit memory
    public static final int MEM_LOAD = 0x315;  // d addr memory kind offLo offHi (kind: the wasm Opcode's ordinal)
    public static final int MEM_STORE = 0x316;  // v addr memory kind offLo offHi
    public static final int MEMORY_SIZE_M = 0x317;  // d memory
    public static final int MEMORY_GROW_M = 0x318;  // d memory delta
    public static final int MEMORY_FILL_M = 0x319;  // memory d v n
    public static final int MEMORY_COPY_M = 0x31A;  // dstMemory srcMemory d s n
    public static final int MEMORY_INIT_M = 0x31B;  // seg memory d s n

    // ---- family CALLS (CallOps): calls that leave the fast path, traps ----
    /** type nargs nres args... results... table index: the same layout as CALL up to the results. */
    public static final int CALL_INDIRECT = 0x400;
    public static final int TRAP = 0x401;  // kind wasmOffset

    // ---- family SIMD (SimdExecution): a v128 operand or result names the first of its two slots ----
    public static final int V128_SELECT = 0x500;  // d a b c
    public static final int GLOBAL_GET_128 = 0x501;  // d global
    public static final int GLOBAL_SET_128 = 0x502;  // global s
    /** opcodeOrdinal d a b c: any SIMD operation on values without an immediate, through {@link dev.kiln.ir.vector.VectorNumerics}. */
    public static final int SIMD = 0x503;
    public static final int SIMD_LANE = 0x504;  // opcodeOrdinal d a b lane: extract_lane, replace_lane
    public static final int SIMD_SHUFFLE = 0x505;  // d a b pattern0 pattern1 pattern2 pattern3 (4 lane bytes each)
    // SIMD memory accesses, on any memory: memory = index << 1 | 1 when 64-bit; offLo offHi = the u64 offset
    public static final int V128_LOAD = 0x506;  // opcodeOrdinal d addr memory offLo offHi: load, load_extend, load_splat, load_zero
    public static final int V128_LOAD_LANE = 0x507;  // opcodeOrdinal d addr v memory offLo offHi lane
    public static final int V128_STORE = 0x508;  // addr v memory offLo offHi
    public static final int V128_STORE_LANE = 0x509;  // opcodeOrdinal addr v memory offLo offHi lane

    // ---- family WASM3 (Wasm3Ops): WebAssembly 3.0 calls ----
    /** type nargs nres args... results... 0 ref: CALL_INDIRECT's layout (the reference where its index is). */
    public static final int CALL_REF = 0x700;
    /** func nargs 0 args...: the callee takes over the frame. */
    public static final int RETURN_CALL = 0x701;
    /** type nargs 0 args... table index. */
    public static final int RETURN_CALL_INDIRECT = 0x702;
    /** type nargs 0 args... 0 ref. */
    public static final int RETURN_CALL_REF = 0x703;
    // exceptions: an exception leaves the instruction; the frame's handler table (CompiledFunction) says where it lands
    /** tag nargs args...: throws a new exception. */
    public static final int THROW = 0x704;
    /** ref: throws the exception the exnref names (traps on null). */
    public static final int THROW_REF = 0x705;
    /** n ref payload...: a landing block's first instruction: the caught exception's payload into n slots, its exnref into ref (-1: none). */
    public static final int CATCH = 0x706;

    // ---- family GC (GcOps) ----
    /** opcodeOrdinal x y nargs nres args... results...: any GC instruction (one slot per value). */
    public static final int GC = 0x800;

    /** Opcode space: every family's 256 opcodes. */
    private static final int LIMIT = Families.COUNT << Families.SHIFT;
    private static final int[] LENGTH = new int[LIMIT];
    private static final String[] NAME = new String[LIMIT];

    static {
        for (Field f : Op.class.getFields()) {
            int m = f.getModifiers();
            if (!Modifier.isStatic(m) || !Modifier.isPublic(m) || f.getType() != int.class) continue;
            String n = f.getName();
            try {
                int op = f.getInt(null);
                if (NAME[op] != null) throw new ExceptionInInitializerError("opcode " + op + " defined twice");
                NAME[op] = n;
            } catch (IllegalAccessException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
        length(1, NOP);
        length(2, JMP, DATA_DROP, ELEM_DROP, MEMORY_SIZE);
        length(3, MOV, CONST, GLOBAL_SET_32, GLOBAL_SET_64, TRAP, REF_IS_NULL, REF_FUNC, MEMORY_GROW,
                TABLE_SIZE, I32_CLZ, I32_CTZ, I32_POPCNT, I64_CLZ, I64_CTZ, I64_POPCNT, F32_NEG, F64_NEG, F32_ABS,
                F64_ABS, F64_SQRT, F32_SQRT, F64_CONVERT_I32_S, F64_PROMOTE_F32);
        for (int op = BR_I32_EQ; op <= STORE_I16; op++) if (NAME[op] != null) length(4, op);
        length(4, BR_AND_NZ, BR_AND_Z);
        length(4, I32_DIV_S, I32_DIV_U, I32_REM_S, I32_REM_U, I32_ROTL, I32_ROTR, I64_SHR_S_IMM,
                I64_DIV_S, I64_DIV_U, I64_REM_S, I64_REM_U, I64_ROTL, I64_ROTR, I64_MUL_IMM, I64_OR_IMM, I64_XOR_IMM, GENERIC1,
                I32_NE, I32_LT_U, I32_LE_S, I32_LE_U, I64_SHR_S, I32_EQ, I32_LT_S,
                I64_NE, I64_LT_U, I64_LE_S, I64_LE_U);
        length(4, F32_DIV, F32_EQ, F32_NE, F32_LT, F32_LE, F32_ADD, F32_SUB, F32_MUL, F64_EQ, F64_NE, F64_LT, F64_LE, MEMORY_FILL, MEMORY_COPY, TABLE_GET, TABLE_SET);
        length(5, SELECT, MOV2, GENERIC2, MEMORY_INIT, TABLE_GROW, TABLE_FILL);
        length(6, TABLE_COPY, TABLE_INIT, ADD_IMM_LOAD_I32, ADD_IMM_LOAD_I64, LOAD_I64_MUL_F64, F64_MUL_ADD, ADD_IMM_STORE_I8,
                ADD_IMM_STORE_I32, ADD_IMM_BR_NE_IMM, ADD_BR_LT_U_IMM, ADD_IMM_BR_EQ_IMM, ADD_IMM_LOAD_I8_U, F64_MUL_MUL);
        length(4, BR_F64_LT, BR_F64_NOT_LT, BR_F64_LE, BR_F64_NOT_LE);
        length(4, LOAD_I16_S, LOAD_U32, GLOBAL_GET_64);
        length(3, GLOBAL_GET_128, GLOBAL_SET_128);
        length(5, V128_SELECT);
        length(6, SIMD, SIMD_LANE, V128_STORE);
        length(7, V128_LOAD);
        length(8, V128_STORE_LANE);
        length(9, V128_LOAD_LANE);
        length(8, SIMD_SHUFFLE);
        length(3, MEMORY_SIZE_M);
        length(4, MEMORY_GROW_M);
        length(5, MEMORY_FILL_M);
        length(6, MEMORY_COPY_M, MEMORY_INIT_M);
        length(7, MEM_LOAD, MEM_STORE);
        length(2, THROW_REF);
        length(-1, BR_TABLE, RETURN, CALL, CALL_INDIRECT, CALL_REF, RETURN_CALL, RETURN_CALL_INDIRECT, RETURN_CALL_REF, THROW, CATCH, GC);
        for (int op = 0; op < LIMIT; op++) {
            if ((NAME[op] == null) != (LENGTH[op] == 0)) {
                throw new ExceptionInInitializerError("opcode " + op + " (" + NAME[op] + ") has no length or no name");
            }
        }
    }

    private static void length(int n, int... ops) {
        for (int op : ops) LENGTH[op] = n;
    }

    private Op() {
    }

    /** Whether {@code op} is an opcode. */
    public static boolean exists(int op) {
        return op >= 0 && op < LIMIT && NAME[op] != null;
    }

    /** Length in ints (opcode included) of a fixed-length instruction; -1 for variable-length ones. */
    public static int length(int op) {
        return LENGTH[op];
    }

    public static String name(int op) {
        return NAME[op];
    }

    /** The length of the instruction at {@code pc} (variable-length ones included). */
    public static int lengthAt(int[] code, int pc) {
        int op = code[pc];
        return switch (op) {
            case BR_TABLE -> 4 + code[pc + 2];
            case RETURN -> 2 + code[pc + 1];
            case CALL -> 4 + code[pc + 2] + code[pc + 3];
            case CALL_INDIRECT, CALL_REF, RETURN_CALL_INDIRECT, RETURN_CALL_REF -> 6 + code[pc + 2] + code[pc + 3];
            case RETURN_CALL -> 4 + code[pc + 2];
            case THROW -> 3 + code[pc + 2];
            case CATCH -> 3 + code[pc + 1];
            case GC -> 6 + code[pc + 4] + code[pc + 5];
            default -> LENGTH[op];
        };
    }
}
