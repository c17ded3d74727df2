package dev.kiln.tests.fuzz.wasm;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** A growing byte buffer with the binary format's primitive encodings (LEB128, names, sections). */
public final class WasmBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public WasmBytes byte_(int b) {
        out.write(b);
        return this;
    }

    public WasmBytes u32(long v) {
        v &= 0xFFFF_FFFFL;
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            out.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
        return this;
    }

    /** Unsigned LEB128 of all 64 bits (a memarg's offset for a 64-bit memory). */
    public WasmBytes u64(long v) {
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            out.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
        return this;
    }

    /** Signed LEB128 (s32, s33 and s64 all encode this way with minimal length). */
    public WasmBytes sleb(long v) {
        while (true) {
            int b = (int) (v & 0x7F);
            v >>= 7;
            boolean done = v == 0 && (b & 0x40) == 0 || v == -1 && (b & 0x40) != 0;
            out.write(done ? b : b | 0x80);
            if (done) return this;
        }
    }

    public WasmBytes fixed(long bits, int bytes) {
        for (int i = 0; i < bytes; i++) out.write((int) (bits >>> (8 * i)) & 0xFF);
        return this;
    }

    public WasmBytes raw(byte[] bs) {
        out.writeBytes(bs);
        return this;
    }

    public WasmBytes name(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        u32(b.length);
        return raw(b);
    }

    /** A length-prefixed chunk (a section's or a function body's contents). */
    public WasmBytes sized(WasmBytes contents) {
        byte[] c = contents.toByteArray();
        u32(c.length);
        return raw(c);
    }

    public WasmBytes section(int id, WasmBytes contents) {
        byte_(id);
        return sized(contents);
    }

    public byte[] toByteArray() {
        return out.toByteArray();
    }
}
