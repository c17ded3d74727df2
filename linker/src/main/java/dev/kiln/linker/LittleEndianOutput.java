package dev.kiln.linker;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A growable little-endian byte buffer for building sections. */
final class LittleEndianOutput {
    private byte[] bytes = new byte[256];
    private int size;

    int size() {
        return size;
    }

    private void ensure(int more) {
        long needed = (long) size + more;
        if (needed > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("section larger than 2 GiB");
        }
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(needed, 2L * bytes.length)));
        }
    }

    LittleEndianOutput u8(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
        return this;
    }

    LittleEndianOutput u16(int v) {
        return u8(v).u8(v >>> 8);
    }

    LittleEndianOutput u32(long v) {
        return u16((int) v).u16((int) (v >>> 16));
    }

    LittleEndianOutput u64(long v) {
        return u32(v).u32(v >>> 32);
    }

    LittleEndianOutput bytes(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, bytes, size, b.length);
        size += b.length;
        return this;
    }

    /** A u32 byte length followed by the UTF-8 bytes of {@code s}. */
    LittleEndianOutput utf8(String s, String what) {
        byte[] b = encodeUtf8(s, what);
        return u32(b.length).bytes(b);
    }

    LittleEndianOutput padTo(int alignment) {
        while (size % alignment != 0) u8(0);
        return this;
    }

    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** UTF-8 of {@code s}; refuses strings UTF-8 cannot carry (unpaired surrogates). */
    static byte[] encodeUtf8(String s, String what) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(what + " '" + s + "' is not well-formed Unicode (unpaired surrogate)");
        }
    }
}
