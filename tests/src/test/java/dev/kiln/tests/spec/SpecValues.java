package dev.kiln.tests.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.runtime.Store;

import java.util.HashMap;
import java.util.Map;

/**
 * Converts spec-script values to kiln's raw longs and compares results, floats by exact bits
 * (with the {@code nan:canonical} and {@code nan:arithmetic} patterns) so NaN payloads count.
 */
final class SpecValues {
    /** Host reference objects: {@code ref.extern N} is the same object for the same N in a script. */
    private final Map<Long, Object> hostRefs = new HashMap<>();
    private final Store store;

    SpecValues(Store store) {
        this.store = store;
    }

    private record HostRef(long n) {
    }

    long toRaw(SpecScript.Value v) {
        String s = v.value().asText();
        return switch (v.type()) {
            case "i32", "f32" -> (int) Long.parseUnsignedLong(s);
            case "i64", "f64" -> Long.parseUnsignedLong(s);
            case "funcref" -> {
                if (!s.equals("null")) throw new IllegalArgumentException("non-null funcref argument");
                yield 0;
            }
            case "externref" -> s.equals("null") ? 0 : store.externRef(hostRefs.computeIfAbsent(Long.parseLong(s), HostRef::new));
            case "ref.null" -> 0;
            case "ref.extern", "ref.host" -> store.externRef(hostRefs.computeIfAbsent(Long.parseLong(s), HostRef::new));
            default -> throw new IllegalArgumentException("unsupported value type " + v.type());
        };
    }

    /** Null when {@code actual} matches, else a description of the mismatch. */
    String mismatch(SpecScript.Value expected, long actual) {
        if (expected.type().equals("either")) {
            for (SpecScript.Value alternative : expected.values()) if (mismatch(alternative, actual) == null) return null;
            return "none of " + expected.values().size() + " alternatives matches " + Long.toUnsignedString(actual);
        }
        JsonNode node = expected.value();
        String s = node.asText();
        boolean ok = switch (expected.type()) {
            case "i32" -> (int) actual == (int) Long.parseUnsignedLong(s);
            case "i64" -> actual == Long.parseUnsignedLong(s);
            case "f32" -> matchesF32(s, (int) actual);
            case "f64" -> matchesF64(s, actual);
            case "funcref" -> s.equals("null") ? actual == 0 : actual != 0;
            case "externref" -> s.equals("null") ? actual == 0
                    : actual == store.externRef(hostRefs.computeIfAbsent(Long.parseLong(s), HostRef::new));
            // 3.0 scripts (Spec3Suite): a null of any heap type, a host reference, or any non-null function
            case "ref.null" -> actual == 0;
            case "ref.extern", "ref.host" -> s.isEmpty() ? actual != 0
                    : actual == store.externRef(hostRefs.computeIfAbsent(Long.parseLong(s), HostRef::new));
            case "ref.func" -> actual != 0;
            default -> throw new IllegalArgumentException("unsupported value type " + expected.type());
        };
        return ok ? null : "expected " + expected.type() + " " + s + ", got " + describe(expected.type(), actual);
    }

    private static boolean matchesF32(String pattern, int bits) {
        boolean nan = (bits & 0x7FFF_FFFF) > 0x7F80_0000;
        return switch (pattern) {
            case "nan:canonical" -> (bits & 0x7FFF_FFFF) == 0x7FC0_0000;
            case "nan:arithmetic" -> nan && (bits & 0x0040_0000) != 0;
            default -> bits == (int) Long.parseUnsignedLong(pattern);
        };
    }

    private static boolean matchesF64(String pattern, long bits) {
        boolean nan = (bits & 0x7FFF_FFFF_FFFF_FFFFL) > 0x7FF0_0000_0000_0000L;
        return switch (pattern) {
            case "nan:canonical" -> (bits & 0x7FFF_FFFF_FFFF_FFFFL) == 0x7FF8_0000_0000_0000L;
            case "nan:arithmetic" -> nan && (bits & 0x0008_0000_0000_0000L) != 0;
            default -> bits == Long.parseUnsignedLong(pattern);
        };
    }

    private static String describe(String type, long v) {
        return switch (type) {
            case "i32" -> Integer.toUnsignedString((int) v);
            case "f32" -> Integer.toUnsignedString((int) v) + " (" + Float.intBitsToFloat((int) v) + ")";
            case "f64" -> Long.toUnsignedString(v) + " (" + Double.longBitsToDouble(v) + ")";
            default -> Long.toUnsignedString(v);
        };
    }
}
