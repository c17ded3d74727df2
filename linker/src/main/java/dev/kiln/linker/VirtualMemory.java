package dev.kiln.linker;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A reserved range of address space, inaccessible ({@code PROT_NONE}, {@code MAP_NORESERVE}) until
 * parts of it are committed. The runtime reserves 8 GiB per 32-bit linear memory (4 GiB of memory and
 * a 4 GiB guard) and commits the memory's pages as it grows; reserving costs address space only.
 *
 * <p>Offsets and lengths of {@link #commit}/{@link #decommit} must be page-aligned (lengths are
 * rounded up to whole pages). {@link #segment} hands out memory segments only over committed pages,
 * and they become unusable when the reservation is {@linkplain #close() released}. Decommitting pages
 * that a segment still in use covers is the caller's error: access would fault. Thread-safe.
 */
public final class VirtualMemory implements AutoCloseable {
    private final long address;
    private final long size;
    private final Arena arena = Arena.ofShared();
    private final CommittedPages committed = new CommittedPages();
    private boolean released;

    private VirtualMemory(long address, long size) {
        this.address = address;
        this.size = size;
    }

    /** The size of a virtual memory page on this system. */
    public static long pageSize() {
        return PosixMemory.pageSize();
    }

    /**
     * Reserves {@code size} bytes (rounded up to whole pages) of inaccessible address space.
     *
     * @throws NativeMemoryException when the system refuses (with its errno, e.g. ENOMEM)
     */
    public static VirtualMemory reserve(long size) {
        if (size <= 0) throw new IllegalArgumentException("reservation size must be positive, got " + size);
        long page = pageSize();
        if (size > Long.MAX_VALUE - page) throw new IllegalArgumentException("reservation size " + size + " is too large");
        long rounded = ElfConstants.alignUp(size, page);
        long address = PosixMemory.mmap(rounded, PosixMemory.PROT_NONE, PosixMemory.MAP_NORESERVE);
        return new VirtualMemory(address, rounded);
    }

    /** The first address of the range. */
    public long address() {
        return address;
    }

    /** The size of the range in bytes (a multiple of the page size). */
    public long size() {
        return size;
    }

    /** Makes {@code [offset, offset+length)} readable and writable; fresh pages read as zero. */
    public synchronized void commit(long offset, long length) {
        long end = checkRange(offset, length);
        PosixMemory.mprotect(address + offset, end - offset, PosixMemory.PROT_READ | PosixMemory.PROT_WRITE);
        committed.add(offset, end);
    }

    /**
     * Makes {@code [offset, offset+length)} inaccessible again and returns its physical pages to the
     * system; if committed again, the pages read as zero.
     */
    public synchronized void decommit(long offset, long length) {
        long end = checkRange(offset, length);
        committed.remove(offset, end);
        PosixMemory.mprotect(address + offset, end - offset, PosixMemory.PROT_NONE);
        PosixMemory.madviseDontNeed(address + offset, end - offset);
    }

    /**
     * Seals committed pages read+execute (for {@link ExecutableMemory}). They leave the committed set, so
     * {@link #segment} never hands out a (writable-looking) segment over code.
     */
    synchronized void sealExecutable(long offset, long length) {
        long end = checkRange(offset, length);
        if (!committed.covers(offset, end)) throw new IllegalStateException("sealing pages that are not committed");
        committed.remove(offset, end);
        PosixMemory.mprotect(address + offset, end - offset, PosixMemory.PROT_READ | PosixMemory.PROT_EXEC);
    }

    /** True when every byte of {@code [offset, offset+length)} is committed. */
    public synchronized boolean isCommitted(long offset, long length) {
        if (offset < 0 || length < 0 || offset > size || length > size - offset) return false;
        return !released && committed.covers(offset, offset + length);
    }

    /** Bytes currently committed. */
    public synchronized long committedBytes() {
        return committed.total();
    }

    /**
     * A segment over committed bytes {@code [offset, offset+length)}, valid until the reservation is
     * released.
     *
     * @throws IllegalStateException when a byte of the range is not committed, or after release
     */
    @SuppressWarnings("restricted") // a segment over memory this class mapped and tracks
    public synchronized MemorySegment segment(long offset, long length) {
        if (released) throw new IllegalStateException("the reservation was released");
        if (!isCommitted(offset, length)) {
            throw new IllegalStateException("bytes [0x" + Long.toHexString(offset) + ", +0x" + Long.toHexString(length)
                    + ") of the reservation are not all committed");
        }
        return MemorySegment.ofAddress(address + offset).reinterpret(length, arena, null);
    }

    /** True once {@link #close()} released the range. */
    public synchronized boolean isReleased() {
        return released;
    }

    /**
     * Releases the whole range (unmaps it). Segments from {@link #segment} become unusable; native code
     * must no longer use any address in the range. Closing twice does nothing.
     */
    @Override
    public synchronized void close() {
        if (released) return;
        released = true;
        arena.close();
        PosixMemory.munmap(address, size);
    }

    private long checkRange(long offset, long length) {
        if (released) throw new IllegalStateException("the reservation was released");
        long page = pageSize();
        if (offset < 0 || offset % page != 0) {
            throw new IllegalArgumentException("offset 0x" + Long.toHexString(offset) + " is not a page-aligned offset");
        }
        if (length <= 0 || offset > size || length > size - offset) {
            throw new IllegalArgumentException("[0x" + Long.toHexString(offset) + ", +0x" + Long.toHexString(length)
                    + ") is not a non-empty range inside the 0x" + Long.toHexString(size) + "-byte reservation");
        }
        return offset + ElfConstants.alignUp(length, page);
    }

    @Override
    public String toString() {
        return "VirtualMemory[0x" + Long.toHexString(address) + ", 0x" + Long.toHexString(size) + " bytes]";
    }
}
