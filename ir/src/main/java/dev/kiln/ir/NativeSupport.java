package dev.kiln.ir;

import dev.kiln.frontend.Module;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.HeapType;
import dev.kiln.frontend.SubType;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.WasmFeature;

/**
 * The WebAssembly 3.0 features the native backends do not lower yet: exceptions on the backends
 * that do not lower them (AArch64 for now; issue 17) and GC (issue 18). A backend asks here before
 * it compiles a function and declines it (the function keeps running in the interpreter under the
 * {@code auto} tier); one definition for both backends.
 */
public final class NativeSupport {
    private NativeSupport() {
    }

    /** Null when a backend that lowers exceptions iff {@code exceptions} can compile {@code f}, else why not. */
    public static String unsupported(Module m, IrFunction f, boolean exceptions) {
        String gc = gcUse(m, f);
        if (gc != null) return gc;
        if (exceptions) return null;
        for (BasicBlock b : f.blocks) {
            switch (b.terminator) {
                case Terminator.Throw th -> {
                    return "it throws (" + th.instruction.op + ")";
                }
                case Terminator.Guarded g -> {
                    return "it calls inside a try region";
                }
                default -> { }
            }
            for (Instruction i : b.instructions) {
                if (i.op == Opcode.CATCH) return "it uses " + i.op;
            }
        }
        return null;
    }

    /**
     * GC (issue 18): native code has no stack maps and no allocation path yet, so a function that
     * executes a GC instruction, or holds a reference of the any hierarchy (which may point into
     * the GC heap, whose collector must see every such reference), stays interpreted. A module
     * that defines struct or array types keeps all its functions interpreted (its externrefs may
     * be GC objects too).
     */
    private static String gcUse(Module m, IrFunction f) {
        for (SubType t : m.types()) {
            if (!(t.composite() instanceof FuncType)) return "the module defines GC types (struct/array): GC runs in the interpreter";
            // native call_indirect compares type ids exactly; declared subtyping is checked by the interpreter only
            if (!t.isFinal() || t.supertypes().length > 0) return "the module declares function subtypes";
        }
        for (int v = 0; v < f.valueCount(); v++) {
            ValType t = f.typeOf(v);
            if (t != null && t.isReference() && isAnyHierarchy(t.heapType())) return "it holds a GC reference (" + t + ")";
        }
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) if (i.op.feature == WasmFeature.GC) return "it uses " + i.op + " (GC runs in the interpreter)";
        }
        return null;
    }

    private static boolean isAnyHierarchy(HeapType h) {
        if (h.isConcrete()) return false; // a concrete type here is a function type (struct/array modules are declined above)
        return switch (h.kind()) {
            case ANY, EQ, I31, STRUCT, ARRAY, NONE -> true;
            default -> false;
        };
    }

    /** Throws {@link UnsupportedOperationException} when the backends cannot compile {@code f}. */
    public static void require(Module m, IrFunction f, String backend, boolean exceptions) {
        String why = unsupported(m, f, exceptions);
        if (why != null) {
            throw new UnsupportedOperationException("function " + f.index + " (" + f.name + ") cannot be compiled by the "
                    + backend + " backend yet: " + why);
        }
    }
}
