package dev.kiln.frontend;

import java.util.List;

/**
 * An element segment. {@code tableIndex} and {@code offset} are meaningful only for active
 * segments. Items are constant expressions; the function-index forms are decoded as {@code ref.func}.
 */
public record ElementSegment(SegmentMode mode, int tableIndex, ConstExpr offset, ValType type,
                             List<ConstExpr> items, int byteOffset) {
    public ElementSegment {
        items = List.copyOf(items);
    }
}
