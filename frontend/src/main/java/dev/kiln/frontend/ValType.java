package dev.kiln.frontend;

/** A WebAssembly 2.0 value type, with its binary encoding. */
public enum ValType {
    I32(0x7F, "i32"),
    I64(0x7E, "i64"),
    F32(0x7D, "f32"),
    F64(0x7C, "f64"),
    V128(0x7B, "v128"),
    FUNCREF(0x70, "funcref"),
    EXTERNREF(0x6F, "externref");

    private static final ValType[] BY_CODE = new ValType[128];
    static {
        for (ValType t : values()) BY_CODE[t.code] = t;
    }

    public final int code;
    public final String text;

    ValType(int code, String text) {
        this.code = code;
        this.text = text;
    }

    /** The value type for a binary code, or null when the byte is not a value type. */
    public static ValType fromCode(int b) {
        return b >= 0 && b < 128 ? BY_CODE[b] : null;
    }

    public boolean isNumeric() {
        return this == I32 || this == I64 || this == F32 || this == F64;
    }

    public boolean isReference() {
        return this == FUNCREF || this == EXTERNREF;
    }

    public boolean isVector() {
        return this == V128;
    }

    /** Size in bytes of the type's representation in memory or in a global slot. */
    public int byteSize() {
        return switch (this) {
            case I32, F32 -> 4;
            case I64, F64, FUNCREF, EXTERNREF -> 8;
            case V128 -> 16;
        };
    }

    @Override
    public String toString() {
        return text;
    }
}
