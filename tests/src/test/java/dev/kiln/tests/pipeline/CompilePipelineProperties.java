package dev.kiln.tests.pipeline;

import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.Validator;
import dev.kiln.frontend.testing.ModuleMutations;
import dev.kiln.frontend.testing.ModuleMutations.Mutation;
import dev.kiln.interpreter.FunctionCompiler;
import dev.kiln.interpreter.UnsupportedFeatureException;
import dev.kiln.ir.IrBuilder;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.code.Target;
import dev.kiln.runtime.internal.Backends;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The whole pipeline on damaged modules: whatever the frontend accepts, every tier's compiler
 * compiles — the interpreter's, and every backend available, with and without fuel metering —
 * without any exception (SIMD functions may be declined where a tier lacks SIMD); whatever it does
 * not accept fails with the frontend's {@link ModuleException}. Bounded in time per module.
 */
class CompilePipelineProperties {
    private static final ExecutorService WORKER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(null, r, "pipeline-worker", 16 << 20);
        t.setDaemon(true);
        return t;
    });
    private static final AtomicInteger VALID = new AtomicInteger();
    private static final AtomicInteger TOTAL = new AtomicInteger();

    @AfterContainer
    static void report() {
        WORKER.shutdownNow();
        System.out.println("pipeline properties: " + VALID.get() + " of " + TOTAL.get() + " damaged modules validated and were compiled");
    }

    @Provide
    Arbitrary<List<Mutation>> mutations() {
        return ModuleMutations.mutations();
    }

    @Property(tries = 1500, seed = "20261122")
    void acceptedModulesCompileOnEveryTier(@ForAll("mutations") List<Mutation> ms) throws Exception {
        check(ms);
    }

    @Property(tries = 50_000)
    @Tag("slow")
    void manyAcceptedModulesCompileOnEveryTier(@ForAll("mutations") List<Mutation> ms) throws Exception {
        check(ms);
    }

    private static List<Backend> backends() {
        List<Backend> out = new ArrayList<>();
        for (Target t : Target.values()) {
            try {
                out.add(Backends.forTarget(t));
            } catch (UnsupportedOperationException notBuilt) {
                // a target without a backend yet
            }
        }
        return out;
    }

    private static void check(List<Mutation> ms) throws Exception {
        byte[] input = ModuleMutations.apply(ms);
        TOTAL.incrementAndGet();
        Future<?> f = WORKER.submit(() -> {
            ValidatedModule vm;
            try {
                vm = Validator.validate(Decoder.decode(input));
            } catch (ModuleException rejected) {
                return;
            }
            VALID.incrementAndGet();
            compileEverything(vm);
        });
        try {
            f.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            fail("the pipeline did not finish within 60 s: " + ms);
        } catch (ExecutionException e) {
            throw new AssertionError("pipeline failed for " + ms + ": " + e.getCause(), e.getCause());
        }
    }

    private static void compileEverything(ValidatedModule vm) {
        var m = vm.module();
        SymbolNames names = SymbolNames.of(m);
        List<Backend> backends = backends();
        for (int f = m.importedFunctionCount(); f < m.functionCount(); f++) {
            boolean simd = usesSimd(vm, f);
            try {
                FunctionCompiler.compile(vm, f);
            } catch (UnsupportedFeatureException e) {
                if (!simd) throw e;
            }
            for (Backend b : backends) {
                for (CodeOptions o : List.of(CodeOptions.DEFAULT, CodeOptions.FUEL)) {
                    try {
                        b.compile(vm, names, f, o, false);
                    } catch (UnsupportedOperationException e) {
                        if (!simd) throw e;
                    }
                }
            }
        }
    }

    private static boolean usesSimd(ValidatedModule vm, int f) {
        IrFunction ir = IrBuilder.build(vm, f);
        for (int v = 0; v < ir.valueCount(); v++) if (ir.typeOf(v) == ValType.V128) return true;
        return false;
    }
}
