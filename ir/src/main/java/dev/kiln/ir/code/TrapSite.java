package dev.kiln.ir.code;

import dev.kiln.ir.TrapKind;

/**
 * A place in native code that can trap: the code offset of the trapping instruction (or of the
 * branch to the trap stub), the kind, and the WebAssembly bytecode offset it came from, so a trap
 * in native code reports the same kind and stack trace as the interpreter.
 */
public record TrapSite(int codeOffset, TrapKind kind, int wasmOffset) {
}
