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
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.wasi.WasiConfig;
import dev.kiln.runtime.wasi.WasiPreview1;
import dev.kiln.tests.wasi.KilnProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link Store#interrupt()} and {@code --timeout} stop a program that is blocked in a host call, not
 * only one that runs guest code: WASI's {@code fd_read} on a standard input that never delivers, a
 * {@code poll_oneoff} sleeping for 20 s, and an embedder's host function sleeping, on every tier.
 */
class InterruptBlockedCallsTest {
    static final byte[] PROGRAM = Wat.compile("""
            (module
              (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
              (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll (param i32 i32 i32 i32) (result i32)))
              (import "host" "sleep" (func $sleep (param i32) (result i32)))
              (memory (export "memory") 1)
              ;; iovec {buf 1024, len 64} at 16; nread at 32
              (func (export "read") (result i32)
                (i32.store (i32.const 16) (i32.const 1024))
                (i32.store (i32.const 20) (i32.const 64))
                (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 32)))
              ;; one relative monotonic clock subscription of 20 s at 64; the event at 128, the count at 192
              (func (export "nap") (result i32)
                (i64.store (i32.const 64) (i64.const 7))
                (i32.store8 (i32.const 72) (i32.const 0))
                (i32.store (i32.const 80) (i32.const 1))
                (i64.store (i32.const 88) (i64.const 20000000000))
                (i64.store (i32.const 96) (i64.const 0))
                (i32.store16 (i32.const 104) (i32.const 0))
                (call $poll (i32.const 64) (i32.const 128) (i32.const 1) (i32.const 192)))
              (func (export "sleep") (result i32) (call $sleep (i32.const 20000))))
            """);

    /** A WASI program that reads a line from standard input. */
    static final byte[] READER = Wat.compile("""
            (module
              (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
              (memory (export "memory") 1)
              (func (export "_start")
                (i32.store (i32.const 16) (i32.const 1024))
                (i32.store (i32.const 20) (i32.const 64))
                (drop (call $fd_read (i32.const 0) (i32.const 16) (i32.const 1) (i32.const 32)))))
            """);

    /** An input stream that never delivers a byte nor ends (a terminal nobody types into). */
    static final class SilentInput extends InputStream {
        private final CountDownLatch never = new CountDownLatch(1);

        @Override
        public int read() {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return -1;
        }

        @Override
        public int available() {
            return 0;
        }
    }

    private static final FunctionType I32_TO_I32 = FunctionType.returning(ValueType.I32, ValueType.I32);

    @ParameterizedTest
    @EnumSource(StoreThreadingTest.Mode.class)
    void interruptWakesEveryBlockedCall(StoreThreadingTest.Mode mode) throws Exception {
        if (mode != StoreThreadingTest.Mode.INTERP) assumeTrue(Backends.host() != null, "no native tier here");
        try (Store store = new Store().tier(mode.tier);
             WasiPreview1 wasi = new WasiPreview1(WasiConfig.builder().stdin(new SilentInput())
                     .stdout(new ByteArrayOutputStream()).stderr(new ByteArrayOutputStream()).build())) {
            Imports imports = new Imports().defineAll(wasi.hostFunctions(), store)
                    .define(new HostFunction("host", "sleep", I32_TO_I32, (c, a) -> {
                        Thread.sleep(a[0]);
                        return new long[] {0};
                    }), store);
            Instance instance = store.instantiate(WasmModule.of(PROGRAM), imports);
            for (String export : List.of("read", "nap", "sleep", "read")) {
                AtomicReference<Object> outcome = new AtomicReference<>();
                CountDownLatch done = new CountDownLatch(1);
                Thread caller = Thread.ofPlatform().start(() -> {
                    try {
                        outcome.set(instance.function(export).call());
                    } catch (Throwable t) {
                        outcome.set(t);
                    }
                    outcome.compareAndSet(null, "no outcome");
                    if (Thread.currentThread().isInterrupted()) outcome.set("the interrupt status was left set");
                    done.countDown();
                });
                Thread.sleep(300); // let it block
                long start = System.nanoTime();
                store.interrupt();
                assertTrue(done.await(5, TimeUnit.SECONDS), export + " still blocked 5 s after interrupt() on " + mode);
                long ms = (System.nanoTime() - start) / 1_000_000;
                assertTrue(outcome.get() instanceof WasmTrap t && t.kind() == TrapKind.INTERRUPTED,
                        export + " on " + mode + ": " + outcome.get());
                assertTrue(ms < 2000, export + " took " + ms + " ms to stop");
                caller.join();
            }
        }
    }

    @TempDir
    Path dir;

    /** {@code kiln run --timeout} on a program reading a standard input that stays open. */
    @Test
    void theTimeoutStopsAProgramWaitingForInput() throws Exception {
        Path wasm = dir.resolve("reader.wasm");
        Files.write(wasm, READER);
        for (String tier : List.of("interp", "native")) {
            if (tier.equals("native") && Backends.host() == null) continue;
            Process p = new ProcessBuilder(KilnProcess.javaCommand(List.of("run", "--tier", tier, "--no-cache", "--timeout", "500",
                    wasm.toString()))).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try (OutputStream stdin = p.getOutputStream()) { // held open: nothing ever arrives, nothing ends
                boolean exited = p.waitFor(20, TimeUnit.SECONDS);
                if (!exited) p.destroyForcibly().waitFor();
                assertTrue(exited, tier + ": kiln run --timeout 500 still waiting for input after 20 s");
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(134, p.exitValue(), err);
                assertTrue(err.contains("wasm trap: interrupted"), err);
                assertFalse(err.contains("Exception"), err);
            }
        }
    }
}
