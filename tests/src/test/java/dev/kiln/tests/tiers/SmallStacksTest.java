package dev.kiln.tests.tiers;

import dev.kiln.frontend.ValType;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.FunctionType;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.tests.api.Engines;
import dev.kiln.tests.wasi.KilnProcess;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Running out of stack near the bottom of a thread's stack, with host calls on the way: guest code
 * that recurses and calls a host function at every level, guest code that recurses through the host
 * (host to guest re-entry), host code that overflows its own Java stack, and a function whose frame
 * is larger than the whole reserve, on threads of every stack size from 128 KiB to 1 MiB (HotSpot
 * raises the smallest to its minimum), in every tier. Each ends in a trap or a result, never in a
 * JVM crash (an FFM upcall that meets a StackOverflowError ends the JVM, so the limit keeps room for
 * HotSpot's guard and shadow zones and the Java path of an upcall).
 */
class SmallStacksTest {
    static final byte[] PROGRAM = Wat.compile("""
            (module
              (import "host" "tick" (func $tick (param i32) (result i32)))
              (import "host" "back" (func $back (param i32) (result i32)))
              (import "host" "overflow" (func $overflow (param i32) (result i32)))
              (func $rec (export "rec") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                  (else (i32.add (call $tick (local.get 0)) (call $rec (i32.sub (local.get 0) (i32.const 1)))))))
              (func $viaHost (export "viaHost") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                  (else (i32.add (i32.const 1) (call $back (i32.sub (local.get 0) (i32.const 1)))))))
              (func $javaOverflow (export "javaOverflow") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (call $overflow (i32.const 0)))
                  (else (i32.add (i32.const 1) (call $javaOverflow (i32.sub (local.get 0) (i32.const 1)))))))
              (func $big (export "big") (param i32) (result i32)
                %s))
            """.formatted(bigFrameBody()));

    /**
     * A function keeping 20 000 values over its recursive call: a frame of about 160 KiB, more than
     * the reserve at the bottom of a thread's stack.
     */
    private static String bigFrameBody() {
        int n = 20_000;
        StringBuilder b = new StringBuilder("(local");
        for (int i = 0; i < n; i++) b.append(" i64");
        b.append(")\n");
        for (int i = 1; i <= n; i++) b.append("local.get 0 i64.extend_i32_u i64.const ").append(i).append(" i64.add local.set ").append(i).append('\n');
        b.append("(if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0)) (else\n");
        b.append("local.get 0 i32.const 1 i32.sub call $big i64.extend_i32_u\n");
        for (int i = 1; i <= n; i++) b.append("local.get ").append(i).append(" i64.add\n");
        return b.append("i32.wrap_i64))").toString();
    }

    private static final FunctionType I32_TO_I32 = FunctionType.returning(ValueType.I32, ValueType.I32);


    /** Stack sizes from 128 KiB to 1 MiB in {@code step}-KiB steps. */
    static int step() {
        return 8;
    }

    @ParameterizedTest
    @EnumSource(StoreThreadingTest.Mode.class)
    void runningOutOfStackIsATrapOnEveryStackSize(StoreThreadingTest.Mode mode) throws Exception {
        if (mode != StoreThreadingTest.Mode.INTERP) assumeTrue(Backends.host() != null, "no native tier here");
        // auto: everything native after its first call
        Engine engine = mode == StoreThreadingTest.Mode.AUTO ? Engines.of(Tier.AUTO, 1, 1, false) : Engines.of(mode.tier);
        WasmModule module = WasmModule.of(PROGRAM);
        List<String> problems = new ArrayList<>();
        int ran = 0;
        for (int kib = 128; kib <= 1024; kib += step()) {
            String[] outcome = new String[1];
            Thread t = new Thread(null, () -> outcome[0] = exercise(engine, module), "stack-" + kib + "k", kib * 1024L);
            t.start();
            t.join(120_000);
            if (outcome[0] == null) problems.add(kib + " KiB: no outcome");
            else if (!outcome[0].isEmpty()) problems.add(kib + " KiB: " + outcome[0]);
            ran++;
        }
        assertTrue(problems.isEmpty(), problems.toString());
        assertTrue(ran > 0);
    }

    /** Runs every shape once; returns "" when each trapped with call stack exhausted or returned its result. */
    private static String exercise(Engine engine, WasmModule module) {
        StringBuilder problems = new StringBuilder();
        try (Store store = engine.newStore()) {
            Instance[] self = new Instance[1];
            Imports imports = new Imports()
                    .define(new HostFunction("host", "tick", I32_TO_I32, (c, a) -> new long[] {Long.toString(a[0]).length() > 0 ? 1 : 0}), store)
                    .define(new HostFunction("host", "back", I32_TO_I32, (c, a) -> self[0].function("viaHost").call(a[0])), store)
                    .define(new HostFunction("host", "overflow", I32_TO_I32, (c, a) -> new long[] {javaRecursion(0)}), store);
            self[0] = store.instantiate(module, imports);
            check(problems, self[0], "rec", 10_000_000, 10_000_000);
            check(problems, self[0], "viaHost", 10_000_000, 10_000_000);
            check(problems, self[0], "javaOverflow", 50, -1); // the host's own overflow is reported as exhaustion too
            check(problems, self[0], "big", 1_000_000, 1_000_000);
            check(problems, self[0], "rec", 3, 3);
        } catch (Throwable t) {
            problems.append(t);
        }
        return problems.toString();
    }

    /**
     * Issue 12 item 3 as reported: {@code kiln run} in a JVM whose threads have 256 KiB stacks
     * ({@code -Xss256k}, as {@code JDK_JAVA_OPTIONS} would set it) on a WASI program that recurses
     * through {@code clock_time_get}, on every tier: the run ends with the trap, never a JVM abort.
     */
    @ParameterizedTest
    @EnumSource(StoreThreadingTest.Mode.class)
    void kilnRunWithSmallThreadStacksTrapsOnAWasiRecursion(StoreThreadingTest.Mode mode, @TempDir Path dir) throws Exception {
        if (mode != StoreThreadingTest.Mode.INTERP) assumeTrue(Backends.host() != null, "no native tier here");
        Path wat = dir.resolve("clockrec.wat");
        Files.writeString(wat, """
                (module
                  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock (param i32 i64 i32) (result i32)))
                  (memory (export "memory") 1)
                  (func $rec (param i32) (result i32)
                    (drop (call $clock (i32.const 1) (i64.const 0) (i32.const 8)))
                    (i32.add (i32.const 1) (call $rec (i32.add (local.get 0) (i32.const 1)))))
                  (func (export "_start") (drop (call $rec (i32.const 0)))))
                """);
        List<String> args = List.of("run", "--tier", mode.name().toLowerCase(Locale.ROOT), wat.toString());
        KilnProcess.Result r = KilnProcess.run(KilnProcess.javaCommand(List.of("-Xss256k"), args), null, Duration.ofMinutes(3), null);
        String err = r.stderrText();
        assertTrue(err.contains("call stack exhausted"), mode + ": exit " + r.exit() + ": " + err);
        assertFalse(err.contains("fatal error") || err.contains("hs_err") || err.contains("Unrecoverable"), mode + ": " + err);
        assertEquals(134, r.exit(), mode + ": " + err);
    }

    private static long javaRecursion(long n) {
        return n < 0 ? 0 : 1 + javaRecursion(n + 1);
    }

    private static void check(StringBuilder problems, Instance i, String export, long arg, long expected) {
        try {
            long r = i.function(export).call(arg)[0];
            if (r != expected) problems.append(export).append(" returned ").append(r).append("; ");
        } catch (WasmTrap t) {
            if (t.kind() != TrapKind.CALL_STACK_EXHAUSTED) problems.append(export).append(": ").append(t.describe()).append("; ");
        }
    }

    @ParameterizedTest
    @EnumSource(StoreThreadingTest.Mode.class)
    void theBudgetIsTheStoresOnABigStack(StoreThreadingTest.Mode mode) throws Exception {
        if (mode != StoreThreadingTest.Mode.INTERP) assumeTrue(Backends.host() != null, "no native tier here");
        long[] depth = new long[1];
        Thread t = new Thread(null, () -> {
            try (Store store = new Store().tier(mode.tier)) {
                Imports imports = new Imports()
                        .define(new HostFunction("host", "tick", I32_TO_I32, (c, a) -> {
                            depth[0]++;
                            return new long[] {1};
                        }), store)
                        .define(new HostFunction("host", "back", I32_TO_I32, (c, a) -> new long[] {0}), store)
                        .define(new HostFunction("host", "overflow", I32_TO_I32, (c, a) -> new long[] {0}), store);
                Instance i = store.instantiate(WasmModule.of(PROGRAM), imports);
                WasmTrap trap = Assertions.assertThrows(WasmTrap.class, () -> i.function("rec").call(100_000_000));
                assertEquals(TrapKind.CALL_STACK_EXHAUSTED, trap.kind());
            }
        }, "big-stack", 64L << 20);
        t.start();
        t.join();
        // 512 KiB by default, whatever the thread has: a few thousand frames, not millions
        assertTrue(depth[0] > 1000 && depth[0] < 100_000, "depth " + depth[0]);
    }
}
