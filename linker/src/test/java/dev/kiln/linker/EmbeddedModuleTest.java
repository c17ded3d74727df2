package dev.kiln.linker;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An object may carry the module its code was compiled from ({@code .kiln.wasm}), and only that module. */
class EmbeddedModuleTest {
    private static final byte[] MODULE = "\0asm\1\0\0\0 pretend module".getBytes(StandardCharsets.ISO_8859_1);
    private static final BuildIdentity ID = new BuildIdentity(BuildIdentity.sha256(MODULE), "build", Target.X86_64, "opts");

    @Test
    void theModuleRoundTrips() throws CorruptObjectException {
        byte[] object = ElfWriter.write(ID, 1, List.of(SampleCode.x64Add(0, "f")), MODULE);
        KilnObject read = ElfReader.read(object);
        assertArrayEquals(MODULE, read.module().orElseThrow());
        assertEquals(ID, read.identity());
        assertEquals(1, read.functions().size());
    }

    @Test
    void objectsWithoutTheModuleStillRead() throws CorruptObjectException {
        KilnObject read = ElfReader.read(ElfWriter.write(ID, 1, List.of(SampleCode.x64Add(0, "f"))));
        assertTrue(read.module().isEmpty());
    }

    @Test
    void anotherModuleIsRefused() {
        byte[] other = "\0asm\1\0\0\0 another".getBytes(StandardCharsets.ISO_8859_1);
        String m = assertThrows(IllegalArgumentException.class, () -> ElfWriter.write(ID, 1, List.of(SampleCode.x64Add(0, "f")), other))
                .getMessage();
        assertTrue(m.contains("module hash"), m);
    }

    @Test
    void aChangedModuleByteIsCorruption() {
        byte[] object = ElfWriter.write(ID, 1, List.of(SampleCode.x64Add(0, "f")), MODULE);
        int at = indexOf(object, MODULE);
        object[at + MODULE.length - 1] ^= 1;
        assertThrows(CorruptObjectException.class, () -> ElfReader.read(object));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int k = 0; k < needle.length; k++) if (haystack[i + k] != needle[k]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }
}
