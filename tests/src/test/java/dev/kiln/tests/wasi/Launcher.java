package dev.kiln.tests.wasi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.stream.Stream;

/** What the {@code ./kiln} launcher decides before it runs the jar. */
final class Launcher {
    private Launcher() {
    }

    /**
     * Whether the launcher would run {@code jar} as it is, without rebuilding: the jar exists and no
     * file under a module's {@code src/main} nor a {@code pom.xml} is newer (the launcher's own test).
     */
    static boolean upToDate(Path repo, Path jar) throws IOException {
        if (!Files.isRegularFile(jar)) return false;
        FileTime built = Files.getLastModifiedTime(jar);
        try (Stream<Path> s = Files.walk(repo, 2)) {
            if (s.anyMatch(p -> p.getFileName().toString().equals("pom.xml") && newer(p, built))) return false;
        }
        String root = repo.toString();
        try (Stream<Path> s = Files.walk(repo)) { // find ROOT -path 'ROOT/*/src/main/*' -newer JAR
            if (s.anyMatch(p -> p.toString().startsWith(root + "/") && p.toString().substring(root.length()).matches("/.+/src/main/.+")
                    && newer(p, built))) return false;
        }
        return true;
    }

    private static boolean newer(Path p, FileTime than) {
        try {
            return Files.getLastModifiedTime(p).compareTo(than) > 0;
        } catch (IOException e) {
            return true;
        }
    }
}
