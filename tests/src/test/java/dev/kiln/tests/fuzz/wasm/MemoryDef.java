package dev.kiln.tests.fuzz.wasm;

import java.util.List;

/**
 * The module's memories: memory 0 with its limits (pages; the maximum is always declared), its
 * address type and its data segments (active ones write memory 0; passive ones may be copied into
 * any memory by {@code memory.init}), and the memories after it ({@code others}, 1..n).
 */
public record MemoryDef(int minPages, int maxPages, List<DataSegment> data, boolean is64, List<Other> others) {
    public MemoryDef {
        data = List.copyOf(data);
        others = List.copyOf(others);
    }

    /** One 32-bit memory. */
    public MemoryDef(int minPages, int maxPages, List<DataSegment> data) {
        this(minPages, maxPages, data, false, List.of());
    }

    /** The same memories with other data segments. */
    public MemoryDef withData(List<DataSegment> segments) {
        return new MemoryDef(minPages, maxPages, segments, is64, others);
    }

    /** How many memories the module has. */
    public int count() {
        return 1 + others.size();
    }

    public boolean is64(int memory) {
        return memory == 0 ? is64 : others.get(memory - 1).is64();
    }

    public int minPages(int memory) {
        return memory == 0 ? minPages : others.get(memory - 1).minPages();
    }

    public int maxPages(int memory) {
        return memory == 0 ? maxPages : others.get(memory - 1).maxPages();
    }

    /** A memory after memory 0: its limits in pages and its address type. */
    public record Other(int minPages, int maxPages, boolean is64) {
    }

    /**
     * {@code bytes}: written at {@code offset} when the module is instantiated (active), or only
     * by {@code memory.init} ({@code passive}; the offset is then unused).
     */
    public record DataSegment(int offset, byte[] bytes, boolean passive) {
    }
}
