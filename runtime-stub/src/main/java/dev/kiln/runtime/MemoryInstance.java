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
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A linear memory in native memory. Its whole 32-bit range is reserved once, 8 GiB of address
 * space (4 GiB of memory and a 4 GiB guard, inaccessible until committed), so its base address
 * never moves when it grows; native code and the interpreter both rely on that.
 *
 * <p>Host code reads and writes it through {@link Memory}; those accesses go through a view that
 * closes with the store, so a buffer kept past the store's end fails with an exception instead of
 * touching unmapped memory.
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
    /** What host code accesses: the reservation, closed (before it is unmapped) when the memory is released. */
    private final Arena hostViews = Arena.ofShared();
    private final MemorySegment host;
    private final long maxPages;
    private long size;
    private boolean released;
    /** VMContexts whose size field for this memory ({@link VmContextLayout#memorySize}) mirrors its size. */
    private final List<BoundContext> boundContexts = new ArrayList<>();

    /** A VMContext and the index this memory has in its instance. */
    private record BoundContext(MemorySegment vmctx, int index) {
        void size(long bytes) {
            vmctx.set(ValueLayout.JAVA_LONG, VmContextLayout.memorySize(index), bytes);
        }
    }
    private final MemoryType type;

    MemoryInstance(Store store, MemoryType type, long hostMaxPages) {
        this.store = store;
        this.type = type;
        long declared = type.limits().hasMax() ? type.limits().max() : type.is64() ? MemoryType.MAX_PAGES_64 : MemoryType.MAX_PAGES;
        // a 64-bit memory grows within the same reservation as a 32-bit one (8 GiB); past it, memory.grow fails
        this.maxPages = Math.min(Math.min(declared, hostMaxPages), RESERVATION / MemoryType.PAGE_SIZE);
        if (type.limits().min() > maxPages) {
            throw new LinkException("memory of " + type.limits().min() + " pages exceeds the limit of " + maxPages + " pages");
        }
        this.pages = VirtualMemory.reserve(RESERVATION);
        this.base = pages.address();
        this.segment = wholeReservation(base);
        this.host = hostView(segment, hostViews);
        long bytes = type.limits().min() * MemoryType.PAGE_SIZE;
        try {
            if (bytes > 0) pages.commit(0, bytes);
        } catch (NativeMemoryException e) {
            pages.close();
            throw new LinkException("cannot commit " + bytes + " bytes of linear memory: " + e.getMessage());
        }
        this.size = bytes;
    }

    @SuppressWarnings("restricted")
    private static MemorySegment hostView(MemorySegment reservation, Arena arena) {
        return reservation.reinterpret(arena, null);
    }

    /** All of the reservation: accesses past {@link #byteSize()} hit inaccessible pages, so check first. */
    @SuppressWarnings("restricted")
    private static MemorySegment wholeReservation(long base) {
        return MemorySegment.ofAddress(base).reinterpret(RESERVATION);
    }

    /** The memory's type: its limits in pages (the minimum is the size it was created with). */
    @Override
    public dev.kiln.runtime.MemoryType type() {
        return dev.kiln.runtime.MemoryType.of(type);
    }

    /** The module's view of the type (import matching). */
    MemoryType memoryType() {
        return type;
    }

    /** Address of byte 0. */
    long baseAddress() {
        return base;
    }

    /** A segment over the whole reservation (accesses past {@link #byteSize()} must be checked first). */
    MemorySegment reservation() {
        return segment;
    }

    /** Makes {@code vmctx} (of an instance where this is memory {@code index}) hold this memory's base and size. */
    void bind(MemorySegment vmctx, int index) {
        BoundContext bound = new BoundContext(vmctx, index);
        boundContexts.add(bound);
        vmctx.set(ValueLayout.JAVA_LONG, VmContextLayout.memoryBase(index), base);
        bound.size(size);
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
        if (deltaPages < 0 || deltaPages > maxPages - oldPages) return -1; // a 64-bit delta near 2^63 must not wrap the sum
        long add = deltaPages * MemoryType.PAGE_SIZE;
        try {
            if (add > 0) pages.commit(size, add);
        } catch (NativeMemoryException e) {
            return -1;
        }
        size += add;
        for (BoundContext ctx : boundContexts) ctx.size(size);
        return oldPages;
    }

    void release() {
        if (!released) {
            released = true;
            hostViews.close(); // host views fail from now on, before the pages go
            pages.close();
        }
    }

    /** For Wasm code and the runtime: traps as the spec says. */
    private long check(long address, long length) {
        if (outside(address, length)) throw new TrapException(TrapKind.OUT_OF_BOUNDS_MEMORY);
        return address;
    }

    /** Unsigned, without overflow: 64-bit memories pass any u64 address and length. */
    private boolean outside(long address, long length) {
        return Long.compareUnsigned(length, size) > 0 || Long.compareUnsigned(address, size - length) > 0;
    }

    /** For host code ({@link Memory}): the same check, thrown as the API's trap. */
    private long hostCheck(long address, long length) {
        if (address < 0 || length < 0 || outside(address, length)) {
            throw new WasmTrap(TrapKind.OUT_OF_BOUNDS_MEMORY, List.of(), new IndexOutOfBoundsException(
                    "bytes [" + address + ", " + address + " + " + length + ") are outside the memory of " + size + " bytes"));
        }
        return address;
    }

    @Override
    public byte readByte(long address) {
        return host.get(ValueLayout.JAVA_BYTE, hostCheck(address, 1));
    }

    @Override
    public short readShort(long address) {
        return host.get(I16, hostCheck(address, 2));
    }

    @Override
    public int readInt(long address) {
        return host.get(I32, hostCheck(address, 4));
    }

    @Override
    public long readLong(long address) {
        return host.get(I64, hostCheck(address, 8));
    }

    @Override
    public void writeByte(long address, byte value) {
        host.set(ValueLayout.JAVA_BYTE, hostCheck(address, 1), value);
    }

    @Override
    public void writeShort(long address, short value) {
        host.set(I16, hostCheck(address, 2), value);
    }

    @Override
    public void writeInt(long address, int value) {
        host.set(I32, hostCheck(address, 4), value);
    }

    @Override
    public void writeLong(long address, long value) {
        host.set(I64, hostCheck(address, 8), value);
    }

    @Override
    public void read(long address, byte[] dst, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, dst.length);
        MemorySegment.copy(host, ValueLayout.JAVA_BYTE, hostCheck(address, length), dst, offset, length);
    }

    @Override
    public void write(long address, byte[] src, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, src.length);
        MemorySegment.copy(src, offset, host, ValueLayout.JAVA_BYTE, hostCheck(address, length), length);
    }

    @Override
    public void fill(long address, byte value, long length) {
        hostCheck(address, length);
        host.asSlice(address, length).fill(value);
    }

    @Override
    public void copy(long dst, long src, long length) {
        hostCheck(dst, length);
        hostCheck(src, length);
        MemorySegment.copy(host, src, host, dst, length);
    }

    @Override
    public ByteBuffer buffer(long address, int length) {
        hostCheck(address, length);
        return host.asSlice(address, length).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public String readCString(long address) {
        hostCheck(address, 0);
        long end = address;
        while (end < size && host.get(ValueLayout.JAVA_BYTE, end) != 0) end++;
        if (end >= size) {
            throw new WasmTrap(TrapKind.OUT_OF_BOUNDS_MEMORY, List.of(), new IndexOutOfBoundsException(
                    "no NUL after the string at " + address + " before the end of the memory (" + size + " bytes)"));
        }
        if (end - address > Integer.MAX_VALUE - 8) throw new IllegalStateException("string at " + address + " is longer than 2 GiB");
        return new String(host.asSlice(address, end - address).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** memory.fill with the spec's bounds check. */
    void wasmFill(long dst, byte value, long n) {
        check(dst, n);
        segment.asSlice(dst, n).fill(value);
    }

    /** memory.copy (overlapping ranges allowed) with the spec's bounds checks. */
    void wasmCopy(long dst, long src, long n) {
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
