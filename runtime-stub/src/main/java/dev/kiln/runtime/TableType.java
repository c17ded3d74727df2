package dev.kiln.runtime;

import dev.kiln.frontend.Limits;

import java.util.OptionalLong;

/**
 * A table type: the reference type of its elements and its size limits in elements.
 *
 * @param elementType {@link ValueType#FUNCREF}, {@link ValueType#EXTERNREF} or another reference type
 * @param minElements the initial (and minimum) size
 * @param maxElements the maximum size, if the type has one
 */
public record TableType(ValueType<?> elementType, long minElements, OptionalLong maxElements) implements ExternType {
    public TableType {
        if (!elementType.isReference()) throw new IllegalArgumentException("a table holds references, not " + elementType);
        if (minElements < 0) throw new IllegalArgumentException("a table cannot have " + minElements + " elements");
        if (maxElements.isPresent() && maxElements.getAsLong() < minElements) {
            throw new IllegalArgumentException("maximum " + maxElements.getAsLong() + " elements is below the minimum " + minElements);
        }
    }

    /** {@code min} elements, at most {@code max}. */
    public static TableType of(ValueType<?> elementType, long min, long max) {
        return new TableType(elementType, min, OptionalLong.of(max));
    }

    /** {@code min} elements, no maximum. */
    public static TableType of(ValueType<?> elementType, long min) {
        return new TableType(elementType, min, OptionalLong.empty());
    }

    static TableType of(dev.kiln.frontend.TableType t) {
        Limits l = t.limits();
        return new TableType(ValueType.of(t.elementType()), l.min(), l.hasMax() ? OptionalLong.of(l.max()) : OptionalLong.empty());
    }

    dev.kiln.frontend.TableType tableType() {
        return new dev.kiln.frontend.TableType(elementType.valType(), new Limits(minElements, maxElements.orElse(Limits.NO_MAX)));
    }

    @Override
    public String toString() {
        return "(table " + minElements + (maxElements.isPresent() ? " " + maxElements.getAsLong() : "") + " " + elementType + ")";
    }
}
