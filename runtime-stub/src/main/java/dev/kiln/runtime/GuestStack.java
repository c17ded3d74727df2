package dev.kiln.runtime;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.kiln.ir.code.Backend;
import dev.kiln.linker.CFunction;
import dev.kiln.linker.ExecutableMemory;
import dev.kiln.linker.SymbolResolver;
import dev.kiln.linker.VirtualMemory;
import dev.kiln.runtime.internal.Backends;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;

/**
 * How deep guest code may go, in every tier: the one place that computes the stack limit.
 *
 * <p>Guest code of one <em>activation</em> (from the moment Java enters a store on a thread until
 * that call returns; host functions and calls back into the guest stay inside it) may use
 * {@link Store#maxWasmStack} bytes of stack, like wasmtime's {@code max_wasm_stack}. Native frames
 * use the thread's real stack; interpreter frames live on the heap and stand for
 * {@code Interpreter.stackBytesInUse()} bytes (a frame costs what a native frame of the same
 * function about costs). Both count against the same budget, so a program runs out of stack at about
 * the same depth whichever tier runs which frame; Java frames of host functions inside the
 * activation count too.
 *
 * <p>No budget lets native code below the thread's <em>floor</em>: the bottom of the OS thread's
 * stack plus a reserve for HotSpot's guard zones (red, yellow, reserved), its shadow zone (the room
 * every Java method entry demands; entering Java with less throws {@link StackOverflowError}, and
 * one thrown into an FFM upcall ends the JVM) and the deepest Java path kiln takes from an upcall
 * before it checks the limit again or catches that error. So running out of stack is a trap at
 * every stack size, never a crash.
 *
 * <p><b>Virtual threads.</b> A virtual thread's frames run on whichever carrier thread mounts it,
 * so the floor is never cached per Java thread: it is kept per OS thread (a pthread key; a fresh
 * thread starts without one) and read at every native entry, and an activation whose virtual thread
 * moved to another carrier measures its budget again from where it is. A virtual thread cannot move
 * while native frames are on its stack (they pin it), and the few steps between measuring and
 * entering native code never block; {@link #measureFor} checks that the OS thread stayed the same.
 */
final class GuestStack {
    /** wasmtime's default {@code max_wasm_stack}. */
    static final long DEFAULT_MAX_WASM_STACK = 512 << 10;
    /**
     * The deepest Java path kiln takes on the thread's stack from an FFM upcall (host function,
     * interpreter entry, runtime helper, including first-time class loading) before it either checks
     * the limit again (calling back into native code, or the interpreter budgeting its frames) or
     * is inside the try block that turns a {@link StackOverflowError} into a trap.
     */
    static final long UPCALL_PATH_BYTES = 32 << 10;

    private GuestStack() {
    }

    /** What a native entry needs: the limit to pass, computed on the OS thread that makes the call. */
    record Measure(long osThread, long stackPointer, long floor) {
    }

    /**
     * The current OS thread, its stack pointer and its floor, read so that all three belong to the
     * same OS thread (a virtual thread could move between reads only if one blocked; none does, and
     * the OS thread is compared to be sure).
     */
    static Measure measure() {
        while (true) {
            long self = osThread();
            long floor = floor();
            long sp = stackPointer();
            if (osThread() == self) return new Measure(self, sp, floor);
        }
    }

    /** The OS thread running this code (the carrier of a virtual thread). */
    static long osThread() {
        try {
            return Native.SELF.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("pthread_self failed", t);
        }
    }

    /**
     * The current stack pointer (a few words below the caller's frame), or a constant stand-in
     * where kiln has no native backend (then no native code runs, and only interpreter frames are
     * budgeted).
     */
    static long stackPointer() {
        CFunction probe = Probe.HANDLE;
        if (probe == null) return Long.MAX_VALUE / 2;
        try {
            return probe.call();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("stack pointer probe failed", t);
        }
    }

    /** The lowest address native guest code may reach on the current OS thread (see the class comment). */
    static long floor() {
        if (Probe.HANDLE == null) return 0;
        try {
            long cached = Native.GET_SPECIFIC.call(Native.KEY);
            if (cached != 0) return cached;
            long floor = stackBottom() + reserveBytes();
            Native.SET_SPECIFIC.callInt(Native.KEY, floor);
            return floor;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("cannot read the thread's stack floor", t);
        }
    }

    /** Bytes kept free at the bottom of every thread's stack (see the class comment). */
    static long reserveBytes() {
        return Zones.PAGES * VirtualMemory.pageSize() + UPCALL_PATH_BYTES;
    }

    /** The lowest address of the current OS thread's stack mapping. */
    private static long stackBottom() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment attr = arena.allocate(256, 16);
            MemorySegment addr = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment size = arena.allocate(ValueLayout.JAVA_LONG);
            long self = Native.SELF.call();
            if (Native.GETATTR.callInt(self, attr.address()) != 0) throw new IllegalStateException("pthread_getattr_np failed");
            try {
                if (Native.GETSTACK.callInt(attr.address(), addr.address(), size.address()) != 0) {
                    throw new IllegalStateException("pthread_attr_getstack failed");
                }
            } finally {
                Native.DESTROY.callInt(attr.address());
            }
            return addr.get(ValueLayout.JAVA_LONG, 0);
        }
    }

    /** The C library's thread calls (the cheap ones without a JVM state transition). */
    private static final class Native {
        static final CFunction SELF = CFunction.libc("pthread_self", CFunction.Kind.CRITICAL);
        static final CFunction GETATTR = CFunction.libc("pthread_getattr_np", CFunction.Kind.PLAIN);
        static final CFunction GETSTACK = CFunction.libc("pthread_attr_getstack", CFunction.Kind.PLAIN);
        static final CFunction DESTROY = CFunction.libc("pthread_attr_destroy", CFunction.Kind.PLAIN);
        static final CFunction GET_SPECIFIC = CFunction.libc("pthread_getspecific", CFunction.Kind.CRITICAL);
        static final CFunction SET_SPECIFIC = CFunction.libc("pthread_setspecific", CFunction.Kind.CRITICAL);
        /** A pthread key whose value on each OS thread is that thread's floor (0 until computed there). */
        static final int KEY;

        static {
            MemorySegment key = Arena.global().allocate(ValueLayout.JAVA_INT);
            if (CFunction.libc("pthread_key_create", CFunction.Kind.PLAIN).callInt(key.address(), 0) != 0) {
                throw new IllegalStateException("pthread_key_create failed");
            }
            KEY = key.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** The stack pointer probe: one tiny function from the host backend, in a page of its own. */
    private static final class Probe {
        static final CFunction HANDLE = make();

        @SuppressWarnings("resource") // lives as long as the process
        private static CFunction make() {
            Backend backend = Backends.host();
            if (backend == null) return null;
            ExecutableMemory memory = new ExecutableMemory(backend.relocationModel(), InstructionCache.forTarget(backend.target()),
                    VirtualMemory.pageSize());
            long address = memory.place(backend.stackPointerProbe(), SymbolResolver.none()).address();
            return CFunction.at("the stack pointer probe", address, CFunction.Kind.CRITICAL);
        }
    }

    /**
     * HotSpot's stack zones in pages: red, yellow and reserved (guard pages at the bottom of every
     * Java thread's stack) and shadow (the room below the stack pointer every Java method entry
     * demands). The defaults of JDK 25 on Linux x86-64 and AArch64; when the JVM's options change
     * them, their values are read from the JVM.
     */
    private static final class Zones {
        static final List<String> FLAGS = List.of("StackRedPages", "StackYellowPages", "StackReservedPages", "StackShadowPages");
        static final long[] DEFAULTS = {1, 2, 1, 20};
        static final long PAGES = pages();

        private static long pages() {
            long total = 0;
            boolean changed = optionsMention();
            for (int i = 0; i < FLAGS.size(); i++) total += changed ? fromJvm(FLAGS.get(i), DEFAULTS[i]) : DEFAULTS[i];
            return total;
        }

        /** True when the JVM's command line or option environment variables set one of the zone flags. */
        private static boolean optionsMention() {
            StringBuilder all = new StringBuilder();
            for (String v : new String[] {"JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS"}) {
                String s = System.getenv(v);
                if (s != null) all.append(s).append(' ');
            }
            ProcessHandle.current().info().arguments().ifPresent(args -> all.append(String.join(" ", args)));
            String text = all.toString().toLowerCase(Locale.ROOT);
            return text.contains("stack") && (text.contains("pages") || text.contains("flags=") || text.contains("vmoptionsfile"));
        }

        private static long fromJvm(String flag, long fallback) {
            try {
                var bean = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
                return Math.max(fallback, Long.parseLong(bean.getVMOption(flag).getValue()));
            } catch (RuntimeException | LinkageError e) {
                return fallback * 2; // cannot tell: assume twice the default
            }
        }
    }
}
