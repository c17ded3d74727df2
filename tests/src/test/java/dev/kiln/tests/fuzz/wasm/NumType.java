package dev.kiln.tests.fuzz.wasm;

import dev.kiln.frontend.ValType;

import java.util.List;

/**
 * The value types the fuzzer generates, with their text name and binary code: the four numeric
 * types, and v128 (whose raw value takes two longs; it never crosses the exports, see
 * {@link dev.kiln.tests.fuzz.gen.ModuleGenerator}).
 */
public enum NumType {
    I32("i32", 0x7F, 4),
    I64("i64", 0x7E, 8),
    F32("f32", 0x7D, 4),
    F64("f64", 0x7C, 8),
    V128("v128", 0x7B, 16),
    /**
     * A nullable exception reference: only in locals, block types and on the stack of code with
     * exception handlers (never in function types or globals); its constant is {@code ref.null exn}.
     */
    EXNREF("exnref", 0x69, 8);

    /** The numeric types: what exports, globals' exported values and scalar code use. */
    public static final List<NumType> SCALARS = List.of(I32, I64, F32, F64);
    /** The numeric and vector types: what random code, parameters and locals of SIMD modules use. */
    public static final List<NumType> NUMBERS_AND_VECTORS = List.of(I32, I64, F32, F64, V128);

    public final String wat;
    public final int code;
    public final int bytes;

    NumType(String wat, int code, int bytes) {
        this.wat = wat;
        this.code = code;
        this.bytes = bytes;
    }

    /** The fuzzer's type for one of kiln's numeric value types. */
    public static NumType of(ValType t) {
        return switch (t.machine()) {
            case I32 -> I32;
            case I64 -> I64;
            case F32 -> F32;
            case F64 -> F64;
            case V128 -> V128;
            default -> throw new IllegalArgumentException("not a numeric type: " + t);
        };
    }

    public boolean isFloat() {
        return this == F32 || this == F64;
    }

    /** Whether {@code bits} (i32/f32 in the low 32 bits) is a NaN of this type; false for integer types. */
    public boolean isNaN(long bits) {
        return switch (this) {
            case F32 -> Float.isNaN(Float.intBitsToFloat((int) bits));
            case F64 -> Double.isNaN(Double.longBitsToDouble(bits));
            default -> false;
        };
    }

    /** The positive canonical NaN of a float type. */
    public long canonicalNaN() {
        return switch (this) {
            case F32 -> 0x7FC0_0000L;
            case F64 -> 0x7FF8_0000_0000_0000L;
            default -> throw new IllegalStateException(wat + " has no NaN");
        };
    }

    /** A signalling NaN that {@link Expr.Canon} puts in place of a NaN whose quiet bit is clear. */
    public long signallingMarker() {
        return switch (this) {
            case F32 -> 0x7FA0_0000L;
            case F64 -> 0x7FF4_0000_0000_0000L;
            default -> throw new IllegalStateException(wat + " has no NaN");
        };
    }

    /** The quiet bit of a NaN of this type. */
    public long quietBit() {
        return switch (this) {
            case F32 -> 0x40_0000L;
            case F64 -> 0x8_0000_0000_0000L;
            default -> throw new IllegalStateException(wat + " has no NaN");
        };
    }

    /** Bits normalised to the type's width (i32/f32 keep only the low 32 bits, zero-extended). */
    public long normalize(long bits) {
        return bytes == 4 ? bits & 0xFFFF_FFFFL : bits;
    }

    public static NumType byName(String name) {
        for (NumType t : values()) if (t.wat.equals(name)) return t;
        throw new IllegalArgumentException("not a numeric type: " + name);
    }
}
