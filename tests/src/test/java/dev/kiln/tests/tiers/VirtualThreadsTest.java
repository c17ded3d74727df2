package dev.kiln.tests.tiers;

import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.FunctionType;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.Engine;
import dev.kiln.tests.api.Engines;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Guest code on virtual threads: a virtual thread runs on whichever carrier mounts it, and moves
 * between carriers whenever it yields, so the stack limit must belong to the carrier running each
 * call. Hundreds of virtual threads, each yielding between calls: a trivial call never reports a
 * false "call stack exhausted", unbounded recursion traps (never a crash), host calls and host
 * calls back into the guest work, on every tier.
 */
class VirtualThreadsTest {
    static final int THREADS = 300;

    static final byte[] PROGRAM = Wat.compile("""
            (module
              (import "host" "back" (func $back (param i32) (result i32)))
              (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
              (func $down (export "down") (param i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                  (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1)))))))
              (func $forever (export "forever") (param i32) (result i32) (i32.add (i32.const 1) (call $forever (local.get 0))))
              (func (export "viaHost") (param i32) (result i32) (i32.add (i32.const 1) (call $back (local.get 0)))))
            """);


    @ParameterizedTest
    @EnumSource(StoreThreadingTest.Mode.class)
    void hundredsOfVirtualThreadsRunGuestCodeCorrectly(StoreThreadingTest.Mode mode) throws Exception {
        if (mode != StoreThreadingTest.Mode.INTERP) assumeTrue(Backends.host() != null, "no native tier here");
        Engine engine = mode == StoreThreadingTest.Mode.AUTO ? Engines.of(Tier.AUTO, 5, 50, true) : Engines.of(mode.tier);
        WasmModule module = WasmModule.of(PROGRAM);
        List<String> failures = new CopyOnWriteArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                pool.submit(() -> {
                    try {
                        run(engine, module, id);
                    } catch (Throwable e) {
                        failures.add("virtual thread " + id + ": " + e);
                    }
                });
            }
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.MINUTES), "virtual threads did not finish");
        }
        Engines.awaitCompilations();
        assertTrue(failures.isEmpty(), failures.size() + " failures, e.g. " + failures.stream().limit(5).toList());
    }

    private static final FunctionType I32_TO_I32 = FunctionType.returning(ValueType.I32, ValueType.I32);

    private static void run(Engine engine, WasmModule module, int id) throws Exception {
        try (Store store = engine.newStore()) {
            Instance[] self = new Instance[1];
            Imports imports = new Imports().define(new HostFunction("host", "back", I32_TO_I32, (caller, args) -> {
                Thread.sleep(0, 1000); // blocks while native frames pin the virtual thread to its carrier
                return args[0] == 0 ? new long[] {0} : self[0].function("viaHost").call(args[0] - 1);
            }), store);
            Instance i = self[0] = store.instantiate(module, imports);
            for (int k = 0; k < 60; k++) {
                assertEquals(id + k, i.function("add").call(id, k)[0], "add");
                Thread.yield(); // lets the scheduler move this virtual thread to another carrier
                assertEquals(200, i.function("down").call(200)[0], "down");
                Thread.sleep(0, 1000);
            }
            assertEquals(5, i.function("viaHost").call(4)[0], "host calls back into the guest");
            for (int k = 0; k < 3; k++) {
                try {
                    i.function("forever").call(0);
                    throw new AssertionError("unbounded recursion returned");
                } catch (WasmTrap t) {
                    assertEquals(TrapKind.CALL_STACK_EXHAUSTED, t.kind(), t.describe());
                }
                Thread.yield();
            }
            assertEquals(7, i.function("add").call(3, 4)[0], "the store works after exhaustion");
        }
    }
}
