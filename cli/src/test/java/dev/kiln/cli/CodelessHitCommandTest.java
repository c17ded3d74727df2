package dev.kiln.cli;

import dev.kiln.frontend.text.WatParser;
import dev.kiln.linker.ModuleHashMemo;
import dev.kiln.runtime.CodeTarget;
import dev.kiln.runtime.internal.CompilerBuildId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code kiln compile} remembers the module's hash, so the first {@code kiln run} from the cache reads
 * the file without its function bodies; a file rewritten afterwards runs as it is now, never with the
 * code cached for what it was.
 */
class CodelessHitCommandTest {
    @TempDir
    Path dir;

    private static byte[] binary(int k) throws Exception {
        String wat = "(module (memory 1) (data (i32.const 16) \"\\07\")"
                + " (func $k (result i32) i32.const " + k + ")"
                + " (func (export \"f\") (result i32) call $k i32.const 16 i32.load8_u i32.add))";
        return WatParser.parse(wat.getBytes(StandardCharsets.UTF_8), "m.wat").binary();
    }

    @Test
    void aCompiledModuleRunsFromItsCacheAndARewrittenOneAsItIsNow() throws Exception {
        assumeTrue(CodeTarget.host().isPresent(), "a native backend for this machine");
        Path module = dir.resolve("m.wasm");
        Path cache = dir.resolve("cache");
        Files.write(module, binary(35));
        CliRunner compile = CliRunner.run("compile", "--cache-dir", cache.toString(), module.toString());
        assertEquals(0, compile.exit(), compile.err());
        assertNotNull(ModuleHashMemo.lookup(cache, module, CompilerBuildId.get()), "kiln compile remembers the module's hash");
        for (String tier : new String[] {"native", "auto"}) {
            CliRunner run = CliRunner.run("run", "--tier", tier, "--cache-dir", cache.toString(), "--invoke", "f", module.toString());
            assertEquals(0, run.exit(), run.err());
            assertEquals("42", run.out().strip(), tier);
        }
        Files.write(module, binary(100)); // another module at the same path
        CliRunner run = CliRunner.run("run", "--tier", "native", "--cache-dir", cache.toString(), "--invoke", "f", module.toString());
        assertEquals(0, run.exit(), run.err());
        assertEquals("107", run.out().strip());
    }
}
