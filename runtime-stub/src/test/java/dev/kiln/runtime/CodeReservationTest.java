package dev.kiln.runtime;

import dev.kiln.runtime.internal.Backends;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Native code reaches the shared trap routine with rel32 calls, so all code of the process must
 * stay within ±2 GiB of it. A program that keeps compiling (the auto tier, many modules) and
 * reserves linear memories (8 GiB of address space each) meanwhile must still be able to place code
 * after its first 64 MiB of it. Found by the differential fuzzer after about a thousand modules.
 */
class CodeReservationTest {
    private static final int R_X86_64_PLT32 = 4;
    private static final byte[] WITH_MEMORY = Wat.compile("(module (memory 1))");

    @Test
    void codePlacedAfter64MiBStillReachesTheTrapRoutine() {
        assumeTrue(Target.host() == Target.X86_64, "x86-64 relocations");
        NativeCodeMemory natives = NativeCodeMemory.get(Backends.host());
        List<Store> stores = new ArrayList<>();
        try {
            byte[] ret = new byte[1 << 20];
            Arrays.fill(ret, (byte) 0xC3);
            for (int i = 0; i < 72; i++) {
                if (i % 4 == 0) {
                    Store s = new Store();
                    s.instantiate(WasmModule.of(WITH_MEMORY), new Imports());
                    stores.add(s);
                }
                natives.placeStubs(List.of(new MachineCode(Target.X86_64, -1, "filler" + i, ret, List.of(), List.of(), 0, List.of())));
            }
            MachineCode callsTrap = new MachineCode(Target.X86_64, -1, "calls_trap", new byte[] {(byte) 0xE8, 0, 0, 0, 0, (byte) 0xC3},
                    List.of(new Relocation(1, R_X86_64_PLT32, Backend.TRAP_SYMBOL, -4)), List.of(), 0, List.of());
            assertDoesNotThrow(() -> natives.placeStubs(List.of(callsTrap)));
        } finally {
            stores.forEach(Store::close);
        }
    }
}
