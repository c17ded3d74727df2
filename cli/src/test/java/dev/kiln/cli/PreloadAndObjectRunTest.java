package dev.kiln.cli;

import dev.kiln.frontend.testing.Wat;
import dev.kiln.runtime.CodeTarget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code kiln run --preload NAME=FILE} links modules together as {@code wasmtime run --preload}
 * does, and {@code kiln run app.o} runs an object of {@code kiln compile -o} (it carries its module)
 * without compiling, as {@code wasmtime run --allow-precompiled app.cwasm} does.
 */
class PreloadAndObjectRunTest {
    private static final String LIB = """
            (module
              (global $scale (mut i32) (i32.const 0))
              (memory (export "memory") 1)
              (func (export "_initialize") (global.set $scale (i32.const 10)))
              (func (export "scaled") (param i32) (result i32) (i32.mul (local.get 0) (global.get $scale))))
            """;
    /** Imports lib's function and memory; the second library imports the first. */
    private static final String MID = """
            (module
              (import "lib" "scaled" (func $scaled (param i32) (result i32)))
              (func (export "plus_one_scaled") (param i32) (result i32) (i32.add (call $scaled (local.get 0)) (i32.const 1))))
            """;
    private static final String APP = """
            (module
              (import "lib" "memory" (memory 1))
              (import "mid" "plus_one_scaled" (func $f (param i32) (result i32)))
              (func (export "run") (param i32) (result i32)
                (i32.store (i32.const 0) (call $f (local.get 0)))
                (i32.load (i32.const 0))))
            """;
    private static final String MUL = """
            (module (func (export "mul") (param i32 i32) (result i32) (i32.mul (local.get 0) (local.get 1))))
            """;

    @TempDir
    Path dir;

    private Path wasm(String name, String wat) throws Exception {
        Path p = dir.resolve(name);
        Files.write(p, Wat.compile(wat));
        return p;
    }

    private static boolean nativeHere() {
        return CodeTarget.host().isPresent();
    }

    @Test
    void preloadedModulesAreInstantiatedInOrderInitializedAndImportableByName() throws Exception {
        Path lib = wasm("lib.wasm", LIB), mid = wasm("mid.wasm", MID), app = wasm("app.wasm", APP);
        for (String tier : nativeHere() ? new String[] {"interp", "native", "auto"} : new String[] {"interp"}) {
            CliRunner r = CliRunner.run("run", "--tier", tier, "--no-cache", "--preload", "lib=" + lib, "--preload", "mid=" + mid,
                    "--invoke", "run", app.toString(), "4");
            assertEquals(0, r.exit(), tier + ": " + r.err());
            assertEquals("41\n", r.out(), tier); // 4 * 10 (set by lib's _initialize) + 1, through lib's memory
        }
    }

    @Test
    void theMainModulesInitializeRunsBeforeTheInvokedFunctionAndOnlyOnce() throws Exception {
        Path lib = wasm("lib.wasm", LIB);
        for (String tier : nativeHere() ? new String[] {"interp", "native", "auto"} : new String[] {"interp"}) {
            CliRunner r = CliRunner.run("run", "--tier", tier, "--no-cache", "--invoke", "scaled", lib.toString(), "4");
            assertEquals(0, r.exit(), tier + ": " + r.err());
            assertEquals("40\n", r.out(), tier); // 4 * 10, the scale lib's _initialize sets (0 without it)
        }
        CliRunner init = CliRunner.run("run", "--tier", "interp", "--no-cache", "--invoke", "_initialize", lib.toString());
        assertEquals(0, init.exit(), init.err());
    }

    @Test
    void preloadMistakesAreReportedNamingTheFile() throws Exception {
        Path lib = wasm("lib.wasm", LIB), mid = wasm("mid.wasm", MID), app = wasm("app.wasm", APP);
        CliRunner noName = CliRunner.run("run", "--preload", lib.toString(), app.toString());
        assertEquals(Main.USAGE, noName.exit());
        assertTrue(noName.err().contains("--preload takes NAME=FILE, got '" + lib + "'"), noName.err());

        CliRunner wrongOrder = CliRunner.run("run", "--tier", "interp", "--preload", "mid=" + mid, "--preload", "lib=" + lib, app.toString());
        assertEquals(1, wrongOrder.exit());
        assertTrue(wrongOrder.err().contains(mid + ": cannot instantiate: kiln provides no import named lib.scaled"), wrongOrder.err());

        CliRunner missingFile = CliRunner.run("run", "--preload", "lib=" + dir.resolve("nope.wasm"), app.toString());
        assertEquals(1, missingFile.exit());
        assertTrue(missingFile.err().contains("nope.wasm: no such file"), missingFile.err());

        Files.writeString(dir.resolve("bad.wat"), "(module (func (result i32)))");
        CliRunner invalid = CliRunner.run("run", "--tier", "interp", "--preload", "lib=" + dir.resolve("bad.wat"), app.toString());
        assertEquals(1, invalid.exit());
        assertTrue(invalid.err().startsWith(dir.resolve("bad.wat") + ": invalid module:"), invalid.err());

        CliRunner missingImport = CliRunner.run("run", "--tier", "interp", "--preload", "lib=" + lib, app.toString());
        assertEquals(1, missingImport.exit());
        assertTrue(missingImport.err().contains(app + ": cannot instantiate: kiln provides no import named mid.plus_one_scaled"),
                missingImport.err());
    }

    @Test
    void anObjectRunsWithItsModuleAndNothingIsCompiled() throws Exception {
        assumeTrue(nativeHere(), "no native backend on " + System.getProperty("os.arch"));
        Path mul = wasm("mul.wasm", MUL), object = dir.resolve("mul.o");
        CliRunner compiled = CliRunner.run("compile", mul.toString(), "-o", object.toString());
        assertEquals(0, compiled.exit(), compiled.err());
        Files.delete(mul); // the object is all kiln run needs
        for (String tier : new String[] {"native", "auto"}) {
            CliRunner r = CliRunner.run("run", "--tier", tier, "--no-cache", "--stats", "--invoke", "mul", object.toString(), "6", "7");
            assertEquals(0, r.exit(), tier + ": " + r.err());
            assertEquals("42\n", r.out(), tier);
            assertTrue(r.err().contains("1 bound from the cache") && r.err().contains(" 0 compiled in"), tier + ": " + r.err());
        }
        // a preloaded object too
        Path app = wasm("app.wasm", """
                (module (import "m" "mul" (func $mul (param i32 i32) (result i32)))
                  (func (export "square") (param i32) (result i32) (call $mul (local.get 0) (local.get 0))))
                """);
        CliRunner linked = CliRunner.run("run", "--tier", "native", "--no-cache", "--preload", "m=" + object, "--invoke", "square",
                app.toString(), "9");
        assertEquals(0, linked.exit(), linked.err());
        assertEquals("81\n", linked.out());
    }

    @Test
    void anObjectThatDoesNotFitIsRefusedWithAReason() throws Exception {
        assumeTrue(nativeHere(), "no native backend on " + System.getProperty("os.arch"));
        Path mul = wasm("mul.wasm", MUL), object = dir.resolve("mul.o");
        assertEquals(0, CliRunner.run("compile", mul.toString(), "-o", object.toString()).exit());

        CliRunner interp = CliRunner.run("run", "--tier", "interp", "--invoke", "mul", object.toString(), "1", "2");
        assertEquals(1, interp.exit());
        assertTrue(interp.err().contains("is a native object (made by kiln compile -o)"), interp.err());

        CliRunner fuel = CliRunner.run("run", "--fuel", "1000", "--no-cache", "--invoke", "mul", object.toString(), "1", "2");
        assertEquals(1, fuel.exit());
        assertTrue(fuel.err().startsWith(object + ": cannot run the object: "), fuel.err());

        boolean arm = CodeTarget.host().get().baseline().equals(CodeTarget.AARCH64);
        Path other = dir.resolve("foreign.o");
        CliRunner cross = CliRunner.run("compile", "--target", arm ? "x86_64" : "aarch64", mul.toString(), "-o", other.toString());
        assertEquals(0, cross.exit(), cross.err());
        CliRunner foreign = CliRunner.run("run", "--no-cache", "--invoke", "mul", other.toString(), "1", "2");
        assertEquals(1, foreign.exit());
        assertTrue(foreign.err().startsWith(other + ": cannot run the object: "), foreign.err());

        byte[] bytes = Files.readAllBytes(object);
        Path cut = dir.resolve("cut.o");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
        CliRunner damaged = CliRunner.run("run", "--no-cache", "--invoke", "mul", cut.toString(), "1", "2");
        assertEquals(1, damaged.exit());
        assertTrue(damaged.err().startsWith(cut + ": cannot run the object: the object is damaged"), damaged.err());
    }
}
