package dev.kiln.maven;

import dev.kiln.runtime.CodeTarget;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.PrecompiledResources;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TierReport;
import dev.kiln.runtime.WasmModule;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** kiln:compile run as Maven runs it (parameters set, then execute), and its output used from the class path. */
class CompileMojoTest {
    private static final String SQUARE = """
            (module
              (func (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (func (export "cube") (param i32) (result i32) (i32.mul (local.get 0) (call 0 (local.get 0)))))
            """;

    @TempDir
    Path project;

    private CompileMojo mojo(Path classes) throws Exception {
        Path wasm = project.resolve("src/main/wasm");
        Files.createDirectories(wasm);
        Files.writeString(wasm.resolve("square.wat"), SQUARE);
        CompileMojo m = new CompileMojo();
        m.sourceDirectory = wasm.toFile();
        m.outputDirectory = classes.toFile();
        return m;
    }

    @Test
    void objectsForBothTargetsAreWrittenUnderTheirResourceNames() throws Exception {
        Path classes = project.resolve("target/classes");
        mojo(classes).execute();
        List<String> written = new ArrayList<>();
        try (Stream<Path> s = Files.walk(classes)) {
            s.filter(Files::isRegularFile).forEach(p -> written.add(classes.relativize(p).toString()));
        }
        WasmModule module = WasmModule.of(SQUARE.getBytes());
        Engine engine = Engine.builder().tier(Tier.INTERP).precompiledCode(null).build();
        for (CodeTarget t : CodeTarget.all()) {
            assertTrue(written.contains(PrecompiledResources.resourceName(module, t, engine)), written.toString());
        }
        assertTrue(written.contains("wasm/square.wat"), written.toString());
        assertEquals(3, written.size(), written.toString());
    }

    @Test
    void anEngineBindsThePrecompiledCodeFromTheClassPathAndCompilesNothing() throws Exception {
        assumeTrue(CodeTarget.host().isPresent(), "no native backend on " + System.getProperty("os.arch"));
        Path classes = project.resolve("target/classes");
        mojo(classes).execute();
        List<String> warnings = new ArrayList<>();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            Engine engine = Engine.builder().tier(Tier.AUTO).precompiledCode(loader).warnings(warnings::add).build();
            WasmModule module = engine.compileResource("wasm/square.wat");
            try (Store store = engine.newStore()) {
                Instance i = store.instantiate(module);
                assertEquals(49, i.function("square").asIntUnaryOperator().applyAsInt(7));
                assertEquals(27, i.function("cube").asIntUnaryOperator().applyAsInt(3));
                TierReport report = TierReport.of(module, store, 5);
                assertEquals(0, report.compiled(), "nothing compiled at run time: " + report.text());
                assertEquals(0, report.promoted(), report.text());
                assertEquals(0, report.interpreted(), report.text());
                assertEquals(2, report.boundFromCache(), "both functions bound from the precompiled object: " + report.text());
            }
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void withoutPrecompiledCodeTheAutoTierStartsInTheInterpreter() throws Exception {
        assumeTrue(CodeTarget.host().isPresent(), "no native backend on " + System.getProperty("os.arch"));
        Engine engine = Engine.builder().tier(Tier.AUTO).precompiledCode(null).build();
        WasmModule module = engine.compile(SQUARE.getBytes());
        try (Store store = engine.newStore()) {
            store.instantiate(module).function("square").asIntUnaryOperator().applyAsInt(7);
            TierReport report = TierReport.of(module, store, 5);
            assertEquals(0, report.boundFromCache(), report.text());
            assertTrue(report.interpreted() > 0, report.text());
        }
    }

    @Test
    void aBadModuleFailsTheBuildNamingTheFile() throws Exception {
        Path classes = project.resolve("target/classes");
        CompileMojo m = mojo(classes);
        Files.writeString(project.resolve("src/main/wasm/broken.wat"), "(module (func (i32.add)))");
        MojoFailureException e = assertThrows(MojoFailureException.class, m::execute);
        assertTrue(e.getMessage().contains("broken.wat"), e.getMessage());
    }
}
