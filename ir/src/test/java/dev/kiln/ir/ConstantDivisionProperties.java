package dev.kiln.ir;

import dev.kiln.frontend.ValType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.pass.ConstantDivision;
import dev.kiln.ir.pass.Optimizer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ConstantDivision}: {@code div}/{@code rem} of i32 and i64, signed and unsigned, by a
 * constant become multiplies and shifts that give the divide's result for every dividend (checked
 * by evaluating the rewritten IR with {@link Numerics}, as the interpreter computes each
 * instruction, against Java's division), for divisors of every size and sign, powers of two, MIN,
 * and dividends at the edges (0, ±1, MIN, MAX, around multiples of the divisor).
 */
class ConstantDivisionProperties {
    /** Dividends at the edges, and the ones around multiples of the divisor. */
    private static final long[] EDGES = {0, 1, 2, 60, 61, 62, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL, -1, -2, -61,
            Integer.MIN_VALUE, Integer.MIN_VALUE + 1L, Integer.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, Long.MAX_VALUE,
            Long.MAX_VALUE - 1, 1L << 32, (1L << 32) + 1, 1L << 63 >>> 1};

    @Provide
    Arbitrary<Long> divisors() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, 300), Arbitraries.longs().between(1, 0xFFFF_FFFFL),
                Arbitraries.longs().between(-300, -1), Arbitraries.longs(), Arbitraries.longs().between(0, 63).map(s -> 1L << s),
                Arbitraries.longs().between(0, 63).map(s -> -(1L << s)),
                Arbitraries.of(3L, 7L, 13L, 17L, 61L, 96L, 641L, -3L, -7L, 0x8000_0001L, 0xFFFF_FFFFL, 0xFFFF_FFFEL, 0x7FFF_FFFFL,
                        1L << 31, (long) Integer.MIN_VALUE, Integer.MIN_VALUE + 1L, (long) Integer.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1,
                        Long.MAX_VALUE, -1L >>> 1, (1L << 63) + 3, -2L, 10L, 1_000_000_007L, 6_700_417L * 641));
    }

    @Property(tries = 120)
    void quotientAndRemainderAreTheDividesForEveryDividend(@ForAll("divisors") long d, @ForAll long seed) {
        for (String t : new String[] {"i32", "i64"}) {
            boolean wide = t.equals("i64");
            long divisor = wide ? d : (int) d;
            if (divisor == 0) continue;
            for (String op : new String[] {"div_u", "rem_u", "div_s", "rem_s"}) {
                if (divisor == -1 && op.endsWith("_s")) continue; // kept as a divide (MIN / -1 traps): noDivideIsLeft... checks it
                IrFunction f = rewritten(t, op, divisor);
                Random r = new Random(seed);
                for (int k = 0; k < 160; k++) {
                    long x = k < EDGES.length ? EDGES[k]
                            : k < 60 ? divisor * (k - EDGES.length) + (k % 3) - 1
                            : k < 80 ? r.nextLong() >> r.nextInt(64)
                            : r.nextLong();
                    if (!wide) x = (int) x;
                    long expected = expected(wide, op, x, divisor);
                    long got = evaluate(f, x, wide);
                    assertEquals(expected, got, t + "." + op + " " + x + ", " + divisor + "\n" + IrPrinter.print(f));
                }
            }
        }
    }

    /** Java's answer, as Wasm defines it (i32 results sign-extended, as {@link #evaluate} keeps them). */
    private static long expected(boolean wide, String op, long x, long d) {
        if (wide) {
            return switch (op) {
                case "div_u" -> Long.divideUnsigned(x, d);
                case "rem_u" -> Long.remainderUnsigned(x, d);
                case "div_s" -> x / d;
                default -> x % d;
            };
        }
        int a = (int) x, b = (int) d;
        return switch (op) {
            case "div_u" -> Integer.divideUnsigned(a, b);
            case "rem_u" -> Integer.remainderUnsigned(a, b);
            case "div_s" -> a / b;
            default -> a % b;
        };
    }

    @Example
    void noDivideIsLeftAndTheTrapsStay() {
        for (String t : new String[] {"i32", "i64"}) {
            for (String op : new String[] {"div_u", "rem_u", "div_s", "rem_s"}) {
                for (long d : new long[] {61, 16, 1, 0xFFFF_FFFFL, -7, -16, Integer.MIN_VALUE, Long.MIN_VALUE, 1L << 40, 3L << 32}) {
                    long divisor = t.equals("i64") ? d : (int) d;
                    if (divisor == 0 || divisor == -1 && op.endsWith("_s")) continue; // i32: 2^40 is 0, 2^32 - 1 is -1
                    String text = IrPrinter.print(rewritten(t, op, d));
                    assertFalse(text.contains("div") || text.contains("rem"), text);
                }
                assertTrue(IrPrinter.print(rewritten(t, op, 0)).contains(t + "." + op), "division by zero keeps its trap");
            }
            assertTrue(IrPrinter.print(rewritten(t, "div_s", -1)).contains(t + ".div_s"), "MIN / -1 keeps its overflow trap");
            assertTrue(IrPrinter.print(rewritten(t, "rem_s", -1)).contains(t + ".rem_s"));
        }
    }

    private static IrFunction rewritten(String t, String op, long d) {
        String k = t.equals("i64") ? Long.toString(d) : Integer.toString((int) d);
        ValidatedModule vm = ValidatedModule.of(Wat.compile(
                "(module (func (param " + t + ") (result " + t + ") (" + t + "." + op + " (local.get 0) (" + t + ".const " + k + "))))"));
        IrFunction f = IrBuilder.build(vm, 0);
        Optimizer.optimize(f);
        new ConstantDivision().run(f);
        IrVerifier.verify(vm.module(), f);
        return f;
    }

    /** The straight-line function's result for parameter {@code x}, each instruction as {@link Numerics} computes it. */
    private static long evaluate(IrFunction f, long x, boolean wide) {
        assertEquals(1, f.blocks.size(), IrPrinter.print(f));
        Map<Integer, Long> v = new HashMap<>();
        v.put(0, wide ? x : (long) (int) x);
        for (Instruction i : f.entry().instructions) {
            long result = switch (i.op) {
                case I32_CONST, I64_CONST -> i.imm;
                default -> Numerics.eval(i.op, v.get(i.arg(0)), i.argCount() > 1 ? v.get(i.arg(1)) : 0);
            };
            v.put(i.result(), f.typeOf(i.result()).equals(ValType.I32) ? (int) result : result);
        }
        return v.get(((Terminator.Return) f.entry().terminator).values[0]);
    }
}
