package dev.kiln.tests.fuzz.wasm;

import java.util.List;

/** Funcref table 0: its size (minimum = maximum) and what each slot holds: a function index, or -1 for null. */
public record TableDef(int size, List<Integer> entries) {
    public TableDef {
        entries = List.copyOf(entries);
        if (entries.size() != size) throw new IllegalArgumentException("one entry per slot");
    }
}
