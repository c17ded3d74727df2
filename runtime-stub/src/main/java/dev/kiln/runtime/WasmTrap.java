package dev.kiln.runtime;

import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.WasmFrame;

import java.util.List;

/**
 * WebAssembly code trapped: the kind (one of the spec's trap conditions, or a host function's
 * failure) and the Wasm stack at the trap, innermost frame first, with function names and byte
 * offsets, whichever tier each frame ran in. Accesses through {@link Memory} outside the memory
 * throw it too (kind {@link dev.kiln.runtime.TrapKind#OUT_OF_BOUNDS_MEMORY}, no frames).
 */
public final class WasmTrap extends RuntimeException {
    private final TrapKind kind;
    private final List<WasmFrame> frames;
    private final int omittedFrames;

    WasmTrap(TrapKind kind, List<WasmFrame> frames, Throwable cause) {
        this(kind, frames, 0, cause);
    }

    WasmTrap(TrapKind kind, List<WasmFrame> frames, int omittedFrames, Throwable cause) {
        super(kind.message, cause);
        this.kind = kind;
        this.frames = List.copyOf(frames);
        this.omittedFrames = omittedFrames;
    }

    private String hostFunction;

    /** Converts kiln's internal trap, keeping its kind, frames, cause and failed host function. */
    static WasmTrap of(TrapException t) {
        WasmTrap w = new WasmTrap(t.kind, t.frames(), t.omittedFrames(), t.getCause());
        w.hostFunction = t.hostFunction();
        return w;
    }

    /** For a host function error: the function that failed ({@code module.name}), or null. */
    public String hostFunction() {
        return hostFunction;
    }

    /** Why the code trapped. */
    public dev.kiln.runtime.TrapKind kind() {
        return dev.kiln.runtime.TrapKind.of(kind);
    }

    /** The compiler's kind, with its code and message (kiln's own tools). */
    TrapKind internalKind() {
        return kind;
    }

    /** Back to the internal trap (thrown from a host function into Wasm code): the same kind, frames and cause. */
    TrapException toInternal() {
        TrapException inner = new TrapException(kind, getCause());
        frames.forEach(inner::addFrame);
        return inner;
    }

    /** The Wasm stack at the trap, innermost frame first. */
    public List<TrapFrame> wasmStack() {
        return frames.stream().map(TrapFrame::of).toList();
    }

    /** Outer frames not recorded (only the innermost {@code TrapException.MAX_FRAMES} are kept). */
    public int omittedFrames() {
        return omittedFrames;
    }

    /** What went wrong in a host function, in its own words (its message; the exception's name only when it has none). */
    private static String reason(Throwable cause) {
        String m = cause.getMessage();
        return m != null && !m.isBlank() ? m : cause.getClass().getSimpleName();
    }

    /** The longest cycle of frames {@link #describe} folds (mutual recursion through up to this many functions). */
    static final int MAX_FOLDED_CYCLE = 8;

    /**
     * The kind, then one line per Wasm frame ({@code   at name (func N) at offset 0x..}); recursion is
     * folded: a frame repeated in a row is shown once with a repeat count, and a cycle of up to
     * {@link #MAX_FOLDED_CYCLE} frames repeated in a row (mutual recursion) is shown once, followed by
     * how many more times it repeats.
     */
    public String describe() {
        StringBuilder sb = new StringBuilder("wasm trap: ");
        if (kind == TrapKind.HOST_ERROR && hostFunction != null) sb.append("host function ").append(hostFunction).append(" failed");
        else sb.append(kind.message);
        if (getCause() != null && kind == TrapKind.HOST_ERROR) sb.append(": ").append(reason(getCause()));
        for (int i = 0; i < frames.size(); ) {
            int cycle = 1, repeats = repeats(i, 1);
            for (int p = 2; p <= MAX_FOLDED_CYCLE; p++) {
                int r = repeats(i, p);
                if (r > 1 && r * p > repeats * cycle) { cycle = p; repeats = r; }
            }
            if (cycle == 1) {
                sb.append("\n  at ").append(frames.get(i));
                if (repeats > 1) sb.append(" (repeated ").append(repeats).append(" times)");
            } else {
                for (int k = i; k < i + cycle; k++) sb.append("\n  at ").append(frames.get(k));
                sb.append("\n  ... the ").append(cycle).append(" frames above repeated ").append(repeats - 1).append(" more times");
            }
            i += cycle * repeats;
        }
        if (omittedFrames > 0) sb.append("\n  ... ").append(omittedFrames).append(" more frames");
        return sb.toString();
    }

    /** How many times in a row the {@code cycle} frames from {@code start} occur (1 when they do not repeat). */
    private int repeats(int start, int cycle) {
        if (start + cycle > frames.size()) return 1;
        int r = 1;
        for (int next = start + cycle; next + cycle <= frames.size(); next += cycle, r++) {
            for (int k = 0; k < cycle; k++) if (!frames.get(next + k).equals(frames.get(start + k))) return r;
        }
        return r;
    }
}
