package dev.kiln.linker;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.BitSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The interval set behind VirtualMemory's committed-page bookkeeping agrees with a bit set. */
class CommittedPagesProperties {
    record Op(boolean add, int start, int length) {
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        return Combinators.combine(Arbitraries.of(true, false), Arbitraries.integers().between(0, 63),
                Arbitraries.integers().between(0, 20)).as(Op::new).list().ofMaxSize(30);
    }

    @Property(tries = 500, seed = "20261122")
    void agreesWithABitSet(@ForAll("ops") List<Op> ops, @ForAll("ops") List<Op> queries) {
        CommittedPages set = new CommittedPages();
        BitSet model = new BitSet();
        for (Op op : ops) {
            if (op.add()) {
                set.add(op.start(), op.start() + op.length());
                model.set(op.start(), op.start() + op.length());
            } else {
                set.remove(op.start(), op.start() + op.length());
                model.clear(op.start(), op.start() + op.length());
            }
        }
        assertEquals(model.cardinality(), set.total());
        for (Op q : queries) {
            int end = q.start() + q.length();
            boolean all = model.nextClearBit(q.start()) >= end;
            assertEquals(all, set.covers(q.start(), end), q.toString());
        }
    }
}
