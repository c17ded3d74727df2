package dev.kiln.tests.tiers;

import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.FunctionType;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.Engine;
import dev.kiln.tests.api.Engines;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.NativeCompiler;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.tests.wasi.KilnProcess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Native code lives as long as something can run it: a module's code (stubs, functions, OSR
 * continuations) is freed once the module is unreachable and its stores are closed, a store's
 * host-function thunks when it closes. A service that keeps loading and dropping modules runs in
 * flat code space and memory; when the code space is full of live code, instantiating on the native
 * tier fails with a clear exception and the auto tier keeps interpreting.
 */
class NativeCodeLifetimeTest {
    static final byte[] MODULE = Wat.compile("""
            (module
              (import "env" "mem" (memory 1))
              (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (func $sum (export "sum") (param $n i32) (result i32) (local $acc i32)
                (block $done (loop $l
                  (br_if $done (i32.eqz (local.get $n)))
                  (local.set $acc (i32.add (local.get $acc) (call $sq (local.get $n))))
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br $l)))
                (local.get $acc))
              (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))))
            """);
    static final byte[] MEMORY = Wat.compile("(module (memory (export \"mem\") 1))");

    @BeforeAll
    static void hasNativeTier() {
        assumeTrue(Backends.host() != null, "no native tier on " + System.getProperty("os.arch"));
    }


    /** One use of a fresh module: instantiate in a fresh store (with a memory from another module), run it, close. */
    private static void useAndDrop(Engine engine) {
        try (Store store = engine.newStore()) {
            Instance memory = store.instantiate(WasmModule.of(MEMORY), new Imports());
            Instance i = store.instantiate(WasmModule.of(MODULE), new Imports().defineInstance("env", memory));
            FunctionInstance sum = i.function("sum");
            if (sum.call(10)[0] != 385) throw new AssertionError("sum(10)");
            i.function("store").call(8, 7);
        }
    }

    static long rssKiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        throw new IllegalStateException("no VmRSS");
    }

    /**
     * Resident memory of kiln's native code: anonymous read+execute mappings (HotSpot's own code
     * heaps are read+write+execute), KiB.
     */
    static long codeRssKiB() throws IOException {
        long sum = 0;
        boolean code = false;
        for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 5 && f[0].matches("[0-9a-f]+-[0-9a-f]+")) {
                code = f[1].equals("r-xp") && f.length == 5;
            } else if (code && f[0].equals("Rss:")) {
                sum += Long.parseLong(f[1]);
            }
        }
        return sum;
    }

    static long mappings() throws IOException {
        try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
            return lines.count();
        }
    }

    /** Settles the heap, so that unreachable modules are collected and their code freed. */
    static void settle() throws InterruptedException {
        Engines.awaitCompilations();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
        }
    }

    /** Drops {@code count} modules (native and auto tier, promoted at once), checking that nothing accumulates. */
    static String dropMany(int count) throws Exception {
        Engine nativeTier = Engines.of(Tier.NATIVE);
        // promoted in the background: compilations may still wait for dropped modules
        Engine autoTier = Engines.of(Tier.AUTO, 1, 1, true);
        int warmUp = Math.max(1000, count / 10);
        for (int k = 0; k < warmUp; k++) useAndDrop(k % 2 == 0 ? nativeTier : autoTier);
        settle();
        long code0 = NativeCompiler.codeBytesInUse(), rss0 = rssKiB(), codeRss0 = codeRssKiB(), maps0 = mappings();
        List<String> samples = new ArrayList<>();
        long maxCode = code0;
        for (int k = 0; k < count; k++) {
            useAndDrop(k % 2 == 0 ? nativeTier : autoTier);
            maxCode = Math.max(maxCode, NativeCompiler.codeBytesInUse());
            if ((k + 1) % (count / 4) == 0) samples.add((k + 1) + " modules: code " + (NativeCompiler.codeBytesInUse() >> 10)
                    + " KiB (resident " + codeRssKiB() + " KiB), RSS " + (rssKiB() >> 10) + " MiB, mappings " + mappings());
        }
        settle();
        long code = NativeCompiler.codeBytesInUse(), rss = rssKiB(), codeRss = codeRssKiB(), maps = mappings();
        String report = "after " + warmUp + " warm-up modules: code " + (code0 >> 10) + " KiB (resident " + codeRss0 + " KiB), RSS "
                + (rss0 >> 10) + " MiB, mappings " + maps0 + "; " + samples + "; settled: code " + (code >> 10) + " KiB (resident "
                + codeRss + " KiB), RSS " + (rss >> 10) + " MiB, mappings " + maps + "; most code at once " + (maxCode >> 10) + " KiB";
        // without freeing, each module kept 2-3 pages of code (and ~9.5 KiB of RSS) forever
        assertTrue(code <= code0 + (256 << 10), "code space grew: " + report);
        assertTrue(maxCode < (64L << 20), "code space in use between collections: " + report);
        assertTrue(codeRss <= codeRss0 + 5 * 1024, "resident code grew: " + report); // freed pages go back in 4 MiB batches
        assertTrue(rss - rss0 < 256 * 1024, "RSS grew: " + report); // the Java heap grows and shrinks as the collector likes
        assertTrue(maps - maps0 < 200, "mappings grew: " + report);
        return report;
    }

    @Test
    @Disabled("freeing a module's native code is off: it corrupted live code in the x86-64 spec run (docs/design-changes.md, Code lifetime)")
    void droppingTenThousandModulesLeavesNothingBehind() throws Exception {
        System.out.println("NativeCodeLifetimeTest: " + dropMany(10_000));
    }

    /** The full-size run (the slow suite): 300 000 modules in one JVM. */
    @Test
    @Tag("slow")
    @Disabled("freeing a module's native code is off: it corrupted live code in the x86-64 spec run (docs/design-changes.md, Code lifetime)")
    void droppingThreeHundredThousandModulesLeavesNothingBehind() throws Exception {
        System.out.println("NativeCodeLifetimeTest: " + dropMany(300_000));
    }

    /** In a JVM whose code space holds 4 MiB: fill it with live modules, then instantiate more. */
    @Test
    void aFullCodeSpaceIsAClearErrorOnTheNativeTierAndTheAutoTierKeepsInterpreting() throws Exception {
        List<String> command = new ArrayList<>(KilnProcess.javaCommand(List.of()));
        command.removeLast(); // dev.kiln.cli.Main
        command.add(command.size() - 3, "-Dkiln.codeSpace=" + (4 << 20));
        command.add(FullCodeSpace.class.getName());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("native: native code space full: "), out);
        assertTrue(out.contains("auto: 385"), out);
    }

    /** The child JVM of {@link #aFullCodeSpaceIsAClearErrorOnTheNativeTierAndTheAutoTierKeepsInterpreting}. */
    public static final class FullCodeSpace {
        public static void main(String[] args) {
            List<Store> live = new ArrayList<>();
            List<WasmModule> modules = new ArrayList<>();
            String failure = null;
            for (int k = 0; k < 10_000 && failure == null; k++) {
                Store s = new Store().tier(Tier.NATIVE);
                live.add(s);
                try {
                    WasmModule m = WasmModule.of(MODULE);
                    modules.add(m);
                    Instance memory = s.instantiate(WasmModule.of(MEMORY), new Imports());
                    s.instantiate(m, new Imports().defineInstance("env", memory));
                } catch (dev.kiln.runtime.CodeSpaceFullException e) {
                    failure = e.getMessage();
                }
            }
            System.out.println("native: " + failure);
            // the auto tier on a full code space: promotion fails quietly, the interpreter goes on
            try (Store s = Engines.of(Tier.AUTO, 1, 1, false).newStore()) {
                Instance memory = s.instantiate(WasmModule.of(MEMORY), new Imports());
                Instance i = s.instantiate(WasmModule.of(MODULE), new Imports().defineInstance("env", memory));
                long r = 0;
                for (int k = 0; k < 50; k++) r = i.function("sum").call(10)[0];
                System.out.println("auto: " + r);
            }
        }
    }
}
