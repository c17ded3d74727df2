package dev.kiln.ir.pass;

import dev.kiln.ir.IrFunction;

/**
 * A pass that works from a function's {@link ControlFlowFacts}: run alone it builds them itself, inside a
 * pipeline it reads the shared ones (and says in {@link #run(IrFunction, ControlFlowFacts)} whether they stay).
 */
public interface ControlFlowPass extends Pass {
    @Override
    default boolean run(IrFunction f) {
        return run(f, new ControlFlowFacts(f));
    }

    @Override
    boolean run(IrFunction f, ControlFlowFacts facts);
}
