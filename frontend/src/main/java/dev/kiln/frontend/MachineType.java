package dev.kiln.frontend;

/**
 * How a value is represented by the machine: the only thing the IR, the register allocator, the
 * interpreter and the backends look at. Every reference type, whatever its heap type and
 * nullability, is {@link #REF}: one 8-byte word (0 is null).
 */
public enum MachineType {
    I32(4),
    I64(8),
    F32(4),
    F64(8),
    V128(16),
    REF(8);

    /** Size in bytes of the representation in memory, in a global cell or in a table slot. */
    public final int byteSize;

    MachineType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** True for the types that live in floating-point/vector registers. */
    public boolean isFloatOrVector() {
        return this == F32 || this == F64 || this == V128;
    }

    /** True for the 4-byte types (i32, f32), which are zero-extended in 8-byte cells. */
    public boolean is32() {
        return this == I32 || this == F32;
    }
}
