package dev.kiln.runtime.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Reserves, commits and releases address space with mmap/mprotect/munmap through FFM, for linear
 * memories whose base must never move: reserve the whole range inaccessible once, then make pages
 * readable and writable as the memory grows.
 */
public final class PageMapping {
    private static final int PROT_NONE = 0;
    private static final int PROT_READ_WRITE = 3;
    private static final int MAP_PRIVATE = 0x02;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MAP_NORESERVE = 0x4000;
    private static final MethodHandle MMAP;
    private static final MethodHandle MPROTECT;
    private static final MethodHandle MUNMAP;

    static {
        Linker linker = Linker.nativeLinker();
        var lookup = linker.defaultLookup();
        MMAP = linker.downcallHandle(lookup.find("mmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
        MPROTECT = linker.downcallHandle(lookup.find("mprotect").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
        MUNMAP = linker.downcallHandle(lookup.find("munmap").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    }

    private PageMapping() {
    }

    /** Reserves {@code bytes} of inaccessible address space; returns its address. */
    public static long reserve(long bytes) {
        try {
            long addr = (long) MMAP.invokeExact(0L, bytes, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0L);
            if (addr == -1L) throw new OutOfMemoryError("cannot reserve " + bytes + " bytes of address space");
            return addr;
        } catch (OutOfMemoryError | RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Makes {@code [addr, addr+bytes)} readable and writable (zero-filled on first touch); false on failure. */
    public static boolean commit(long addr, long bytes) {
        if (bytes == 0) return true;
        try {
            return (int) MPROTECT.invokeExact(addr, bytes, PROT_READ_WRITE) == 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    public static void release(long addr, long bytes) {
        try {
            int rc = (int) MUNMAP.invokeExact(addr, bytes);
            if (rc != 0) throw new IllegalStateException("munmap failed");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** A segment over {@code bytes} at {@code addr}. */
    public static MemorySegment segment(long addr, long bytes) {
        return MemorySegment.ofAddress(addr).reinterpret(bytes);
    }
}
