package dev.kiln.ir.pass;

import dev.kiln.ir.IrFunction;

/** A transformation of one function's IR that preserves its behaviour. */
public interface Pass {
    String name();

    /** Transforms {@code f} in place; returns true when anything changed. */
    boolean run(IrFunction f);
}
