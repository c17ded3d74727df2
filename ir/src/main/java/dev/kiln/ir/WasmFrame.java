package dev.kiln.ir;

/** One frame of a WebAssembly stack trace: the function and the byte offset of the instruction executing in it. */
public record WasmFrame(int funcIndex, String function, int wasmOffset) {
    @Override
    public String toString() {
        return function + " (func " + funcIndex + ")" + (wasmOffset >= 0 ? " at offset 0x" + Integer.toHexString(wasmOffset) : "");
    }
}
