package dev.kiln.linker;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The C library's memory-management calls (through {@link CFunction}), with errno captured: {@code mmap},
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

    /** The functions, each bound on first use (and only on Linux), all through {@link CFunction}'s shared shapes. */
    private static final class Libc {
        static final CFunction MPROTECT = CFunction.libc("mprotect", CFunction.Kind.ERRNO);
        static final long PAGE_SIZE = pageSizeFromSysconf();

        private static long pageSizeFromSysconf() {
            long size = CFunction.libc("sysconf", CFunction.Kind.PLAIN).call(SC_PAGESIZE);
            if (size <= 0 || Long.bitCount(size) != 1) throw new IllegalStateException("sysconf(_SC_PAGESIZE) returned " + size);
            return size;
        }
    }

    private static final class Mmap {
        static final CFunction MMAP = CFunction.libc("mmap", CFunction.Kind.ERRNO);
    }

    private static final class Unmap {
        static final CFunction MUNMAP = CFunction.libc("munmap", CFunction.Kind.ERRNO);
        static final CFunction MADVISE = CFunction.libc("madvise", CFunction.Kind.ERRNO);
    }

    private static final class Errors {
        static final CFunction STRERROR = CFunction.libc("strerror", CFunction.Kind.PLAIN);
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
            MemorySegment capture = arena.allocate(CFunction.CAPTURE);
            long result = Mmap.MMAP.call(capture, 0, length, prot, flags | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (result == -1L || result == 0L) throw failure("mmap(" + length + " bytes, " + protection(prot) + ")", capture);
            return result;
        }
    }

    /**
     * Maps {@code length} bytes of the file at {@code path} from {@code offset} (page aligned), private,
     * with {@code prot}; returns the address.
     */
    static long mmapFile(Path path, long offset, long length, int prot) {
        requireLinux();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CFunction.CAPTURE);
            int fd = (int) RegularFiles.Libc.OPEN.call(capture, arena.allocateFrom(path.toString()).address(), 0 /* O_RDONLY */);
            if (fd < 0) throw failure("open(" + path + ")", capture);
            try {
                long result = Mmap.MMAP.call(capture, 0, length, prot, MAP_PRIVATE, fd, offset);
                if (result == -1L || result == 0L) {
                    throw failure("mmap(" + path + ", " + length + " bytes at " + offset + ", " + protection(prot) + ")", capture);
                }
                return result;
            } finally {
                RegularFiles.Libc.CLOSE.callInt(fd);
            }
        }
    }

    static void mprotect(long address, long length, int prot) {
        check(Libc.MPROTECT, address, length, prot, "mprotect(0x" + Long.toHexString(address) + ", " + length
                + " bytes, " + protection(prot) + ")");
    }

    static void munmap(long address, long length) {
        check(Unmap.MUNMAP, address, length, 0, "munmap(0x" + Long.toHexString(address) + ", " + length + " bytes)");
    }

    static void madviseDontNeed(long address, long length) {
        check(Unmap.MADVISE, address, length, MADV_DONTNEED, "madvise(0x" + Long.toHexString(address) + ", "
                + length + " bytes, MADV_DONTNEED)");
    }

    private static void check(CFunction function, long address, long length, int arg, String call) {
        requireLinux();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CFunction.CAPTURE);
            if ((int) function.call(capture, address, length, arg) != 0) throw failure(call, capture);
        }
    }

    private static NativeMemoryException failure(String call, MemorySegment capture) {
        int errno = CFunction.errno(capture);
        return new NativeMemoryException(call + " failed: errno " + errno + " (" + describe(errno) + ")", errno);
    }

    /** strerror's text for {@code errno}. */
    @SuppressWarnings("restricted") // strerror returns a NUL-terminated string
    static String describe(int errno) {
        try {
            long s = Errors.STRERROR.call(errno);
            return s == 0 ? "unknown error" : MemorySegment.ofAddress(s).reinterpret(4096).getString(0);
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
