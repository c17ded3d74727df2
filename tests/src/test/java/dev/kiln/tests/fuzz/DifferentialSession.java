package dev.kiln.tests.fuzz;

import dev.kiln.tests.fuzz.engine.Engine;
import dev.kiln.tests.fuzz.engine.KilnEngine;
import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import dev.kiln.tests.fuzz.gen.FuzzCase;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * One property class's differential check: the wasmtime oracle (when it starts; required under
 * {@code -Dkiln.oracle.required}) first, then kiln's engines. Each case that disagrees is
 * remembered for shrinking and fails the property; closing prints what ran and saves the last
 * (shrunk) finding as a regression file.
 */
final class DifferentialSession implements AutoCloseable {
    private final WasmtimeOracle oracle;
    private final DifferentialCheck check;
    private final String label;
    private final String origin;

    private DifferentialSession(WasmtimeOracle oracle, DifferentialCheck check, String label, String origin) {
        this.oracle = oracle;
        this.check = check;
        this.label = label;
        this.origin = origin;
    }

    /** {@code label} names the run in its summary line; {@code origin} says where a saved finding came from. */
    static DifferentialSession start(List<Engine> kiln, String label, String origin) {
        WasmtimeOracle oracle = WasmtimeOracle.startOrNull();
        if (oracle == null && WasmtimeOracle.required()) fail("the wasmtime oracle is required (-Dkiln.oracle.required) but does not start");
        List<Engine> engines = new ArrayList<>();
        if (oracle != null) engines.add(oracle.engine());
        engines.addAll(kiln);
        return new DifferentialSession(oracle, new DifferentialCheck(engines), label, origin);
    }

    /** Runs {@code c} on every engine; fails with the disagreement, if any. */
    void check(FuzzCase c) {
        String disagreement = check.run(c);
        if (disagreement != null) {
            Findings.remember(c, disagreement);
            fail(disagreement);
        }
    }

    @Override
    public void close() {
        System.out.println(label + ": " + check.engineNames() + ": " + check.stats());
        Findings.saveLast(check, origin);
        if (oracle != null) oracle.close();
    }
}
