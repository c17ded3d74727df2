package dev.kiln.maven;

import dev.kiln.runtime.CodeTarget;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.PrecompiledResources;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmModuleException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Goal {@code kiln:compile} (phase {@code process-classes}): compiles every {@code .wasm} and
 * {@code .wat} file under {@link #sourceDirectory} for each of {@link #targets} and writes the
 * objects into the project's classes under {@link PrecompiledResources#ROOT}, where an
 * {@link Engine} finds them on the class path (by module hash, target and code options) and binds
 * them without compiling. With {@link #copyModules} the modules themselves are copied too, under
 * {@code wasm/}, for {@code engine.compileResource("wasm/NAME")}.
 */
public class CompileMojo extends AbstractMojo {
    /** Where the modules are (default {@code src/main/wasm}). */
    File sourceDirectory;
    /** Where the objects go (default the project's output directory, so they are packed into its jar). */
    File outputDirectory;
    /** {@code x86_64}, {@code aarch64} (default: both). */
    List<String> targets;
    /** Compile metered code, for engines built with {@code fuel(true)}. */
    boolean fuel;
    /** Also copy each module to {@code wasm/NAME} in the output directory (default true). */
    boolean copyModules = true;
    /** Skip the goal. */
    boolean skip;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) return;
        if (sourceDirectory == null || !sourceDirectory.isDirectory()) {
            getLog().info("kiln: no module directory " + sourceDirectory + ", nothing to precompile");
            return;
        }
        List<CodeTarget> chosen = new ArrayList<>();
        try {
            for (String t : targets == null || targets.isEmpty() ? List.of("x86_64", "aarch64") : targets) chosen.add(CodeTarget.parse(t));
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("kiln: " + e.getMessage());
        }
        Engine engine = Engine.builder().tier(Tier.INTERP).fuel(fuel).precompiledCode(null).warnings(getLog()::warn).build();
        Path out = outputDirectory.toPath();
        try {
            for (Path file : modules(sourceDirectory.toPath())) {
                WasmModule module;
                try {
                    module = engine.compile(Files.readAllBytes(file), file.getFileName().toString());
                } catch (WasmModuleException e) {
                    throw new MojoFailureException(file + ": " + e.category() + " module: " + e.getMessage());
                }
                for (CodeTarget target : chosen) {
                    long start = System.nanoTime();
                    byte[] object = engine.precompile(module, target);
                    Path dest = out.resolve(PrecompiledResources.resourceName(module, target, engine));
                    writeAtomically(dest, object);
                    getLog().info(String.format("kiln: %s: %d functions for %s in %.0f ms -> %s", file.getFileName(),
                            module.definedFunctionCount(), target, (System.nanoTime() - start) / 1e6, out.relativize(dest)));
                }
                if (copyModules) writeAtomically(out.resolve("wasm").resolve(file.getFileName().toString()), Files.readAllBytes(file));
            }
        } catch (IOException e) {
            throw new MojoExecutionException("kiln: " + e.getMessage(), e);
        }
    }

    static List<Path> modules(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".wasm") || p.toString().endsWith(".wat"))
                    .sorted().toList();
        }
    }

    /** Writes through a temporary file and a rename, so a failed build never leaves half an object. */
    static void writeAtomically(Path dest, byte[] bytes) throws IOException {
        Files.createDirectories(dest.getParent());
        Path tmp = dest.resolveSibling(dest.getFileName() + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, dest, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
