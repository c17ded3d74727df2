package dev.kiln.linker;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked little-endian reads from one named region of an object file. Every read that
 * would leave the region throws {@link CorruptObjectException} naming the region, the field and the
 * file offset; nothing here allocates more than the bytes it reads.
 */
final class LittleEndianInput {
    private final byte[] file;
    private final String region;
    private final int start;
    private final int end;
    private int position;

    /** Reads {@code file[start, end)}, called {@code region} in messages. */
    LittleEndianInput(byte[] file, String region, int start, int end) {
        if (start < 0 || end < start || end > file.length) {
            throw new IllegalArgumentException("region " + region + " [" + start + ", " + end + ") is outside the file");
        }
        this.file = file;
        this.region = region;
        this.start = start;
        this.end = end;
        this.position = start;
    }

    /** The file offset of the next read. */
    int position() {
        return position;
    }

    /** Bytes left in the region. */
    int remaining() {
        return end - position;
    }

    private int take(int n, String what) throws CorruptObjectException {
        if (n < 0 || n > end - position) {
            throw new CorruptObjectException(region + " ends before " + what + " (needs " + Integer.toUnsignedString(n)
                    + " bytes, " + (end - position) + " left)", position);
        }
        int at = position;
        position += n;
        return at;
    }

    int u8(String what) throws CorruptObjectException {
        return file[take(1, what)] & 0xff;
    }

    int u16(String what) throws CorruptObjectException {
        int at = take(2, what);
        return (file[at] & 0xff) | (file[at + 1] & 0xff) << 8;
    }

    long u32(String what) throws CorruptObjectException {
        int at = take(4, what);
        return readU32(file, at);
    }

    long u64(String what) throws CorruptObjectException {
        int at = take(8, what);
        return readU32(file, at) | readU32(file, at + 4) << 32;
    }

    /** A u32 that must fit a non-negative Java int. */
    int u32AsInt(String what) throws CorruptObjectException {
        int at = position;
        long v = u32(what);
        if (v > Integer.MAX_VALUE) {
            throw new CorruptObjectException(what + " " + v + " is out of range", at);
        }
        return (int) v;
    }

    /** A u32 that must be {@code expected}. */
    void expectU32(long expected, String what) throws CorruptObjectException {
        int at = position;
        long v = u32(what);
        if (v != expected) {
            throw new CorruptObjectException(what + " is " + v + ", expected " + expected, at);
        }
    }

    byte[] bytes(int n, String what) throws CorruptObjectException {
        int at = take(n, what);
        byte[] out = new byte[n];
        System.arraycopy(file, at, out, 0, n);
        return out;
    }

    /** A u32 length followed by that many bytes of well-formed UTF-8. */
    String utf8(String what) throws CorruptObjectException {
        int lengthAt = position;
        long length = u32(what + " length");
        if (length > remaining()) {
            throw new CorruptObjectException(what + " length " + length + " exceeds the " + remaining() + " bytes left in " + region, lengthAt);
        }
        int at = position;
        take((int) length, what);
        return decodeUtf8(file, at, (int) length, what);
    }

    /** Skips zero padding up to a multiple of {@code alignment} relative to the region start. */
    void zeroPadding(int alignment, String what) throws CorruptObjectException {
        int padded = (int) ElfConstants.alignUp(position - start, alignment) + start;
        while (position < padded) {
            int at = position;
            if (u8(what) != 0) throw new CorruptObjectException("nonzero " + what, at);
        }
    }

    /** Fails unless the region has been read completely. */
    void expectEnd() throws CorruptObjectException {
        if (position != end) {
            throw new CorruptObjectException(region + " has " + (end - position) + " unexpected trailing bytes", position);
        }
    }

    static long readU32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    static String decodeUtf8(byte[] b, int at, int length, String what) throws CorruptObjectException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b, at, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new CorruptObjectException(what + " is not valid UTF-8", at);
        }
    }
}
