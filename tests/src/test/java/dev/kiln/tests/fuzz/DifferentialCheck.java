package dev.kiln.tests.fuzz;

import dev.kiln.tests.fuzz.engine.CallWatchdog;
import dev.kiln.tests.fuzz.engine.Engine;
import dev.kiln.tests.fuzz.engine.EngineState;
import dev.kiln.tests.fuzz.engine.Outcome;
import dev.kiln.tests.fuzz.gen.FuzzCase;
import dev.kiln.tests.fuzz.wasm.BinaryEncoder;
import dev.kiln.tests.fuzz.wasm.FuzzModule;
import dev.kiln.tests.fuzz.wasm.RelaxedExpansion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The differential property: every engine instantiates the module and makes the same calls in
 * the same order; after each call all engines must agree with the first (the reference) on the
 * results (any NaN matching any NaN) or trap kind, on every exported global bit for bit and on
 * the exported memory byte for byte. Generated modules are valid, terminate, and observe no
 * nondeterministic NaN bits, so any difference is a bug in one of the engines.
 */
public final class DifferentialCheck {
    private final List<Engine> engines;
    private final FuzzStats stats = new FuzzStats();

    /** {@code engines.get(0)} is the reference the others are compared with. */
    public DifferentialCheck(List<Engine> engines) {
        if (engines.size() < 2) throw new IllegalArgumentException("a differential check needs two engines");
        this.engines = List.copyOf(engines);
    }

    public FuzzStats stats() {
        return stats;
    }

    /** The engines' names, reference first. */
    public List<String> engineNames() {
        return engines.stream().map(Engine::name).toList();
    }

    /** Null when every engine agrees, else a report of the first disagreement. */
    public String run(FuzzCase c) {
        CallWatchdog.describeCurrentCase(c::toString);
        FuzzModule m = c.module();
        List<String> globals = m.exportedGlobals().stream().map(FuzzModule::globalExport).toList();
        String memory = m.exportMemory() ? FuzzModule.MEMORY_EXPORT : null;
        byte[] wasm = BinaryEncoder.encode(m);
        byte[] expanded = RelaxedExpansion.needed(m) ? BinaryEncoder.encode(RelaxedExpansion.apply(m)) : wasm;
        return run(wasm, expanded, globals, memory, c.invocations().stream().map(i -> CallSpec.of(m, i)).toList());
    }

    /**
     * Runs {@code calls} on an instance of {@code wasm} in every engine, comparing after each
     * call the outcomes and then the exported {@code globals} and {@code memory} (null: none).
     */
    public String run(byte[] wasm, List<String> globals, String memory, List<CallSpec> calls) {
        return run(wasm, wasm, globals, memory, calls);
    }

    /** {@link #run(byte[], List, String, List)} where engines that need it get {@code expanded} ({@link Engine#needsRelaxedExpansion}). */
    private String run(byte[] wasm, byte[] expanded, List<String> globals, String memory, List<CallSpec> calls) {
        stats.module();
        try {
            for (Engine e : engines) {
                String err = e.instantiate(e.needsRelaxedExpansion() ? expanded : wasm);
                if (err != null) return e.name() + " cannot instantiate the module: " + err;
            }
            for (int k = 0; k < calls.size(); k++) {
                CallSpec call = calls.get(k);
                List<Outcome> outcomes = new ArrayList<>();
                for (Engine e : engines) outcomes.add(e.call(call.export(), call.params(), call.results(), call.args()));
                stats.call(outcomes.get(0));
                String what = "call " + (k + 1) + " of " + calls.size() + ": " + call.describe();
                for (int i = 1; i < engines.size(); i++) {
                    if (!outcomes.get(0).agrees(outcomes.get(i)) || outcomes.get(0).failure() != null) {
                        return what + "\n" + table(outcomes);
                    }
                }
                List<EngineState> states = new ArrayList<>();
                for (Engine e : engines) states.add(e.state(globals, memory));
                for (int i = 1; i < engines.size(); i++) {
                    String diff = stateDifference(states.get(0), states.get(i), i, memory);
                    if (diff != null) return "after " + what + ": " + diff + "\n" + table(outcomes) + "\n" + stateTable(states);
                }
            }
            return null;
        } finally {
            for (Engine e : engines) e.close();
        }
    }

    /** What the reference engine does for each call (for recording expectations). */
    public List<Outcome> referenceOutcomes(byte[] wasm, List<CallSpec> calls) {
        Engine ref = engines.get(0);
        try {
            String err = ref.instantiate(wasm);
            if (err != null) throw new IllegalStateException(ref.name() + " cannot instantiate the module: " + err);
            List<Outcome> out = new ArrayList<>();
            for (CallSpec c : calls) out.add(ref.call(c.export(), c.params(), c.results(), c.args()));
            return out;
        } finally {
            ref.close();
        }
    }

    private String stateDifference(EngineState ref, EngineState other, int i, String memory) {
        if (ref.failure() != null || other.failure() != null) return "state cannot be read";
        if (!ref.globals().equals(other.globals())) return "exported globals differ";
        if (ref.memorySize() != other.memorySize()) return "memory sizes differ";
        if (!Objects.equals(ref.memorySha256(), other.memorySha256())) {
            byte[] a = engines.get(0).memory(memory), b = engines.get(i).memory(memory);
            int at = Arrays.mismatch(a, b);
            return String.format("memory differs first at byte %d (0x%x): %s has 0x%02x, %s has 0x%02x", at, at,
                    engines.get(0).name(), a[at] & 0xFF, engines.get(i).name(), b[at] & 0xFF);
        }
        return null;
    }

    private String table(List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < engines.size(); i++) {
            sb.append(String.format("  %-12s %s%n", engines.get(i).name(), outcomes.get(i)));
        }
        return sb.toString().stripTrailing();
    }

    private String stateTable(List<EngineState> states) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < engines.size(); i++) sb.append(String.format("  %-12s %s%n", engines.get(i).name(), states.get(i)));
        return sb.toString().stripTrailing();
    }
}
