package dev.kiln.tests.fuzz;

import dev.kiln.ir.TrapKind;
import dev.kiln.tests.fuzz.engine.Outcome;
import dev.kiln.tests.fuzz.wasm.NumType;

import java.util.ArrayList;
import java.util.List;

/**
 * A saved disagreement: a module in WebAssembly text and the calls to make on one instance, each
 * with the outcome the oracle gave. The calls and outcomes are comment lines, so the file is
 * plain text for wat2wasm:
 * <pre>
 * ;; call f0 i32:0x1 f64:0x7ff8000000000001
 * ;; expect returns i32:0x5 f32:0x7fc00000
 * ;; call f1
 * ;; expect trap out of bounds memory access
 * </pre>
 * An expected NaN result matches any NaN.
 */
public record RegressionFile(String wat, List<Call> calls) {
    private static final String CALL = ";; call ";
    private static final String EXPECT = ";; expect ";

    /** A call by export name with raw argument bits, and what it must do. */
    public record Call(String export, long[] args, Outcome expected) {
    }

    public static RegressionFile parse(String text) {
        List<Call> calls = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (!line.startsWith(CALL)) continue;
            String[] words = line.substring(CALL.length()).strip().split("\\s+");
            long[] args = new long[words.length - 1];
            for (int a = 1; a < words.length; a++) args[a - 1] = bits(words[a]);
            if (i + 1 >= lines.length || !lines[i + 1].strip().startsWith(EXPECT)) {
                throw new IllegalArgumentException("line " + (i + 1) + ": a call without an expect line after it");
            }
            calls.add(new Call(words[0], args, outcome(lines[++i].strip().substring(EXPECT.length()).strip())));
        }
        if (calls.isEmpty()) throw new IllegalArgumentException("no calls in the file");
        return new RegressionFile(text, calls);
    }

    /** {@code type:0xbits}. */
    private static long bits(String typed) {
        int colon = typed.indexOf(':');
        if (colon < 0 || !typed.startsWith("0x", colon + 1)) throw new IllegalArgumentException("not a typed value: " + typed);
        return Long.parseUnsignedLong(typed.substring(colon + 3), 16);
    }

    private static Outcome outcome(String s) {
        if (s.startsWith(Outcome.UNCAUGHT + " ")) {
            String[] words = s.substring(Outcome.UNCAUGHT.length()).strip().split("\\s+", 3);
            if (words.length < 3 || !words[1].equals("with")) throw new IllegalArgumentException("expected '" + Outcome.UNCAUGHT + " TAG with ...': " + s);
            Outcome payload = values(words[2]);
            return Outcome.uncaught(words[0], payload.types(), payload.results().stream().mapToLong(Long::longValue).toArray());
        }
        if (s.startsWith("trap ")) {
            String message = s.substring(5).strip();
            for (TrapKind k : TrapKind.values()) if (k.message.equals(message)) return Outcome.trapped(k);
            throw new IllegalArgumentException("unknown trap: " + message);
        }
        if (!s.startsWith("returns")) throw new IllegalArgumentException("expected 'returns ...', 'trap ...' or '" + Outcome.UNCAUGHT + "': " + s);
        return values(s.substring("returns".length()).strip());
    }

    /** {@code nothing} or typed values, as a returned outcome. */
    private static Outcome values(String rest) {
        if (rest.equals("nothing")) return Outcome.returned(List.of(), new long[0]);
        String[] values = rest.split("\\s+");
        List<NumType> types = new ArrayList<>();
        long[] raw = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            types.add(NumType.byName(values[i].substring(0, values[i].indexOf(':'))));
            raw[i] = bits(values[i]);
        }
        return Outcome.returned(types, raw);
    }

    /** The file for {@code wat} and its calls with their outcomes; {@code header} lines become comments. */
    public static String write(List<String> header, String wat, List<CallSpec> calls, List<Outcome> outcomes) {
        StringBuilder sb = new StringBuilder();
        for (String h : header) sb.append(";; ").append(h).append('\n');
        sb.append(wat);
        for (int i = 0; i < calls.size(); i++) {
            sb.append(CALL).append(calls.get(i).describe()).append('\n');
            sb.append(EXPECT).append(text(outcomes.get(i))).append('\n');
        }
        return sb.toString();
    }

    private static String text(Outcome o) {
        if (o.failure() != null) throw new IllegalArgumentException("a failed call has no expected outcome: " + o.failure());
        if (o.trap() != null) return "trap " + o.trap().message;
        StringBuilder sb = new StringBuilder(o.uncaught() ? Outcome.UNCAUGHT + " " + o.exception() + " with" : "returns");
        if (o.results().isEmpty()) return sb.append(" nothing").toString();
        for (int i = 0; i < o.results().size(); i++) {
            sb.append(' ').append(o.types().get(i).wat).append(":0x").append(Long.toHexString(o.results().get(i)));
        }
        return sb.toString();
    }
}
