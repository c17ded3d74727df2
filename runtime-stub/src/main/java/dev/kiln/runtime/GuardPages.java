package dev.kiln.runtime;

import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.linker.CFunction;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
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
 * {@code count} pairs {@code u64 start, end}): every reservation of code memory is added before code
 * is placed in it, and the count is published last, so the handler never reads a half-written entry.
 */
final class GuardPages {
    static final int SIGBUS = 7;
    static final int SIGSEGV = 11;
    private static final int SA_SIGINFO = 4;
    private static final int SA_ONSTACK = 0x0800_0000;
    /** glibc's struct sigaction (x86-64 and AArch64 alike): handler, 128-byte mask, int flags, restorer. */
    private static final int SIGACTION_SIZE = 152, SA_MASK = 8, SA_FLAGS = 136;
    /**
     * Room for this many code ranges and mapped objects (the handler reads only the counts). Every
     * module opened from a mapped cache object adds one of each, and they are not removed yet: a
     * process that opens more modules than this from the cache fails to instantiate the next one.
     */
    private static final int MAX_RANGES = 8192;

    private static final MemorySegment RANGES = Arena.global().allocate(8 + 16L * MAX_RANGES, 16);
    private static int count;
    /** Mapped text checked block by block: {@code u64 count}, then triples {@code start, end, digests}. */
    private static final MemorySegment LAZY = Arena.global().allocate(8 + 24L * MAX_RANGES, 16);
    private static int lazyCount;

    private GuardPages() {
    }

    /**
     * Adds a mapped object's text, inaccessible until checked: {@code digests} holds the expected
     * {@link dev.kiln.linker.BlockHash} of each 64 KiB block. Not yet checked lazily by the handler:
     * the runtime checks such text before mapping it (see NativeCompiler).
     */
    static synchronized void addLazyText(long start, long end, long digests) {
        if (lazyCount == MAX_RANGES) throw new IllegalStateException("more than " + MAX_RANGES + " mapped cache objects");
        LAZY.set(ValueLayout.JAVA_LONG, 8 + 24L * lazyCount, start);
        LAZY.set(ValueLayout.JAVA_LONG, 16 + 24L * lazyCount, end);
        LAZY.set(ValueLayout.JAVA_LONG, 24 + 24L * lazyCount, digests);
        lazyCount++;
        LAZY.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, lazyCount); // published last
        VarHandle.fullFence();
        addCodeRange(start, end);
    }

    /** True when {@code backend}'s handler checks mapped text blocks itself ({@link #addLazyText}). */
    static boolean checksLazyText(Backend backend) {
        return backend.checksLazyText();
    }

    /** Adds a range of code addresses the handler treats as kiln's. */
    static synchronized void addCodeRange(long start, long end) {
        if (count == MAX_RANGES) throw new IllegalStateException("more than " + MAX_RANGES + " regions of native code");
        RANGES.set(ValueLayout.JAVA_LONG, 8 + 16L * count, start);
        RANGES.set(ValueLayout.JAVA_LONG, 16 + 16L * count, end);
        count++;
        RANGES.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, count); // published last: the handler reads the count first
        VarHandle.fullFence();
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
