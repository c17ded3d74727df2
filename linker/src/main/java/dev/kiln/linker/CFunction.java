package dev.kiln.linker;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * A C function (of the C library, or machine code kiln placed) called through one of three FFM
 * downcall shapes shared by all of them: {@code long f(long, long, long, long, long, long)}, plain,
 * with errno captured, or critical (no thread-state transition: for calls that neither block nor
 * call back into Java). The JVM spins a stub class and a chain of method-handle forms for each
 * distinct descriptor and option set, and a cold JVM spends tens of milliseconds of CPU (and then its
 * JIT's time) on each; one shape per kind makes that a fixed cost of three, whatever kiln calls.
 * Integer and pointer arguments travel as longs in the argument registers and missing trailing ones
 * as zero (the x86-64 and AArch64 C conventions let a callee ignore registers it does not read; both
 * read an {@code int} parameter from the low 32 bits); an {@code int} result is the low 32 bits of
 * the long ({@link #callInt}). Functions taking more than six arguments, floating-point values or
 * structures by value cannot be called this way.
 */
public final class CFunction {
    /** How the call is made. */
    public enum Kind {
        PLAIN, ERRNO, CRITICAL
    }

    /** The layout of the call state an {@link Kind#ERRNO} call fills (allocate one per call or thread). */
    public static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final int ARGUMENTS = 6;
    private static final FunctionDescriptor SHAPE = FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG);

    /**
     * One downcall handle per kind, made on first use, taking the target's address first: binding one to
     * each function's address would make the JVM spin method-handle forms and classes per binding
     * (dozens of classes at the first calls of a process).
     */
    private static final MethodHandle[] HANDLES = new MethodHandle[Kind.values().length];

    private final String name;
    private final Kind kind;
    private final MemorySegment target;
    /** (MemorySegment target, long × 6)long, or (MemorySegment target, MemorySegment capture, long × 6)long for {@link Kind#ERRNO}. */
    private final MethodHandle handle;

    private CFunction(String name, Kind kind, MemorySegment target) {
        this.name = name;
        this.kind = kind;
        this.target = target;
        this.handle = handle(kind);
    }

    @SuppressWarnings("restricted") // calling native code is this class's job
    private static synchronized MethodHandle handle(Kind kind) {
        MethodHandle h = HANDLES[kind.ordinal()];
        if (h == null) {
            Linker linker = Linker.nativeLinker();
            h = switch (kind) {
                case PLAIN -> linker.downcallHandle(SHAPE);
                case ERRNO -> linker.downcallHandle(SHAPE, Linker.Option.captureCallState("errno"));
                case CRITICAL -> linker.downcallHandle(SHAPE, Linker.Option.critical(false));
            };
            HANDLES[kind.ordinal()] = h;
        }
        return h;
    }

    /** The C library's function {@code name}; {@link UnsupportedOperationException} when it has none. */
    public static CFunction libc(String name, Kind kind) {
        MemorySegment symbol = Linker.nativeLinker().defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("the C library has no '" + name + "'"));
        return of(name, symbol, kind);
    }

    /** The function whose machine code starts at {@code address} (code kiln placed, or a symbol found otherwise). */
    public static CFunction at(String name, long address, Kind kind) {
        return of(name, MemorySegment.ofAddress(address), kind);
    }

    private static CFunction of(String name, MemorySegment target, Kind kind) {
        return new CFunction(name, kind, target);
    }

    /** The downcall handle calls go through (for tests: one per kind, whatever the function). */
    MethodHandle handle() {
        return handle;
    }

    /** Calls a {@link Kind#PLAIN} or {@link Kind#CRITICAL} function with up to six integer or pointer arguments. */
    public long call(long... args) {
        if (kind == Kind.ERRNO) throw new IllegalStateException(name + " captures errno: call it with a capture segment");
        return invoke(null, args);
    }

    /** {@link #call} of a function whose result is a C {@code int}. */
    public int callInt(long... args) {
        return (int) call(args);
    }

    /** Calls a {@link Kind#ERRNO} function; its errno afterwards is {@link #errno(MemorySegment) errno(capture)}. */
    public long call(MemorySegment capture, long... args) {
        if (kind != Kind.ERRNO) throw new IllegalStateException(name + " does not capture errno");
        return invoke(capture, args);
    }

    /** The errno an {@link Kind#ERRNO} call left in {@code capture}. */
    public static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    private long invoke(MemorySegment capture, long[] a) {
        if (a.length > ARGUMENTS) throw new IllegalArgumentException(name + ": more than " + ARGUMENTS + " arguments");
        long a0 = a.length > 0 ? a[0] : 0, a1 = a.length > 1 ? a[1] : 0, a2 = a.length > 2 ? a[2] : 0;
        long a3 = a.length > 3 ? a[3] : 0, a4 = a.length > 4 ? a[4] : 0, a5 = a.length > 5 ? a[5] : 0;
        try {
            return capture != null ? (long) handle.invokeExact(target, capture, a0, a1, a2, a3, a4, a5)
                    : (long) handle.invokeExact(target, a0, a1, a2, a3, a4, a5);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(name + " failed", t);
        }
    }

    @Override
    public String toString() {
        return name + " (" + kind + ")";
    }
}
