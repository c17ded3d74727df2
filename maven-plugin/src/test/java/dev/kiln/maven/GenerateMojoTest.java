package dev.kiln.maven;

import dev.kiln.runtime.Caller;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.GlobalInstance;
import dev.kiln.runtime.GlobalType;
import dev.kiln.runtime.MemoryInstance;
import dev.kiln.runtime.MemoryType;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.V128;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.WasmModule;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kiln:generate run as Maven runs it; the generated class is compiled with javac and used: typed
 * exports of every value type, several results, memories and globals, imports implemented by the
 * host, and module names that are no Java identifiers. (examples/java-embedding uses a generated
 * class from plain Java code, built by Maven.)
 */
class GenerateMojoTest {
    private static final String PLUGIN = """
            (module
              (import "env" "log-line" (func $log (param i32 i32)))
              (import "env" "scale" (func $scale (param f64) (result f64)))
              (import "env" "memory" (memory 1))
              (import "env" "base" (global $base i64))
              (data (i32.const 8) "hi there")
              (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
              (func (export "offset") (param i64) (result i64) (i64.add (local.get 0) (global.get $base)))
              (func (export "half") (param f32) (result f32) (f32.mul (local.get 0) (f32.const 0.5)))
              (func (export "scaled") (param f64) (result f64) (call $scale (local.get 0)))
              (func (export "splat") (param i32) (result v128) (i32x4.splat (local.get 0)))
              (func (export "swap") (param i32 i64) (result i64 i32) (local.get 1) (local.get 0))
              (func (export "say-hi") (call $log (i32.const 8) (i32.const 8)))
              (func (export "class") (result i32) (i32.const 7))
              (func (export "1st") (result i32) (i32.const 1))
              (func (export "a-b") (result i32) (i32.const 2))
              (func (export "aB") (result i32) (i32.const 3))
              (func (export "instance") (result i32) (i32.const 4))
              (global (export "counter") (mut i32) (i32.const 41))
              (table (export "table") 2 funcref))
            """;

    @TempDir
    Path project;

    /** A stand-in for MavenProject: the goal adds its output directory here. */
    public static final class FakeProject {
        final List<String> roots = new ArrayList<>();

        public void addCompileSourceRoot(String root) {
            roots.add(root);
        }
    }

    private GenerateMojo mojo(FakeProject fake) {
        GenerateMojo m = new GenerateMojo();
        m.sourceDirectory = project.resolve("src/main/wasm").toFile();
        m.outputDirectory = project.resolve("target/generated-sources/kiln").toFile();
        m.packageName = "com.example.wasm";
        m.project = fake;
        return m;
    }

    @Test
    void theGeneratedClassCompilesAndCallsTheModuleWithJavaTypes() throws Exception {
        Files.createDirectories(project.resolve("src/main/wasm"));
        Files.writeString(project.resolve("src/main/wasm/my-plugin.wat"), PLUGIN);
        FakeProject fake = new FakeProject();
        mojo(fake).execute();
        Path source = project.resolve("target/generated-sources/kiln/com/example/wasm/MyPluginModule.java");
        assertTrue(Files.isRegularFile(source));
        assertEquals(List.of(project.resolve("target/generated-sources/kiln").toString()), fake.roots);

        Path classes = Files.createDirectories(project.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, diagnostics, diagnostics, "-Xlint:all", "-Werror", "-d", classes.toString(),
                "-cp", System.getProperty("java.class.path"), source.toString());
        assertEquals(0, rc, diagnostics.toString(StandardCharsets.UTF_8) + "\n" + Files.readString(source));

        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> module = loader.loadClass("com.example.wasm.MyPluginModule");
            Class<?> host = loader.loadClass("com.example.wasm.MyPluginModule$Host");
            Class<?> exports = loader.loadClass("com.example.wasm.MyPluginModule$Exports");
            assertEquals("wasm/my-plugin.wat", module.getField("RESOURCE").get(null));
            List<String> logged = new ArrayList<>();
            Engine engine = Engine.builder().tier(Tier.INTERP).precompiledCode(null).build();
            try (Store store = engine.newStore()) {
                MemoryInstance memory = store.newMemory(MemoryType.of(1));
                GlobalInstance base = store.newGlobal(new GlobalType(ValueType.I64, false), 1000L);
                Object impl = Proxy.newProxyInstance(loader, new Class<?>[] {host}, (proxy, method, args) -> switch (method.getName()) {
                    case "envLogLine" -> {
                        logged.add(((Caller) args[0]).memory().readString((Integer) args[1], (Integer) args[2]));
                        yield null;
                    }
                    case "envScale" -> (Double) args[1] * 3;
                    case "envMemory" -> memory;
                    case "envBase" -> base;
                    default -> throw new AssertionError(method);
                });
                WasmModule wasm = engine.compile(PLUGIN.getBytes(StandardCharsets.UTF_8));
                Object x = module.getMethod("instantiate", Store.class, WasmModule.class, host).invoke(null, store, wasm, impl);
                assertEquals(5, call(exports, x, "add", new Class<?>[] {int.class, int.class}, 2, 3));
                assertEquals(1007L, call(exports, x, "offset", new Class<?>[] {long.class}, 7L));
                assertEquals(0.75f, call(exports, x, "half", new Class<?>[] {float.class}, 1.5f));
                assertEquals(6.0, call(exports, x, "scaled", new Class<?>[] {double.class}, 2.0));
                assertEquals(V128.ofInts(9, 9, 9, 9), call(exports, x, "splat", new Class<?>[] {int.class}, 9));
                assertArrayEquals(new Object[] {5L, 4}, (Object[]) call(exports, x, "swap", new Class<?>[] {int.class, long.class}, 4, 5L));
                call(exports, x, "sayHi", new Class<?>[0]);
                assertEquals(List.of("hi there"), logged);
                assertEquals(7, call(exports, x, "class_", new Class<?>[0]));
                assertEquals(1, call(exports, x, "_1st", new Class<?>[0]));
                assertEquals(2, call(exports, x, "aB", new Class<?>[0]));
                assertEquals(3, call(exports, x, "aB_2", new Class<?>[0]));
                assertEquals(4, call(exports, x, "instance_2", new Class<?>[0]));
                assertEquals(41, ((GlobalInstance) call(exports, x, "counter", new Class<?>[0])).getInt());
                assertEquals(2L, ((dev.kiln.runtime.TableInstance) call(exports, x, "table", new Class<?>[0])).size());
                assertEquals(int.class, exports.getMethod("add", int.class, int.class).getReturnType());
                assertEquals(Object[].class, exports.getMethod("swap", int.class, long.class).getReturnType());
                assertTrue(Arrays.stream(host.getMethods()).allMatch(m -> m.getName().startsWith("env")));
            }
        }
    }

    private static Object call(Class<?> type, Object target, String name, Class<?>[] params, Object... args) throws Exception {
        Method m = type.getMethod(name, params);
        return m.invoke(target, args);
    }

    @Test
    void mistakesFailTheBuildWithAReason() throws Exception {
        Path wasm = Files.createDirectories(project.resolve("src/main/wasm"));
        Files.writeString(wasm.resolve("a-b.wat"), "(module)");
        Files.writeString(wasm.resolve("a_b.wat"), "(module)");
        MojoFailureException same = assertThrows(MojoFailureException.class, () -> mojo(new FakeProject()).execute());
        assertTrue(same.getMessage().contains("would both generate ABModule"), same.getMessage());

        Files.delete(wasm.resolve("a_b.wat"));
        GenerateMojo badPackage = mojo(new FakeProject());
        badPackage.packageName = "com.example.class";
        MojoFailureException pkg = assertThrows(MojoFailureException.class, badPackage::execute);
        assertTrue(pkg.getMessage().contains("'com.example.class' is not a Java package name"), pkg.getMessage());

        Files.writeString(wasm.resolve("broken.wat"), "(module (func (i32.add)))");
        MojoFailureException broken = assertThrows(MojoFailureException.class, () -> mojo(new FakeProject()).execute());
        assertTrue(broken.getMessage().contains("broken.wat"), broken.getMessage());
    }
}
