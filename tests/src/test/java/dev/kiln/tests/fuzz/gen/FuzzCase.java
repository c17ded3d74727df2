package dev.kiln.tests.fuzz.gen;

import dev.kiln.tests.fuzz.wasm.FuzzModule;
import dev.kiln.tests.fuzz.wasm.WatPrinter;

import java.util.List;

/** A generated module and the calls to make on one instance of it, in order. */
public record FuzzCase(FuzzModule module, List<Invocation> invocations) {
    public FuzzCase {
        invocations = List.copyOf(invocations);
    }

    /** The module as text, then the calls as comments: what a failure report shows. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("\n").append(WatPrinter.print(module));
        for (Invocation i : invocations) sb.append(";; call ").append(i.describe(module.functions().get(i.function()).sig().params())).append('\n');
        return sb.toString();
    }
}
