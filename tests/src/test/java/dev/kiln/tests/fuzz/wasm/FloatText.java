package dev.kiln.tests.fuzz.wasm;

/** Float constants as exact WebAssembly text: hexadecimal floats, {@code inf}, {@code nan:0x..} with the payload. */
final class FloatText {
    private FloatText() {
    }

    static String f32(int bits) {
        float f = Float.intBitsToFloat(bits);
        String sign = bits < 0 ? "-" : "";
        if (Float.isNaN(f)) return sign + "nan:0x" + Integer.toHexString(bits & 0x7F_FFFF);
        if (Float.isInfinite(f)) return sign + "inf";
        return Float.toHexString(f);
    }

    static String f64(long bits) {
        double d = Double.longBitsToDouble(bits);
        String sign = bits < 0 ? "-" : "";
        if (Double.isNaN(d)) return sign + "nan:0x" + Long.toHexString(bits & 0xF_FFFF_FFFF_FFFFL);
        if (Double.isInfinite(d)) return sign + "inf";
        return Double.toHexString(d);
    }
}
