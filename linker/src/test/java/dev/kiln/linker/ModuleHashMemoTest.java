package dev.kiln.linker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.*;

/** The memo of a module file's hash holds only while the file, its path and the compiler build are unchanged. */
class ModuleHashMemoTest {
    @Test
    void aMemoHoldsUntilTheFileOrTheBuildChanges(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        Path module = dir.resolve("m.wasm");
        Files.write(module, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        assertNull(ModuleHashMemo.lookup(cache, module, "b1"));
        byte[] hash = BuildIdentity.sha256(Files.readAllBytes(module));
        ModuleHashMemo.store(cache, module, "b1", hash);
        assertArrayEquals(hash, ModuleHashMemo.lookup(cache, module, "b1"));
        assertNull(ModuleHashMemo.lookup(cache, module, "b2"), "another compiler build");
        assertNull(ModuleHashMemo.lookup(cache, dir.resolve("other.wasm"), "b1"), "another file");

        // a rewrite with the same size and modification time still changes the file's change time
        FileTime mtime = Files.getLastModifiedTime(module);
        Thread.sleep(20);
        Files.write(module, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 1});
        Files.setLastModifiedTime(module, mtime);
        assertNull(ModuleHashMemo.lookup(cache, module, "b1"));
    }

    @Test
    void aDamagedMemoIsIgnored(@TempDir Path dir) throws Exception {
        Path cache = dir.resolve("cache");
        Path module = dir.resolve("m.wasm");
        Files.write(module, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
        ModuleHashMemo.store(cache, module, "b1", BuildIdentity.sha256(Files.readAllBytes(module)));
        try (var s = Files.list(cache.resolve("memo"))) {
            Path memo = s.findFirst().orElseThrow();
            Files.writeString(memo, Files.readString(memo).replaceAll("[0-9a-f]{64}", "00"));
        }
        assertNull(ModuleHashMemo.lookup(cache, module, "b1"));
    }
}
