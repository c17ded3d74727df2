package dev.kiln.ir.pass;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.IrBuilder;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.OsrTransform;
import dev.kiln.ir.code.CodeOptions;

/**
 * The IR each consumer starts from, built and prepared the same way everywhere: the interpreter's
 * function, a backend's function, and an on-stack-replacement variant. Keeping the steps in one
 * place keeps block layouts, and so back-edges and OSR headers, identical across tiers.
 */
public final class Preparation {
    private Preparation() {
    }

    /** Built, optimised, edges split: what the interpreter compiles. */
    public static IrFunction forInterpreter(ValidatedModule vm, int funcIndex) {
        IrFunction f = IrBuilder.build(vm, funcIndex);
        Optimizer.optimize(f);
        new EdgeSplitting().run(f);
        return f;
    }

    /**
     * Built, optimised, small callees inlined unless fuel is metered ({@link Inlining}), with the
     * native mid-end ({@link Optimizer#NATIVE}: divisions by constants as multiplies, constants
     * propagated, value numbering, loop-invariant code motion), fuel points marked when metering,
     * edges split: what a backend lowers.
     */
    public static IrFunction forBackend(ValidatedModule vm, int funcIndex, CodeOptions options) {
        IrFunction f = IrBuilder.build(vm, funcIndex);
        Optimizer.optimize(f);
        if (!options.fuel()) new Inlining(vm).run(f);
        Optimizer.optimizeForNative(f);
        if (options.fuel()) new FuelPoints().run(f);
        new EdgeSplitting().run(f);
        return f;
    }

    /**
     * The variant of a function entered at loop header {@code headerBlock} of its interpreter IR
     * (see {@link OsrTransform}), ready for a backend (the native mid-end as in
     * {@link #forBackend}, after the transform, which maps the interpreter's values). Fuel points are marked before the
     * transform, so the new entry (a continuation, not a call) consumes none.
     */
    public static IrFunction osrVariant(ValidatedModule vm, int funcIndex, int headerBlock, CodeOptions options) {
        IrFunction f = IrBuilder.build(vm, funcIndex);
        Optimizer.optimize(f);
        new EdgeSplitting().run(f);
        BasicBlock header = null;
        for (BasicBlock b : f.blocks) if (b.id == headerBlock) header = b;
        if (header == null) throw new IllegalStateException("no block " + headerBlock + " in function " + funcIndex);
        if (options.fuel()) new FuelPoints().run(f);
        OsrTransform.apply(f, header);
        new CopyPropagation().run(f);
        new DeadCodeElimination().run(f);
        if (!options.fuel()) new Inlining(vm).run(f);
        Optimizer.optimizeForNative(f);
        new EdgeSplitting().run(f);
        return f;
    }
}
