package dev.kiln.tests.fuzz.engine;

import dev.kiln.tests.fuzz.wasm.NumType;

/** A raw value for humans: {@code i32:0xffffffff (-1)}, {@code f64:0x3ff0000000000000 (1.0)}, {@code f32:0x7fc00001 (nan)}. */
public final class ValueText {
    private ValueText() {
    }

    public static String of(NumType t, long bits) {
        String hex = t.wat + ":0x" + Long.toHexString(t.normalize(bits));
        return switch (t) {
            case I32 -> hex + " (" + (int) bits + ")";
            case I64 -> hex + " (" + bits + ")";
            case F32 -> hex + " (" + Float.intBitsToFloat((int) bits) + ")";
            case F64 -> hex + " (" + Double.longBitsToDouble(bits) + ")";
            case V128, EXNREF -> throw new IllegalArgumentException("a " + t.wat + " never crosses the exports of a generated module");
        };
    }
}
