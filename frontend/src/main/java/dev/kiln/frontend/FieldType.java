package dev.kiln.frontend;

/**
 * A field of a struct or the element of an array: its storage type and mutability. A packed
 * field ({@code i8}, {@code i16}) has {@code packedBits} 8 or 16 and {@code type} i32 (the type
 * values have on the operand stack); otherwise {@code packedBits} is 0.
 */
public record FieldType(ValType type, int packedBits, boolean mutable) {
    /** Binary code of the packed storage type i8. */
    public static final int I8_CODE = 0x78;
    /** Binary code of the packed storage type i16. */
    public static final int I16_CODE = 0x77;

    public boolean isPacked() {
        return packedBits != 0;
    }

    @Override
    public String toString() {
        String storage = packedBits == 8 ? "i8" : packedBits == 16 ? "i16" : type.toString();
        return mutable ? "(mut " + storage + ")" : storage;
    }
}
