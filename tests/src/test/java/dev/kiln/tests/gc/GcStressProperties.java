package dev.kiln.tests.gc;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.GcRef;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.tests.wasm3.Wat3;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * GC stress against a model: random programs build, relink and drop a graph of nodes (cycles
 * included) held from a table, a global, an exception payload, an interpreter frame and Java
 * handles, while garbage forces collections under a 2 MiB heap and more collections run at random
 * points ({@link Store#gc}). After every step that reads the graph, a digest of what each root
 * reaches (ids three edges deep) must equal the model's: an object freed while reachable, or
 * overwritten by a later allocation, changes it. Fixed seed, on the interpreter, {@code auto},
 * native code (everything compiled at once) and while tiering up.
 */
class GcStressProperties {
    private static final int SLOTS = 8;
    private static final int DEPTH = 3;
    private static final byte[] MODULE = Wat3.compile("""
            (module
              (rec
                (type $node (struct (field $id i64) (field $edges (ref $edges))))
                (type $edges (array (mut (ref null $node)))))
              (type $bytes (array (mut i8)))
              (table $roots 8 (ref null $node))
              (global $g (mut (ref null $node)) (ref.null $node))
              (global $exn (mut exnref) (ref.null exn))
              (tag $t (param (ref null $node)))
              (func $at (param $slot i32) (result (ref $node)) (ref.as_non_null (table.get $roots (local.get $slot))))
              (func (export "alloc") (param $slot i32) (param $id i64) (param $n i32)
                (table.set $roots (local.get $slot) (struct.new $node (local.get $id) (array.new_default $edges (local.get $n)))))
              (func (export "link") (param $from i32) (param $e i32) (param $to i32)
                (array.set $edges (struct.get $node $edges (call $at (local.get $from))) (local.get $e) (table.get $roots (local.get $to))))
              (func (export "follow") (param $slot i32) (param $from i32) (param $e i32)
                (table.set $roots (local.get $slot) (array.get $edges (struct.get $node $edges (call $at (local.get $from))) (local.get $e))))
              (func (export "drop") (param $slot i32) (table.set $roots (local.get $slot) (ref.null $node)))
              (func (export "toGlobal") (param $slot i32) (global.set $g (table.get $roots (local.get $slot))))
              (func (export "fromGlobal") (param $slot i32) (table.set $roots (local.get $slot) (global.get $g)))
              (func (export "toExn") (param $slot i32)
                (global.set $exn (block $h (result exnref)
                  (try_table (catch_all_ref $h) (throw $t (table.get $roots (local.get $slot))))
                  (unreachable))))
              (func (export "fromExn") (param $slot i32)
                (table.set $roots (local.get $slot) (block $h (result (ref null $node))
                  (try_table (catch $t $h) (throw_ref (global.get $exn)))
                  (unreachable))))
              (func (export "get") (param $slot i32) (result (ref null $node)) (table.get $roots (local.get $slot)))
              (func (export "set") (param $slot i32) (param $v (ref null $node)) (table.set $roots (local.get $slot) (local.get $v)))
              (func $garbage (param $n i32)
                (loop $l
                  (if (local.get $n) (then
                    (drop (struct.new $node (i64.const -1) (array.new_default $edges (i32.const 3))))
                    (drop (array.new_default $bytes (i32.const 2000)))
                    (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                    (br $l)))))
              (func (export "garbage") (param $n i32) (call $garbage (local.get $n)))
              (func (export "holdAcross") (param $slot i32) (param $n i32)
                (local $x (ref null $node))
                (local.set $x (table.get $roots (local.get $slot)))
                (table.set $roots (local.get $slot) (ref.null $node))
                (call $garbage (local.get $n))
                (table.set $roots (local.get $slot) (local.get $x)))
              (func $digest (param $x (ref null $node)) (param $depth i32) (result i64)
                (local $h i64) (local $k i32) (local $e (ref $edges))
                (if (ref.is_null (local.get $x)) (then (return (i64.const 7))))
                (local.set $h (struct.get $node $id (local.get $x)))
                (if (i32.eqz (local.get $depth)) (then (return (local.get $h))))
                (local.set $e (struct.get $node $edges (local.get $x)))
                (block $done
                  (loop $l
                    (br_if $done (i32.ge_u (local.get $k) (array.len (local.get $e))))
                    (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31))
                      (call $digest (array.get $edges (local.get $e) (local.get $k)) (i32.sub (local.get $depth) (i32.const 1)))))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $l)))
                (local.get $h))
              (func (export "digest") (param $slot i32) (result i64)
                (call $digest (table.get $roots (local.get $slot)) (i32.const 3))))
            """);

    /** One step of a stress program; slots and indices are reduced to valid ones when it runs. */
    sealed interface Step permits Alloc, Link, Follow, Drop, ToGlobal, FromGlobal, ToExn, FromExn, Hold, Release, Restore,
            Garbage, HoldAcross, Collect, Digest {
    }

    record Alloc(int slot, int edges) implements Step { }
    record Link(int from, int edge, int to) implements Step { }
    record Follow(int slot, int from, int edge) implements Step { }
    record Drop(int slot) implements Step { }
    record ToGlobal(int slot) implements Step { }
    record FromGlobal(int slot) implements Step { }
    record ToExn(int slot) implements Step { }
    record FromExn(int slot) implements Step { }
    record Hold(int slot) implements Step { }
    record Release(int handle) implements Step { }
    record Restore(int slot, int handle) implements Step { }
    record Garbage(int n) implements Step { }
    record HoldAcross(int slot, int n) implements Step { }
    record Collect() implements Step { }
    record Digest(int slot) implements Step { }

    /** The model: what the program's graph must be. */
    private static final class Node {
        final long id;
        final Node[] edges;

        Node(long id, int n) {
            this.id = id;
            this.edges = new Node[n];
        }
    }

    private static long digest(Node x, int depth) {
        if (x == null) return 7;
        long h = x.id;
        if (depth == 0) return h;
        for (Node e : x.edges) h = h * 31 + digest(e, depth - 1);
        return h;
    }

    @Provide
    Arbitrary<List<Step>> programs() {
        Arbitrary<Integer> slot = Arbitraries.integers().between(0, SLOTS - 1);
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 7);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                Tuple.of(6, Combinators.combine(slot, Arbitraries.integers().between(0, 4)).as(Alloc::new)),
                Tuple.of(8, Combinators.combine(slot, small, slot).as(Link::new)),
                Tuple.of(4, Combinators.combine(slot, slot, small).as(Follow::new)),
                Tuple.of(3, slot.map(Drop::new)),
                Tuple.of(1, slot.map(ToGlobal::new)),
                Tuple.of(1, slot.map(FromGlobal::new)),
                Tuple.of(1, slot.map(ToExn::new)),
                Tuple.of(1, slot.map(FromExn::new)),
                Tuple.of(2, slot.map(Hold::new)),
                Tuple.of(1, small.map(Release::new)),
                Tuple.of(1, Combinators.combine(slot, small).as(Restore::new)),
                Tuple.of(3, Arbitraries.integers().between(1, 300).map(Garbage::new)),
                Tuple.of(1, Combinators.combine(slot, Arbitraries.integers().between(1, 300)).as(HoldAcross::new)),
                Tuple.of(1, Arbitraries.just(new Collect())),
                Tuple.of(3, slot.map(Digest::new)));
        return step.list().ofMinSize(20).ofMaxSize(150);
    }

    @Property(tries = 60, seed = "20261207", shrinking = ShrinkingMode.FULL)
    void theGraphSurvivesCollectionsOnTheInterpreter(@ForAll("programs") @Size(min = 20) List<Step> program) {
        run(program, Tier.INTERP);
    }

    @Property(tries = 30, seed = "20261208", shrinking = ShrinkingMode.FULL)
    void theGraphSurvivesCollectionsUnderAuto(@ForAll("programs") @Size(min = 20) List<Step> program) {
        run(program, Tier.AUTO);
    }

    /**
     * Every function but the two that throw and catch (native code declines exceptions) compiled
     * at its first call: the graph lives in native frames, and collections scan them.
     */
    @Property(tries = 30, seed = "20261209", shrinking = ShrinkingMode.FULL)
    void theGraphSurvivesCollectionsInNativeCode(@ForAll("programs") @Size(min = 20) List<Step> program) {
        run(program, Engine.builder().tier(Tier.AUTO).hotCalls(1).hotLoops(1).precompiledCode(null).compileInBackground(false).build());
    }

    /** Functions tier up after a few calls, loops (the garbage loop) by on-stack replacement in the middle. */
    @Property(tries = 30, seed = "20261210", shrinking = ShrinkingMode.FULL)
    void theGraphSurvivesCollectionsWhileTieringUp(@ForAll("programs") @Size(min = 20) List<Step> program) {
        run(program, Engine.builder().tier(Tier.AUTO).hotCalls(4).hotLoops(150).precompiledCode(null).compileInBackground(false).build());
    }

    private static void run(List<Step> program, Tier tier) {
        run(program, Engine.builder().tier(tier).build());
    }

    private static void run(List<Step> program, Engine engine) {
        try (Store store = new Store(engine).maxGcHeapBytes(2 << 20)) {
            Instance i = store.instantiate(WasmModule.of(MODULE), new Imports());
            Node[] roots = new Node[SLOTS];
            Node[] global = new Node[1];
            Node[] exn = null; // the payload of the exception held, once one is
            List<GcRef> handles = new ArrayList<>();
            List<Node> held = new ArrayList<>();
            long nextId = 1;
            int n = 0;
            for (Step s : program) {
                n++;
                switch (s) {
                    case Alloc a -> {
                        long id = nextId++;
                        i.function("alloc").call(a.slot(), id, a.edges());
                        roots[a.slot()] = new Node(id, a.edges());
                    }
                    case Link l -> {
                        Node from = roots[l.from()];
                        if (from == null || from.edges.length == 0) continue;
                        int e = l.edge() % from.edges.length;
                        i.function("link").call(l.from(), e, l.to());
                        from.edges[e] = roots[l.to()];
                    }
                    case Follow f -> {
                        Node from = roots[f.from()];
                        if (from == null || from.edges.length == 0) continue;
                        int e = f.edge() % from.edges.length;
                        i.function("follow").call(f.slot(), f.from(), e);
                        roots[f.slot()] = from.edges[e];
                    }
                    case Drop d -> {
                        i.function("drop").call(d.slot());
                        roots[d.slot()] = null;
                    }
                    case ToGlobal g -> {
                        i.function("toGlobal").call(g.slot());
                        global[0] = roots[g.slot()];
                    }
                    case FromGlobal g -> {
                        i.function("fromGlobal").call(g.slot());
                        roots[g.slot()] = global[0];
                    }
                    case ToExn x -> {
                        i.function("toExn").call(x.slot());
                        exn = new Node[] {roots[x.slot()]};
                    }
                    case FromExn x -> {
                        if (exn == null) continue;
                        i.function("fromExn").call(x.slot());
                        roots[x.slot()] = exn[0];
                    }
                    case Hold h -> {
                        if (roots[h.slot()] == null) continue;
                        try (var scope = store.gcScope()) {
                            handles.add(store.gcRef(i.function("get").call(h.slot())[0]));
                        }
                        held.add(roots[h.slot()]);
                    }
                    case Release r -> {
                        if (handles.isEmpty()) continue;
                        int k = r.handle() % handles.size();
                        handles.remove(k).close();
                        held.remove(k);
                    }
                    case Restore r -> {
                        if (handles.isEmpty()) continue;
                        int k = r.handle() % handles.size();
                        i.function("set").call(r.slot(), handles.get(k).raw());
                        roots[r.slot()] = held.get(k);
                    }
                    case Garbage g -> i.function("garbage").call(g.n());
                    case HoldAcross h -> i.function("holdAcross").call(h.slot(), h.n());
                    case Collect c -> store.gc();
                    case Digest d -> assertEquals(digest(roots[d.slot()], DEPTH), i.function("digest").call(d.slot())[0],
                            "slot " + d.slot() + " after step " + n + " " + s);
                }
            }
            store.gc();
            for (int k = 0; k < SLOTS; k++) {
                assertEquals(digest(roots[k], DEPTH), i.function("digest").call(k)[0], "slot " + k + " at the end");
            }
            for (int k = 0; k < handles.size(); k++) {
                i.function("set").call(0, handles.get(k).raw());
                assertEquals(digest(held.get(k), DEPTH), i.function("digest").call(0)[0], "Java handle " + k + " at the end");
            }
        }
    }
}
