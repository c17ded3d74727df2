package dev.kiln.ir.code;

import dev.kiln.ir.TrapKind;

/**
 * A return address in native code that a trap's frame walk can find, mapped back to WebAssembly:
 * the code offset just after the call into the trap routine (with the trap's {@code kind}), or
 * just after a call to another function ({@code kind} null: a call site, which appears as an
 * outer frame of a stack trace), and the Wasm bytecode offset of the originating instruction. With
 * these, a trap in native code reports the same kind and stack trace as the interpreter.
 */
public record TrapSite(int codeOffset, TrapKind kind, int wasmOffset) {
    /** A call's return address. */
    public static TrapSite callSite(int codeOffset, int wasmOffset) {
        return new TrapSite(codeOffset, null, wasmOffset);
    }

    public boolean isCallSite() {
        return kind == null;
    }
}
