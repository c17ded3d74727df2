package dev.kiln.backend.aarch64;

import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.SharedData;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every non-SIMD function of the spec suite and the WASI suite's binaries compiles for AArch64. */
class A64BackendCorpusTest {
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
                            MachineCode mc = A64Backend.INSTANCE.compile(vm, names, f, o, false);
                            assertTrue(mc.code().length > 0);
                            assertEquals(0, mc.code().length % 4);
                            assertEquals(Target.AARCH64, mc.target());
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
