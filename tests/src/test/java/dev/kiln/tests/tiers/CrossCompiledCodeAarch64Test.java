package dev.kiln.tests.tiers;

import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.Target;
import dev.kiln.linker.CodeCache;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.internal.NativeCompiler;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The AArch64 half of {@link CrossCompiledCodeTest}: in the aarch64 suite's JVM, the AArch64 object
 * the host JVM cross-compiled into {@code target/cross-compiled/cache} earlier in the build is bound
 * from the cache and run. (When the suite runs alone, no object of this build was cross-compiled;
 * the objects are then compiled here first, through the same command.)
 */
@Tag("aarch64")
class CrossCompiledCodeAarch64Test {
    @Test
    void objectsCompiledOnTheHostRunHere() throws Exception {
        assumeTrue(Target.host() == Target.AARCH64, "runs in an AArch64 JVM");
        Path wasm = CrossCompiledCodeTest.DIR.resolve("app.wasm");
        boolean fromHost = Files.exists(wasm) && Files.exists(new CodeCache(CrossCompiledCodeTest.DIR.resolve("cache"))
                .pathOf(NativeCompiler.identity(WasmModule.of(Files.readAllBytes(wasm)), CpuFeatures.AARCH64, CodeOptions.DEFAULT).cacheKey()));
        if (!fromHost) {
            System.out.println("CrossCompiledCodeAarch64Test: no objects of this build from the host in "
                    + CrossCompiledCodeTest.DIR.toAbsolutePath() + " (the host's unit tests did not run); compiling them here");
            CrossCompiledCodeTest.compileForAllTargets();
        }
        CrossCompiledCodeTest.runFromCache();
    }
}
