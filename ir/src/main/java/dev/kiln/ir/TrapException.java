package dev.kiln.ir;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Raised inside kiln (interpreter, numeric helpers, runtime helpers) when WebAssembly code traps.
 * Internal: the runtime turns it into the public {@code WasmTrap} with a Wasm stack trace. It
 * carries no Java stack trace, so throwing it is cheap.
 */
public final class TrapException extends RuntimeException {
    public final TrapKind kind;
    /** Frames kept beyond this many are only counted (deep recursion would otherwise keep 100 000). */
    public static final int MAX_FRAMES = 1000;
    /** The Wasm stack, innermost frame first, filled in by each tier as the trap unwinds through it. */
    private final List<WasmFrame> frames = new ArrayList<>();
    private int omittedFrames;
    /** For {@link TrapKind#HOST_ERROR}: the host function that failed ({@code module.name}), once known. */
    private String hostFunction;
    /**
     * Set while the trap leaves an on-stack-replacement continuation: its native frame already
     * stands for the interpreter frame that entered it, which must not be added again.
     */
    private boolean innermostFrameAdded;

    public TrapException(TrapKind kind) {
        super(kind.message, null, false, false);
        this.kind = kind;
    }

    public TrapException(TrapKind kind, Throwable cause) {
        super(kind.message, cause, false, true);
        this.kind = kind;
    }

    public void addFrame(WasmFrame frame) {
        if (frames.size() < MAX_FRAMES) frames.add(frame);
        else omittedFrames++;
    }

    /** Counts {@code n} outer frames that were walked but not recorded (native code records at most {@link #MAX_FRAMES}). */
    public void addOmittedFrames(long n) {
        if (n > 0) omittedFrames = (int) Math.min(Integer.MAX_VALUE, omittedFrames + n);
    }

    /** The frame the next tier would add is already there (see {@link #innermostFrameAdded}). */
    public void markInnermostFrameAdded() {
        innermostFrameAdded = true;
    }

    /** True once, if {@link #markInnermostFrameAdded} was called; clears the mark. */
    public boolean takeInnermostFrameAdded() {
        boolean b = innermostFrameAdded;
        innermostFrameAdded = false;
        return b;
    }

    /** The host function that failed (a {@link TrapKind#HOST_ERROR}), or null. */
    public String hostFunction() {
        return hostFunction;
    }

    /** Names the host function that failed, unless one is named already (the innermost one counts). */
    public TrapException inHostFunction(String name) {
        if (hostFunction == null) hostFunction = name;
        return this;
    }

    /** Outer frames dropped after the first {@link #MAX_FRAMES}. */
    public int omittedFrames() {
        return omittedFrames;
    }

    public List<WasmFrame> frames() {
        return Collections.unmodifiableList(frames);
    }
}
