package dev.kiln.runtime.wasi;

import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;

/**
 * Why a WASI call trapped instead of returning an errno: a misaligned pointer, an enum or flags
 * argument with an undefined value, an exit status of 126 or more, a module without memory. The
 * trap itself is a {@link TrapException} of kind {@link TrapKind#HOST_ERROR} with this as its cause.
 * (Pointers outside memory trap as {@link TrapKind#OUT_OF_BOUNDS_MEMORY}, like any memory access.)
 */
public final class GuestFault extends RuntimeException {
    private GuestFault(String message) {
        super(message, null, false, false);
    }

    /** The trap to throw for {@code message}. */
    static TrapException trap(String message) {
        return new TrapException(TrapKind.HOST_ERROR, new GuestFault(message));
    }
}
