package dev.kiln.runtime.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Whole files read in chunks come back byte for byte, at every size around the chunk's. */
class FileBytesTest {
    @TempDir
    Path dir;

    @Test
    void everySizeAroundTheChunkReadsBackExactly() throws IOException {
        Random random = new Random(13);
        int c = FileBytes.CHUNK;
        for (int size : new int[] {0, 1, 8, c - 1, c, c + 1, 3 * c + 17}) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            Path f = dir.resolve("m" + size + ".wasm");
            Files.write(f, bytes);
            assertArrayEquals(bytes, FileBytes.read(f), "size " + size);
        }
    }

    @Test
    void aMissingFileIsTheUsualNoSuchFileError() {
        assertThrows(NoSuchFileException.class, () -> FileBytes.read(dir.resolve("absent.wasm")));
    }
}
