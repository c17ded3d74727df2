package dev.kiln.frontend.text;

import java.util.List;

/** Argument values and expected results of script actions ({@code (i32.const 1)}, {@code (ref.null func)}, ...). */
public sealed interface WastValue {
    /** A number of type {@code type} ("i32", "i64", "f32", "f64") as raw bits (floats as their IEEE bits). */
    record Num(String type, long bits) implements WastValue {
    }

    /** A v128, little-endian halves. */
    record V128(long low, long high) implements WastValue {
    }

    /** {@code (ref.null ht)}; as an expected result a null of that heap type. */
    record RefNull(String heapType) implements WastValue {
    }

    /** {@code (ref.extern n)}: the host reference number n, as an externref. */
    record RefExtern(long n) implements WastValue {
    }

    /** {@code (ref.host n)}: the host reference number n, as an anyref. */
    record RefHost(long n) implements WastValue {
    }

    /** Expected results beyond exact values. */
    sealed interface Pattern extends WastValue {
    }

    /** {@code nan:canonical} or {@code nan:arithmetic} of type f32 or f64. */
    record NanPattern(String type, boolean canonical) implements Pattern {
    }

    /** A v128 result lane by lane: each lane a {@link Num} or a {@link NanPattern} (float shapes). */
    record V128Pattern(String shape, List<WastValue> lanes) implements Pattern {
    }

    /** {@code (ref.null)}: any null reference. */
    record AnyNull() implements Pattern {
    }

    /**
     * A non-null reference of a kind: {@code (ref.func)}, {@code (ref.extern)}, {@code (ref.struct)},
     * {@code (ref.array)}, {@code (ref.eq)}, {@code (ref.i31)}, {@code (ref.exn)}, {@code (ref.any)};
     * {@code (ref)} is "any".
     */
    record RefKind(String kind) implements Pattern {
    }

    /** {@code (either r...)}: any of the results. */
    record Either(List<WastValue> alternatives) implements Pattern {
    }
}
