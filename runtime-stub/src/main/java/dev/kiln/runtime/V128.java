package dev.kiln.runtime;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * A Wasm {@code v128} value: 128 bits, as two {@code long}s ({@code low} holds bits 0-63, which
 * are bytes 0-7 in memory order, {@code high} bits 64-127). Lanes are numbered from the low end, as
 * Wasm numbers them: lane 0 of an {@code i32x4} is bits 0-31.
 *
 * <p>In raw value arrays ({@link FunctionInstance#call}, host functions) a v128 takes two
 * consecutive slots, low first; {@link #of(long[], int)} and {@link #writeTo(long[], int)} convert.
 */
public record V128(long low, long high) {
    public static final V128 ZERO = new V128(0, 0);

    /** The v128 whose bytes in memory order are {@code bytes} (16 of them). */
    public static V128 ofBytes(byte... bytes) {
        if (bytes.length != 16) throw new IllegalArgumentException("a v128 has 16 bytes, not " + bytes.length);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        return new V128(b.getLong(), b.getLong());
    }

    /** Eight i16 lanes, lane 0 first. */
    public static V128 ofShorts(short... lanes) {
        if (lanes.length != 8) throw new IllegalArgumentException("an i16x8 has 8 lanes, not " + lanes.length);
        ByteBuffer b = buffer();
        for (short s : lanes) b.putShort(s);
        return ofBuffer(b);
    }

    /** Four i32 lanes, lane 0 first. */
    public static V128 ofInts(int... lanes) {
        if (lanes.length != 4) throw new IllegalArgumentException("an i32x4 has 4 lanes, not " + lanes.length);
        ByteBuffer b = buffer();
        for (int i : lanes) b.putInt(i);
        return ofBuffer(b);
    }

    /** Two i64 lanes, lane 0 first. */
    public static V128 ofLongs(long lane0, long lane1) {
        return new V128(lane0, lane1);
    }

    /** Four f32 lanes, lane 0 first (bit patterns kept, NaN payloads included). */
    public static V128 ofFloats(float... lanes) {
        if (lanes.length != 4) throw new IllegalArgumentException("an f32x4 has 4 lanes, not " + lanes.length);
        ByteBuffer b = buffer();
        for (float f : lanes) b.putInt(Float.floatToRawIntBits(f));
        return ofBuffer(b);
    }

    /** Two f64 lanes, lane 0 first. */
    public static V128 ofDoubles(double lane0, double lane1) {
        return new V128(Double.doubleToRawLongBits(lane0), Double.doubleToRawLongBits(lane1));
    }

    /** The v128 in slots {@code at} and {@code at + 1} of a raw value array. */
    public static V128 of(long[] raw, int at) {
        return new V128(raw[at], raw[at + 1]);
    }

    /** Writes this value into slots {@code at} and {@code at + 1} of a raw value array. */
    public void writeTo(long[] raw, int at) {
        raw[at] = low;
        raw[at + 1] = high;
    }

    /** The 16 bytes in memory order. */
    public byte[] bytes() {
        return buffer().putLong(low).putLong(high).array();
    }

    public short[] shorts() {
        ByteBuffer b = ByteBuffer.wrap(bytes()).order(ByteOrder.LITTLE_ENDIAN);
        short[] out = new short[8];
        for (int i = 0; i < out.length; i++) out[i] = b.getShort();
        return out;
    }

    public int[] ints() {
        return new int[] {(int) low, (int) (low >>> 32), (int) high, (int) (high >>> 32)};
    }

    public long[] longs() {
        return new long[] {low, high};
    }

    public float[] floats() {
        int[] bits = ints();
        float[] out = new float[4];
        for (int i = 0; i < 4; i++) out[i] = Float.intBitsToFloat(bits[i]);
        return out;
    }

    public double[] doubles() {
        return new double[] {Double.longBitsToDouble(low), Double.longBitsToDouble(high)};
    }

    /** {@code v128:} and the bytes in memory order as 32 hex digits, byte 0 first. */
    @Override
    public String toString() {
        return "v128:" + HexFormat.of().formatHex(bytes());
    }

    private static ByteBuffer buffer() {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static V128 ofBuffer(ByteBuffer b) {
        b.flip();
        return new V128(b.getLong(), b.getLong());
    }
}
