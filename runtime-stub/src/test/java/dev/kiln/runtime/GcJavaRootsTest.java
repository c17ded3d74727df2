package dev.kiln.runtime;

import dev.kiln.frontend.text.WatParser;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GC references held by Java (call results, handles, host objects) against collections. */
class GcJavaRootsTest {
    private static final String BOXES = """
            (module
              (type $bytes (array (mut i8)))
              (type $box (struct (field i64) (field (ref null $bytes))))
              (table $t (export "t") 4 externref)
              (func (export "make") (param i64 i32) (result (ref $box))
                (struct.new $box (local.get 0) (array.new_default $bytes (local.get 1))))
              (func (export "get") (param (ref $box)) (result i64) (struct.get $box 0 (local.get 0)))
              (func (export "ext") (param i64) (result externref)
                (extern.convert_any (struct.new $box (local.get 0) (ref.null $bytes))))
              (func (export "back") (param externref) (result i64)
                (struct.get $box 0 (ref.cast (ref $box) (any.convert_extern (local.get 0)))))
              (func (export "keepHost") (param externref) (table.set $t (i32.const 0) (local.get 0)))
              (func (export "churn") (param $n i32)
                (loop $l
                  (drop (array.new_default $bytes (i32.const 8000)))
                  (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                  (br_if $l (local.get $n)))))
            """;

    private static Instance boxes(Store store) {
        return store.instantiate(WasmModule.of(WatParser.parse(BOXES, "boxes.wat").binary()), new Imports());
    }

    @Test
    void anObjectReturnedToJavaSurvivesLaterCollections() {
        try (Store store = new Store().maxGcHeapBytes(2 << 20)) {
            Instance i = boxes(store);
            long box = i.function("make").call(3, 100)[0];
            i.function("churn").call(5000); // 40 MB of garbage through a 2 MiB heap
            assertTrue(store.gcStats()[0] > 5, "collections: " + store.gcStats()[0]);
            assertEquals("struct", store.referenceKind(box));
            assertArrayEquals(new long[] {3}, i.function("get").call(box));
        }
    }

    @Test
    void aScopeReleasesTheResultsItRooted() {
        try (Store store = new Store().maxGcHeapBytes(4 << 20)) {
            Instance i = boxes(store);
            long before = store.rootStats()[1];
            // 200 boxes of 100 KB: 20 MB, only possible if each scope's box is freed
            for (int k = 0; k < 200; k++) {
                try (GcScope scope = store.gcScope()) {
                    long box = i.function("make").call(k, 100_000)[0];
                    assertArrayEquals(new long[] {k}, i.function("get").call(box));
                }
            }
            assertEquals(before, store.rootStats()[1]);
            // without scopes every result stays rooted until the store closes: the same loop runs out of heap
            WasmTrap t = assertThrows(WasmTrap.class, () -> {
                for (int k = 0; k < 200; k++) i.function("make").call(k, 100_000);
            });
            assertEquals(TrapKind.OUT_OF_GC_MEMORY, t.kind());
        }
    }

    @Test
    void aHandleOutlivesItsScopeUntilClosed() {
        try (Store store = new Store().maxGcHeapBytes(2 << 20)) {
            Instance i = boxes(store);
            GcRef handle;
            try (GcScope scope = store.gcScope()) {
                handle = store.gcRef(i.function("make").call(42, 100)[0]);
            }
            i.function("churn").call(5000);
            assertEquals("struct", handle.kind());
            assertArrayEquals(new long[] {42}, i.function("get").call(handle.raw()));
            long rooted = store.rootStats()[1];
            handle.close();
            assertEquals(rooted - 1, store.rootStats()[1]);
            assertThrows(IllegalArgumentException.class, () -> store.gcRef(12345 << 3));
        }
    }

    @Test
    void aGcValueMadeExternalReachesJavaAsAHandleAndGoesBackAsTheSameValue() {
        try (Store store = new Store().maxGcHeapBytes(2 << 20)) {
            Instance i = boxes(store);
            Object o;
            try (GcScope scope = store.gcScope()) {
                o = store.externObject(i.function("ext").call(17)[0]);
            }
            GcRef ref = assertInstanceOf(GcRef.class, o);
            assertEquals("struct", ref.kind());
            i.function("churn").call(5000);
            assertArrayEquals(new long[] {17}, i.function("back").call(store.externRef(ref)));
            assertEquals(ref.raw(), store.externRef(ref));
            // through the typed API too: the externref result is a handle, and passing it back is the value
            Object typed = i.function("ext").apply(5L)[0];
            assertArrayEquals(new Object[] {5L}, i.function("back").apply(typed));
        }
    }

    @Test
    void hostObjectsNothingHoldsAreCollected() {
        try (Store store = new Store().maxGcHeapBytes(2 << 20)) {
            Instance i = boxes(store);
            long hostsBefore = store.rootStats()[0];
            Object last = null;
            for (int k = 0; k < 10_000; k++) {
                try (GcScope scope = store.gcScope()) {
                    last = new Object();
                    i.function("keepHost").call(store.externRef(last));
                }
            }
            i.function("churn").call(5000);
            long hosts = store.rootStats()[0] - hostsBefore;
            assertTrue(hosts <= 4, "host objects still held: " + hosts);
            // the one the table holds survived, with its identity
            assertSame(last, i.table("t").element(0));
        }
    }

    @Test
    void hostObjectsOfAModuleWithoutGcTypesAreCollectedToo() {
        try (Store store = new Store()) {
            Instance i = store.instantiate(WasmModule.of(WatParser.parse("""
                    (module
                      (global $g (mut externref) (ref.null extern))
                      (func (export "keep") (param externref) (global.set $g (local.get 0)))
                      (func (export "kept") (result externref) (global.get $g)))
                    """, "hosts.wat").binary()), new Imports());
            for (int k = 0; k < 100_000; k++) {
                try (GcScope scope = store.gcScope()) {
                    Object o = "host " + k;
                    i.function("keep").call(store.externRef(o));
                }
            }
            assertTrue(store.rootStats()[0] < 20_000, "host objects: " + store.rootStats()[0]);
            assertEquals("host 99999", store.externObject(i.function("kept").call()[0]));
        }
    }

    /**
     * Native code that gets fresh host objects from a host function and drops them while it keeps
     * running: collections inside the run (its allocations) drop them (the scan of its frames finds
     * none), while the one a native local holds survives with its identity (checked at every host
     * call). Before, every host object lived until the last native frame returned.
     */
    @Test
    void hostObjectsNativeCodeDroppedAreCollectedWhileItRuns() {
        Engine engine = Engine.builder().tier(Tier.NATIVE).precompiledCode(null).compileInBackground(false).build();
        try (Store store = new Store(engine).maxGcHeapBytes(2 << 20)) {
            long[] mostHeld = new long[1];
            Object[] first = new Object[1];
            long[] firstWord = new long[1], lostAt = {-1}, calls = new long[1];
            Imports imports = new Imports().define(new HostFunction("env", "fresh", FunctionType.returning(ValueType.EXTERNREF),
                    (caller, args) -> {
                        mostHeld[0] = Math.max(mostHeld[0], store.rootStats()[0]);
                        if (first[0] != null && lostAt[0] < 0 && !alive(store, firstWord[0])) lostAt[0] = calls[0];
                        calls[0]++;
                        Object o = new Object();
                        long word = store.externRef(o);
                        if (first[0] == null) {
                            first[0] = o;
                            firstWord[0] = word;
                        }
                        return new long[] {word};
                    }), store);
            Instance i = store.instantiate(WasmModule.of(WatParser.parse(BOXES.replace("(module", """
                    (module
                      (import "env" "fresh" (func $fresh (result externref)))
                      (func (export "freshLoop") (param $n i32) (result externref) (local $kept externref)
                        (local.set $kept (call $fresh))
                        (loop $l
                          (drop (call $fresh))
                          (drop (array.new_default $bytes (i32.const 2000)))
                          (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                          (br_if $l (local.get $n)))
                        (local.get $kept))
                    """.stripTrailing()), "fresh.wat").binary()), imports);
            long r = i.function("freshLoop").call(30_000)[0];
            assertTrue(calls[0] > 30_000 && store.gcStats()[0] > 10, calls[0] + " host calls, " + store.gcStats()[0] + " collections");
            assertEquals(-1, lostAt[0], "the kept host object was dropped before host call " + lostAt[0]);
            assertSame(first[0], store.externObject(r));
            assertTrue(mostHeld[0] < 15_000, "host objects held during the native run: " + mostHeld[0]);
        }
    }

    private static boolean alive(Store store, long word) {
        try {
            return store.externObject(word) != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Test
    void aHostFunctionsArgumentsStayAliveWhileItRuns() {
        try (Store store = new Store().maxGcHeapBytes(2 << 20)) {
            Instance[] self = new Instance[1];
            long[] seen = new long[1];
            Imports imports = new Imports().define(new HostFunction("env", "visit",
                    FunctionType.returning(ValueType.I64, ValueType.EXTERNREF),
                    (caller, args) -> {
                        self[0].function("churn").call(5000); // collects while only this frame holds the argument
                        seen[0] = self[0].function("back").call(args[0])[0];
                        return new long[] {seen[0]};
                    }), store);
            self[0] = store.instantiate(WasmModule.of(WatParser.parse(BOXES.replace("(module", """
                    (module
                      (import "env" "visit" (func $visit (param externref) (result i64)))
                      (func (export "visitNew") (result i64) (call $visit (call $ext (i64.const 99))))
                      (func $ext (param i64) (result externref)
                        (extern.convert_any (struct.new $box (local.get 0) (ref.null $bytes))))
                    """.stripTrailing()), "visit.wat").binary()), imports);
            assertArrayEquals(new long[] {99}, self[0].function("visitNew").call());
        }
    }
}
