package dev.kiln.frontend.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Loops whose headers would not start on a 32-byte boundary unless the backend aligns them (code
 * before the loop of odd sizes), as WebAssembly text, each function 0 exporting {@code run}: shared
 * by the backends' tests that loop headers are aligned (docs/design-changes.md, "Loop headers
 * aligned") and the tests that run them.
 */
public final class LoopModules {
    /** A sum of squares after one multiplication: the preheader falls through into the loop. */
    public static final String SUM_AFTER_ONE_MULTIPLY = """
            (module (func (export "run") (param i32 i32) (result i32) (local i32)
              (local.set 2 (i32.mul (local.get 1) (i32.const 7)))
              (block (loop
                (br_if 1 (i32.eqz (local.get 0)))
                (local.set 2 (i32.add (local.get 2) (i32.mul (local.get 0) (local.get 0))))
                (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
                (br 0)))
              (local.get 2)))
            """;

    /** Two nested loops (a triangle of products) and a third after them, with memory traffic between. */
    public static final String NESTED_AND_SEQUENTIAL = """
            (module (memory 1) (func (export "run") (param $n i32) (param $m i32) (result i32) (local $i i32) (local $j i32) (local $s i32)
              (i32.store (i32.const 8) (i32.add (local.get $m) (i32.const 12345)))
              (loop $outer
                (local.set $j (i32.const 0))
                (loop $inner
                  (local.set $s (i32.add (local.get $s) (i32.mul (local.get $i) (local.get $j))))
                  (local.set $j (i32.add (local.get $j) (i32.const 1)))
                  (br_if $inner (i32.lt_u (local.get $j) (local.get $i))))
                (i32.store (i32.const 16) (local.get $s))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br_if $outer (i32.lt_u (local.get $i) (local.get $n))))
              (loop $again
                (local.set $s (i32.xor (local.get $s) (i32.load (i32.const 8))))
                (local.set $m (i32.sub (local.get $m) (i32.const 1)))
                (br_if $again (i32.gt_s (local.get $m) (i32.const 0))))
              (local.get $s)))
            """;

    /** Every module above. */
    public static final List<String> ALL = List.of(SUM_AFTER_ONE_MULTIPLY, NESTED_AND_SEQUENTIAL);

    /** A function without loops: nothing to pad. */
    public static final String NO_LOOP = "(module (func (export \"run\") (param i32 i32) (result i32) "
            + "(i32.mul (i32.add (local.get 0) (i32.const 3)) (local.get 1))))";

    /**
     * Checks the listings {@code listing} gives of function 0 of each module (a backward branch: a line
     * {@code branch} matches, group 1 its offset and group 2 its target, both hex): each has a loop, the
     * header of every outermost loop (a backward branch's target that no other backward branch spans)
     * starts on a multiple of {@code boundary}, a nested header that the outer loop's header falls into
     * (as in {@link #NESTED_AND_SEQUENTIAL}) has no padding before it ({@code nop}: it would run on every
     * iteration of the outer loop), and {@link #NO_LOOP} has no padding.
     */
    public static void assertHeadersAligned(Function<String, List<String>> listing, Pattern branch, String nop, int boundary) {
        for (String wat : ALL) {
            List<String> l = listing.apply(wat);
            String all = String.join("\n", l);
            List<int[]> loops = new ArrayList<>();
            for (String line : l) {
                Matcher m = branch.matcher(line);
                if (!m.find()) continue;
                int at = Integer.parseInt(m.group(1), 16), target = Integer.parseInt(m.group(2), 16);
                if (target <= at) loops.add(new int[] {target, at});
            }
            assertTrue(!loops.isEmpty(), "a loop:\n" + all);
            for (int[] loop : loops) {
                boolean nested = loops.stream().anyMatch(o -> o[0] < loop[0] && loop[0] <= o[1]);
                if (!nested) {
                    assertEquals(0, loop[0] % boundary, "loop header at 0x" + Integer.toHexString(loop[0]) + ":\n" + all);
                } else {
                    String before = lineBefore(l, loop[0]);
                    if (!before.contains("jmp") && !before.contains("\tb\t")) {
                        assertTrue(!before.contains(nop), "no padding before the nested header at 0x" + Integer.toHexString(loop[0]) + ":\n" + all);
                    }
                }
            }
            assertTrue(l.stream().anyMatch(s -> s.contains(nop)), "padded with no-ops:\n" + all);
        }
        List<String> l = listing.apply(NO_LOOP);
        assertTrue(l.stream().noneMatch(s -> s.contains(nop)), "no padding without a loop:\n" + String.join("\n", l));
    }

    /** The listing line before the one at {@code offset}. */
    private static String lineBefore(List<String> listing, int offset) {
        Pattern at = Pattern.compile("^\\s*" + Integer.toHexString(offset) + ":");
        for (int k = 1; k < listing.size(); k++) if (at.matcher(listing.get(k)).find()) return listing.get(k - 1);
        throw new AssertionError("no instruction at 0x" + Integer.toHexString(offset) + " in\n" + String.join("\n", listing));
    }

    private LoopModules() {
    }
}
