package dev.kiln.runtime.internal;

import dev.kiln.frontend.Decoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The compiler build id is the same however the same compiler classes are packed (the CLI's jar, Maven's jars, build directories). */
class CompilerBuildIdTest {
    private static final Map<String, byte[]> FRONTEND = Map.of("dev/kiln/frontend/Decoder.class", new byte[] {1, 2, 3});
    private static final Map<String, byte[]> BACKEND = Map.of("dev/kiln/backend/x64/X64Backend.class", new byte[] {4, 5});
    private static final Map<String, byte[]> TOOLS = Map.of("dev/kiln/cli/Main.class", new byte[] {6},
            "org/kohsuke/args4j/Option.class", new byte[] {7}, "dev/kiln/frontend/notes.txt", new byte[] {8});

    @TempDir
    Path dir;

    @Test
    void directoriesSeparateJarsAndOneFatJarOfTheSameCompilerClassesHaveOneId() throws IOException {
        Path frontendDir = directory("frontend-classes", FRONTEND);
        Path backendDir = directory("backend-classes", BACKEND);
        Path frontendJar = jar("kiln-frontend.jar", FRONTEND);
        Path backendJar = jar("kiln-backend-x64.jar", BACKEND);
        Path fat = jar("kiln.jar", FRONTEND, BACKEND, TOOLS);
        String fromDirectories = CompilerBuildId.of(List.of(frontendDir, backendDir));
        assertEquals(fromDirectories, CompilerBuildId.of(List.of(frontendJar, backendJar)));
        assertEquals(fromDirectories, CompilerBuildId.of(List.of(fat)), "the CLI's classes and third-party classes do not count");
        assertEquals(fromDirectories, CompilerBuildId.of(List.of(backendJar, frontendDir)), "order and packing do not matter");
    }

    @Test
    void aChangedCompilerClassChangesTheId() throws IOException {
        String before = CompilerBuildId.of(List.of(jar("a.jar", FRONTEND, BACKEND)));
        String after = CompilerBuildId.of(List.of(jar("b.jar", FRONTEND, Map.of("dev/kiln/backend/x64/X64Backend.class", new byte[] {4, 6}))));
        assertNotEquals(before, after);
    }

    @Test
    void theLocationIsWhereTheClassLoaderFindsTheClassNowSoAMovedJarIsHashedWhereItIs() throws IOException {
        Path jar = jar("kiln.jar", FRONTEND, BACKEND);
        Path moved = Files.createDirectories(dir.resolve("moved elsewhere")).resolve("kiln.jar");
        Files.move(jar, moved);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {moved.toUri().toURL()}, null)) {
            assertEquals(moved, CompilerBuildId.location(loader, "dev.kiln.frontend.Decoder"));
        }
        Path classes = directory("build classes", FRONTEND);
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()}, null)) {
            assertEquals(classes, CompilerBuildId.location(loader, "dev.kiln.frontend.Decoder"));
            assertNull(CompilerBuildId.location(loader, "dev.kiln.frontend.Missing"));
        }
        assertEquals(CompilerBuildId.location(Decoder.class), CompilerBuildId.location(Decoder.class.getClassLoader(), Decoder.class.getName()));
    }

    @Test
    void aRecordedIdHoldsOnlyWhileTheJarHasTheSizeAndTimeItWasRecordedWith() throws IOException {
        Path jar = jar("kiln.jar", FRONTEND, BACKEND);
        String id = CompilerBuildId.of(List.of(jar));
        long size = Files.size(jar), time = Files.getLastModifiedTime(jar).toMillis();
        assertEquals(id, CompilerBuildId.recorded(id + ":" + size + ":" + time, jar));
        assertNull(CompilerBuildId.recorded(id + ":" + (size + 1) + ":" + time, jar), "another size");
        assertNull(CompilerBuildId.recorded(id + ":" + size + ":" + (time - 1000), jar), "another time");
        assertNull(CompilerBuildId.recorded(null, jar));
        for (String bad : List.of("", id, id + ":" + size, "x:" + size + ":" + time, id + ":a:" + time, id + ":" + size + ":" + time + ":1")) {
            assertNull(CompilerBuildId.recorded(bad, jar), bad);
        }
        Files.setLastModifiedTime(jar, FileTime.fromMillis(time + 2000)); // rebuilt (or replaced) since
        assertNull(CompilerBuildId.recorded(id + ":" + size + ":" + time, jar));
        assertNull(CompilerBuildId.recorded(id + ":" + size + ":" + time, dir.resolve("gone.jar")));
    }

    private Path directory(String name, Map<String, byte[]> classes) throws IOException {
        Path root = dir.resolve(name);
        for (var e : classes.entrySet()) {
            Path f = root.resolve(e.getKey());
            Files.createDirectories(f.getParent());
            Files.write(f, e.getValue());
        }
        return root;
    }

    @SafeVarargs
    private Path jar(String name, Map<String, byte[]>... parts) throws IOException {
        Path jar = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map<String, byte[]> part : parts) {
                for (var e : part.entrySet()) {
                    zip.putNextEntry(new ZipEntry(e.getKey()));
                    zip.write(e.getValue());
                    zip.closeEntry();
                }
            }
        }
        return jar;
    }
}
