package dev.kiln.runtime;

import dev.kiln.ir.WasmFrame;

/**
 * One frame of a trap's WebAssembly stack ({@link WasmTrap#wasmStack()}).
 *
 * @param functionIndex the function's index in its module
 * @param functionName  its name (from the name section or an export), or {@code func[N]}
 * @param offset        the byte offset in the module of the instruction executing in it, or -1
 */
public record TrapFrame(int functionIndex, String functionName, int offset) {
    static TrapFrame of(WasmFrame f) {
        return new TrapFrame(f.funcIndex(), f.function(), f.wasmOffset());
    }

    @Override
    public String toString() {
        return functionName + " (func " + functionIndex + ")" + (offset >= 0 ? " at offset 0x" + Integer.toHexString(offset) : "");
    }
}
