package dev.kiln.linker;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Locale;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The C library's memory-management calls through FFM downcalls, with errno captured: {@code mmap},
 * {@code mprotect}, {@code munmap}, {@code madvise}, {@code sysconf(_SC_PAGESIZE)}. The constants are
 * Linux's (the same on x86-64 and AArch64); other systems get {@link UnsupportedOperationException}.
 */
final class PosixMemory {
    static final int PROT_NONE = 0;
    static final int PROT_READ = 1;
    static final int PROT_WRITE = 2;
    static final int PROT_EXEC = 4;
    static final int MAP_PRIVATE = 0x02;
    static final int MAP_ANONYMOUS = 0x20;
    static final int MAP_NORESERVE = 0x4000;
    static final int MADV_DONTNEED = 4;
    private static final int SC_PAGESIZE = 30;

    private PosixMemory() {
    }

    /** The bound functions, initialised on first use (and only on Linux). */
    private static final class Libc {
        static final Linker LINKER = Linker.nativeLinker();
        static final SymbolLookup LOOKUP = LINKER.defaultLookup();
        static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
        static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        static final Linker.Option ERRNO_OPTION = Linker.Option.captureCallState("errno");

        static final MethodHandle MMAP = bind("mmap", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG), true);
        static final MethodHandle MPROTECT = bind("mprotect", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), true);
        static final MethodHandle MUNMAP = bind("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG), true);
        static final MethodHandle MADVISE = bind("madvise", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT), true);
        static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), true);
        static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT), false);
        static final MethodHandle SYSCONF = bind("sysconf", FunctionDescriptor.of(JAVA_LONG, JAVA_INT), false);
        static final MethodHandle STRERROR = bind("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT), false);
        static final long PAGE_SIZE = pageSizeFromSysconf();

        @SuppressWarnings("restricted") // binding libc is this class's job
        private static MethodHandle bind(String name, FunctionDescriptor descriptor, boolean captureErrno) {
            MemorySegment symbol = LOOKUP.find(name)
                    .orElseThrow(() -> new UnsupportedOperationException("the C library has no '" + name + "'"));
            return captureErrno ? LINKER.downcallHandle(symbol, descriptor, ERRNO_OPTION) : LINKER.downcallHandle(symbol, descriptor);
        }

        private static long pageSizeFromSysconf() {
            try {
                long size = (long) SYSCONF.invokeExact(SC_PAGESIZE);
                if (size <= 0 || Long.bitCount(size) != 1) throw new IllegalStateException("sysconf(_SC_PAGESIZE) returned " + size);
                return size;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    private static void requireLinux() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.startsWith("linux")) {
            throw new UnsupportedOperationException("native code memory is implemented for Linux only, not " + os);
        }
    }

    /** The size of a virtual memory page. */
    static long pageSize() {
        requireLinux();
        return Libc.PAGE_SIZE;
    }

    /** Maps {@code length} bytes of private anonymous memory; returns the address. */
    static long mmap(long length, int prot, int flags) {
        requireLinux();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(Libc.CAPTURE);
            MemorySegment result = (MemorySegment) Libc.MMAP.invokeExact(capture, MemorySegment.NULL, length, prot,
                    flags | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
            if (result.address() == -1L || result.address() == 0L) {
                throw failure("mmap(" + length + " bytes, " + protection(prot) + ")", capture);
            }
            return result.address();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * Maps {@code length} bytes of the file at {@code path} from {@code offset} (page aligned), private,
     * with {@code prot}; returns the address.
     */
    static long mmapFile(java.nio.file.Path path, long offset, long length, int prot) {
        requireLinux();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(Libc.CAPTURE);
            int fd = (int) Libc.OPEN.invokeExact(capture, arena.allocateFrom(path.toString()), 0 /* O_RDONLY */);
            if (fd < 0) throw failure("open(" + path + ")", capture);
            try {
                MemorySegment result = (MemorySegment) Libc.MMAP.invokeExact(capture, MemorySegment.NULL, length, prot,
                        MAP_PRIVATE, fd, offset);
                if (result.address() == -1L || result.address() == 0L) {
                    throw failure("mmap(" + path + ", " + length + " bytes at " + offset + ", " + protection(prot) + ")", capture);
                }
                return result.address();
            } finally {
                int ignored = (int) Libc.CLOSE.invokeExact(fd);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    static void mprotect(long address, long length, int prot) {
        check("mprotect", Libc.MPROTECT, address, length, prot, "mprotect(0x" + Long.toHexString(address) + ", " + length
                + " bytes, " + protection(prot) + ")");
    }

    static void munmap(long address, long length) {
        check("munmap", Libc.MUNMAP, address, length, 0, "munmap(0x" + Long.toHexString(address) + ", " + length + " bytes)");
    }

    static void madviseDontNeed(long address, long length) {
        check("madvise", Libc.MADVISE, address, length, MADV_DONTNEED, "madvise(0x" + Long.toHexString(address) + ", "
                + length + " bytes, MADV_DONTNEED)");
    }

    private static void check(String name, MethodHandle handle, long address, long length, int arg, String call) {
        requireLinux();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(Libc.CAPTURE);
            MemorySegment at = MemorySegment.ofAddress(address);
            int rc = name.equals("munmap")
                    ? (int) handle.invokeExact(capture, at, length)
                    : (int) handle.invokeExact(capture, at, length, arg);
            if (rc != 0) throw failure(call, capture);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private static NativeMemoryException failure(String call, MemorySegment capture) {
        int errno = (int) Libc.ERRNO.get(capture, 0L);
        return new NativeMemoryException(call + " failed: errno " + errno + " (" + describe(errno) + ")", errno);
    }

    /** strerror's text for {@code errno}. */
    @SuppressWarnings("restricted") // strerror returns a NUL-terminated string
    static String describe(int errno) {
        try {
            MemorySegment s = (MemorySegment) Libc.STRERROR.invokeExact(errno);
            return s.address() == 0 ? "unknown error" : s.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            return "unknown error";
        }
    }

    static String protection(int prot) {
        if (prot == PROT_NONE) return "PROT_NONE";
        StringBuilder b = new StringBuilder();
        if ((prot & PROT_READ) != 0) b.append("PROT_READ|");
        if ((prot & PROT_WRITE) != 0) b.append("PROT_WRITE|");
        if ((prot & PROT_EXEC) != 0) b.append("PROT_EXEC|");
        return b.substring(0, b.length() - 1);
    }
}
