package dev.kiln.runtime;

import dev.kiln.frontend.text.WatParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GC heap under a small cap: collections free what is unreachable and keep what the roots reach. */
class GcHeapTest {
    /**
     * Builds a list of {@code n} nodes (value k at node k), replaces the list held in a global
     * {@code rounds} times, and sums the last one; the live data stays at one list while the
     * allocated bytes are {@code rounds} lists.
     */
    private static final String LISTS = """
            (module
              (type $bytes (array (mut i8)))
              (type $node (struct (field $v i32) (field $next (ref null $node)) (field $pad (ref null $bytes))))
              (global $keep (mut (ref null $node)) (ref.null $node))
              (func $build (param $n i32) (result (ref null $node))
                (local $l (ref null $node))
                (block $done
                  (loop $next
                    (br_if $done (i32.eqz (local.get $n)))
                    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                    (local.set $l (struct.new $node (local.get $n) (local.get $l) (array.new_default $bytes (i32.const 100))))
                    (br $next)))
                (local.get $l))
              (func $sum (param $l (ref null $node)) (result i32)
                (local $s i32)
                (block $done
                  (loop $next
                    (br_if $done (ref.is_null (local.get $l)))
                    (local.set $s (i32.add (local.get $s) (struct.get $node $v (local.get $l))))
                    (local.set $l (struct.get $node $next (local.get $l)))
                    (br $next)))
                (local.get $s))
              (func (export "run") (param $n i32) (param $rounds i32) (result i32)
                (loop $again
                  (global.set $keep (call $build (local.get $n)))
                  (local.set $rounds (i32.sub (local.get $rounds) (i32.const 1)))
                  (br_if $again (local.get $rounds)))
                (call $sum (global.get $keep)))
              (func (export "sumKept") (result i32) (call $sum (global.get $keep))))
            """;

    private static WasmModule module(String wat) {
        return WasmModule.of(WatParser.parse(wat, "gc.wat").binary());
    }

    @Test
    void allocatingFarMoreThanTheHeapHoldsCollectsAndKeepsTheLiveList() {
        try (Store store = new Store().maxGcHeapBytes(4 << 20)) {
            Instance i = store.instantiate(module(LISTS), new Imports());
            // 2 000 nodes of ~150 bytes: ~300 KB live; 400 rounds allocate ~120 MB through a 4 MiB heap
            long[] r = i.function("run").call(2000, 400);
            assertEquals(2000 * 1999 / 2, (int) r[0]);
            long[] stats = store.gcStats();
            assertTrue(stats[0] >= 20, "collections: " + stats[0]);
            assertTrue(stats[1] <= 4 << 20, "committed bytes: " + stats[1]);
            assertArrayEquals(new long[] {2000 * 1999 / 2}, i.function("sumKept").call());
        }
    }

    @Test
    void liveDataPastTheCapTraps() {
        try (Store store = new Store().maxGcHeapBytes(2 << 20)) {
            Instance i = store.instantiate(module(LISTS), new Imports());
            // one list of 40 000 nodes (~6 MB) cannot fit under 2 MiB: a trap, not an OutOfMemoryError
            WasmTrap t = assertThrows(WasmTrap.class, () -> i.function("run").call(40_000, 1));
            assertEquals(TrapKind.OUT_OF_GC_MEMORY, t.kind());
            // the store still works, and a smaller list fits after the failed one is collected
            assertEquals(10 * 9 / 2, (int) i.function("run").call(10, 3)[0]);
        }
    }

    @Test
    void objectsReachableOnlyFromATableSurvive() {
        try (Store store = new Store().maxGcHeapBytes(2 << 20)) {
            Instance i = store.instantiate(module("""
                    (module
                      (type $box (struct (field i64)))
                      (table $t 1 (ref null $box))
                      (func (export "keep") (table.set $t (i32.const 0) (struct.new $box (i64.const 77))))
                      (func (export "churn") (param $n i32)
                        (loop $l
                          (drop (array.new_default $arr (i32.const 1000)))
                          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                          (br_if $l (local.get $n))))
                      (type $arr (array i64))
                      (func (export "read") (result i64) (struct.get $box 0 (table.get $t (i32.const 0)))))
                    """), new Imports());
            i.function("keep").call();
            i.function("churn").call(5000); // 40 MB of garbage
            assertTrue(store.gcStats()[0] > 0);
            assertArrayEquals(new long[] {77}, i.function("read").call());
        }
    }

    @Test
    void objectsReachableOnlyFromAnExceptionOrAGlobalSurvive() {
        try (Store store = new Store().maxGcHeapBytes(2 << 20)) {
            Instance i = store.instantiate(module("""
                    (module
                      (type $box (struct (field i64)))
                      (type $arr (array i64))
                      (tag $t (param (ref $box)))
                      (global $exn (mut exnref) (ref.null exn))
                      (global $g (mut anyref) (ref.null any))
                      (func (export "keep")
                        (global.set $g (struct.new $box (i64.const 5)))
                        (block $h (result (ref $box) exnref)
                          (try_table (catch_ref $t $h) (throw $t (struct.new $box (i64.const 9))))
                          (unreachable))
                        (global.set $exn)
                        (drop))
                      (func (export "churn") (param $n i32)
                        (loop $l
                          (drop (array.new_default $arr (i32.const 1000)))
                          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                          (br_if $l (local.get $n))))
                      (func (export "read") (result i64)
                        (i64.add
                          (struct.get $box 0 (ref.cast (ref $box) (global.get $g)))
                          (block $h (result (ref $box))
                            (try_table (catch $t $h) (throw_ref (global.get $exn)))
                            (unreachable))
                          (struct.get $box 0))))
                    """), new Imports());
            i.function("keep").call();
            i.function("churn").call(5000);
            assertTrue(store.gcStats()[0] > 0);
            assertArrayEquals(new long[] {14}, i.function("read").call());
        }
    }

    @Test
    void javaCannotPassAWordThatIsNoObjectOfTheParametersType() {
        try (Store store = new Store()) {
            Instance i = store.instantiate(module("""
                    (module
                      (type $box (struct (field i64)))
                      (func (export "make") (result (ref $box)) (struct.new $box (i64.const 3)))
                      (func (export "get") (param (ref $box)) (result i64) (struct.get $box 0 (local.get 0)))
                      (func (export "any") (param anyref) (result i32) (ref.test (ref i31) (local.get 0))))
                    """), new Imports());
            long box = i.function("make").call()[0];
            assertArrayEquals(new long[] {3}, i.function("get").call(box));
            assertThrows(IllegalArgumentException.class, () -> i.function("get").call(box + 8));
            assertThrows(IllegalArgumentException.class, () -> i.function("get").call(0));
            assertThrows(IllegalArgumentException.class, () -> i.function("any").call(4096));
            assertArrayEquals(new long[] {0}, i.function("any").call(box));
            assertArrayEquals(new long[] {0}, i.function("any").call(store.externRef("host")));
        }
    }
}
