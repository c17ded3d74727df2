package dev.kiln.backend.x64;

import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.SharedData;
import java.util.List;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every non-SIMD function of the spec suite and the WASI suite's binaries compiles for x86-64. */
class X64BackendCorpusTest {
    @Test
    void everyCorpusFunctionCompiles() throws Exception {
        int compiled = 0;
        try (Stream<Path> wasi = Files.walk(SharedData.require("wasi-testsuite"))) {
            for (Path p : Stream.concat(SharedData.specModules().stream(), wasi.filter(x -> x.toString().endsWith(".wasm"))).toList()) {
                ValidatedModule vm;
                try {
                    vm = ValidatedModule.of(Files.readAllBytes(p));
                } catch (ModuleException e) {
                    continue;
                }
                SymbolNames names = SymbolNames.of(vm.module());
                for (int f = vm.module().importedFunctionCount(); f < vm.module().functionCount(); f++) {
                    try {
                        for (CodeOptions o : List.of(CodeOptions.DEFAULT, CodeOptions.FUEL)) {
                            MachineCode mc = X64Backend.INSTANCE.compile(vm, names, f, o, false);
                            assertTrue(mc.code().length > 0);
                        }
                        compiled++;
                    } catch (UnsupportedOperationException simd) {
                        // SIMD is not lowered yet
                    } catch (RuntimeException e) {
                        throw new AssertionError(p + " function " + f + ": " + e, e);
                    }
                }
            }
        }
        assertTrue(compiled > 20_000, "compiled " + compiled);
    }
}
