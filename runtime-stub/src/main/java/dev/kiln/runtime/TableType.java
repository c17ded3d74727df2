package dev.kiln.runtime;

import dev.kiln.frontend.Limits;

import java.util.OptionalLong;

/**
 * A table type: the reference type of its elements, its size limits in elements, and whether it is
 * a 64-bit table (table64: indices and sizes are i64). A 32-bit table's limits are at most
 * 2<sup>32</sup>-1.
 *
 * @param elementType {@link ValueType#FUNCREF}, {@link ValueType#EXTERNREF} or another reference type
 * @param minElements the initial (and minimum) size
 * @param maxElements the maximum size, if the type has one
 * @param is64        whether the table is indexed with i64 ({@code (table i64 ...)})
 */
public record TableType(ValueType<?> elementType, long minElements, OptionalLong maxElements, boolean is64) implements ExternType {
    /** The largest limit of a 32-bit table. */
    private static final long MAX_32 = 0xFFFF_FFFFL;

    public TableType {
        if (!elementType.isReference()) throw new IllegalArgumentException("a table holds references, not " + elementType);
        String kind = is64 ? "a 64-bit table" : "a 32-bit table";
        if (minElements < 0 || (!is64 && minElements > MAX_32)) {
            throw new IllegalArgumentException(kind + " cannot have " + minElements + " elements");
        }
        if (maxElements.isPresent() && maxElements.getAsLong() < minElements) {
            throw new IllegalArgumentException("maximum " + maxElements.getAsLong() + " elements is below the minimum " + minElements);
        }
        if (maxElements.isPresent() && !is64 && maxElements.getAsLong() > MAX_32) {
            throw new IllegalArgumentException(kind + " cannot have a maximum of " + maxElements.getAsLong() + " elements");
        }
    }

    /** A 32-bit table. */
    public TableType(ValueType<?> elementType, long minElements, OptionalLong maxElements) {
        this(elementType, minElements, maxElements, false);
    }

    /** A 32-bit table of {@code min} elements, at most {@code max}. */
    public static TableType of(ValueType<?> elementType, long min, long max) {
        return new TableType(elementType, min, OptionalLong.of(max));
    }

    /** A 32-bit table of {@code min} elements, no maximum. */
    public static TableType of(ValueType<?> elementType, long min) {
        return new TableType(elementType, min, OptionalLong.empty());
    }

    /** A 64-bit table (table64) of {@code min} elements, at most {@code max}. */
    public static TableType of64(ValueType<?> elementType, long min, long max) {
        return new TableType(elementType, min, OptionalLong.of(max), true);
    }

    /** A 64-bit table (table64) of {@code min} elements, no maximum. */
    public static TableType of64(ValueType<?> elementType, long min) {
        return new TableType(elementType, min, OptionalLong.empty(), true);
    }

    static TableType of(dev.kiln.frontend.TableType t) {
        Limits l = t.limits();
        return new TableType(ValueType.of(t.elementType()), l.min(), l.hasMax() ? OptionalLong.of(l.max()) : OptionalLong.empty(), t.is64());
    }

    dev.kiln.frontend.TableType tableType() {
        return new dev.kiln.frontend.TableType(elementType.valType(), new Limits(minElements, maxElements.orElse(0), maxElements.isPresent()), is64);
    }

    /** The text format's type: {@code (table i64 1 2 funcref)}. */
    @Override
    public String toString() {
        return "(table " + (is64 ? "i64 " : "") + minElements + (maxElements.isPresent() ? " " + maxElements.getAsLong() : "") + " " + elementType + ")";
    }
}
