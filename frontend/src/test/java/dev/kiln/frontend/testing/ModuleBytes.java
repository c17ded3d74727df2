package dev.kiln.frontend.testing;

import java.io.ByteArrayOutputStream;

/** Builds raw module binaries byte by byte, for tests of malformed and hostile inputs. */
public final class ModuleBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public static ModuleBytes header() {
        ModuleBytes b = new ModuleBytes();
        b.bytes(0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00);
        return b;
    }

    public ModuleBytes bytes(int... bs) {
        for (int b : bs) out.write(b);
        return this;
    }

    public ModuleBytes u32(long v) {
        do {
            int b = (int) (v & 0x7F);
            v >>>= 7;
            out.write(v != 0 ? b | 0x80 : b);
        } while (v != 0);
        return this;
    }

    /** A section: id, size, contents. */
    public ModuleBytes section(int id, ModuleBytes contents) {
        byte[] c = contents.build();
        out.write(id);
        u32(c.length);
        out.writeBytes(c);
        return this;
    }

    public static ModuleBytes contents() {
        return new ModuleBytes();
    }

    public byte[] build() {
        return out.toByteArray();
    }
}
