package dev.kiln.frontend.text;

/** {@code shape lane*}: the lanes of a {@code v128.const}, as 16 little-endian bytes. */
final class VectorLiterals {
    private VectorLiterals() {
    }

    /** The lane count of a shape, or -1 when the keyword is not one. */
    static int lanes(String shape) {
        return switch (shape) {
            case "i8x16" -> 16;
            case "i16x8" -> 8;
            case "i32x4", "f32x4" -> 4;
            case "i64x2", "f64x2" -> 2;
            default -> -1;
        };
    }

    static String shape(Cursor c) {
        int tok = c.peek();
        String shape = c.keyword();
        if (lanes(shape) < 0) {
            throw c.errorAt(tok, "expected a vector shape (i8x16, i16x8, i32x4, i64x2, f32x4, f64x2), found '" + shape + "'");
        }
        return shape;
    }

    static void v128(Cursor c, ByteSink out) {
        String shape = shape(c);
        for (int i = 0; i < lanes(shape); i++) lane(c, shape, out);
    }

    /** One lane's value, written in its width. */
    static void lane(Cursor c, String shape, ByteSink out) {
        if (!c.at(TokenKind.NUMBER)) throw c.expected("a lane value (" + lanes(shape) + " for " + shape + ")");
        switch (shape) {
            case "i8x16" -> out.byte_((int) c.integer(8));
            case "i16x8" -> {
                long v = c.integer(16);
                out.byte_((int) v);
                out.byte_((int) (v >> 8));
            }
            case "i32x4" -> out.f32((int) c.integer(32));
            case "i64x2" -> out.f64(c.integer(64));
            case "f32x4" -> out.f32(c.f32());
            default -> out.f64(c.f64());
        }
    }
}
