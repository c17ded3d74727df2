package dev.kiln.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link WasiConfig}, {@link PreopenDir} parsing, and preopen validation. */
class WasiConfigTest {
    @TempDir
    Path dir;

    @Test
    void dirSpecsAsWasmtimeRun() {
        assertEquals(new PreopenDir(Path.of("data"), "data"), PreopenDir.parse("data"));
        assertEquals(new PreopenDir(Path.of("/tmp/x"), "/"), PreopenDir.parse("/tmp/x::/"));
        assertEquals(new PreopenDir(Path.of("."), "/work"), PreopenDir.parse(".::/work"));
        assertThrows(IllegalArgumentException.class, () -> PreopenDir.parse("::/x"));
        assertThrows(IllegalArgumentException.class, () -> PreopenDir.parse("x::"));
    }

    @Test
    void environmentEntries() {
        WasiConfig c = WasiConfig.builder().env("A=1").env("B", "x=y").env("A", "2").build();
        assertEquals(List.of(Map.entry("A", "2"), Map.entry("B", "x=y")), c.environment());
        assertThrows(IllegalArgumentException.class, () -> WasiConfig.builder().env("novalue"));
        assertThrows(IllegalArgumentException.class, () -> WasiConfig.builder().env("=x"));
        assertThrows(IllegalArgumentException.class, () -> WasiConfig.builder().env("A=B", "c"));
    }

    @Test
    void argv() {
        WasiConfig c = WasiConfig.builder().programName("p.wasm").args(List.of("a", "b")).arg("c").build();
        assertEquals(List.of("p.wasm", "a", "b", "c"), c.argv());
    }

    @Test
    void preopensMustBeDirectories() throws Exception {
        Files.writeString(dir.resolve("file"), "");
        assertThrows(IllegalArgumentException.class,
                () -> new WasiPreview1(WasiConfig.builder().preopen(dir.resolve("missing"), "/").build()));
        assertThrows(IllegalArgumentException.class,
                () -> new WasiPreview1(WasiConfig.builder().preopen(dir.resolve("file"), "/").build()));
    }

    @Test
    void aSymlinkedPreopenIsResolvedOnce() throws Exception {
        Path real = Files.createDirectory(dir.resolve("real"));
        Files.writeString(real.resolve("f"), "x");
        Files.createSymbolicLink(dir.resolve("alias"), real);
        try (TestGuest g = new TestGuest(WasiConfig.builder().preopen(dir.resolve("alias"), "/"), new byte[0])) {
            assertEquals(Errno.SUCCESS, g.stat(3, 0, "f"));
        }
    }
}
