package dev.kiln.ir.pass;

import dev.kiln.ir.IrFunction;

import java.util.List;
import java.util.function.BiConsumer;

/** The standard pass pipeline that every tier runs on a freshly built function. */
public final class Optimizer {
    public static final List<Pass> PIPELINE = List.of(
            new CopyPropagation(),
            new ConstantFolding(),
            new CopyPropagation(),
            new DeadCodeElimination(),
            new BlockMerging(),
            new JumpThreading(),
            new BranchInversion(),
            new DeadCodeElimination(),
            new CompareSinking());

    private Optimizer() {
    }

    public static void optimize(IrFunction f) {
        optimize(f, (pass, fn) -> { });
    }

    /** Runs the pipeline, calling {@code afterEach} after each pass (tests verify the IR there). */
    public static void optimize(IrFunction f, BiConsumer<Pass, IrFunction> afterEach) {
        for (Pass p : PIPELINE) {
            p.run(f);
            afterEach.accept(p, f);
        }
    }
}
