package dev.kiln.runtime.wasi;

import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.runtime.Memory;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The calling instance's memory as the WASI functions use it: guest pointers are unsigned 32-bit,
 * and every pointer a function dereferences is checked first, as wasmtime does. A range outside memory
 * traps ({@link TrapKind#OUT_OF_BOUNDS_MEMORY}) and a typed pointer that is not aligned to its type
 * traps ({@link GuestFault}); neither is reported as {@code EFAULT}. Ranges are checked before any
 * host side effect, so a call that traps on a bad buffer has not read or written a file.
 */
final class GuestMemory {
    /** Largest host buffer used to move data between a file and guest memory. */
    static final int CHUNK = 64 * 1024;

    /** Longest string (a path) copied out of the guest: wasmtime's default host-call budget. */
    static final long MAX_STRING = 128L << 20;

    /** Most bytes one {@code fd_read}/{@code fd_write} moves (the sum must fit the {@code size} result). */
    static final long MAX_TRANSFER = Integer.MAX_VALUE;

    private final Memory memory;

    /** Wraps the caller's memory; null (a module without memory) makes every access trap. */
    GuestMemory(Memory memory) {
        this.memory = memory;
    }

    /** The unsigned 32-bit value of an i32 argument. */
    static long u32(long raw) {
        return raw & 0xFFFF_FFFFL;
    }

    /** Traps unless {@code [address, address + length)} lies inside memory. */
    void checkRange(long address, long length) {
        if (memory == null) throw GuestFault.trap("WASI call needs the module's exported memory");
        if (address < 0 || length < 0 || address + length > memory.byteSize()) {
            throw new TrapException(TrapKind.OUT_OF_BOUNDS_MEMORY);
        }
    }

    /** Traps unless {@code address} is a multiple of {@code align} and the range is inside memory. */
    void checkTyped(long address, long length, int align) {
        if ((address & (align - 1)) != 0) {
            throw GuestFault.trap("pointer not aligned to " + align + ": " + address);
        }
        checkRange(address, length);
    }

    int readU8(long address) {
        return memory.readByte(address) & 0xFF;
    }

    int readU16(long address) {
        return memory.readShort(address) & 0xFFFF;
    }

    long readU32(long address) {
        return memory.readInt(address) & 0xFFFF_FFFFL;
    }

    long readU64(long address) {
        return memory.readLong(address);
    }

    void writeU8(long address, int value) {
        memory.writeByte(address, (byte) value);
    }

    void writeU16(long address, int value) {
        memory.writeShort(address, (short) value);
    }

    void writeU32(long address, long value) {
        memory.writeInt(address, (int) value);
    }

    void writeU64(long address, long value) {
        memory.writeLong(address, value);
    }

    /** Stores a {@code u32} result (a {@code size} or an {@code fd}) at an aligned result pointer. */
    void storeU32(long address, long value) {
        checkTyped(address, 4, 4);
        writeU32(address, value);
    }

    /** Stores a {@code u64} result (a {@code filesize} or {@code timestamp}) at an aligned result pointer. */
    void storeU64(long address, long value) {
        checkTyped(address, 8, 8);
        writeU64(address, value);
    }

    byte[] readBytes(long address, int length) {
        checkRange(address, length);
        return memory.readBytes(address, length);
    }

    void writeBytes(long address, byte[] bytes, int offset, int length) {
        checkRange(address, length);
        memory.write(address, bytes, offset, length);
    }

    /**
     * Reads a guest string (a path). Invalid UTF-8 is {@code EILSEQ}, as in wasmtime; a string over
     * {@link #MAX_STRING} bytes is {@code ENOMEM}, as wasmtime's host-call budget.
     */
    String readString(long address, long length) {
        checkRange(address, length);
        if (length > MAX_STRING) throw new ErrnoException(Errno.ENOMEM);
        byte[] bytes = memory.readBytes(address, (int) length);
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new ErrnoException(Errno.EILSEQ);
        }
    }

    /**
     * The {@code iovec}/{@code ciovec} array at {@code iovs}, after checking that the array is aligned
     * and that it and every buffer it names lie inside memory (without copying anything). Buffers
     * adding up to more than {@link #MAX_TRANSFER} bytes are {@code EINVAL}.
     */
    Iovecs iovecs(long iovs, long count) {
        checkTyped(iovs, count * WasiAbi.IOVEC_SIZE, WasiAbi.IOVEC_ALIGN);
        Iovecs list = new Iovecs(this, iovs, (int) count);
        long total = 0;
        for (int i = 0; i < list.count(); i++) {
            checkRange(list.address(i), list.length(i));
            total += list.length(i);
        }
        if (total > MAX_TRANSFER) throw new ErrnoException(Errno.EINVAL);
        list.total = total;
        return list;
    }

    /** A checked scatter/gather list in guest memory; entries are read on demand. */
    static final class Iovecs {
        private final GuestMemory memory;
        private final long base;
        private final int count;
        private long total;

        private Iovecs(GuestMemory memory, long base, int count) {
            this.memory = memory;
            this.base = base;
            this.count = count;
        }

        int count() {
            return count;
        }

        long address(int i) {
            return memory.readU32(base + (long) i * WasiAbi.IOVEC_SIZE + WasiAbi.IOVEC_BUF);
        }

        long length(int i) {
            return memory.readU32(base + (long) i * WasiAbi.IOVEC_SIZE + WasiAbi.IOVEC_LEN);
        }

        /** Sum of all buffer lengths. */
        long total() {
            return total;
        }
    }
}
