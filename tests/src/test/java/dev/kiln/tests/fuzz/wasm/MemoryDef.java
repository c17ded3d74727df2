package dev.kiln.tests.fuzz.wasm;

import java.util.List;

/** Memory 0 with its limits (pages; the maximum is always declared) and active data segments. */
public record MemoryDef(int minPages, int maxPages, List<DataSegment> data) {
    public MemoryDef {
        data = List.copyOf(data);
    }

    /** {@code bytes} written at {@code offset} when the module is instantiated. */
    public record DataSegment(int offset, byte[] bytes) {
    }
}
