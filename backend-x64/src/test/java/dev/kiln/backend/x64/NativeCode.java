package dev.kiln.backend.x64;

import dev.kiln.ir.code.Relocation;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Map;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Test support: places assembled code in a fresh mmap'ed page range, applies its relocations with
 * {@link X64RelocationModel}, makes it executable and exposes functions in it as method handles (Linux x86-64).
 */
@SuppressWarnings("restricted")   // mmap/mprotect and calling into the generated code are the point
final class NativeCode implements AutoCloseable {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = libc("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MPROTECT = libc("mprotect",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MUNMAP = libc("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;

    private final MemorySegment memory;

    private static MethodHandle libc(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }

    /**
     * Loads {@code code} and resolves its relocations: a symbol is either a key of {@code symbols} (an
     * offset into this same code) or an absolute address in {@code absolute}.
     */
    NativeCode(AssembledCode code, Map<String, Integer> symbols, Map<String, Long> absolute) throws Throwable {
        long size = (code.code().length + 4095) & ~4095L;
        MemorySegment m = (MemorySegment) MMAP.invoke(MemorySegment.NULL, size, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
        if (m.address() == -1L) {
            throw new IllegalStateException("mmap failed");
        }
        memory = m.reinterpret(size);
        byte[] bytes = code.code().clone();
        long base = memory.address();
        for (Relocation r : code.relocations()) {
            long s = symbols.containsKey(r.symbol()) ? base + symbols.get(r.symbol()) : absolute.get(r.symbol());
            X64RelocationModel.INSTANCE.apply(bytes, r.offset(), r.type(), s, r.addend(), base + r.offset());
        }
        MemorySegment.copy(bytes, 0, memory, ValueLayout.JAVA_BYTE, 0, bytes.length);
        if ((int) MPROTECT.invoke(memory, size, PROT_READ | PROT_EXEC) != 0) {
            throw new IllegalStateException("mprotect failed");
        }
    }

    NativeCode(AssembledCode code) throws Throwable {
        this(code, Map.of(), Map.of());
    }

    /** A C function at {@code offset} (a label's offset) with the given signature. */
    MethodHandle function(int offset, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(memory.asSlice(offset), descriptor);
    }

    long address() {
        return memory.address();
    }

    @Override
    public void close() {
        try {
            MUNMAP.invoke(memory, memory.byteSize());
        } catch (Throwable t) {
            throw new IllegalStateException("munmap failed", t);
        }
    }
}
