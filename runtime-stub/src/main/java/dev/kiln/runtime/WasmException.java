package dev.kiln.runtime;

import dev.kiln.frontend.RawValues;
import dev.kiln.ir.ThrownException;

import java.util.Arrays;

/**
 * A WebAssembly exception that left Wasm code uncaught ({@code throw} with no matching handler up
 * to the Java caller): the tag and the payload's values (in the representation of
 * {@link FunctionInstance#call}'s arguments and results). A host function may throw one into the
 * guest (made with {@link #WasmException(TagInstance, long...)}, or one it caught, which is then
 * the same exception to the guest's {@code exnref}s). Traps are {@link WasmTrap}s, never this.
 */
public final class WasmException extends RuntimeException {
    private final transient ThrownException exception;

    /** An exception with {@code tag} and {@code payload} (one slot per parameter of the tag's type, two for a v128). */
    public WasmException(TagInstance tag, long... payload) {
        this(new ThrownException(tag, check(tag, payload)));
    }

    private WasmException(ThrownException e) {
        super("uncaught WebAssembly exception: " + e.tag + " with payload " + Arrays.toString(e.payload), null, false, false);
        this.exception = e;
        e.publicView = this;
    }

    private static long[] check(TagInstance tag, long[] payload) {
        int slots = RawValues.slots(tag.funcType().params());
        if (payload.length != slots) {
            throw new IllegalArgumentException("tag " + tag.type() + " takes " + slots + " slots, got " + payload.length);
        }
        return payload.clone();
    }

    /** The public view of an exception in flight (the same object each time for the same exception). */
    static WasmException of(ThrownException e) {
        return e.publicView instanceof WasmException w ? w : new WasmException(e);
    }

    /** The exception as kiln's code carries it. */
    ThrownException thrown() {
        return exception;
    }

    public TagInstance tag() {
        return (TagInstance) exception.tag;
    }

    /** The payload's values, one slot per parameter of the tag's type (two for a v128, low half first). */
    public long[] payload() {
        return exception.payload.clone();
    }
}
