package dev.kiln.linker;

import java.lang.foreign.MemorySegment;

/**
 * A function placed in executable memory by {@link ExecutableMemory}: its symbol, WebAssembly function
 * index, entry address and code size. The address stays valid until the ExecutableMemory is closed.
 */
public record PlacedFunction(String symbol, int funcIndex, long address, int size) {
    /** The entry point as a zero-length segment, e.g. for {@code Linker.downcallHandle}. */
    public MemorySegment entryPoint() {
        return MemorySegment.ofAddress(address);
    }
}
