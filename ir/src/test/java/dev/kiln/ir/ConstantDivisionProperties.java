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
 * {@link ConstantDivision}: {@code i32.div_u}/{@code i32.rem_u} by a constant become multiplies and
 * shifts that give the divide's result for every dividend (checked by evaluating the rewritten IR
 * with {@link Numerics}, as the interpreter computes each instruction), for divisors of every size.
 */
class ConstantDivisionProperties {
    /** Dividends at the edges, and the ones around multiples of the divisor. */
    private static final long[] EDGES = {0, 1, 2, 60, 61, 62, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL};

    @Provide
    Arbitrary<Long> divisors() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1, 300), Arbitraries.longs().between(1, 0xFFFF_FFFFL),
                Arbitraries.of(3L, 7L, 13L, 17L, 61L, 96L, 641L, 0x8000_0001L, 0xFFFF_FFFFL, 0xFFFF_FFFEL, 0x7FFF_FFFFL, 1L << 31));
    }

    @Property(tries = 400)
    void quotientAndRemainderAreTheDividesForEveryDividend(@ForAll("divisors") long d, @ForAll long seed) {
        IrFunction div = rewritten("div_u", d);
        IrFunction rem = rewritten("rem_u", d);
        Random r = new Random(seed);
        for (int k = 0; k < 200; k++) {
            long x = k < EDGES.length ? EDGES[k]
                    : k < 40 ? (d * (k - EDGES.length) + (k % 3) - 1) & 0xFFFF_FFFFL
                    : r.nextLong() & 0xFFFF_FFFFL;
            assertEquals((int) (x / d), (int) evaluate(div, x), x + " / " + d + "\n" + IrPrinter.print(div));
            assertEquals((int) (x % d), (int) evaluate(rem, x), x + " % " + d + "\n" + IrPrinter.print(rem));
        }
    }

    @Example
    void noDivideIsLeftAndADivisorOfZeroStillTraps() {
        for (String op : new String[] {"div_u", "rem_u"}) {
            for (long d : new long[] {61, 16, 1, 0xFFFF_FFFFL}) {
                String text = IrPrinter.print(rewritten(op, d));
                assertFalse(text.contains("div") || text.contains("rem"), text);
            }
            assertTrue(IrPrinter.print(rewritten(op, 0)).contains("i32." + op), "division by zero keeps its trap");
        }
        assertTrue(IrPrinter.print(rewritten("div_s", 61)).contains("i32.div_s"), "signed division is left alone");
    }

    private static IrFunction rewritten(String op, long d) {
        ValidatedModule vm = ValidatedModule.of(Wat.compile(
                "(module (func (param i32) (result i32) (i32." + op + " (local.get 0) (i32.const " + (int) d + "))))"));
        IrFunction f = IrBuilder.build(vm, 0);
        Optimizer.optimize(f);
        new ConstantDivision().run(f);
        IrVerifier.verify(vm.module(), f);
        return f;
    }

    /** The straight-line function's result for parameter {@code x}, each instruction as {@link Numerics} computes it. */
    private static long evaluate(IrFunction f, long x) {
        assertEquals(1, f.blocks.size(), IrPrinter.print(f));
        Map<Integer, Long> v = new HashMap<>();
        v.put(0, (long) (int) x);
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
