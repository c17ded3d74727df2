package dev.kiln.tests.fuzz.engine;

import dev.kiln.ir.TrapKind;
import dev.kiln.tests.fuzz.wasm.NumType;

import java.util.ArrayList;
import java.util.List;

/**
 * What one call did: returned {@code results} (raw bits normalised to their types' widths),
 * trapped with {@code trap}, or failed in a way no Wasm engine may ({@code failure}: an exception
 * that is not a trap, a crash of the engine).
 */
public record Outcome(List<NumType> types, List<Long> results, TrapKind trap, String failure) {
    public Outcome {
        types = List.copyOf(types);
        results = results == null ? null : List.copyOf(results);
    }

    public static Outcome returned(List<NumType> types, long[] raw) {
        if (raw.length != types.size()) return failed("returned " + raw.length + " values for " + types.size() + " results");
        List<Long> rs = new ArrayList<>();
        for (int i = 0; i < raw.length; i++) rs.add(types.get(i).normalize(raw[i]));
        return new Outcome(types, rs, null, null);
    }

    public static Outcome trapped(TrapKind kind) {
        return new Outcome(List.of(), null, kind, null);
    }

    public static Outcome failed(String why) {
        return new Outcome(List.of(), null, null, why);
    }

    /**
     * Same results bit for bit, except that any NaN matches any NaN (the spec lets an operation
     * that produces a NaN choose its sign and payload); or the same trap kind.
     */
    public boolean agrees(Outcome o) {
        if (failure != null || o.failure != null) return false;
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
        StringBuilder sb = new StringBuilder("returns");
        if (results.isEmpty()) sb.append(" nothing");
        for (int i = 0; i < results.size(); i++) sb.append(' ').append(ValueText.of(types.get(i), results.get(i)));
        return sb.toString();
    }
}
