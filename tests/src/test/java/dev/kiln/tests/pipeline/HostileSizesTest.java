package dev.kiln.tests.pipeline;

import com.sun.management.ThreadMXBean;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.interpreter.FunctionCompiler;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Target;
import dev.kiln.linker.BuildIdentity;
import dev.kiln.linker.ElfReader;
import dev.kiln.linker.ElfWriter;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.NativeCompiler;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every stage is near-linear in module size: each hostile shape ({@link HostileModules}) at size n
 * and 10n through decoding and validation, the interpreter's compiler, both backends, the ELF writer
 * and reader, and instantiation with a first call. Time (the thread's CPU time, best of two) and
 * allocation may grow by much more than 10x only if something is superlinear; the test fails when
 * either grows past {@link #LIMIT} times.
 */
class HostileSizesTest {
    /** How much a stage may grow when the module grows 10x (10x plus room for noise and JIT effects). */
    static final double LIMIT = 30;

    /** A stage of the pipeline, run on a decoded module. */
    interface Stage {
        void run(byte[] bytes) throws Exception;
    }

    static final List<String> STAGES = List.of("validate", "interpreter", "x86_64", "aarch64", "elf", "instantiate");

    static Stage stage(String name) {
        return switch (name) {
            case "validate" -> WasmModule::of;
            case "interpreter" -> bytes -> {
                ValidatedModule vm = NativeCompiler.validated(WasmModule.of(bytes));
                for (int f = vm.module().importedFunctionCount(); f < vm.module().functionCount(); f++) FunctionCompiler.compile(vm, f);
            };
            case "x86_64", "aarch64" -> bytes -> NativeCompiler.compileAll(NativeCompiler.validated(WasmModule.of(bytes)),
                    Backends.forTarget(Target.parse(name)), CodeOptions.DEFAULT, false, k -> { });
            case "elf" -> bytes -> {
                WasmModule m = WasmModule.of(bytes);
                List<MachineCode> code = NativeCompiler.compileAll(NativeCompiler.validated(m), Backends.forTarget(Target.X86_64), CodeOptions.DEFAULT,
                        false, k -> { });
                BuildIdentity id = NativeCompiler.identity(m, Backends.forTarget(Target.X86_64).cpu(), CodeOptions.DEFAULT);
                ElfReader.read(ElfWriter.write(id, NativeCompiler.validated(m).module().functionCount(), code));
            };
            case "instantiate" -> bytes -> {
                try (Store s = new Store().tier(Tier.INTERP).maxWasmStack(64L << 20)) {
                    Instance i = s.instantiate(WasmModule.of(bytes), new Imports());
                    try {
                        i.function("run").call(1);
                    } catch (WasmTrap expected) {
                        // a shape may trap (a deep chain of calls); running it is the point
                    }
                }
            };
            default -> throw new IllegalArgumentException(name);
        };
    }

    /** CPU nanoseconds and bytes allocated by this thread for one run of {@code stage}. */
    static long[] measure(Stage stage, byte[] bytes) throws Exception {
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long cpu = threads.getCurrentThreadCpuTime(), alloc = threads.getThreadAllocatedBytes(id);
        stage.run(bytes);
        return new long[] {threads.getCurrentThreadCpuTime() - cpu, threads.getThreadAllocatedBytes(id) - alloc};
    }

    /** Best of two runs (time), and the allocation of the last. */
    static long[] best(Stage stage, byte[] bytes) throws Exception {
        long[] a = measure(stage, bytes), b = measure(stage, bytes);
        return new long[] {Math.min(a[0], b[0]), b[1]};
    }

    /**
     * Runs every shape and stage at {@code small} and {@code 10 * small} ({@code thorough}: the small
     * size after a warm-up run and both best of two); returns the problems found. A stage that looks
     * superlinear is measured again, thoroughly, up to twice before it counts: on a loaded machine
     * HotSpot's compiler threads fall behind, and a run that is still interpreted while its
     * counterpart was compiled shows 30-50x for a linear stage (seen in CI-like runs at load 17).
     */
    static List<String> scale(HostileModules shape, int small, boolean thorough) throws Exception {
        List<String> problems = new ArrayList<>();
        byte[] s = shape.of(small), l = shape.of(10 * small);
        for (String name : STAGES) {
            Stage stage = stage(name);
            Growth g = growth(shape, name, stage, small, s, l, thorough);
            for (int retry = 0; retry < 2 && g.superlinear(); retry++) {
                System.out.println("HostileSizesTest: measuring again (warmed up, best of two): " + g.line());
                g = growth(shape, name, stage, small, s, l, true);
            }
            System.out.println("HostileSizesTest: " + g.line());
            if (g.superlinear()) problems.add(g.line());
        }
        return problems;
    }

    /** How one stage grew from n to 10n, described in {@code line}. */
    record Growth(String line, boolean superlinear) {}

    static Growth growth(HostileModules shape, String name, Stage stage, int small, byte[] s, byte[] l, boolean thorough)
            throws Exception {
        if (thorough) measure(stage, s); // warm up
        long[] a = best(stage, s), b = thorough ? best(stage, l) : measure(stage, l);
        // below a few milliseconds fixed costs and noise dominate: compare against at least 10 ms and 1 MB
        double time = (double) b[0] / Math.max(a[0], 10_000_000), mem = (double) b[1] / Math.max(a[1], 1 << 20);
        String line = String.format("%s %s: n=%d %.1f ms %d KB, 10n %.1f ms %d KB (x%.1f time, x%.1f memory)", shape, name, small,
                a[0] / 1e6, a[1] >> 10, b[0] / 1e6, b[1] >> 10, time, mem);
        return new Growth(line, time > LIMIT || mem > LIMIT);
    }

    /** The sizes n of the default run (10n is run too). */
    static int defaultSize(HostileModules shape) {
        return switch (shape) {
            case BR_TABLE, STRAIGHT_LINE -> 20_000;
            case LOCALS, BRANCHES, CALLS, NESTING -> 1_000;
            case FUNCTIONS, GLOBALS, DATA_SEGMENTS, ELEMENT_SEGMENTS -> 400;
        };
    }

    /**
     * Stages known to grow faster than n, reported without failing the default run (the slow run,
     * {@link #everyStageIsNearLinearAtTenTimesTheSize}, still fails on them). None now: CALLS x86_64
     * and aarch64 were here until linear scan stopped walking every active (spilled) value per spill.
     */
    static final List<String> KNOWN_SUPERLINEAR = List.of();

    @Test
    void everyStageIsNearLinearInEveryHostileShape() throws Exception {
        List<String> problems = new ArrayList<>();
        for (HostileModules shape : HostileModules.values()) problems.addAll(scale(shape, defaultSize(shape), false));
        List<String> known = problems.stream().filter(p -> KNOWN_SUPERLINEAR.stream().anyMatch(p::startsWith)).toList();
        if (!known.isEmpty()) System.out.println("HostileSizesTest: known superlinear, not failing the default run: " + known);
        problems.removeAll(known);
        assertTrue(problems.isEmpty(), "superlinear: " + problems);
    }

    /** Ten times larger (the slow suite): a 10^6-target br_table, 50 000-deep nesting, ... */
    @Test
    @Tag("slow")
    void everyStageIsNearLinearAtTenTimesTheSize() throws Exception {
        List<String> problems = new ArrayList<>();
        for (HostileModules shape : HostileModules.values()) {
            problems.addAll(scale(shape, shape == HostileModules.LOCALS ? 4_999 : 10 * defaultSize(shape), true));
        }
        assertTrue(problems.isEmpty(), "superlinear: " + problems);
    }
}
