package dev.kiln.runtime;

import dev.kiln.frontend.Module;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.linker.PlacedFunction;

import java.util.ArrayList;
import java.util.List;

/**
 * A module's native code, placed once per process and shared by all its instances (compiled code
 * reaches instance state only through the VMContext it is passed).
 */
final class NativeModule {
    private final long[] addresses;

    private NativeModule(long[] addresses) {
        this.addresses = addresses;
    }

    /** Compiles every defined function with {@code backend} and places the code. */
    static NativeModule compile(ValidatedModule vm, Backend backend) {
        Module m = vm.module();
        SymbolNames names = SymbolNames.of(m);
        List<MachineCode> code = new ArrayList<>(m.functionBodies().size());
        for (int f = m.importedFunctionCount(); f < m.functionCount(); f++) {
            code.add(backend.compile(vm, names, f, false));
        }
        return place(m, code, backend);
    }

    /** Places already compiled (or cached) code. */
    static NativeModule place(Module m, List<MachineCode> code, Backend backend) {
        List<PlacedFunction> placed = NativeCodeMemory.get(backend).place(code, m::functionDisplayName);
        long[] addresses = new long[m.functionCount()];
        for (PlacedFunction p : placed) addresses[p.funcIndex()] = p.address();
        return new NativeModule(addresses);
    }

    /** Entry address of a defined function. */
    long address(int funcIndex) {
        return addresses[funcIndex];
    }
}
