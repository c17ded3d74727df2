package dev.kiln.runtime;

import dev.kiln.ir.code.Target;
import dev.kiln.linker.InstructionCacheMaintenance;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * Instruction-cache maintenance for new native code. x86-64 keeps instruction fetch coherent with
 * data writes and needs none. AArch64 does not: after code is written, the data cache must be
 * cleaned and the instruction cache invalidated for its range (DC CVAU, IC IVAU, DSB, ISB), which
 * {@code __clear_cache(begin, end)} from libgcc_s does; the JVM already has that library loaded.
 * (QEMU's user-mode emulation does not catch a missing flush, so tests there cannot prove it.)
 */
final class InstructionCache {
    private InstructionCache() {
    }

    /** The maintenance native code for {@code target} needs on this machine. */
    static InstructionCacheMaintenance forTarget(Target target) {
        if (target != Target.AARCH64) return InstructionCacheMaintenance.NONE;
        MethodHandle clear = clearCache();
        return (address, length) -> {
            try {
                clear.invokeExact(MemorySegment.ofAddress(address), MemorySegment.ofAddress(address + length));
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException("__clear_cache failed", t);
            }
        };
    }

    private static MethodHandle clearCache() {
        Linker linker = Linker.nativeLinker();
        Optional<MemorySegment> symbol = linker.defaultLookup().find("__clear_cache");
        if (symbol.isEmpty()) {
            for (String lib : new String[] {"libgcc_s.so.1", "libgcc_s.so"}) {
                try {
                    symbol = SymbolLookup.libraryLookup(lib, Arena.global()).find("__clear_cache");
                } catch (IllegalArgumentException notFound) {
                    continue;
                }
                if (symbol.isPresent()) break;
            }
        }
        MemorySegment address = symbol.orElseThrow(() -> new IllegalStateException(
                "__clear_cache (libgcc_s) not found: cannot make new AArch64 code visible to instruction fetch"));
        return linker.downcallHandle(address, FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS),
                Linker.Option.critical(false));
    }
}
