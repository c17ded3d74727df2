package dev.kiln.interpreter;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.Instruction;

import java.util.EnumMap;
import java.util.Map;

/**
 * Constant operands folded into instructions: which Wasm operations have an interpreter form that
 * takes one operand as an immediate ({@code d a imm}, or {@code a imm t} for a fused branch), and
 * the immediate a constant becomes. A constant whose every use is folded needs no frame slot.
 * Comparisons {@code x <= k} and {@code x >= k} take the forms of {@code x < k + 1} and
 * {@code x > k - 1}, so the dispatch loop needs only EQ, NE, LT and GT with an immediate.
 */
final class Immediates {
    /** An instruction's immediate form: the interpreter opcode, the argument still read from a slot, the immediate. */
    record Form(int opcode, int slotArg, int imm) {
    }

    /** {@code x op k}: the form with k as the immediate. */
    private static final Map<Opcode, Integer> RIGHT = new EnumMap<>(Opcode.class);
    /** {@code x op k} as a branch condition: the fused compare-and-branch form. */
    private static final Map<Opcode, Integer> BRANCH = new EnumMap<>(Opcode.class);
    /** {@code k op x == x mirror(op) k}. */
    private static final Map<Opcode, Opcode> MIRROR = new EnumMap<>(Opcode.class);

    static {
        String[][] right = {{"I32_ADD", "I32_ADD_IMM"}, {"I32_SUB", "I32_ADD_IMM"}, {"I32_MUL", "I32_MUL_IMM"},
                {"I32_AND", "I32_AND_IMM"}, {"I32_OR", "I32_OR_IMM"}, {"I32_XOR", "I32_XOR_IMM"}, {"I32_SHL", "I32_SHL_IMM"},
                {"I32_SHR_S", "I32_SHR_S_IMM"}, {"I32_SHR_U", "I32_SHR_U_IMM"}, {"I32_EQ", "I32_EQ_IMM"},
                {"I32_NE", "I32_NE_IMM"}, {"I32_LT_S", "I32_LT_S_IMM"}, {"I32_LT_U", "I32_LT_U_IMM"},
                {"I32_GT_S", "I32_GT_S_IMM"}, {"I32_GT_U", "I32_GT_U_IMM"}, {"I32_LE_S", "I32_LT_S_IMM"},
                {"I32_LE_U", "I32_LT_U_IMM"}, {"I32_GE_S", "I32_GT_S_IMM"}, {"I32_GE_U", "I32_GT_U_IMM"},
                {"I64_ADD", "I64_ADD_IMM"}, {"I64_SUB", "I64_ADD_IMM"}, {"I64_MUL", "I64_MUL_IMM"},
                {"I64_AND", "I64_AND_IMM"}, {"I64_OR", "I64_OR_IMM"}, {"I64_XOR", "I64_XOR_IMM"},
                {"I64_SHL", "I64_SHL_IMM"}, {"I64_SHR_S", "I64_SHR_S_IMM"}, {"I64_SHR_U", "I64_SHR_U_IMM"}};
        for (String[] p : right) RIGHT.put(Opcode.valueOf(p[0]), opcode(p[1]));
        String[][] branch = {{"EQ", "EQ"}, {"NE", "NE"}, {"LT_S", "LT_S"}, {"LT_U", "LT_U"}, {"GT_S", "GT_S"},
                {"GT_U", "GT_U"}, {"LE_S", "LT_S"}, {"LE_U", "LT_U"}, {"GE_S", "GT_S"}, {"GE_U", "GT_U"}};
        for (String[] b : branch) BRANCH.put(Opcode.valueOf("I32_" + b[0]), opcode("BR_I32_" + b[1] + "_IMM"));
        for (String w : new String[] {"I32_", "I64_"}) {
            for (String c : new String[] {"ADD", "MUL", "AND", "OR", "XOR", "EQ", "NE"}) {
                MIRROR.put(Opcode.valueOf(w + c), Opcode.valueOf(w + c));
            }
            String[][] mirrored = {{"LT_S", "GT_S"}, {"LT_U", "GT_U"}, {"LE_S", "GE_S"}, {"LE_U", "GE_U"}};
            for (String[] m : mirrored) {
                MIRROR.put(Opcode.valueOf(w + m[0]), Opcode.valueOf(w + m[1]));
                MIRROR.put(Opcode.valueOf(w + m[1]), Opcode.valueOf(w + m[0]));
            }
        }
    }

    private Immediates() {
    }

    static int opcode(String name) {
        try {
            return Op.class.getField(name).getInt(null);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The immediate form of the value-computing binary instruction {@code i}, or null. */
    static Form of(Instruction i, Instruction[] constants) {
        if (i.argCount() != 2 || i.resultCount() != 1) return null;
        return form(RIGHT, i.op, i.arg(0), i.arg(1), constants);
    }

    /** The fused compare-and-branch form of the i32 comparison {@code op a b} with an immediate, or null. */
    static Form branch(Opcode op, int a, int b, Instruction[] constants) {
        return form(BRANCH, op, a, b, constants);
    }

    private static Form form(Map<Opcode, Integer> forms, Opcode op, int a, int b, Instruction[] constants) {
        if (constants[b] != null && forms.containsKey(op)) {
            Form f = right(forms, op, constants[b].imm, 0);
            if (f != null) return f;
        }
        Opcode m = MIRROR.get(op);
        if (constants[a] != null && m != null && forms.containsKey(m)) return right(forms, m, constants[a].imm, 1);
        return null;
    }

    private static Form right(Map<Opcode, Integer> forms, Opcode op, long k, int slotArg) {
        boolean wide = op.name().startsWith("I64");
        if (op == Opcode.I32_SUB || op == Opcode.I64_SUB) k = -k;
        if (op == Opcode.I32_SHL || op == Opcode.I32_SHR_S || op == Opcode.I32_SHR_U) k &= 31;
        if (op == Opcode.I64_SHL || op == Opcode.I64_SHR_S || op == Opcode.I64_SHR_U) k &= 63;
        if (wide && k != (int) k) return null;
        int imm = (int) k;
        // x <= k as x < k + 1, x >= k as x > k - 1, except where k + 1 or k - 1 wraps
        switch (op) {
            case I32_LE_S -> { if (imm == Integer.MAX_VALUE) return null; imm++; }
            case I32_LE_U -> { if (imm == -1) return null; imm++; }
            case I32_GE_S -> { if (imm == Integer.MIN_VALUE) return null; imm--; }
            case I32_GE_U -> { if (imm == 0) return null; imm--; }
            default -> { }
        }
        return new Form(forms.get(op), slotArg, imm);
    }

    /**
     * The int a {@link Op#CONST} writes for constant {@code k} of type {@code t} (i32 and f32 bits
     * always fit; i64 and f64 bits when they are a sign-extended int), or null.
     */
    static Integer constValue(Instruction k, ValType t) {
        if (k.op == Opcode.REF_NULL) return 0;
        if (t == ValType.V128) return null; // two slots: always preloaded
        if (t == ValType.I32 || t == ValType.F32) return (int) k.imm;
        return k.imm == (int) k.imm ? (int) k.imm : null;
    }
}
