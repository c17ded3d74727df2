package dev.kiln.ir;

import dev.kiln.frontend.MemoryType;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.TableType;

/**
 * The WebAssembly 3.0 features the native backends do not lower yet (issue 17): exceptions,
 * several memories, 64-bit memories and tables. A backend asks here before
 * it compiles a function and declines it (the function keeps running in the interpreter under the
 * {@code auto} tier); one definition for both backends.
 */
public final class NativeSupport {
    private NativeSupport() {
    }

    /** Null when the backends can compile {@code f}, else why not. */
    public static String unsupported(Module m, IrFunction f) {
        if (m.memoryCount() > 1) return "the module has " + m.memoryCount() + " memories";
        for (int i = 0; i < m.memoryCount(); i++) {
            MemoryType t = m.memoryType(i);
            if (t.is64()) return "memory " + i + " is a 64-bit memory";
        }
        for (int i = 0; i < m.tableCount(); i++) {
            TableType t = m.tableType(i);
            if (t.is64()) return "table " + i + " is a 64-bit table";
        }
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

    /** Throws {@link UnsupportedOperationException} when the backends cannot compile {@code f}. */
    public static void require(Module m, IrFunction f, String backend) {
        String why = unsupported(m, f);
        if (why != null) {
            throw new UnsupportedOperationException("function " + f.index + " (" + f.name + ") cannot be compiled by the "
                    + backend + " backend yet: " + why);
        }
    }
}
