package dev.kiln.ir.pass;

import dev.kiln.ir.IrFunction;

/** A transformation of one function's IR that preserves its behaviour. */
public interface Pass {
    String name();

    /** Transforms {@code f} in place; returns true when anything changed. */
    boolean run(IrFunction f);

    /**
     * {@link #run(IrFunction)} inside a pipeline that shares {@code facts} about {@code f} between its
     * passes. By default the pass builds what it needs itself and, when it changed anything, the facts
     * are dropped; a pass that never changes blocks or edges overrides this to read them and keep them.
     */
    default boolean run(IrFunction f, ControlFlowFacts facts) {
        boolean changed = run(f);
        if (changed) facts.invalidate();
        return changed;
    }
}
