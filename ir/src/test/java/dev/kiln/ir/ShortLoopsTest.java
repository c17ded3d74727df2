package dev.kiln.ir;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.pass.Preparation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ShortLoops} on the IR a backend lowers: which loops may run without an interruption check. */
class ShortLoopsTest {
    /**
     * The number of short loops and of loops in {@code (func (param $n i32) (local $i i32) BODY)} ({@code $f} has a
     * loop, so calls to it are not inlined).
     */
    private static String count(String body) {
        ValidatedModule vm = ValidatedModule.of(Wat.compile("""
                (module (memory 1) (global $g (mut i32) (i32.const 0))
                  (func $f (result i32) (loop) (i32.load (i32.const 0)))
                  (func (param $n i32) (local $i i32) %s))""".formatted(body)));
        IrFunction f = Preparation.forBackend(vm, 1, CodeOptions.DEFAULT);
        return ShortLoops.headers(f).cardinality() + " of " + BackEdges.headers(f).cardinality();
    }

    private static String loop(String body, String condition) {
        return "(loop $l " + body + " (br_if $l " + condition + "))";
    }

    @Test
    void countedLoopsWithAConstantBoundAreShort() {
        String step = "(local.tee $i (i32.add (local.get $i) (i32.const 16)))";
        String body = "(i32.store (local.get $i) (i32.add (i32.load offset=4 (local.get $i)) (global.get $g)))";
        assertEquals("1 of 1", count(loop(body, "(i32.lt_u " + step + " (i32.const 4096))")));
        assertEquals("1 of 1", count(loop(body, "(i32.le_u " + step + " (i32.const 4096))")));
        assertEquals("1 of 1", count(loop(body, "(i32.gt_u (i32.const 4096) " + step + ")")));
        assertEquals("1 of 1", count(loop(body, "(i32.eqz (i32.ge_u " + step + " (i32.const 4096)))")));
        // 2^16 iterations at most, step 1
        assertEquals("1 of 1", count(loop(body, "(i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 65535))")));
        // an inner short loop inside an endless outer one: only the inner one
        assertEquals("1 of 2", count("(loop $o (local.set $i (i32.const 0)) " + loop(body, "(i32.lt_u " + step + " (i32.const 4096))")
                + " (br $o))"));
    }

    @Test
    void loopsThatMayRunLongKeepTheirCheck() {
        String step = "(local.tee $i (i32.add (local.get $i) (i32.const 1)))";
        String body = "(global.set $g (i32.add (global.get $g) (i32.const 1)))";
        assertEquals("0 of 1", count(loop(body, "(i32.lt_u " + step + " (local.get $n))")), "a bound that is not constant");
        assertEquals("0 of 1", count(loop(body, "(i32.lt_u " + step + " (i32.const 100000))")), "more than 2^16 iterations");
        assertEquals("0 of 1", count(loop(body, "(i32.lt_s " + step + " (i32.const 100))")), "signed: from -2^31 up");
        assertEquals("0 of 1", count(loop(body, "(i32.ne " + step + " (i32.const 100))")), "ne may never be false");
        // from $n here and below (from 0 the exit is taken at once, and the loop is gone: SparseConditionalConstants)
        assertEquals("0 of 1", count("(local.set $i (local.get $n)) " + loop(body, "(i32.gt_u " + step + " (i32.const 100))")),
                "counting up to the wrap");
        assertEquals("0 of 1", count("(local.set $i (local.get $n)) " + loop("(local.set $i (i32.add (local.get $i) (i32.const -1)))",
                "(i32.lt_u (local.get $i) (i32.const 100))")), "counting down");
        assertEquals("0 of 1", count(loop("(drop (call $f))", "(i32.lt_u " + step + " (i32.const 100))")), "a call");
        assertEquals("0 of 1", count(loop("(memory.fill (i32.const 0) (i32.const 0) (local.get $n))",
                "(i32.lt_u " + step + " (i32.const 100))")), "bulk memory");
        assertEquals("0 of 1", count(loop("(drop (memory.grow (i32.const 0)))", "(i32.lt_u " + step + " (i32.const 100))")), "memory.grow");
        assertEquals("0 of 1", count(loop("(if (local.get $n) (then " + body + "))", "(i32.lt_u " + step + " (i32.const 100))")),
                "more than one block");
        assertEquals("0 of 1", count("(loop $l " + body + " (br $l))"), "endless");
    }
}
