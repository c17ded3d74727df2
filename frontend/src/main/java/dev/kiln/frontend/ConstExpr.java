package dev.kiln.frontend;

import java.util.List;

/** A constant expression (global initialisers, segment offsets, element items), without its final {@code end}. */
public record ConstExpr(List<ConstInstr> instrs, int offset) {
    public ConstExpr {
        instrs = List.copyOf(instrs);
    }

    /** A {@code ref.func idx} expression, as the function-index element segment forms imply. */
    public static ConstExpr refFunc(int funcIndex, int offset) {
        return new ConstExpr(List.of(new ConstInstr(Opcode.REF_FUNC, funcIndex, 0, offset)), offset);
    }

    /** The single instruction of a valid WebAssembly 2.0 constant expression. */
    public ConstInstr single() {
        return instrs.get(0);
    }
}
