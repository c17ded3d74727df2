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

    /** The value's raw slots: one, or two for a v128. */
    long[] toRaw(SpecScript.Value v) {
        if (v.type().equals("v128")) return v128(v);
        return new long[] {scalarToRaw(v)};
    }

    /** A v128 from its lanes (unsigned decimal strings of the lane type's bits). */
    private static long[] v128(SpecScript.Value v) {
        int bits = laneBits(v.laneType());
        int perHalf = 64 / bits;
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        long[] halves = new long[2];
        for (int i = 0; i < v.value().size(); i++) {
            long lane = Long.parseUnsignedLong(v.value().get(i).asText()) & mask;
            halves[i / perHalf] |= lane << ((i % perHalf) * bits);
        }
        return halves;
    }

    private static int laneBits(String laneType) {
        return switch (laneType) {
            case "i8" -> 8;
            case "i16" -> 16;
            case "i32", "f32" -> 32;
            default -> 64;
        };
    }

    private long scalarToRaw(SpecScript.Value v) {
        String s = v.value().asText();
        return switch (v.type()) {
            case "i32", "f32" -> (int) Long.parseUnsignedLong(s);
            case "i64", "f64" -> Long.parseUnsignedLong(s);
            case "funcref" -> {
                if (!s.equals("null")) throw new IllegalArgumentException("non-null funcref argument");
                yield 0;
            }
            case "externref" -> s.equals("null") ? 0 : store.externRef(hostRefs.computeIfAbsent(Long.parseLong(s), HostRef::new));
            default -> throw new IllegalArgumentException("unsupported value type " + v.type());
        };
    }

    /** Null when the value at slot {@code at} of {@code actual} matches, else a description of the mismatch. */
    String mismatch(SpecScript.Value expected, long[] actual, int at) {
        if (!expected.type().equals("v128")) return mismatch(expected, actual[at]);
        int bits = laneBits(expected.laneType());
        int perHalf = 64 / bits;
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        for (int i = 0; i < expected.value().size(); i++) {
            long lane = actual[at + i / perHalf] >>> ((i % perHalf) * bits) & mask;
            String pattern = expected.value().get(i).asText();
            boolean ok = switch (expected.laneType()) {
                case "f32" -> matchesF32(pattern, (int) lane);
                case "f64" -> matchesF64(pattern, lane);
                default -> lane == (Long.parseUnsignedLong(pattern) & mask);
            };
            if (!ok) {
                return "expected v128 " + expected.laneType() + " lanes " + expected.value() + ", got "
                        + String.format("0x%016x%016x", actual[at + 1], actual[at]) + " (lane " + i + " differs)";
            }
        }
        return null;
    }

    /** Null when {@code actual} matches, else a description of the mismatch. */
    private String mismatch(SpecScript.Value expected, long actual) {
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
