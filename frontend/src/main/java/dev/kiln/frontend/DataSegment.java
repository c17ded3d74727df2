package dev.kiln.frontend;

/**
 * A data segment. Its bytes stay in the module binary: {@code [dataStart, dataStart + dataLength)}.
 * {@code memoryIndex} and {@code offset} are meaningful only for active segments.
 */
public record DataSegment(SegmentMode mode, int memoryIndex, ConstExpr offset, int dataStart, int dataLength,
                          int byteOffset) {
}
