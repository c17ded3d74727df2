package dev.kiln.ir;

import dev.kiln.ir.code.InlinedCall;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the instructions of one function that inlining copied in came from. An instruction's
 * {@link Instruction#wasmOffset} is a <em>location</em>: zero or more is a Wasm offset in the
 * function itself, -1 none, and -2 - k names site k here: a Wasm offset in an inlined function
 * together with the location of the call it was inlined at (which may be inlined code itself), so a
 * trap or call there reports every Wasm frame the interpreter would ({@link #origin}).
 */
public final class InlineSites {
    private record Site(int wasmOffset, int funcIndex, int caller) {
    }

    private final List<Site> sites = new ArrayList<>();
    private final Map<Site, Integer> codes = new HashMap<>();

    /** True when {@code location} lies in inlined code. */
    public static boolean isInlined(int location) {
        return location <= -2;
    }

    /**
     * The location in this function of {@code calleeLocation}, a location of function {@code callee}
     * (whose own sites are {@code calleeSites}), inlined at {@code callLocation}, a location here.
     */
    public int inline(int callee, InlineSites calleeSites, int calleeLocation, int callLocation) {
        if (calleeLocation == -1) return callLocation;
        if (!isInlined(calleeLocation)) return code(new Site(calleeLocation, callee, callLocation));
        Site s = calleeSites.sites.get(-2 - calleeLocation);
        return code(new Site(s.wasmOffset, s.funcIndex, inline(callee, calleeSites, s.caller, callLocation)));
    }

    private int code(Site s) {
        Integer c = codes.get(s);
        if (c == null) {
            c = -2 - sites.size();
            sites.add(s);
            codes.put(s, c);
        }
        return c;
    }

    /** The number of inlined functions around {@code location}: 0 outside inlined code. */
    public int depth(int location) {
        int d = 0;
        for (int l = location; isInlined(l); l = sites.get(-2 - l).caller) d++;
        return d;
    }

    /** True when {@code location} lies in a copy of function {@code funcIndex} (at any depth). */
    public boolean inlinedFrom(int location, int funcIndex) {
        for (int l = location; isInlined(l); l = sites.get(-2 - l).caller) if (sites.get(-2 - l).funcIndex == funcIndex) return true;
        return false;
    }

    /** What a location means: the innermost Wasm offset and the inlined frames around it, innermost first. */
    public record Origin(int wasmOffset, List<InlinedCall> inlined) {
    }

    /** The Wasm offset and inlined frames of {@code location}. */
    public Origin origin(int location) {
        if (!isInlined(location)) return new Origin(location, List.of());
        List<InlinedCall> chain = new ArrayList<>();
        Site s = sites.get(-2 - location);
        int innermost = s.wasmOffset;
        while (true) {
            int caller = s.caller;
            Site next = isInlined(caller) ? sites.get(-2 - caller) : null;
            chain.add(new InlinedCall(s.funcIndex, next != null ? next.wasmOffset : caller));
            if (next == null) break;
            s = next;
        }
        return new Origin(innermost, List.copyOf(chain));
    }

    /** The number of sites. */
    public int size() {
        return sites.size();
    }
}
