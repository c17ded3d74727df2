package dev.kiln.tests.fuzz.wasm;

import static dev.kiln.tests.fuzz.wasm.NumType.F32;
import static dev.kiln.tests.fuzz.wasm.NumType.F64;
import static dev.kiln.tests.fuzz.wasm.NumType.I32;
import static dev.kiln.tests.fuzz.wasm.NumType.I64;
import static dev.kiln.tests.fuzz.wasm.NumType.V128;

/**
 * Every load and store that takes an address (and a value to store): text name, opcode
 * ({@code 0xFDnn} for the SIMD ones), value type, bytes accessed (the natural alignment). The
 * SIMD loads that widen, splat or zero-fill read fewer bytes than the v128 they make.
 */
public enum MemOp {
    I32_LOAD("i32.load", 0x28, I32, 4, false), I64_LOAD("i64.load", 0x29, I64, 8, false),
    F32_LOAD("f32.load", 0x2A, F32, 4, false), F64_LOAD("f64.load", 0x2B, F64, 8, false),
    I32_LOAD8_S("i32.load8_s", 0x2C, I32, 1, false), I32_LOAD8_U("i32.load8_u", 0x2D, I32, 1, false),
    I32_LOAD16_S("i32.load16_s", 0x2E, I32, 2, false), I32_LOAD16_U("i32.load16_u", 0x2F, I32, 2, false),
    I64_LOAD8_S("i64.load8_s", 0x30, I64, 1, false), I64_LOAD8_U("i64.load8_u", 0x31, I64, 1, false),
    I64_LOAD16_S("i64.load16_s", 0x32, I64, 2, false), I64_LOAD16_U("i64.load16_u", 0x33, I64, 2, false),
    I64_LOAD32_S("i64.load32_s", 0x34, I64, 4, false), I64_LOAD32_U("i64.load32_u", 0x35, I64, 4, false),
    I32_STORE("i32.store", 0x36, I32, 4, true), I64_STORE("i64.store", 0x37, I64, 8, true),
    F32_STORE("f32.store", 0x38, F32, 4, true), F64_STORE("f64.store", 0x39, F64, 8, true),
    I32_STORE8("i32.store8", 0x3A, I32, 1, true), I32_STORE16("i32.store16", 0x3B, I32, 2, true),
    I64_STORE8("i64.store8", 0x3C, I64, 1, true), I64_STORE16("i64.store16", 0x3D, I64, 2, true),
    I64_STORE32("i64.store32", 0x3E, I64, 4, true),
    V128_LOAD("v128.load", 0xFD00, V128, 16, false), V128_LOAD8X8_S("v128.load8x8_s", 0xFD01, V128, 8, false),
    V128_LOAD8X8_U("v128.load8x8_u", 0xFD02, V128, 8, false), V128_LOAD16X4_S("v128.load16x4_s", 0xFD03, V128, 8, false),
    V128_LOAD16X4_U("v128.load16x4_u", 0xFD04, V128, 8, false), V128_LOAD32X2_S("v128.load32x2_s", 0xFD05, V128, 8, false),
    V128_LOAD32X2_U("v128.load32x2_u", 0xFD06, V128, 8, false), V128_LOAD8_SPLAT("v128.load8_splat", 0xFD07, V128, 1, false),
    V128_LOAD16_SPLAT("v128.load16_splat", 0xFD08, V128, 2, false), V128_LOAD32_SPLAT("v128.load32_splat", 0xFD09, V128, 4, false),
    V128_LOAD64_SPLAT("v128.load64_splat", 0xFD0A, V128, 8, false), V128_STORE("v128.store", 0xFD0B, V128, 16, true),
    V128_LOAD32_ZERO("v128.load32_zero", 0xFD5C, V128, 4, false), V128_LOAD64_ZERO("v128.load64_zero", 0xFD5D, V128, 8, false);

    public final String wat;
    public final int opcode;
    public final NumType type;
    public final int width;
    public final boolean store;

    MemOp(String wat, int opcode, NumType type, int width, boolean store) {
        this.wat = wat;
        this.opcode = opcode;
        this.type = type;
        this.width = width;
        this.store = store;
    }

    /** log2 of the natural alignment: the largest alignment immediate that validates. */
    public int maxAlignLog2() {
        return Integer.numberOfTrailingZeros(width);
    }
}
