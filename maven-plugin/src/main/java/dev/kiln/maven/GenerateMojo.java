package dev.kiln.maven;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmModuleException;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

import java.io.File;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import javax.lang.model.SourceVersion;

/**
 * Goal {@code kiln:generate} (phase {@code generate-sources}): for every {@code .wasm} and
 * {@code .wat} file under {@link #sourceDirectory}, a Java class {@code <Name>Module} in
 * {@link #packageName} with typed methods for the module's exports and an interface for its
 * imports ({@link ModuleInterfaceGenerator}), written under {@link #outputDirectory}, which becomes
 * a compile source root. Use it together with {@code kiln:compile}, which puts the module where
 * the generated {@code load(engine)} finds it.
 */
public class GenerateMojo extends AbstractMojo {
    /** Where the modules are (default {@code src/main/wasm}). */
    File sourceDirectory;
    /** Where the sources go (default {@code target/generated-sources/kiln}). */
    File outputDirectory;
    /** The package of the generated classes (default {@code kiln.generated}). */
    String packageName;
    /** Skip the goal. */
    boolean skip;
    /** The Maven project ({@code ${project}}), to add {@link #outputDirectory} as a source root; held as Object so the plugin needs no maven-core at compile time. */
    Object project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) return;
        if (sourceDirectory == null || !sourceDirectory.isDirectory()) {
            getLog().info("kiln: no module directory " + sourceDirectory + ", nothing to generate");
            return;
        }
        String pkg = packageName == null ? "kiln.generated" : packageName;
        if (!pkg.isEmpty() && !SourceVersion.isName(pkg)) throw new MojoFailureException("kiln: '" + pkg + "' is not a Java package name");
        Engine engine = Engine.builder().tier(Tier.INTERP).precompiledCode(null).warnings(getLog()::warn).build();
        Path out = outputDirectory.toPath();
        Path packageDir = pkg.isEmpty() ? out : out.resolve(pkg.replace('.', File.separatorChar));
        Map<String, Path> classes = new HashMap<>();
        try {
            for (Path file : CompileMojo.modules(sourceDirectory.toPath())) {
                String fileName = file.getFileName().toString();
                String cls = ModuleInterfaceGenerator.className(fileName);
                Path earlier = classes.put(cls, file);
                if (earlier != null) {
                    throw new MojoFailureException("kiln: " + earlier + " and " + file + " would both generate " + cls + "; rename one");
                }
                WasmModule module;
                try {
                    module = engine.compile(Files.readAllBytes(file), fileName);
                } catch (WasmModuleException e) {
                    throw new MojoFailureException(file + ": " + e.category() + " module: " + e.getMessage());
                }
                String source = ModuleInterfaceGenerator.source(pkg, fileName, "wasm/" + fileName, module);
                Path dest = packageDir.resolve(cls + ".java");
                CompileMojo.writeAtomically(dest, source.getBytes(StandardCharsets.UTF_8));
                getLog().info("kiln: " + fileName + " -> " + out.relativize(dest));
            }
        } catch (IOException e) {
            throw new MojoExecutionException("kiln: " + e.getMessage(), e);
        }
        addSourceRoot(out);
    }

    private void addSourceRoot(Path dir) throws MojoExecutionException {
        if (project == null) return;
        try {
            project.getClass().getMethod("addCompileSourceRoot", String.class).invoke(project, dir.toString());
        } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
            throw new MojoExecutionException("kiln: cannot add " + dir + " as a source root: " + e, e);
        }
    }
}
