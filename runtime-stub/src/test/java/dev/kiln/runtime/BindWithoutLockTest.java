package dev.kiln.runtime;

import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.Target;
import dev.kiln.linker.CodeCache;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.NativeCompiler;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A background compile holds no lock the running program needs: while one function compiles, the
 * interpreter's questions ({@code hasCode}, stubs, other bindings) are answered at once; and the
 * native tier's compile on a cache miss counts as compiled in {@code --stats}, not as cache hits.
 */
class BindWithoutLockTest {
    private static final byte[] BYTES = Wat.compile("""
            (module
              (func $sq (export "sq") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (func $inc (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
              (func $dec (export "dec") (param i32) (result i32) (i32.sub (local.get 0) (i32.const 1))))
            """);

    @BeforeEach
    void x86Only() {
        assumeTrue(Target.host() == Target.X86_64, "native tiers run on x86-64 here");
    }

    @Test
    void whileOneFunctionCompilesTheModuleAnswersOtherThreadsAndBindsOthers() throws Exception {
        Backend host = Backends.host();
        CountDownLatch compiling = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // the host backend, except that compiling function 0 waits until released
        Backend slow = (Backend) Proxy.newProxyInstance(Backend.class.getClassLoader(), new Class<?>[] {Backend.class}, (p, method, args) -> {
            if (method.getName().equals("compile") && args.length == 5 && args[2] instanceof Integer f && f == 0) {
                compiling.countDown();
                assertTrue(release.await(60, TimeUnit.SECONDS));
            }
            try {
                return method.invoke(host, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        });
        ExecutorService threads = Executors.newCachedThreadPool(); // not the common pool: it may have one thread
        NativeModule nm = NativeModule.create(WasmModule.of(BYTES), slow, CodeOptions.DEFAULT);
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(() -> nm.bind(0), threads);
        assertTrue(compiling.await(60, TimeUnit.SECONDS));
        try {
            // before, bind held the module's lock through the compile, and each of these waited for it
            CompletableFuture<Void> others = CompletableFuture.runAsync(() -> {
                assertFalse(nm.hasCode(1));
                assertNotEquals(0, nm.stub(1));
                assertNotEquals(0, nm.bind(2));
            }, threads);
            others.get(30, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            threads.shutdown();
        }
        assertNotEquals(0, first.get(60, TimeUnit.SECONDS));
        assertEquals(nm.address(0), first.get());
        assertEquals(2, nm.stats.compiledCount.get());
    }

    @Test
    void theNativeTiersCompileOnACacheMissIsReportedAsCompiledNotAsCacheHits(@TempDir Path dir) {
        Engine engine = Engine.builder().tier(Tier.NATIVE).precompiledCode(null).build();
        WasmModule m = WasmModule.of(BYTES);
        assertEquals(NativeCompiler.Outcome.COMPILED_AND_STORED,
                NativeCompiler.prepare(m, new CodeCache(dir), true, w -> { }, Tier.NATIVE));
        try (Store store = new Store(engine)) {
            Instance i = store.instantiate(m, new Imports());
            assertArrayEquals(new long[] {49}, i.function("sq").call(7));
            TierReport r = TierReport.of(m, store, 5);
            assertEquals(3, r.compiled(), r.text());
            assertEquals(0, r.boundFromCache(), r.text());
        }
        WasmModule again = WasmModule.of(BYTES);
        assertEquals(NativeCompiler.Outcome.CACHE_HIT, NativeCompiler.prepare(again, new CodeCache(dir), true, w -> { }, Tier.NATIVE));
        try (Store store = new Store(engine)) {
            Instance i = store.instantiate(again, new Imports());
            assertArrayEquals(new long[] {49}, i.function("sq").call(7));
            TierReport r = TierReport.of(again, store, 5);
            assertEquals(0, r.compiled(), r.text());
            assertEquals(1, r.boundFromCache(), r.text());
        }
    }
}
