package dev.kiln.runtime;

import dev.kiln.ir.TrapKind;
import dev.kiln.ir.WasmFrame;

import java.util.List;

/**
 * WebAssembly code trapped: the kind (one of the spec's trap conditions, or a host function's
 * failure) and the Wasm stack at the trap, innermost frame first, with function names and byte
 * offsets, whichever tier each frame ran in.
 */
public final class WasmTrap extends RuntimeException {
    private final TrapKind kind;
    private final List<WasmFrame> frames;

    public WasmTrap(TrapKind kind, List<WasmFrame> frames, Throwable cause) {
        super(kind.message, cause);
        this.kind = kind;
        this.frames = List.copyOf(frames);
    }

    public TrapKind kind() {
        return kind;
    }

    public List<WasmFrame> wasmStack() {
        return frames;
    }

    /** The kind, then one line per Wasm frame ({@code   at name (func N) at offset 0x..}). */
    public String describe() {
        StringBuilder sb = new StringBuilder("wasm trap: ").append(kind.message);
        if (getCause() != null && kind == TrapKind.HOST_ERROR) sb.append(": ").append(getCause());
        for (WasmFrame f : frames) sb.append("\n  at ").append(f);
        return sb.toString();
    }
}
