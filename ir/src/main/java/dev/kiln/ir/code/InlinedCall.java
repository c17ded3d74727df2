package dev.kiln.ir.code;

/**
 * One inlined frame of a site in native code: the site lies in (a copy of) function
 * {@code funcIndex}, which its caller (the next frame out: another inlined function, or the function
 * the code belongs to) called at Wasm offset {@code callOffset}.
 */
public record InlinedCall(int funcIndex, int callOffset) {
    public InlinedCall {
        if (funcIndex < 0 || callOffset < 0) throw new IllegalArgumentException("inlined call " + funcIndex + " at " + callOffset);
    }
}
