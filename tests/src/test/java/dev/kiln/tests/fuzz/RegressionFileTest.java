package dev.kiln.tests.fuzz;

import dev.kiln.ir.TrapKind;
import dev.kiln.tests.fuzz.engine.Outcome;
import dev.kiln.tests.fuzz.wasm.NumType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Regression files read back what was written: calls with their raw arguments and outcomes, report lines ignored. */
class RegressionFileTest {
    @Test
    void writtenCallsAndOutcomesReadBack() {
        List<CallSpec> calls = List.of(
                new CallSpec("f0", List.of(NumType.I32, NumType.F64), List.of(NumType.F32, NumType.I64), new long[] {-1, 0x7FF0_0000_0000_0001L}),
                new CallSpec("f1", List.of(), List.of(), new long[0]),
                new CallSpec("f2", List.of(NumType.F32), List.of(NumType.I32), new long[] {0xFFC0_0000L}),
                new CallSpec("f3", List.of(), List.of(NumType.I32), new long[0]),
                new CallSpec("f3", List.of(), List.of(NumType.I32), new long[0]));
        List<Outcome> outcomes = List.of(
                Outcome.returned(List.of(NumType.F32, NumType.I64), new long[] {0x7FC0_0001L, Long.MIN_VALUE}),
                Outcome.returned(List.of(), new long[0]),
                Outcome.trapped(TrapKind.INDIRECT_CALL_TYPE_MISMATCH),
                Outcome.uncaught("t1", List.of(NumType.I64, NumType.F32), new long[] {-2, 0x3FC0_0000L}),
                Outcome.uncaught("t0", List.of(), new long[0]));
        String text = RegressionFile.write(List.of("why it matters", "| call 1 of 3: f0 (a report line, not a call)"),
                "(module)\n", calls, outcomes);
        RegressionFile r = RegressionFile.parse(text);
        assertEquals(5, r.calls().size());
        assertEquals("f0", r.calls().get(0).export());
        assertArrayEquals(new long[] {0xFFFF_FFFFL, 0x7FF0_0000_0000_0001L}, r.calls().get(0).args());
        assertArrayEquals(new long[] {0xFFC0_0000L}, r.calls().get(2).args());
        for (int i = 0; i < 5; i++) assertTrue(outcomes.get(i).agrees(r.calls().get(i).expected()), r.calls().get(i).expected().toString());
        assertFalse(r.calls().get(3).expected().agrees(Outcome.uncaught("t0", List.of(NumType.I64, NumType.F32), new long[] {-2, 0x3FC0_0000L})));
        assertTrue(r.calls().get(0).expected().agrees(Outcome.returned(List.of(NumType.F32, NumType.I64),
                new long[] {0xFF80_0001L, Long.MIN_VALUE})), "an expected NaN matches any NaN");
    }

    @Test
    void aCallWithoutExpectationIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> RegressionFile.parse("(module)\n;; call f0\n"));
        assertThrows(IllegalArgumentException.class, () -> RegressionFile.parse("(module)\n"));
        assertThrows(IllegalArgumentException.class, () -> RegressionFile.parse("(module)\n;; call f0\n;; expect trap nonsense\n"));
    }
}
