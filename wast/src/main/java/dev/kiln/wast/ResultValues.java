package dev.kiln.wast;

import dev.kiln.frontend.text.WastValue;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.ValueType;

import java.util.HashMap;
import java.util.Map;

/**
 * Script values as kiln's raw longs (i32 and f32 in the low 32 bits, floats as raw bits, references
 * as the store's handles) and the comparison of results with expected values and patterns,
 * floats bit for bit, so NaN payloads count.
 */
final class ResultValues {
    /** {@code (ref.extern n)} is the same host object for the same n within a script. */
    private final Map<Long, Object> hostRefs = new HashMap<>();
    private final Store store;

    ResultValues(Store store) {
        this.store = store;
    }

    private record HostRef(long n) {
    }

    /** Thrown for a value kiln's API cannot carry yet. */
    static final class UnsupportedValue extends RuntimeException {
        UnsupportedValue(String what) {
            super(what, null, false, false);
        }
    }

    /** The value's raw slots: one, or two for a v128 (low half first). */
    long[] toRaw(WastValue v) {
        if (v instanceof WastValue.V128 x) return new long[] {x.low(), x.high()};
        return new long[] {scalarToRaw(v)};
    }

    private long scalarToRaw(WastValue v) {
        return switch (v) {
            case WastValue.Num n -> n.type().equals("i32") || n.type().equals("f32") ? (long) (int) n.bits() : n.bits();
            case WastValue.RefNull r -> 0;
            case WastValue.RefExtern r -> store.externRef(hostRefs.computeIfAbsent(r.n(), HostRef::new));
            case WastValue.V128 x -> throw new IllegalStateException("a v128 takes two slots");
            case WastValue.RefHost r -> store.externRef(hostRefs.computeIfAbsent(r.n(), HostRef::new)); // anyref and externref share the encoding
            case WastValue.Pattern p -> throw new IllegalArgumentException("a pattern is not an argument: " + p);
        };
    }

    /**
     * Null when the result of type {@code type} at slot {@code at} of {@code raw} matches
     * {@code expected}, else a description of the mismatch.
     */
    String mismatch(WastValue expected, long[] raw, int at, ValueType<?> type) {
        if (!type.equals(ValueType.V128)) return mismatch(expected, raw[at]);
        long low = raw[at], high = raw[at + 1];
        return v128Matches(expected, low, high) ? null
                : "expected " + describe(expected) + ", got v128 " + String.format("0x%016x_%016x", high, low);
    }

    private boolean v128Matches(WastValue expected, long low, long high) {
        return switch (expected) {
            case WastValue.V128 x -> x.low() == low && x.high() == high;
            case WastValue.V128Pattern p -> {
                int n = p.lanes().size(), bits = 128 / n;
                long mask = bits == 64 ? -1L : (1L << bits) - 1;
                for (int i = 0; i < n; i++) {
                    long lane = (i * bits < 64 ? low : high) >>> (i * bits % 64) & mask;
                    if (mismatch(p.lanes().get(i), lane) != null) yield false;
                }
                yield true;
            }
            case WastValue.Either e -> e.alternatives().stream().anyMatch(alt -> v128Matches(alt, low, high));
            default -> false;
        };
    }

    /** Null when {@code actual} matches {@code expected}, else a description of the mismatch. */
    String mismatch(WastValue expected, long actual) {
        boolean ok = switch (expected) {
            case WastValue.Num n -> switch (n.type()) {
                case "i32", "f32" -> (int) actual == (int) n.bits();
                default -> actual == n.bits();
            };
            case WastValue.NanPattern p -> p.type().equals("f32") ? nan32((int) actual, p.canonical()) : nan64(actual, p.canonical());
            case WastValue.RefNull r -> actual == 0;
            case WastValue.AnyNull a -> actual == 0;
            case WastValue.RefExtern r -> actual == store.externRef(hostRefs.computeIfAbsent(r.n(), HostRef::new));
            case WastValue.RefKind k -> switch (k.kind()) {
                case "func", "extern", "any", "exn" -> actual != 0;
                case "eq", "i31", "struct", "array" -> actual != 0 && matchesKind(k.kind(), store.referenceKind(actual));
                default -> throw new UnsupportedValue("references of kind " + k.kind());
            };
            case WastValue.Either e -> e.alternatives().stream().anyMatch(alt -> mismatch(alt, actual) == null);
            case WastValue.V128 x -> throw new UnsupportedValue("v128 results");
            case WastValue.V128Pattern x -> throw new UnsupportedValue("v128 results");
            case WastValue.RefHost r -> actual == store.externRef(hostRefs.computeIfAbsent(r.n(), HostRef::new));
        };
        return ok ? null : "expected " + describe(expected) + ", got " + describeActual(expected, actual);
    }

    private static boolean matchesKind(String expected, String actual) {
        return expected.equals(actual) || expected.equals("eq") && (actual.equals("i31") || actual.equals("struct") || actual.equals("array"));
    }

    private static boolean nan32(int bits, boolean canonical) {
        if (canonical) return (bits & 0x7FFF_FFFF) == 0x7FC0_0000;
        return (bits & 0x7FFF_FFFF) > 0x7F80_0000 && (bits & 0x0040_0000) != 0;
    }

    private static boolean nan64(long bits, boolean canonical) {
        if (canonical) return (bits & 0x7FFF_FFFF_FFFF_FFFFL) == 0x7FF8_0000_0000_0000L;
        return (bits & 0x7FFF_FFFF_FFFF_FFFFL) > 0x7FF0_0000_0000_0000L && (bits & 0x0008_0000_0000_0000L) != 0;
    }

    static String describe(WastValue v) {
        return switch (v) {
            case WastValue.Num n -> n.type() + " " + switch (n.type()) {
                case "i32" -> Integer.toString((int) n.bits());
                case "i64" -> Long.toString(n.bits());
                case "f32" -> Float.intBitsToFloat((int) n.bits()) + " (0x" + Integer.toHexString((int) n.bits()) + ")";
                default -> Double.longBitsToDouble(n.bits()) + " (0x" + Long.toHexString(n.bits()) + ")";
            };
            case WastValue.NanPattern p -> p.type() + " nan:" + (p.canonical() ? "canonical" : "arithmetic");
            case WastValue.RefNull r -> "ref.null " + r.heapType();
            case WastValue.AnyNull a -> "ref.null";
            case WastValue.RefExtern r -> "ref.extern " + r.n();
            case WastValue.RefHost r -> "ref.host " + r.n();
            case WastValue.RefKind k -> "ref." + k.kind();
            case WastValue.Either e -> "either " + e.alternatives().stream().map(ResultValues::describe).toList();
            case WastValue.V128 x -> "v128 0x" + Long.toHexString(x.high()) + "_" + Long.toHexString(x.low());
            case WastValue.V128Pattern x -> "v128 " + x.shape() + " " + x.lanes().stream().map(ResultValues::describe).toList();
        };
    }

    private static String describeActual(WastValue expected, long actual) {
        String type = expected instanceof WastValue.Num n ? n.type()
                : expected instanceof WastValue.NanPattern p ? p.type() : "ref";
        return switch (type) {
            case "i32" -> "i32 " + (int) actual;
            case "i64" -> "i64 " + actual;
            case "f32" -> "f32 " + Float.intBitsToFloat((int) actual) + " (0x" + Integer.toHexString((int) actual) + ")";
            case "f64" -> "f64 " + Double.longBitsToDouble(actual) + " (0x" + Long.toHexString(actual) + ")";
            default -> actual == 0 ? "null" : "a non-null reference";
        };
    }
}
