package dev.kiln.tests.tiers;

import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.FunctionType;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.Engine;
import dev.kiln.tests.api.Engines;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.linker.CodeCache;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.internal.NativeCompiler;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.EnumMap;
import java.util.Map;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The soak run ({@code ./run-tests soak}, not in CI): for {@code -Dkiln.soak.minutes} (default 60)
 * minutes, several threads each instantiate, run, trap, interrupt and drop instances on random
 * tiers, and call back into the guest from host functions, while another thread compiles modules
 * into a code cache and reads them back. Every minute it samples resident memory, live native code,
 * threads and file descriptors of the workload's JVM (its own, with a fixed heap); at the end each
 * must be flat (the last third no higher than the rest allows) and nothing may have failed. The
 * table is printed and written to {@code target/soak-report.txt}.
 */
@Tag("soak")
class SoakTest {
    /** Programs the workers draw from: every tier, every trap, host calls and re-entry, loops to interrupt. */
    static final List<byte[]> PROGRAMS = List.of(
            Wat.compile("""
                    (module
                      (import "host" "back" (func $back (param i32) (result i32)))
                      (memory (export "memory") 1 4)
                      (table 2 funcref) (elem (i32.const 0) func $fib $nothing)
                      (func $nothing)
                      (func $fib (export "fib") (param i32) (result i32)
                        (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
                          (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1))) (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
                      (func $spin (export "spin") (param i32) (result i32) (loop $l (br $l)) (i32.const 0))
                      (func $deep (export "deep") (param i32) (result i32) (i32.add (i32.const 1) (call $deep (local.get 0))))
                      (func (export "indirect") (param i32) (result i32) (call_indirect (param i32) (result i32) (i32.const 10) (local.get 0)))
                      (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
                      (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
                      (func (export "viaHost") (param i32) (result i32)
                        (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                          (else (i32.add (i32.const 1) (call $back (i32.sub (local.get 0) (i32.const 1))))))))
                    """),
            Wat.compile("""
                    (module
                      (import "host" "back" (func $back (param i32) (result i32)))
                      (global $g (mut i64) (i64.const 1))
                      (func (export "fib") (param i32) (result i32) (local $i i32) (local $a i64) (local $b i64)
                        (local.set $b (i64.const 1))
                        (block $done (loop $l
                          (br_if $done (i32.ge_u (local.get $i) (local.get 0)))
                          (local.set $b (i64.add (local.get $a) (local.tee $a (local.get $b))))
                          (local.set $i (i32.add (local.get $i) (i32.const 1)))
                          (br $l)))
                        (global.set $g (local.get $a))
                        (i32.wrap_i64 (local.get $a)))
                      (func $spin (export "spin") (param i32) (result i32)
                        (loop $l (global.set $g (i64.add (global.get $g) (i64.const 1))) (br $l)) (i32.const 0))
                      (func $deep (export "deep") (param i32) (result i32) (i32.add (i32.const 1) (call $deep (local.get 0))))
                      (func (export "indirect") (param i32) (result i32) (unreachable))
                      (func (export "grow") (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
                      (func (export "load") (param i32) (result i32) (i32.trunc_f64_s (f64.const 1e100)))
                      (func (export "viaHost") (param i32) (result i32) (call $back (local.get 0))))
                    """));

    /**
     * The programs as modules shared by every store and thread (as a service shares its modules); a
     * quarter of the rounds use these, the others compile a fresh module and drop it, whose native
     * code is freed once it is unreachable.
     */
    static final List<WasmModule> MODULES = PROGRAMS.stream().map(WasmModule::of).toList();

    static final FunctionType I32_TO_I32 = FunctionType.returning(ValueType.I32, ValueType.I32);

    /** The soak's JVM: a fixed heap, touched at start, so that its resident memory shows what kiln keeps, not how far the heap grew. */
    static final List<String> JVM_OPTIONS = List.of("-Xms384m", "-Xmx384m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC", "-Xss4m");

    @Test
    void kilnRunsForAnHourInFlatMemory() throws Exception {
        assumeTrue(Backends.host() != null, "no native tier here");
        double minutes = Double.parseDouble(System.getProperty("kiln.soak.minutes", "60"));
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(JVM_OPTIONS);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Workload.class.getName(), Double.toString(minutes)));
        Process child = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        child.getOutputStream().close();
        long pid = child.pid();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread echo = Thread.ofPlatform().start(() -> {
            try (var r = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
                for (String line; (line = r.readLine()) != null; ) lines.add(line);
            } catch (IOException ignored) {
                // the child ended
            }
        });
        List<long[]> samples = new ArrayList<>();
        List<String> table = new ArrayList<>();
        table.add("minute  RSS MiB  code KiB  threads  fds  modules   calls   traps  interrupts  compiled");
        long start = System.nanoTime();
        long interval = Math.min(60_000, Math.max(1000, (long) (minutes * 60_000 / 20)));
        while (child.isAlive() && !child.waitFor(interval, TimeUnit.MILLISECONDS)) {
            String counters = lines.stream().filter(l -> l.startsWith("counters ")).reduce((a, b) -> b).orElse("counters 0 0 0 0 0 0");
            String[] c = counters.split(" ");
            long[] s;
            try {
                s = new long[] {statusField(pid, "VmRSS:") >> 10, Long.parseLong(c[1]), statusField(pid, "Threads:"), fds(pid)};
            } catch (IOException gone) {
                break;
            }
            samples.add(s);
            String row = String.format("%6.1f  %7d  %8d  %7d  %3d  %7s  %6s  %6s  %10s  %8s", (System.nanoTime() - start) / 60e9, s[0], s[1], s[2],
                    s[3], c[2], c[3], c[4], c[5], c[6]);
            table.add(row);
            System.out.println("soak: " + row);
        }
        child.waitFor();
        echo.join();
        String report = String.join("\n", table) + "\nJVM: " + String.join(" ", JVM_OPTIONS) + ", " + Workload.WORKERS
                + " worker threads and a compiling thread, " + minutes + " minutes";
        Files.writeString(Path.of("target", "soak-report.txt"), report + "\n");
        List<String> failures = lines.stream().filter(l -> l.startsWith("failure ")).toList();
        assertTrue(failures.isEmpty() && child.exitValue() == 0, "exit " + child.exitValue() + ", " + failures + "\n"
                + String.join("\n", lines.stream().filter(l -> !l.startsWith("counters ")).limit(40).toList()) + "\n" + report);
        assertTrue(samples.size() >= 6, report);
        // flat: after the first sixth (JIT, metaspace, code caches warm up), the last third stays within slack of the rest
        int warm = samples.size() / 6, third = samples.size() / 3;
        String[] what = {"RSS (MiB)", "live native code (KiB)", "threads", "file descriptors"};
        long[] slack = {48, 32 << 10, 4, 8};
        for (int k = 0; k < what.length; k++) {
            long early = 0, late = 0;
            for (int i = warm; i < samples.size(); i++) {
                if (i < samples.size() - third) early = Math.max(early, samples.get(i)[k]);
                else late = Math.max(late, samples.get(i)[k]);
            }
            assertTrue(late <= early + slack[k], what[k] + " grew from " + early + " to " + late + ":\n" + report);
        }
    }

    static long statusField(long pid, String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith(field)) return Long.parseLong(line.replaceAll("\\D", ""));
        }
        throw new IOException("no " + field);
    }

    static long fds(long pid) throws IOException {
        try (var s = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return s.count();
        }
    }

    /** The soak's workload, in its own JVM: prints "counters CODE_KIB MODULES CALLS TRAPS INTERRUPTS COMPILED" every second. */
    public static final class Workload {
        static final int WORKERS = 4;

        public static void main(String[] args) throws Exception {
            double minutes = Double.parseDouble(args[0]);
            long end = System.nanoTime() + (long) (minutes * 60e9);
            Map<Tier, Engine> engines = new EnumMap<>(Tier.class);
            for (Tier t : Tier.values()) engines.put(t, Engines.of(t, 50, 500, true));
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            AtomicLong modules = new AtomicLong(), calls = new AtomicLong(), traps = new AtomicLong(), interrupts = new AtomicLong();
            List<Thread> threads = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                long seed = w;
                threads.add(Thread.ofPlatform().name("soak-" + w).start(() -> {
                    SplittableRandom random = new SplittableRandom(seed);
                    while (System.nanoTime() - end < 0 && failures.size() < 10) {
                        try {
                            round(engines, random, modules, calls, traps, interrupts);
                        } catch (Throwable t) {
                            failures.add(Thread.currentThread().getName() + ": " + t);
                        }
                    }
                }));
            }
            Path cacheDir = Files.createTempDirectory("kiln-soak-cache");
            AtomicLong compiled = new AtomicLong();
            threads.add(Thread.ofPlatform().name("soak-compiler").start(() -> {
                SplittableRandom random = new SplittableRandom(99);
                CodeCache cache = new CodeCache(cacheDir);
                while (System.nanoTime() - end < 0 && failures.size() < 10) {
                    try {
                        WasmModule m = MODULES.get(random.nextInt(MODULES.size()));
                        if (random.nextBoolean()) cache.clear();
                        NativeCompiler.prepare(m, cache, true, w -> { }, Tier.NATIVE, random.nextBoolean() ? CodeOptions.FUEL : CodeOptions.DEFAULT);
                        compiled.incrementAndGet();
                    } catch (Throwable t) {
                        failures.add("compiler: " + t);
                    }
                }
            }));
            while (threads.stream().anyMatch(Thread::isAlive)) {
                Thread.sleep(1000);
                System.out.println("counters " + (NativeCompiler.codeBytesInUse() >> 10) + " " + modules + " " + calls + " " + traps + " "
                        + interrupts + " " + compiled);
            }
            for (String f : failures) System.out.println("failure " + f);
            System.out.flush();
            System.exit(failures.isEmpty() ? 0 : 1);
        }
    }

    /** One worker round: a fresh store on a random tier, a few random calls (some trap, one may be interrupted), then drop it. */
    private static void round(Map<Tier, Engine> engines, SplittableRandom random, AtomicLong modules, AtomicLong calls,
                              AtomicLong traps, AtomicLong interrupts) {
        Tier tier = Tier.values()[random.nextInt(Tier.values().length)];
        try (Store store = engines.get(tier).newStore().maxWasmStack(random.nextBoolean() ? 64 << 10 : 512 << 10)) {
            Instance[] self = new Instance[1];
            Imports imports = new Imports().define(new HostFunction("host", "back", I32_TO_I32,
                    (c, a) -> a[0] <= 0 ? new long[] {0} : self[0].function("viaHost").call(a[0] - 1)), store);
            int program = random.nextInt(MODULES.size());
            WasmModule module = random.nextInt(4) == 0 ? MODULES.get(program) : WasmModule.of(PROGRAMS.get(program));
            self[0] = store.instantiate(module, imports);
            modules.incrementAndGet();
            for (int k = random.nextInt(1, 8); k > 0; k--) {
                String export = List.of("fib", "deep", "indirect", "grow", "load", "viaHost", "spin").get(random.nextInt(7));
                long arg = switch (export) {
                    case "fib" -> random.nextInt(1, 22);
                    case "indirect" -> random.nextInt(0, 3);
                    case "grow" -> random.nextInt(0, 3);
                    case "load" -> random.nextInt(0, 1 << 17);
                    case "viaHost" -> random.nextInt(1, 50);
                    default -> 0;
                };
                Thread stopper = null;
                if (export.equals("spin")) {
                    stopper = Thread.ofPlatform().start(() -> {
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException ignored) {
                            return;
                        }
                        store.interrupt();
                    });
                }
                try {
                    self[0].function(export).call(arg);
                } catch (WasmTrap t) {
                    traps.incrementAndGet();
                    if (t.kind() == TrapKind.INTERRUPTED) interrupts.incrementAndGet();
                    if (t.kind() == TrapKind.HOST_ERROR) throw new AssertionError(t.describe(), t);
                } finally {
                    if (stopper != null) {
                        try {
                            stopper.join();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }
                calls.incrementAndGet();
            }
        }
    }
}
