package dev.kiln.runtime;

import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeRangeWord;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.linker.CFunction;
import dev.kiln.linker.VirtualMemory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.function.ToLongFunction;

/**
 * Out-of-bounds accesses to 32-bit linear memories as faults instead of checks: every such memory
 * reserves 8 GiB, so an access past its size (a 32-bit address plus a 32-bit offset) lands on an
 * inaccessible page, and the process's SIGSEGV/SIGBUS handler ({@link Backend#signalHandler},
 * machine code, so it runs in any signal context) turns a fault in kiln's code into the
 * out-of-bounds trap at that instruction. Every other fault goes on to the handler that was there
 * before, the JVM's (implicit null checks, safepoint polls, stack banging), exactly as if kiln's were
 * not installed. The handler is installed once per process with {@code sigaction}, looked up with
 * {@code dlsym(RTLD_DEFAULT, ...)}: when the JVM runs with libjsig (JDK signal chaining), that finds
 * libjsig's, which keeps the JVM's handler first and hands kiln's the signals the JVM does not own.
 *
 * <p>The handler learns where kiln's code is from a table in native memory ({@code u64 count}, then
 * {@code count} words, each a range packed as a {@link CodeRangeWord}): every reservation of code
 * memory and every mapped cache text is added before code runs in it, and removed when its code can
 * no longer run (a mapped text before it is unmapped). An entry is one word, written with one store,
 * so a signal handled while an entry is cleared or reused sees the old range or the new one whole; a
 * cleared entry (an empty range) is reused by the next range, and the count (published after a new
 * entry is written) only grows to the most ranges ever registered at once. The tables reserve room for
 * {@link #CAPACITY} ranges, more than the mappings a process may have ({@code vm.max_map_count},
 * 65 530 by default), and only the pages of entries in use become resident.
 */
final class GuardPages {
    static final int SIGBUS = 7;
    static final int SIGSEGV = 11;
    private static final int SA_SIGINFO = 4;
    private static final int SA_ONSTACK = 0x0800_0000;
    /** glibc's struct sigaction (x86-64 and AArch64 alike): handler, 128-byte mask, int flags, restorer. */
    private static final int SIGACTION_SIZE = 152, SA_MASK = 8, SA_FLAGS = 136;
    /** Room for this many code ranges, and as many lazily checked texts, registered at once. */
    static final int CAPACITY = 1 << 20;

    /** Code ranges: {@code u64 count}, then one word per range. */
    private static final Table RANGES = new Table(8);
    /** Mapped text checked block by block: {@code u64 count}, then pairs {@code range word, digests}. */
    private static final Table LAZY = new Table(16);

    private GuardPages() {
    }

    /**
     * A table the handler reads: a count, then entries of {@code stride} bytes whose first word is a
     * range; free entries are reused. Guarded by the class lock of {@link GuardPages}.
     */
    private static final class Table {
        final int stride;
        final MemorySegment memory;
        int count;
        final ArrayDeque<Integer> free = new ArrayDeque<>();

        Table(int stride) {
            this.stride = stride;
            VirtualMemory reserved = VirtualMemory.reserve(8 + (long) stride * CAPACITY);
            reserved.commit(0, reserved.size()); // fresh pages: zero and not resident until written
            this.memory = reserved.segment(0, reserved.size());
        }

        long address() {
            return memory.address();
        }

        /** Writes an entry ({@code second}, when the stride has room, before the range word) and returns its index. */
        int add(long word, long second) {
            Integer reused = free.poll();
            int index;
            if (reused != null) {
                index = reused;
            } else {
                if (count == CAPACITY) throw new IllegalStateException("more than " + CAPACITY + " ranges of native code at once");
                index = count;
            }
            long at = 8 + (long) stride * index;
            if (stride > 8) memory.set(ValueLayout.JAVA_LONG, at + 8, second);
            VarHandle.storeStoreFence(); // the digests are in place before the range that leads to them
            memory.set(ValueLayout.JAVA_LONG, at, word); // one store: the handler sees no range or all of it
            if (reused == null) {
                VarHandle.storeStoreFence();
                count++;
                memory.set(ValueLayout.JAVA_LONG, 0, count); // published last: the handler reads the count first
            }
            VarHandle.fullFence();
            return index;
        }

        /** Clears entry {@code index} (one store of the empty range) for reuse. */
        void remove(int index) {
            memory.set(ValueLayout.JAVA_LONG, 8 + (long) stride * index, CodeRangeWord.EMPTY);
            VarHandle.fullFence();
            free.push(index);
        }

        int inUse() {
            return count - free.size();
        }
    }

    /** What {@link #addCodeRange} or {@link #addLazyText} registered, for {@link #remove}. */
    record Registration(int range, int lazy) {
    }

    /**
     * Adds a mapped object's text, inaccessible until checked: {@code digests} holds the expected
     * {@link dev.kiln.linker.BlockHash} of each 64 KiB block.
     */
    static synchronized Registration addLazyText(long start, long end, long digests) {
        int lazy = LAZY.add(CodeRangeWord.of(start, end), digests);
        try {
            return new Registration(addCodeRange(start, end).range(), lazy);
        } catch (RuntimeException e) {
            LAZY.remove(lazy);
            throw e;
        }
    }

    /** True when {@code backend}'s handler checks mapped text blocks itself ({@link #addLazyText}). */
    static boolean checksLazyText(Backend backend) {
        return backend.checksLazyText();
    }

    /** Adds a range of code addresses the handler treats as kiln's. */
    static synchronized Registration addCodeRange(long start, long end) {
        return new Registration(RANGES.add(CodeRangeWord.of(start, end), 0), -1);
    }

    /**
     * Removes what {@code r} registered (the lazy text first, then its code range): call it before the
     * memory is unmapped, once nothing can run in it.
     */
    static synchronized void remove(Registration r) {
        if (r.lazy() >= 0) LAZY.remove(r.lazy());
        RANGES.remove(r.range());
    }

    /** Code ranges registered now (for tests). */
    static synchronized int rangesInUse() {
        return RANGES.inUse();
    }

    /** The most code ranges ever registered at once: how many entries the handler scans (for tests). */
    static synchronized int rangeTableLength() {
        return RANGES.count;
    }

    /**
     * Installs the handler for SIGSEGV and SIGBUS; {@code place} puts a handler's machine code into
     * executable memory and returns its address.
     */
    static void install(Backend backend, long trapRoutine, ToLongFunction<MachineCode> place) {
        try {
            MemorySegment name = Arena.global().allocateFrom("sigaction");
            long sigactionAddress = CFunction.libc("dlsym", CFunction.Kind.PLAIN).call(0, name.address()); // RTLD_DEFAULT
            if (sigactionAddress == 0) throw new IllegalStateException("sigaction not found");
            CFunction sigaction = CFunction.at("sigaction", sigactionAddress, CFunction.Kind.PLAIN);
            for (int signal : new int[] {SIGSEGV, SIGBUS}) {
                MemorySegment previous = Arena.global().allocate(SIGACTION_SIZE, 16);
                if (sigaction.callInt(signal, 0, previous.address()) != 0) {
                    throw new IllegalStateException("sigaction(" + signal + ") cannot be read");
                }
                long handler = place.applyAsLong(backend.signalHandler(RANGES.address(), LAZY.address(), previous.address(), trapRoutine));
                MemorySegment action = Arena.global().allocate(SIGACTION_SIZE, 16);
                action.set(ValueLayout.JAVA_LONG, 0, handler);
                MemorySegment.copy(previous, SA_MASK, action, SA_MASK, 128);
                action.set(ValueLayout.JAVA_INT, SA_FLAGS, previous.get(ValueLayout.JAVA_INT, SA_FLAGS) | SA_SIGINFO | SA_ONSTACK);
                if (sigaction.callInt(signal, action.address(), 0) != 0) {
                    throw new IllegalStateException("sigaction(" + signal + ") failed");
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot install the guard-page signal handler", t);
        }
    }
}
