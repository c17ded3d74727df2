package dev.kiln.tests.fuzz;

import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.TrapKind;
import dev.kiln.tests.fuzz.engine.Engine;
import dev.kiln.tests.fuzz.engine.EngineState;
import dev.kiln.tests.fuzz.engine.KilnEngine;
import dev.kiln.tests.fuzz.engine.Outcome;
import dev.kiln.tests.fuzz.wasm.NumType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The comparison itself: what counts as agreement, and that each kind of difference is caught and located. */
class DifferentialCheckTest {
    private static final byte[] MODULE = Wat.compile("""
            (module
              (memory (export "mem") 1)
              (global (export "g") (mut i64) (i64.const 7))
              (func (export "f") (param i32) (result i32)
                (i32.store (i32.const 8) (local.get 0))
                (global.set 0 (i64.extend_i32_s (local.get 0)))
                (i32.add (local.get 0) (i32.const 1))))
            """);
    private static final ModuleExports EXPORTS = ModuleExports.of(MODULE);
    private static final List<CallSpec> CALLS = List.of(EXPORTS.call("f", new long[] {41}), EXPORTS.call("f", new long[] {-1}));

    @Test
    void anyNaNMatchesAnyNaNButNothingElse() {
        Outcome canonical = Outcome.returned(List.of(NumType.F32), new long[] {0x7FC0_0000L});
        assertTrue(canonical.agrees(Outcome.returned(List.of(NumType.F32), new long[] {0xFFC0_0001L})));
        assertTrue(canonical.agrees(Outcome.returned(List.of(NumType.F32), new long[] {0x7F80_0001L})));
        assertFalse(canonical.agrees(Outcome.returned(List.of(NumType.F32), new long[] {0x7F80_0000L})));
        Outcome zero = Outcome.returned(List.of(NumType.F64), new long[] {0});
        assertFalse(zero.agrees(Outcome.returned(List.of(NumType.F64), new long[] {Long.MIN_VALUE})), "+0 and -0 differ");
    }

    @Test
    void uncaughtExceptionsAgreeOnlyByTagAndPayload() {
        Outcome a = Outcome.uncaught("t0", List.of(NumType.I32, NumType.F64), new long[] {-3, 0x3FF8_0000_0000_0000L});
        assertTrue(a.agrees(Outcome.uncaught("t0", List.of(NumType.I32, NumType.F64), new long[] {0xFFFF_FFFDL, 0x3FF8_0000_0000_0000L})));
        assertFalse(a.agrees(Outcome.uncaught("t1", List.of(NumType.I32, NumType.F64), new long[] {-3, 0x3FF8_0000_0000_0000L})), "another tag");
        assertFalse(a.agrees(Outcome.uncaught("t0", List.of(NumType.I32, NumType.F64), new long[] {-4, 0x3FF8_0000_0000_0000L})), "another payload");
        assertFalse(a.agrees(Outcome.returned(List.of(NumType.I32, NumType.F64), new long[] {-3, 0x3FF8_0000_0000_0000L})), "a return");
        assertFalse(Outcome.trapped(TrapKind.UNREACHABLE).agrees(Outcome.uncaught("t0", List.of(), new long[0])), "a trap");
        assertFalse(Outcome.uncaught("t0", List.of(), new long[0]).agrees(Outcome.trapped(TrapKind.UNREACHABLE)), "a trap");
    }

    @Test
    void trapsAgreeOnlyByKindAndFailuresNever() {
        assertTrue(Outcome.trapped(TrapKind.UNREACHABLE).agrees(Outcome.trapped(TrapKind.UNREACHABLE)));
        assertFalse(Outcome.trapped(TrapKind.UNREACHABLE).agrees(Outcome.trapped(TrapKind.INTEGER_OVERFLOW)));
        assertFalse(Outcome.failed("boom").agrees(Outcome.failed("boom")));
    }

    @Test
    void identicalEnginesAgree() {
        assertNull(check(KilnEngine.interpreter()).run(MODULE, EXPORTS.globals(), EXPORTS.memory(), CALLS));
    }

    @Test
    void aDifferentResultIsReportedWithTheCall() {
        Engine wrong = new Altered(o -> o.results() != null && o.results().get(0) == 0
                ? Outcome.returned(o.types(), new long[] {1}) : o, s -> s);
        String report = check(wrong).run(MODULE, EXPORTS.globals(), EXPORTS.memory(), CALLS);
        assertNotNull(report);
        assertTrue(report.startsWith("call 2 of 2: f i32:0xffffffff"), report);
        assertTrue(report.contains("altered") && report.contains("i32:0x1"), report);
    }

    @Test
    void aDifferentGlobalOrMemoryIsReported() {
        Engine global = new Altered(o -> o, s -> new EngineState(Map.of("g", 8L), s.memorySize(), s.memorySha256(), null));
        assertTrue(check(global).run(MODULE, EXPORTS.globals(), EXPORTS.memory(), CALLS).contains("exported globals differ"));
        Engine memory = new Altered(o -> o, s -> new EngineState(s.globals(), s.memorySize(), "0".repeat(64), null)) {
            @Override
            public byte[] memory(String name) {
                byte[] m = super.memory(name);
                m[9] ^= 1;
                return m;
            }
        };
        String report = check(memory).run(MODULE, EXPORTS.globals(), EXPORTS.memory(), CALLS);
        assertTrue(report.contains("memory differs first at byte 9 (0x9)"), report);
    }

    private static DifferentialCheck check(Engine other) {
        return new DifferentialCheck(List.of(KilnEngine.interpreter(), other));
    }

    /** The interpreter with its outcomes and states passed through functions that change them. */
    private static class Altered implements Engine {
        private final Engine inner = KilnEngine.interpreter();
        private final UnaryOperator<Outcome> outcomes;
        private final UnaryOperator<EngineState> states;

        Altered(UnaryOperator<Outcome> outcomes, UnaryOperator<EngineState> states) {
            this.outcomes = outcomes;
            this.states = states;
        }

        public String name() {
            return "altered";
        }

        public String instantiate(byte[] wasm) {
            return inner.instantiate(wasm);
        }

        public Outcome call(String export, List<NumType> params, List<NumType> results, long[] args) {
            return outcomes.apply(inner.call(export, params, results, args));
        }

        public EngineState state(List<String> globals, String memory) {
            return states.apply(inner.state(globals, memory));
        }

        public byte[] memory(String name) {
            return inner.memory(name);
        }

        public void close() {
            inner.close();
        }
    }
}
