package dev.kiln.runtime.wasi;

import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.runtime.Memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A linear memory backed by a byte array, bounds-checked like the real one: for tests. */
final class ByteArrayMemory implements Memory {
    static final int PAGE = 65536;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] bytes;

    ByteArrayMemory(int pages) {
        bytes = new byte[pages * PAGE];
    }

    private int at(long address, int size) {
        if (address < 0 || address + size > bytes.length) throw new TrapException(TrapKind.OUT_OF_BOUNDS_MEMORY);
        return (int) address;
    }

    @Override
    public long byteSize() {
        return bytes.length;
    }

    @Override
    public long grow(long deltaPages) {
        long old = bytes.length / PAGE;
        if (old + deltaPages > 256) return -1;
        bytes = Arrays.copyOf(bytes, (int) ((old + deltaPages) * PAGE));
        return old;
    }

    @Override
    public byte readByte(long address) {
        return bytes[at(address, 1)];
    }

    @Override
    public short readShort(long address) {
        return (short) SHORT.get(bytes, at(address, 2));
    }

    @Override
    public int readInt(long address) {
        return (int) INT.get(bytes, at(address, 4));
    }

    @Override
    public long readLong(long address) {
        return (long) LONG.get(bytes, at(address, 8));
    }

    @Override
    public void writeByte(long address, byte value) {
        bytes[at(address, 1)] = value;
    }

    @Override
    public void writeShort(long address, short value) {
        SHORT.set(bytes, at(address, 2), value);
    }

    @Override
    public void writeInt(long address, int value) {
        INT.set(bytes, at(address, 4), value);
    }

    @Override
    public void writeLong(long address, long value) {
        LONG.set(bytes, at(address, 8), value);
    }

    @Override
    public void read(long address, byte[] dst, int offset, int length) {
        System.arraycopy(bytes, at(address, length), dst, offset, length);
    }

    @Override
    public void write(long address, byte[] src, int offset, int length) {
        System.arraycopy(src, offset, bytes, at(address, length), length);
    }

    @Override
    public ByteBuffer buffer(long address, int length) {
        return ByteBuffer.wrap(bytes, at(address, length), length).slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void fill(long address, byte value, long length) {
        int from = at(address, (int) Math.min(length, Integer.MAX_VALUE));
        Arrays.fill(bytes, from, from + (int) length, value);
    }

    @Override
    public void copy(long dst, long src, long length) {
        int n = (int) Math.min(length, Integer.MAX_VALUE);
        System.arraycopy(bytes, at(src, n), bytes, at(dst, n), n);
    }
}
