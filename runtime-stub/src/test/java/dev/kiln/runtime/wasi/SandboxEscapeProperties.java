package dev.kiln.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random paths built from hostile components ({@code ..}, symlinks out, loops, absolute links)
 * never reach anything outside the preopen, through any path function, and never change anything
 * outside it.
 */
class SandboxEscapeProperties {
    private static Path base;
    private static Path root;
    private static Set<Long> outsideInodes;

    @BeforeContainer
    static void layout() throws IOException {
        base = Files.createTempDirectory("kiln-sandbox");
        Files.writeString(base.resolve("secret"), "secret");
        Files.createDirectory(base.resolve("secret-dir"));
        Files.writeString(base.resolve("secret-dir/s"), "s");
        root = Files.createDirectory(base.resolve("root"));
        Files.createDirectory(root.resolve("sub"));
        Files.writeString(root.resolve("sub/inside"), "inside");
        Files.createSymbolicLink(root.resolve("abs-dir"), base.resolve("secret-dir"));
        Files.createSymbolicLink(root.resolve("rel-up"), Path.of("../secret"));
        Files.createSymbolicLink(root.resolve("rel-up-dir"), Path.of("../secret-dir"));
        Files.createSymbolicLink(root.resolve("sub/deep-up"), Path.of("../../secret"));
        Files.createSymbolicLink(root.resolve("dot-dot"), Path.of(".."));
        Files.createSymbolicLink(root.resolve("to-root"), Path.of("/"));
        Files.createSymbolicLink(root.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(root.resolve("loop-b"), Path.of("loop-a"));
        Files.createSymbolicLink(root.resolve("sub-link"), Path.of("sub"));
        outsideInodes = new HashSet<>();
        for (Path p : List.of(base, base.resolve("secret"), base.resolve("secret-dir"), base.resolve("secret-dir/s"))) {
            outsideInodes.add((Long) Files.getAttribute(p, "unix:ino"));
        }
    }

    @AfterContainer
    static void cleanUp() throws IOException {
        try (Stream<Path> all = Files.walk(base)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Provide
    Arbitrary<String> hostilePaths() {
        Arbitrary<String> component = Arbitraries.of("..", ".", "sub", "sub-link", "rel-up", "rel-up-dir", "abs-dir",
                "dot-dot", "to-root", "loop-a", "secret", "secret-dir", "s", "inside", "", "root", "deep-up", "new");
        return component.list().ofMinSize(1).ofMaxSize(7).map(l -> String.join("/", l));
    }

    @Property(tries = 400)
    void nothingOutsideIsReachedOrChanged(@ForAll("hostilePaths") String path, @ForAll boolean follow) throws Exception {
        int lookup = follow ? 1 : 0;
        try (TestGuest g = TestGuest.inDirectory(root)) {
            if (g.open(TestGuest.ROOT, lookup, path, 0, Rights.FD_READ, Rights.FD_READ, 0) == Errno.SUCCESS) {
                assertFalse(g.fdstat(g.lastFd)[0] != 3 && List.of("secret", "s").contains(g.readText(g.lastFd, 100)), path);
            }
            if (g.stat(TestGuest.ROOT, lookup, path) == Errno.SUCCESS) {
                assertFalse(outsideInodes.contains(g.statIno()), path + " reached an outside inode");
            }
            // mutations: whatever they do, they stay inside (checked below)
            g.mkdir(path + "/made");
            g.symlink("x", path + "/made-link");
            g.open(TestGuest.ROOT, lookup, path + "/made-file", 1, Rights.FD_WRITE, 0, 0);
            g.link(0, "sub/inside", path + "/made-hardlink");
            g.rename(path + "/made-file", "sub/moved");
            g.unlink(path + "/s");
            g.rmdir(path + "/made");
        }
        try (Stream<Path> outside = Files.list(base)) {
            assertEquals(List.of("root", "secret", "secret-dir"), outside.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> outside = Files.list(base.resolve("secret-dir"))) {
            assertEquals(List.of("s"), outside.map(p -> p.getFileName().toString()).toList());
        }
        assertEquals("secret", Files.readString(base.resolve("secret")));
    }
}
