package dev.kiln.tests.fuzz.engine;

import dev.kiln.ir.TrapKind;
import dev.kiln.tests.fuzz.wasm.NumType;

import java.util.ArrayList;
import java.util.List;

/**
 * What one call did: returned {@code results} (raw bits normalised to their types' widths),
 * trapped with {@code trap}, ended with a WebAssembly exception no handler caught ({@code exception}
 * names its tag by export name, "?" when the tag is not exported, and {@code results} are its payload;
 * wasmtime reports it apart from traps, kiln as a {@code WasmException}), or failed in a way no Wasm
 * engine may ({@code failure}: an exception that is not a trap, a crash of the engine).
 */
public record Outcome(List<NumType> types, List<Long> results, TrapKind trap, String exception, String failure) {
    public Outcome {
        types = List.copyOf(types);
        results = results == null ? null : List.copyOf(results);
    }

    /** How an uncaught exception is written (in reports and regression files). */
    public static final String UNCAUGHT = "uncaught exception";

    public static Outcome returned(List<NumType> types, long[] raw) {
        if (raw.length != types.size()) return failed("returned " + raw.length + " values for " + types.size() + " results");
        List<Long> rs = new ArrayList<>();
        for (int i = 0; i < raw.length; i++) rs.add(types.get(i).normalize(raw[i]));
        return new Outcome(types, rs, null, null, null);
    }

    public static Outcome trapped(TrapKind kind) {
        return new Outcome(List.of(), null, kind, null, null);
    }

    /**
     * The call ended with an exception no handler caught: its tag's export name ("?" when not exported)
     * and its payload, one raw value per slot ({@code types}: a v128 is two i64 slots, low half first).
     */
    public static Outcome uncaught(String tag, List<NumType> types, long[] payload) {
        Outcome r = returned(types, payload);
        return r.failure != null ? r : new Outcome(types, r.results, null, tag, null);
    }

    public boolean uncaught() {
        return exception != null;
    }

    public static Outcome failed(String why) {
        return new Outcome(List.of(), null, null, null, why);
    }

    /**
     * Same results bit for bit, except that any NaN matches any NaN (the spec lets an operation
     * that produces a NaN choose its sign and payload); or the same trap kind; or both an uncaught exception.
     */
    public boolean agrees(Outcome o) {
        if (failure != null || o.failure != null) return false;
        if (uncaught() || o.uncaught()) {
            if (!uncaught() || !o.uncaught() || !exception.equals(o.exception)) return false;
        }
        if (trap != null || o.trap != null) return trap == o.trap;
        if (results.size() != o.results.size()) return false;
        for (int i = 0; i < results.size(); i++) {
            NumType t = types.get(i);
            long a = results.get(i), b = o.results.get(i);
            if (a != b && !(t.isNaN(a) && t.isNaN(b))) return false;
        }
        return true;
    }

    @Override
    public String toString() {
        if (failure != null) return "FAILED " + failure;
        if (trap != null) return "trap \"" + trap.message + "\"";
        StringBuilder sb = new StringBuilder(uncaught() ? UNCAUGHT + " " + exception + " with" : "returns");
        if (results.isEmpty()) sb.append(" nothing");
        for (int i = 0; i < results.size(); i++) sb.append(' ').append(ValueText.of(types.get(i), results.get(i)));
        return sb.toString();
    }
}
