package dev.kiln.tests.fuzz;

import dev.kiln.tests.fuzz.gen.Invocation;
import dev.kiln.tests.fuzz.wasm.FuncSig;
import dev.kiln.tests.fuzz.wasm.FuzzModule;
import dev.kiln.tests.fuzz.wasm.NumType;

import java.util.List;

/** A call the differential check makes: an export, its type, and raw argument bits. */
public record CallSpec(String export, List<NumType> params, List<NumType> results, long[] args) {
    public CallSpec {
        params = List.copyOf(params);
        results = List.copyOf(results);
        args = args.clone();
    }

    public static CallSpec of(FuzzModule m, Invocation i) {
        FuncSig s = m.functions().get(i.function()).sig();
        return new CallSpec(i.export(), s.params(), s.results(), i.argArray());
    }

    /** {@code f2 i32:0x1 f64:0x7ff8000000000001}, as in {@link Invocation#describe}. */
    public String describe() {
        return Invocation.describe(export, params, args);
    }
}
