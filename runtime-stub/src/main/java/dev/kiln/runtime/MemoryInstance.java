package dev.kiln.runtime;

import dev.kiln.frontend.MemoryType;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.linker.NativeMemoryException;
import dev.kiln.linker.VirtualMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A linear memory in native memory. Its whole 32-bit range is reserved once, 8 GiB of address
 * space (4 GiB of memory and a 4 GiB guard, inaccessible until committed), so its base address
 * never moves when it grows; native code and the interpreter both rely on that.
 */
public final class MemoryInstance implements Memory, Extern {
    /** Bytes of address space reserved per memory. */
    public static final long RESERVATION = 8L << 30;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;

    final Store store;
    private final VirtualMemory pages;
    private final long base;
    /** The whole reservation for the runtime's own use while guest code runs (the store cannot be closed then). */
    private final MemorySegment segment;
    /** The same bytes for host code: unusable (an exception, not a fault) once the store is closed. */
    private final Arena viewArena = Arena.ofShared();
    private final MemorySegment view;
    private final long maxPages;
    private long size;
    private boolean released;
    /** VMContexts whose MEMORY_SIZE field mirrors this memory's size. */
    private final List<MemorySegment> boundContexts = new ArrayList<>();
    private final MemoryType type;

    MemoryInstance(Store store, MemoryType type, long hostMaxPages) {
        this.store = store;
        this.type = type;
        long declared = type.limits().hasMax() ? type.limits().max() : MemoryType.MAX_PAGES;
        // a 64-bit memory grows within the same reservation as a 32-bit one (8 GiB); past it, memory.grow fails
        this.maxPages = Math.min(Math.min(declared, hostMaxPages), RESERVATION / MemoryType.PAGE_SIZE);
        if (type.limits().min() > maxPages) {
            throw new LinkException("memory of " + type.limits().min() + " pages exceeds the limit of " + maxPages + " pages");
        }
        this.pages = VirtualMemory.reserve(RESERVATION);
        this.base = pages.address();
        this.segment = wholeReservation(base);
        this.view = segment.reinterpret(viewArena, null);
        long bytes = type.limits().min() * MemoryType.PAGE_SIZE;
        try {
            if (bytes > 0) pages.commit(0, bytes);
        } catch (NativeMemoryException e) {
            pages.close();
            throw new LinkException("cannot commit " + bytes + " bytes of linear memory: " + e.getMessage());
        }
        this.size = bytes;
    }

    /** All of the reservation: accesses past {@link #byteSize()} hit inaccessible pages, so check first. */
    @SuppressWarnings("restricted")
    private static MemorySegment wholeReservation(long base) {
        return MemorySegment.ofAddress(base).reinterpret(RESERVATION);
    }

    public MemoryType type() {
        return type;
    }

    /** Address of byte 0. */
    public long baseAddress() {
        return base;
    }

    /**
     * A segment over the whole reservation for the interpreter (accesses past {@link #byteSize()}
     * must be checked first; only while the store is open).
     */
    MemorySegment reservation() {
        return segment;
    }

    void bind(MemorySegment vmctx) {
        boundContexts.add(vmctx);
        vmctx.set(ValueLayout.JAVA_LONG, VmContextLayout.MEMORY_BASE, base);
        vmctx.set(ValueLayout.JAVA_LONG, VmContextLayout.MEMORY_SIZE, size);
    }

    @Override
    public long byteSize() {
        return size;
    }

    /** Grows the memory from Java (as the store's user; see {@link Store}). */
    @Override
    public long grow(long deltaPages) {
        return store.using(() -> growNow(deltaPages));
    }

    /** memory.grow from guest code. */
    long growNow(long deltaPages) {
        long oldPages = size / MemoryType.PAGE_SIZE;
        if (deltaPages < 0 || oldPages + deltaPages > maxPages) return -1;
        long add = deltaPages * MemoryType.PAGE_SIZE;
        try {
            if (add > 0) pages.commit(size, add);
        } catch (NativeMemoryException e) {
            return -1;
        }
        size += add;
        for (MemorySegment ctx : boundContexts) ctx.set(ValueLayout.JAVA_LONG, VmContextLayout.MEMORY_SIZE, size);
        return oldPages;
    }

    void release() {
        if (!released) {
            released = true;
            viewArena.close();
            pages.close();
        }
    }

    private long check(long address, long length) {
        // unsigned, without overflow: 64-bit memories pass any u64 address and length
        if (Long.compareUnsigned(length, size) > 0 || Long.compareUnsigned(address, size - length) > 0) {
            throw new TrapException(TrapKind.OUT_OF_BOUNDS_MEMORY);
        }
        return address;
    }

    @Override
    public byte readByte(long address) {
        return view.get(ValueLayout.JAVA_BYTE, check(address, 1));
    }

    @Override
    public short readShort(long address) {
        return view.get(I16, check(address, 2));
    }

    @Override
    public int readInt(long address) {
        return view.get(I32, check(address, 4));
    }

    @Override
    public long readLong(long address) {
        return view.get(I64, check(address, 8));
    }

    @Override
    public void writeByte(long address, byte value) {
        view.set(ValueLayout.JAVA_BYTE, check(address, 1), value);
    }

    @Override
    public void writeShort(long address, short value) {
        view.set(I16, check(address, 2), value);
    }

    @Override
    public void writeInt(long address, int value) {
        view.set(I32, check(address, 4), value);
    }

    @Override
    public void writeLong(long address, long value) {
        view.set(I64, check(address, 8), value);
    }

    @Override
    public void read(long address, byte[] dst, int offset, int length) {
        MemorySegment.copy(view, ValueLayout.JAVA_BYTE, check(address, length), dst, offset, length);
    }

    @Override
    public void write(long address, byte[] src, int offset, int length) {
        MemorySegment.copy(src, offset, view, ValueLayout.JAVA_BYTE, check(address, length), length);
    }

    /** memory.fill with the spec's bounds check. */
    void fill(long dst, byte value, long n) {
        check(dst, n);
        segment.asSlice(dst, n).fill(value);
    }

    /** memory.copy (overlapping ranges allowed) with the spec's bounds checks. */
    void copy(long dst, long src, long n) {
        check(dst, n);
        check(src, n);
        MemorySegment.copy(segment, src, segment, dst, n);
    }

    /** memory.copy between two memories (the same one allowed), with the spec's bounds checks. */
    static void copy(MemoryInstance dst, long d, MemoryInstance src, long s, long n) {
        dst.check(d, n);
        src.check(s, n);
        MemorySegment.copy(src.segment, s, dst.segment, d, n);
    }

    /** Copies {@code n} bytes of {@code data[srcOff..]} to {@code dst}, with the checks memory.init needs. */
    void init(long dst, byte[] data, int dataStart, int dataLength, long src, long n) {
        if (Long.compareUnsigned(n, dataLength) > 0 || Long.compareUnsigned(src, dataLength - n) > 0) {
            throw new TrapException(TrapKind.OUT_OF_BOUNDS_MEMORY);
        }
        check(dst, n);
        MemorySegment.copy(data, (int) (dataStart + src), segment, ValueLayout.JAVA_BYTE, dst, (int) n);
    }
}
