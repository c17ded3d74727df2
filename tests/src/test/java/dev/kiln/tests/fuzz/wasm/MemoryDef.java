package dev.kiln.tests.fuzz.wasm;

import java.util.List;

/** Memory 0 with its limits (pages; the maximum is always declared) and data segments. */
public record MemoryDef(int minPages, int maxPages, List<DataSegment> data) {
    public MemoryDef {
        data = List.copyOf(data);
    }

    /**
     * {@code bytes}: written at {@code offset} when the module is instantiated (active), or only
     * by {@code memory.init} ({@code passive}; the offset is then unused).
     */
    public record DataSegment(int offset, byte[] bytes, boolean passive) {
    }
}
