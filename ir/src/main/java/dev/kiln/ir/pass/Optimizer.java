package dev.kiln.ir.pass;

import dev.kiln.ir.IrFunction;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * The standard pass pipeline that every tier runs on a freshly built function ({@link #PIPELINE}),
 * and the mid-end that native code adds after it ({@link #NATIVE}).
 */
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

    /**
     * What a backend's IR gets after {@link #PIPELINE} (not the interpreter's: it adds blocks, and
     * what it saves is worth its compile time only in native code): divisions by constants as
     * multiplies, then redundant computations and loads removed (loads after value numbering, which
     * gives equal addresses one value), then loop-invariant computations moved out of their loops
     * (after value numbering, so each is moved once), then the constants left unused.
     */
    public static final List<Pass> NATIVE = List.of(
            new ConstantDivision(),
            new SparseConditionalConstants(),
            new GlobalValueNumbering(),
            new RedundantLoadElimination(),
            new LoopInvariantCodeMotion(),
            new DeadCodeElimination());

    private Optimizer() {
    }

    public static void optimize(IrFunction f) {
        optimize(f, (pass, fn) -> { });
    }

    /** Runs the pipeline, calling {@code afterEach} after each pass (tests verify the IR there). */
    public static void optimize(IrFunction f, BiConsumer<Pass, IrFunction> afterEach) {
        run(PIPELINE, f, afterEach);
    }

    /** Runs {@link #NATIVE} on a function {@link #optimize} has run on. */
    public static void optimizeForNative(IrFunction f) {
        optimizeForNative(f, (pass, fn) -> { });
    }

    /** Runs {@link #NATIVE}, calling {@code afterEach} after each pass. */
    public static void optimizeForNative(IrFunction f, BiConsumer<Pass, IrFunction> afterEach) {
        run(NATIVE, f, afterEach);
    }

    /** Runs {@code passes} in order, sharing one function's {@link ControlFlowFacts} while no pass changes its blocks or edges. */
    private static void run(List<Pass> passes, IrFunction f, BiConsumer<Pass, IrFunction> afterEach) {
        ControlFlowFacts facts = new ControlFlowFacts(f);
        for (Pass p : passes) {
            p.run(f, facts);
            afterEach.accept(p, f);
        }
    }
}
