package dev.kiln.runtime.wasi;

import dev.kiln.runtime.Caller;
import dev.kiln.runtime.FunctionType;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Memory;
import dev.kiln.runtime.ValueType;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects the {@code wasi_snapshot_preview1} host functions with their exact Wasm signatures and
 * turns the outcome of a call into its result: 0 on success, the errno of an
 * {@link ErrnoException} or of a failed host I/O operation otherwise. Traps (bad pointers, invalid
 * enum or flag arguments) and {@link dev.kiln.runtime.ProcessExit} propagate to the runtime.
 */
final class WasiFunctionSet {
    static final String MODULE = "wasi_snapshot_preview1";

    /** The body of a function: reads its arguments, does the work, throws to fail. */
    @FunctionalInterface
    interface Body {
        void call(GuestMemory memory, long[] args) throws IOException;
    }

    private final List<HostFunction> functions = new ArrayList<>();

    /**
     * Adds a function returning an errno ({@code i32}). {@code params} spells the parameter types,
     * one letter each: {@code i} for i32, {@code I} for i64.
     */
    void add(String name, String params, Body body) {
        FunctionType type = FunctionType.of(types(params), List.of(ValueType.I32));
        functions.add(new HostFunction(MODULE, name, type, (caller, args) -> {
            try {
                body.call(memoryOf(caller), args);
                return new long[] {Errno.SUCCESS.code};
            } catch (ErrnoException e) {
                return new long[] {e.errno.code};
            } catch (IOException e) {
                return new long[] {Errno.fromIOException(e).code};
            } catch (InvalidPathException e) {
                return new long[] {Errno.EINVAL.code};
            } catch (UnsupportedOperationException e) {
                return new long[] {Errno.ENOTSUP.code}; // e.g. symlinks on a file system without them
            }
        }));
    }

    /** Adds a function without results that never returns normally ({@code proc_exit}). */
    void addNoReturn(String name, String params, Body body) {
        FunctionType type = FunctionType.of(types(params), List.of());
        functions.add(new HostFunction(MODULE, name, type, (caller, args) -> {
            body.call(memoryOf(caller), args);
            return new long[0];
        }));
    }

    List<HostFunction> functions() {
        return List.copyOf(functions);
    }

    private static GuestMemory memoryOf(Caller caller) {
        Memory memory = caller == null ? null : caller.findMemory().orElse(null);
        return new GuestMemory(memory);
    }

    private static List<ValueType<?>> types(String params) {
        List<ValueType<?>> out = new ArrayList<>(params.length());
        for (int i = 0; i < params.length(); i++) {
            out.add(switch (params.charAt(i)) {
                case 'i' -> ValueType.I32;
                case 'I' -> ValueType.I64;
                default -> throw new IllegalArgumentException(params);
            });
        }
        return out;
    }

    // ---- argument decoding shared by the function groups ----

    /** An {@code fd} argument. */
    static int fd(long raw) {
        return (int) raw;
    }

    /** A pointer or {@code size} argument (unsigned 32-bit). */
    static long u32(long raw) {
        return raw & 0xFFFF_FFFFL;
    }

    /**
     * A flags argument: traps (as wasmtime) when a bit outside {@code mask} is set, including bits
     * above the type's width.
     */
    static int flags(long raw, int mask, String type) {
        long v = u32(raw);
        if ((v & ~(long) mask) != 0) throw GuestFault.trap("invalid flag value " + v + " for " + type);
        return (int) v;
    }

    /** An enum argument: traps (as wasmtime) when it is not one of {@code 0..max}. */
    static int enumValue(long raw, int max, String type) {
        long v = u32(raw);
        if (v > max) throw GuestFault.trap("invalid enum value " + v + " for " + type);
        return (int) v;
    }

    /** A {@code rights} argument: traps when an undefined bit is set. */
    static long rights(long raw) {
        if ((raw & ~Rights.ALL) != 0) throw GuestFault.trap("invalid flag value " + Long.toUnsignedString(raw) + " for rights");
        return raw;
    }
}
