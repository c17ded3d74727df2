package dev.kiln.tests.fuzz.wasm;

import java.util.List;

/**
 * A branch target. {@code types} are the values a branch to it carries: a block's or if's results,
 * a loop's parameters. A loop's label names the i32 local counting its remaining iterations.
 */
public record Label(int id, Kind kind, List<NumType> types, int counterLocal) {
    public enum Kind { BLOCK, LOOP, IF }

    public Label {
        types = List.copyOf(types);
    }

    public String name() {
        return (kind == Kind.LOOP ? "$L" : kind == Kind.IF ? "$i" : "$b") + id;
    }
}
