package dev.kiln.runtime;

import dev.kiln.frontend.text.WatParser;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * An exception thrown by the rest of a function run by on-stack replacement leaves the
 * activation: the continuation ran the function's own handlers already. The interpreter looked for
 * a handler at the loop header where the replacement began, which here lies in a {@code try_table}
 * that catches everything, so the exception was caught a second time and the rest of the function
 * ran again (the global was decremented twice). Found by the differential fuzzer (auto tier with
 * thresholds of one call and one back-edge).
 */
class OsrExceptionTest {
    private static final byte[] BYTES = WatParser.parse("""
            (module
              (tag $t)
              (global $g (mut i32) (i32.const 14))
              (func $nothing)
              (func $f (param $n i32)
                (loop $L
                  (block $b
                    (try_table (catch_all $b)
                      (call $nothing)))
                  (br_if $L (i32.gt_s (local.tee $n (i32.sub (local.get $n) (i32.const 1))) (i32.const 0))))
                (global.set $g (i32.sub (global.get $g) (i32.const 1)))
                (throw $t))
              (func (export "probe") (result i32)
                (block $h (try_table (catch_all $h) (call $f (i32.const 3))))
                (global.get $g)))
            """, "osr-exception.wat").binary();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private Store store;

    @AfterEach
    void restore() {
        timer.shutdownNow();
        if (store != null) store.close();
    }

    private long[] probe(Engine engine) {
        store = new Store(engine);
        Instance i = store.instantiate(WasmModule.of(BYTES), new Imports());
        timer.schedule(store::interrupt, 10, TimeUnit.SECONDS);
        return i.function("probe").call();
    }

    @Test
    void theInterpreterRunsTheRestOnce() {
        assertArrayEquals(new long[] {13}, probe(Engine.builder().tier(Tier.INTERP).precompiledCode(null).build()));
    }

    @Test
    void anExceptionFromTheOsrContinuationLeavesTheActivation() {
        assumeTrue(Target.host() == Target.X86_64, "native tiers run on x86-64 here");
        Engine engine = Engine.builder().tier(Tier.AUTO).hotCalls(1).hotLoops(1).compileInBackground(false).precompiledCode(null).build();
        assertArrayEquals(new long[] {13}, probe(engine));
    }
}
