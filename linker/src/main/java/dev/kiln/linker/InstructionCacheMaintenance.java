package dev.kiln.linker;

/**
 * Makes newly written code visible to instruction fetch. {@link ExecutableMemory} calls it once for
 * each range of fresh code, after the range was sealed read+execute and before any address in it is
 * returned. x86-64 keeps instruction and data caches coherent and needs nothing ({@link #NONE}); on
 * AArch64 the runtime supplies one that calls {@code __clear_cache} (DC CVAU / IC IVAU / ISB).
 */
@FunctionalInterface
public interface InstructionCacheMaintenance {
    /** Does nothing (x86-64). */
    InstructionCacheMaintenance NONE = (address, length) -> {
    };

    /** Synchronises the caches for {@code [address, address+length)}. */
    void synchronize(long address, long length);
}
