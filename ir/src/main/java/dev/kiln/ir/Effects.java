package dev.kiln.ir;

import dev.kiln.frontend.Immediate;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.WasmFeature;

/** Which Wasm operations have side effects or may trap, for passes that move or delete code. */
public final class Effects {
    private Effects() {
    }

    /** No side effect and no trap: removable when unused, foldable when its operands are constant. */
    public static boolean isPure(Opcode op) {
        if (addressesMemory(op)) return false;
        if (op.feature == WasmFeature.GC) return false; // allocation, heap access, null and cast traps
        if (trapsOnOperandsAlone(op)) return false;
        return switch (op) {
            case CALL, CALL_INDIRECT, CALL_REF, CATCH, GLOBAL_SET, MEMORY_GROW, MEMORY_INIT, DATA_DROP, MEMORY_COPY, MEMORY_FILL,
                 TABLE_GET, TABLE_SET, TABLE_GROW, TABLE_FILL, TABLE_INIT, TABLE_COPY, ELEM_DROP -> false;
            // Reads of mutable state: no side effect, but they are not constants either.
            case GLOBAL_GET, MEMORY_SIZE, TABLE_SIZE -> true;
            default -> true;
        };
    }

    /**
     * Integer division and remainder, float-to-integer truncation: no side effect, and whether they
     * trap depends on their operands alone (so constant operands fold, and a twin with the same
     * operands that ran first would have trapped first).
     */
    public static boolean trapsOnOperandsAlone(Opcode op) {
        return switch (op) {
            case I32_DIV_S, I32_DIV_U, I32_REM_S, I32_REM_U, I64_DIV_S, I64_DIV_U, I64_REM_S, I64_REM_U,
                 I32_TRUNC_F32_S, I32_TRUNC_F32_U, I32_TRUNC_F64_S, I32_TRUNC_F64_U,
                 I64_TRUNC_F32_S, I64_TRUNC_F32_U, I64_TRUNC_F64_S, I64_TRUNC_F64_U -> true;
            default -> false;
        };
    }

    /** Pure and independent of mutable state: a candidate for constant folding. */
    public static boolean isFoldable(Opcode op) {
        return isPure(op) && op != Opcode.GLOBAL_GET && op != Opcode.MEMORY_SIZE && op != Opcode.TABLE_SIZE
                && op != Opcode.REF_FUNC;
    }

    /** True when {@code op} addresses linear memory itself (a load or store), rather than through a runtime helper. */
    public static boolean addressesMemory(Opcode op) {
        return op.immediate == Immediate.MEMARG || op.immediate == Immediate.MEMARG_LANE;
    }

    /** True when some instruction of {@code f} loads or stores linear memory: its code needs the memory base. */
    public static boolean addressesMemory(IrFunction f) {
        for (BasicBlock b : f.blocks) for (Instruction i : b.instructions) if (addressesMemory(i.op)) return true;
        return false;
    }
}
