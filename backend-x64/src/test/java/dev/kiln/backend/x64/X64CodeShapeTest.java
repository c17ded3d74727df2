package dev.kiln.backend.x64;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.SymbolNames;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shape of the code around calls and returns: hints, an epilogue per return, lea, constants on edges. */
class X64CodeShapeTest {
    private static List<String> listing(String wat) {
        ValidatedModule vm = ValidatedModule.of(Wat.compile(wat));
        return X64Backend.INSTANCE.compile(vm, SymbolNames.of(vm.module()), 0, CodeOptions.DEFAULT, true).listing();
    }

    /** The listing of the module's first defined function after one imported function. */
    private static List<String> listing1(String wat) {
        ValidatedModule vm = ValidatedModule.of(Wat.compile(wat));
        return X64Backend.INSTANCE.compile(vm, SymbolNames.of(vm.module()), 1, CodeOptions.DEFAULT, true).listing();
    }

    private static List<String> listing(String wat, CpuFeatures cpu) {
        ValidatedModule vm = ValidatedModule.of(Wat.compile(wat));
        return X64Backend.forCpu(cpu).compile(vm, SymbolNames.of(vm.module()), 0, CodeOptions.DEFAULT, true).listing();
    }

    /** z = z*z - w + c, w = a / z: each operation once, the subtraction and division with the result in the right operand's register. */
    private static final String FLOATS = """
            (module (func (param f64 f64 f64) (result f64) (local $i i32)
              (loop $l
                (local.set 1 (f64.div (local.get 2) (local.get 0)))
                (local.set 0 (f64.add (f64.sub (f64.mul (local.get 0) (local.get 0)) (local.get 1)) (local.get 2)))
                (local.set 0 (f64.sqrt (local.get 0)))
                (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 100))))
              (f64.sub (local.get 2) (local.get 0))))
            """;

    @Test
    void floatArithmeticWithAvxTakesThreeOperandsAndNoCopies() {
        List<String> l = listing(FLOATS, CpuFeatures.X86_64_V3);
        String all = String.join("\n", l);
        for (String op : List.of("vmulsd", "vsubsd", "vaddsd", "vdivsd", "vsqrtsd")) assertTrue(all.contains(op), op + ":\n" + all);
        assertFalse(all.matches("(?s).*\\b(mulsd|subsd|addsd|divsd|sqrtsd) .*"), "no two-operand arithmetic:\n" + all);
        assertFalse(all.matches("(?s).*movsd +xmm[0-9]+,xmm.*"), "no register copies before an operation:\n" + all);
    }

    @Test
    void floatRegisterCopiesWithoutAvxCopyTheWholeRegister() {
        List<String> l = listing(FLOATS, CpuFeatures.X86_64);
        String all = String.join("\n", l);
        assertTrue(all.contains("mulsd"), all);
        // movsd between registers merges into the destination's old value (a false dependency)
        assertFalse(all.matches("(?s).*movsd +xmm[0-9]+,xmm.*"), "copies are movaps:\n" + all);
    }

    private static long count(List<String> listing, String text) {
        return listing.stream().filter(l -> l.contains(text)).count();
    }

    @Test
    void recursiveCallUsesHintsAndReturnsWithoutAJump() {
        List<String> l = listing("""
                (module (func $f (param i32) (result i32)
                  (if (i32.lt_s (local.get 0) (i32.const 2)) (then (return (local.get 0))))
                  (i32.add (call $f (i32.sub (local.get 0) (i32.const 1))) (i32.const 1))))
                """);
        String all = String.join("\n", l);
        assertFalse(all.contains("epilogue"), "no jump to a shared epilogue:\n" + all);
        assertEquals(2, count(l, "ret"), "one epilogue per return:\n" + all);
        assertTrue(all.contains("sub    edi,0x1"), "the argument is computed in place, in its register:\n" + all);
        assertFalse(all.contains("mov    rsi,rdi"), "the parameter stays where it arrives:\n" + all);
    }

    @Test
    void aConstantPassedAlongAnEdgeIsWrittenThereNotKeptInARegister() {
        // k counts to 100 but leaves the loop early through an edge that passes the constant 7
        List<String> l = listing("""
                (module (func (param i32) (result i32) (local $k i32)
                  (block $out (result i32)
                    (loop $l
                      (drop (br_if $out (i32.const 7) (i32.eq (local.get $k) (local.get 0))))
                      (local.set $k (i32.add (local.get $k) (i32.const 1)))
                      (br_if $l (i32.lt_u (local.get $k) (i32.const 100))))
                    (local.get $k))))
                """);
        String all = String.join("\n", l);
        assertTrue(all.contains(",0x7"), "7 is written into the parameter's register at the edge:\n" + all);
        assertEquals(1, count(l, "0x7"), "and materialised nowhere else:\n" + all);
    }

    @Test
    void aConstantAddressIsADisplacement() {
        List<String> l = listing("""
                (module (memory 1)
                  (func (result i32)
                    (i32.store offset=8 (i32.const 1024) (i32.load offset=16 (i32.const 2048)))
                    (f64.store (i32.const 0) (f64.load (i32.const 64)))
                    (i32.load (i32.const 0x7ffffffc))
                    (i32.load offset=1 (i32.const 0x7fffffff))
                    (i32.add)))
                """);
        String all = String.join("\n", l);
        assertTrue(all.contains("DWORD PTR [r14+0x810]"), "the load's address and offset in one displacement:\n" + all);
        assertTrue(all.contains("DWORD PTR [r14+0x408]"), "the store's:\n" + all);
        assertTrue(all.contains("QWORD PTR [r14+0x40]") && all.contains("QWORD PTR [r14]"), all);
        assertTrue(all.contains("[r14+0x7ffffffc]"), "an access from 2^31 - 4 still fits:\n" + all);
        assertTrue(all.contains(",0x7fffffff") && all.contains("*1+0x1]"), "2^31 is no displacement: register plus offset:\n" + all);
        assertFalse(all.matches("(?s).*(xor +e[a-z0-9]+,e|mov +e[a-z0-9]+,0x[48]00\\b).*"), "no address materialised:\n" + all);
    }

    /**
     * Twelve i64 values live across a loop (more than the registers), the last of them used in
     * the loop: that value ends last, so whole-range linear scan spills it and the loop reads it
     * from its slot every iteration. Split at the loop, its part inside the loop is a header
     * parameter and stays in a register; the value around the loop is the one spilled, and the
     * only reload is the loop entry's move.
     */
    private static String liveAcrossLoop(String loopBody) {
        int n = 12;
        StringBuilder w = new StringBuilder("(module (func $g (import \"m\" \"g\") (param i64) (result i64))\n (func (param");
        for (int k = 0; k < n; k++) w.append(" i64");
        w.append(") (param $n i64) (result i64) (local $i i64) (local $s i64)");
        for (int k = 0; k < n; k++) w.append(" (local $a").append(k).append(" i64)");
        for (int k = 0; k < n; k++) w.append("\n (local.set $a").append(k).append(" (i64.mul (local.get ").append(k).append(") (i64.const ").append(k + 3).append(")))");
        w.append("\n (loop $l ").append(loopBody)
                .append("\n (br_if $l (i64.lt_u (local.tee $i (i64.add (local.get $i) (i64.const 1))) (local.get $n))))");
        String sum = "(local.get $s)";
        for (int k = 0; k < n; k++) sum = "(i64.add " + sum + " (local.get $a" + k + "))";
        return w.append("\n ").append(sum).append("))").toString();
    }

    /** The listing lines of the loop: from the back edge's target to the back edge. */
    private static List<String> loopBody(List<String> listing) {
        for (int k = listing.size() - 1; k >= 0; k--) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\s*([0-9a-f]+): +j[a-z]+ +0x([0-9a-f]+)").matcher(listing.get(k));
            if (m.find() && Long.parseLong(m.group(2), 16) < Long.parseLong(m.group(1), 16)) {
                String target = m.group(2);
                for (int j = 0; j < k; j++) {
                    if (listing.get(j).matches("^\\s*" + target + ":.*")) return listing.subList(j, k + 1);
                }
            }
        }
        throw new AssertionError("no back edge in\n" + String.join("\n", listing));
    }

    @Test
    void aValueUsedInALoopUnderPressureIsSplitAndNotReloadedInTheLoop() {
        List<String> l = listing1(liveAcrossLoop("""
                (local.set $s (i64.add (local.get $s) (i64.mul (local.get $a11) (local.get $i))))
                (local.set $s (i64.xor (local.get $s) (local.get $a11)))"""));
        List<String> loop = loopBody(l);
        String all = String.join("\n", l);
        assertTrue(loop.stream().noneMatch(x -> x.contains("[rbp-")), "no stack slot read or written inside the loop:\n" + all);
    }

    @Test
    void aValueUsedAfterACallInALoopIsReadAtMostOnceAnIteration() {
        // the loop's i, s and n take the three callee-saved registers, so a11's loop part lives in a slot across
        // the call; it is used twice after the call, and split after the call it is read once, into a register
        List<String> l = listing1(liveAcrossLoop("""
                (local.set $s (i64.add (local.get $s) (call $g (local.get $i))))
                (local.set $s (i64.add (local.get $s) (i64.mul (local.get $a11) (local.get $i))))
                (local.set $s (i64.xor (local.get $s) (local.get $a11)))"""));
        List<String> loop = loopBody(l);
        String all = String.join("\n", l);
        long slotReads = loop.stream().filter(x -> x.contains("[rbp-")).count();
        assertTrue(slotReads <= 2, "at most one slot read an iteration (and the VMContext's reload):\n"
                + String.join("\n", loop) + "\n\nwhole function:\n" + all);
    }

    /**
     * A 64-bit constant (no imm32: every use needs it in a register) set before a call and read on
     * both sides of it, with twelve values live across the call, each read twice: the constant,
     * read three times over the longest interval, is the cheapest to spill, and whole-range linear
     * scan would store it once and reload it at each use.
     * Rematerialised, each use computes it again with a {@code movabs} and no slot holds it.
     */
    @Test
    void aSpilledConstantIsRecomputedAtEachUseNotStoredAndReloaded() {
        int n = 12;
        StringBuilder w = new StringBuilder("(module (func $g (import \"m\" \"g\") (param i64) (result i64))\n (func (param");
        for (int k = 0; k < n; k++) w.append(" i64");
        w.append(") (result i64) (local $c i64) (local $s i64)\n (local.set $c (i64.const 0x123456789abc))");
        w.append("\n (local.set $s (call $g (i64.xor (local.get 0) (local.get $c))))");
        String sum = "(local.get $s)";
        for (int k = 0; k < n; k++) sum = "(i64.add " + sum + " (i64.mul (local.get " + k + ") (local.get " + k + ")))";
        sum = "(i64.xor (i64.add " + sum + " (local.get $c)) (local.get $c))";
        List<String> l = listing1(w.append("\n ").append(sum).append("))").toString());
        String all = String.join("\n", l);
        long defs = 0;
        for (int k = 0; k < l.size(); k++) {
            if (!l.get(k).contains("0x123456789abc")) continue;
            defs++;
            assertFalse(k + 1 < l.size() && l.get(k + 1).matches(".*mov +QWORD PTR \\[rbp-0x[0-9a-f]+\\],r.*"),
                    "the constant is not stored to a slot:\n" + all);
        }
        assertEquals(3, defs, "computed at each of its three uses:\n" + all);
    }

    /**
     * Sixteen values made from x, each read once at the end, and x read between each of them to
     * the very end: x ends last, so spilling what ends last spills x and reads its slot at each of
     * its 64 uses. Spilling by cost spills a few of the sixteen (one use each over a long interval)
     * and keeps x, read everywhere, in its register.
     */
    @Test
    void aValueUsedEverywhereKeepsItsRegisterAndValuesUsedOnceAreSpilled() {
        int n = 16;
        StringBuilder w = new StringBuilder("(module (func (param $x i64) (result i64)");
        for (int k = 0; k < n; k++) w.append(" (local $a").append(k).append(" i64)");
        for (int k = 0; k < n; k++) {
            w.append("\n (local.set $a").append(k).append(" (i64.mul (local.get $x) (i64.add (local.get $x) (i64.const ")
                    .append(k + 1).append("))))");
        }
        String sum = "(local.get $x)";
        for (int k = 0; k < n; k++) sum = "(i64.add (i64.xor " + sum + " (local.get $a" + k + ")) (local.get $x))";
        List<String> l = listing(w.append("\n ").append(sum).append("))").toString());
        String all = String.join("\n", l);
        long slotReads = l.stream().filter(x -> x.matches(".*,QWORD PTR \\[rbp-0x[0-9a-f]+\\].*")).count();
        assertTrue(slotReads <= 8, "each spilled value read once, x never (" + slotReads + " slot reads):\n" + all);
    }

    /** A select of a comparison used only by it: the comparison's flags decide the select (Cranelift's {@code cmp; cmova}). */
    @Test
    void aSelectOfACompareIsOneCmovOnTheComparisonsFlags() {
        List<String> ints = listing("""
                (module (func (param i32 i32 i32 i32) (result i32)
                  (select (local.get 2) (local.get 3) (i32.gt_u (local.get 0) (local.get 1)))))
                """);
        String all = String.join("\n", ints);
        assertEquals(1, count(ints, "cmova") + count(ints, "cmovbe"), "one cmov on above (or its inverse):\n" + all);
        assertFalse(all.matches("(?s).*\\bset[a-z]+ .*") || all.contains("movzx"), "no 0/1 value made:\n" + all);
        assertFalse(all.contains("cmovne"), "no test of a 0/1 value:\n" + all);

        List<String> constant = listing("""
                (module (func (param i64 i64 i64) (result i64)
                  (select (local.get 1) (local.get 2) (i64.lt_s (local.get 0) (i64.const 100)))))
                """);
        all = String.join("\n", constant);
        assertTrue(all.contains(",0x64"), "the constant is the compare's immediate:\n" + all);
        assertEquals(1, count(constant, "cmovl") + count(constant, "cmovge"), all);
        assertFalse(all.matches("(?s).*\\bset[a-z]+ .*"), all);

        List<String> floats = listing("""
                (module (func (param f64 f64 i32 i32) (result i32)
                  (select (local.get 2) (local.get 3) (f64.lt (local.get 0) (local.get 1)))))
                """);
        all = String.join("\n", floats);
        assertTrue(all.contains("ucomisd"), all);
        assertEquals(1, count(floats, "cmova") + count(floats, "cmovbe"), "lt is gt swapped: one cmov on above:\n" + all);
        assertFalse(all.matches("(?s).*\\bset[a-z]+ .*"), all);
    }
}
