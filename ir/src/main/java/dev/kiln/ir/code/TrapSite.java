package dev.kiln.ir.code;

import dev.kiln.ir.TrapKind;

import java.util.List;

/**
 * A return address in native code that a trap's frame walk can find, mapped back to WebAssembly:
 * the code offset just after the call into the trap routine (with the trap's {@code kind}), or
 * just after a call to another function ({@code kind} null: a call site, which appears as an
 * outer frame of a stack trace), and the Wasm bytecode offset of the originating instruction. With
 * these, a trap in native code reports the same kind and stack trace as the interpreter. A call
 * site inside a try region also has a {@code dispatchOffset}: the code offset of the function's
 * exception dispatch for it (where the unwinder resumes when an exception reaches this call), or -1.
 * A site in inlined code names the inlined frames around it, innermost first ({@code inlined}, empty
 * elsewhere): {@code wasmOffset} is then an offset in the innermost inlined function.
 */
public record TrapSite(int codeOffset, TrapKind kind, int wasmOffset, int dispatchOffset, List<InlinedCall> inlined) {
    public TrapSite {
        inlined = List.copyOf(inlined);
    }

    /** A trap site, or a call site without handlers, outside inlined code. */
    public TrapSite(int codeOffset, TrapKind kind, int wasmOffset) {
        this(codeOffset, kind, wasmOffset, -1, List.of());
    }

    /** A call's return address outside inlined code. */
    public static TrapSite callSite(int codeOffset, int wasmOffset) {
        return new TrapSite(codeOffset, null, wasmOffset);
    }

    /** This call site, with its exception dispatch at code offset {@code dispatch}. */
    public TrapSite withDispatch(int dispatch) {
        if (!isCallSite()) throw new IllegalStateException("only a call site has an exception dispatch");
        return new TrapSite(codeOffset, null, wasmOffset, dispatch, inlined);
    }

    /** This site, inside the inlined frames {@code calls} (innermost first). */
    public TrapSite withInlined(List<InlinedCall> calls) {
        return new TrapSite(codeOffset, kind, wasmOffset, dispatchOffset, calls);
    }

    /** True when an exception raised by this call (or throw) continues at {@link #dispatchOffset()} in this function. */
    public boolean hasDispatch() {
        return dispatchOffset >= 0;
    }

    /**
     * The one field the object formats store for the kind: 0 for a call site, the trap kind's code,
     * or {@link #DISPATCH_BASE} plus the dispatch offset for a call site with handlers.
     */
    public long kindField() {
        if (kind != null) return kind.code;
        return hasDispatch() ? DISPATCH_BASE + dispatchOffset : 0;
    }

    /** Kind fields from here up are call sites with an exception dispatch (trap codes stay below 128). */
    public static final long DISPATCH_BASE = 128;

    /** The site a stored kind field describes, or null when the field names no trap kind. */
    public static TrapSite decode(int codeOffset, long kindField, int wasmOffset) {
        if (kindField == 0) return callSite(codeOffset, wasmOffset);
        if (kindField >= DISPATCH_BASE && kindField - DISPATCH_BASE <= Integer.MAX_VALUE) {
            return new TrapSite(codeOffset, null, wasmOffset, (int) (kindField - DISPATCH_BASE), List.of());
        }
        TrapKind k = kindField <= Integer.MAX_VALUE ? TrapKind.fromCode((int) kindField) : null;
        return k == null ? null : new TrapSite(codeOffset, k, wasmOffset);
    }

    public boolean isCallSite() {
        return kind == null;
    }
}
