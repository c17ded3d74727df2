package dev.kiln.tests.api;

import dev.kiln.runtime.CodeTarget;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kiln on the module path (module-info.java): a modular application that {@code requires
 * dev.kiln.runtime} compiles and runs against the API on every tier, and cannot compile against
 * {@code dev.kiln.runtime.internal} or the compiler's packages, which no kiln module exports to it.
 */
class ModularApplicationTest {
    private static final String MODULE_INFO = "module app { requires dev.kiln.runtime; }\n";
    private static final String MAIN = """
            package app;

            import dev.kiln.runtime.Engine;
            import dev.kiln.runtime.Store;
            import dev.kiln.runtime.Tier;
            import dev.kiln.runtime.WasmModule;
            import java.nio.charset.StandardCharsets;

            public class Main {
                public static void main(String[] args) {
                    Engine engine = Engine.builder().tier(Tier.valueOf(args[0])).precompiledCode(null).build();
                    WasmModule m = engine.compile("(module (func (export \\"add\\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))"
                            .getBytes(StandardCharsets.UTF_8));
                    try (Store s = engine.newStore()) {
                        System.out.println(s.instantiate(m).function("add").asIntBinaryOperator().applyAsInt(2, 40));
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    /** kiln's modules on this test's class path: the entries with a module-info.class. */
    private static String kilnModulePath() throws IOException {
        List<String> modules = new ArrayList<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(e);
            boolean modular;
            if (Files.isDirectory(p)) {
                modular = Files.exists(p.resolve("module-info.class"));
            } else if (Files.isRegularFile(p) && e.endsWith(".jar")) {
                try (JarFile jar = new JarFile(p.toFile())) {
                    modular = jar.getEntry("module-info.class") != null;
                }
            } else {
                modular = false;
            }
            if (modular) modules.add(e);
        }
        return String.join(File.pathSeparator, modules);
    }

    private String compile(Path src, String modulePath, Path out) throws IOException {
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        List<String> files;
        try (var s = Files.walk(src)) {
            files = s.filter(p -> p.toString().endsWith(".java")).map(Path::toString).collect(Collectors.toList());
        }
        List<String> args = new ArrayList<>(List.of("-d", out.toString(), "--module-path", modulePath));
        args.addAll(files);
        int rc = ToolProvider.getSystemJavaCompiler().run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        return rc == 0 ? null : diagnostics.toString(StandardCharsets.UTF_8);
    }

    private Path app(String name, String main) throws IOException {
        Path src = dir.resolve(name);
        Files.createDirectories(src.resolve("app"));
        Files.writeString(src.resolve("module-info.java"), MODULE_INFO);
        Files.writeString(src.resolve("app/Main.java"), main);
        return src;
    }

    @Test
    void aModularApplicationUsesTheApiOnEveryTier() throws Exception {
        String modulePath = kilnModulePath();
        assertTrue(modulePath.contains("runtime"), "kiln-runtime is a module: " + modulePath);
        Path out = dir.resolve("out");
        String problem = compile(app("src", MAIN), modulePath, out);
        assertEquals(null, problem);
        List<String> tiers = new ArrayList<>(List.of("INTERP"));
        if (CodeTarget.host().isPresent()) tiers.addAll(List.of("NATIVE", "AUTO"));
        for (String tier : tiers) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=dev.kiln.runtime,dev.kiln.linker",
                    "--module-path", out + File.pathSeparator + modulePath, "-m", "app/app.Main", tier)
                    .redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), tier + ": " + output);
            assertEquals("42", output.strip().lines().reduce((a, b) -> b).orElse(""), tier + ": " + output);
        }
    }

    @Test
    void internalsAreNotVisibleToIt() throws Exception {
        String modulePath = kilnModulePath();
        for (String[] internal : List.of(new String[] {"dev.kiln.runtime.internal", "HostCpu"},
                new String[] {"dev.kiln.frontend", "Decoder"}, new String[] {"dev.kiln.linker", "CodeCache"})) {
            String main = "package app;\nimport " + internal[0] + "." + internal[1] + ";\npublic class Main { " + internal[1] + " x; }\n";
            String problem = compile(app("bad-" + internal[1], main), modulePath, dir.resolve("bad-out-" + internal[1]));
            assertNotEquals(null, problem, internal[0] + " must not be visible");
            assertTrue(problem.contains("package " + internal[0] + " is not visible") || problem.contains("does not export"),
                    Arrays.toString(internal) + ": " + problem);
        }
    }
}
