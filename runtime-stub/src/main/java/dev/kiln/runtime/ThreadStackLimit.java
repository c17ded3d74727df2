package dev.kiln.runtime;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The lowest stack address native Wasm code may use on the current thread: the thread's stack
 * base (from pthread_getattr_np) plus a margin that leaves room for the JVM's guard zones and for
 * the Java frames of host calls made near the limit. Native code checks it in every prologue, so
 * running out of stack is a trap, never a crash.
 */
final class ThreadStackLimit {
    /** Bytes kept free above the bottom of the stack: a quarter of the stack, between 64 KiB and 1 MiB. */
    private static final long MAX_MARGIN = 1 << 20;
    private static final ThreadLocal<Long> LIMIT = ThreadLocal.withInitial(ThreadStackLimit::compute);
    private static final MethodHandle SELF, GETATTR, GETSTACK, DESTROY;

    static {
        Linker l = Linker.nativeLinker();
        var lookup = l.defaultLookup();
        SELF = l.downcallHandle(lookup.find("pthread_self").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_LONG));
        GETATTR = l.downcallHandle(lookup.find("pthread_getattr_np").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
        GETSTACK = l.downcallHandle(lookup.find("pthread_attr_getstack").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
        DESTROY = l.downcallHandle(lookup.find("pthread_attr_destroy").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    }

    private ThreadStackLimit() {
    }

    static long current() {
        return LIMIT.get();
    }

    private static long compute() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(256, 16);
            MemorySegment addr = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
            long self = (long) SELF.invokeExact();
            if ((int) GETATTR.invokeExact(self, attr) != 0) throw new IllegalStateException("pthread_getattr_np failed");
            try {
                if ((int) GETSTACK.invokeExact(attr, addr, size) != 0) throw new IllegalStateException("pthread_attr_getstack failed");
            } finally {
                int ignored = (int) DESTROY.invokeExact(attr);
            }
            long low = addr.get(ValueLayout.JAVA_LONG, 0);
            long bytes = size.get(ValueLayout.JAVA_LONG, 0);
            long margin = Math.max(64 << 10, Math.min(MAX_MARGIN, bytes / 4));
            return low + margin;
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot determine the thread's stack", t);
        }
    }
}
