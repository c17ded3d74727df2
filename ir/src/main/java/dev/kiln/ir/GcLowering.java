package dev.kiln.ir;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.SubType;
import dev.kiln.frontend.WasmFeature;
import dev.kiln.ir.abi.ExecutionStateLayout;

/**
 * How native code carries out GC instructions, for both backends: the few that need no heap
 * ({@link #isInline}: i31 boxing and unboxing, {@code ref.eq}, the extern/any conversions, which
 * are the identity) inline; every other one through the runtime's GC helper
 * ({@link dev.kiln.ir.abi.RuntimeHelper#GC}), which runs the interpreter's implementation on the
 * store's heap (so an allocation may collect: the collector scans native frames conservatively).
 */
public final class GcLowering {
    /** Operands the GC helper takes (one return-area slot each): longer array.new_fixed / struct.new stay interpreted. */
    public static final int MAX_HELPER_OPERANDS = ExecutionStateLayout.MAX_RESULTS;

    private GcLowering() {
    }

    /**
     * Whether call_indirect of {@code m} may find a callee whose type is a declared subtype of the
     * expected one (some function type of the module is not final): then a type id mismatch takes
     * the slow path ({@link dev.kiln.ir.abi.RuntimeHelper#FUNC_SUBTYPE}) before trapping.
     */
    public static boolean mayCallSubtypes(Module m) {
        for (SubType t : m.types()) if (t.composite() instanceof FuncType && !t.isFinal()) return true;
        return false;
    }

    /** True for a GC instruction native code carries out without a call. */
    public static boolean isInline(Opcode op) {
        return switch (op) {
            case REF_EQ, REF_I31, I31_GET_S, I31_GET_U, ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY -> true;
            default -> false;
        };
    }

    /** True for a GC instruction native code carries out by calling the GC helper. */
    public static boolean isHelperCall(Opcode op) {
        return op.feature == WasmFeature.GC && !isInline(op);
    }
}
