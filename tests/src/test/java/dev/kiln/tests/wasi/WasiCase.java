package dev.kiln.tests.wasi;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.stream.Stream;

/**
 * One test program: {@code FOLDER/NAME.wasm} with its specification (from {@code NAME.json}).
 *
 * @param id     {@code folder/name}, e.g. {@code rust/fd_readdir}
 * @param folder the test's folder (its {@code root} directory is relative to it)
 * @param wasm   the program
 * @param spec   how to run it and what to expect; null when {@code specError} is set
 * @param specError why the specification could not be read, or null
 */
public record WasiCase(String id, Path folder, Path wasm, WasiSpec spec, String specError) {
    /** Reads {@code folder/name.json} (when present) for {@code folder/name.wasm}. */
    public static WasiCase of(Path folder, String name) {
        String id = folder.getFileName() + "/" + name;
        try {
            return new WasiCase(id, folder, folder.resolve(name + ".wasm"), WasiSpec.read(folder.resolve(name + ".json")), null);
        } catch (IOException | IllegalArgumentException e) {
            return new WasiCase(id, folder, folder.resolve(name + ".wasm"), null, "bad specification: " + e.getMessage());
        }
    }

    /**
     * Copies the test's folder into {@code into} — every file except the other programs (the Rust
     * binaries are 2 MB each), with fresh, writable permissions — and deletes every {@code *.cleanup}
     * file or directory in the copy, as the suite's own runner does before a case. Returns the copy of
     * the folder.
     */
    public Path freshCopy(Path into) throws IOException {
        Path target = into.resolve(folder.getFileName().toString());
        Files.walkFileTree(folder, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(target.resolve(folder.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                boolean otherProgram = file.getParent().equals(folder) && file.toString().endsWith(".wasm") && !file.equals(wasm);
                Path copy = target.resolve(folder.relativize(file).toString());
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(copy, Files.readSymbolicLink(file));
                } else if (!otherProgram) {
                    Files.copy(file, copy); // no COPY_ATTRIBUTES: the suite's files are read-only
                }
                return FileVisitResult.CONTINUE;
            }
        });
        removeCleanups(target);
        return target;
    }

    /** Deletes every {@code *.cleanup} file or directory (recursively) under {@code dir}. */
    public static void removeCleanups(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".cleanup")).toList()) {
                if (Files.exists(p, LinkOption.NOFOLLOW_LINKS)) deleteTree(p);
            }
        }
    }

    /** Deletes a file or a directory tree; symbolic links are removed, never followed. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) return;
        Files.walkFileTree(p, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) throw exc;
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
