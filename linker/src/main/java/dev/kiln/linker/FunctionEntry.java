package dev.kiln.linker;

/**
 * One row of an object's function index: for WebAssembly function {@code funcIndex}, whether the
 * object has native code for it and, if so, its symbol, where its bytes are in {@code .text}, and
 * its frame size. Functions without code (imports, functions left to the interpreter) have a row
 * with {@code symbol == null} and zeros.
 */
public record FunctionEntry(int funcIndex, String symbol, int textOffset, int size, int frameSize) {
    /** A row for a function the object has no code for. */
    public static FunctionEntry notCompiled(int funcIndex) {
        return new FunctionEntry(funcIndex, null, 0, 0, 0);
    }

    /** True when the object holds native code for this function. */
    public boolean compiled() {
        return symbol != null;
    }
}
