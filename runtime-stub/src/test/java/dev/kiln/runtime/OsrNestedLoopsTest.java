package dev.kiln.runtime;

import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * On-stack replacement into an inner loop whose outer loop counts with a loop-header parameter:
 * the outer counter must keep decreasing in the OSR variant. It did not (the SSA repair gave the
 * outer header a second parameter for the counter that shadowed the original and never changed),
 * so the program never ended on the auto tier. Found by the differential fuzzer.
 */
class OsrNestedLoopsTest {
    private static final byte[] BYTES = Wat.compile("""
            (module
              (func (export "f") (param $skip i32) (result i32)
                (local $outer i32) (local $middle i32) (local $inner i32) (local $count i32)
                (loop $L0
                  (block $b
                    (local.set $middle (i32.const 3))
                    (loop $L1
                      (br_if $b (local.get $skip))
                      (local.set $inner (i32.const 2))
                      (loop $L2
                        (local.set $count (i32.add (local.get $count) (i32.const 1)))
                        (br_if $L2 (i32.gt_s (local.tee $inner (i32.sub (local.get $inner) (i32.const 1))) (i32.const 0))))
                      (br_if $L1 (i32.gt_s (local.tee $middle (i32.sub (local.get $middle) (i32.const 1))) (i32.const 0)))))
                  (br_if $L0 (i32.gt_s (local.tee $outer (i32.sub (local.get $outer) (i32.const 1))) (i32.const 0))))
                (local.get $count)))
            """);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private Store store;
    private Engine engine = Engine.builder().tier(Tier.AUTO).precompiledCode(null).build();

    @AfterEach
    void restore() {
        timer.shutdownNow();
        if (store != null) store.close();
    }

    @Test
    void theOuterLoopStillCountsDownAfterEnteringTheInnerLoopByOsr() {
        assumeTrue(Target.host() == Target.X86_64, "native tiers run on x86-64 here");
        engine = Engine.builder().tier(Tier.AUTO).hotCalls(1).hotLoops(1).compileInBackground(false).precompiledCode(null).build();
        store = new Store(engine);
        Instance i = store.instantiate(WasmModule.of(BYTES), new Imports());
        timer.schedule(store::interrupt, 10, TimeUnit.SECONDS); // the bug made it loop forever: trap instead of hanging
        assertArrayEquals(new long[] {6}, i.function("f").call(0));
    }
}
