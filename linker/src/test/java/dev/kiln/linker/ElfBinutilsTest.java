package dev.kiln.linker;

import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** GNU binutils read kiln objects without a single warning and see the functions, symbols and relocations. */
class ElfBinutilsTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private static boolean available(String tool) {
        for (String p : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(p, tool))) return true;
        }
        return false;
    }

    private static Run run(String... command) throws IOException, InterruptedException {
        assumeTrue(available(command[0]), command[0] + " is not installed");
        Process p = new ProcessBuilder(command).start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    static Run clean(String... command) throws IOException, InterruptedException {
        Run r = run(command);
        assertEquals(0, r.exit(), String.join(" ", command) + " failed:\n" + r.err() + r.out());
        assertEquals("", r.err(), String.join(" ", command) + " wrote to stderr");
        assertFalse(r.out().toLowerCase().contains("warning"), String.join(" ", command) + " warned:\n" + r.out());
        assertFalse(r.out().toLowerCase().contains("error"), String.join(" ", command) + " reported an error:\n" + r.out());
        return r;
    }

    private Path write(String name, byte[] object) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, object);
        return f;
    }

    @Test
    void x86_64ObjectIsReadCleanly() throws Exception {
        Path f = write("x64.o", SampleCode.x64Object());
        String all = clean("readelf", "-a", "-W", f.toString()).out();
        assertTrue(all.contains("REL (Relocatable file)"), all);
        assertTrue(all.contains("Advanced Micro Devices X86-64"), all);
        assertTrue(all.matches("(?s).*FUNC\\s+GLOBAL\\s+DEFAULT\\s+1 add\\n.*"), all);
        assertTrue(all.matches("(?s).*NOTYPE\\s+GLOBAL\\s+DEFAULT\\s+UND kiln_memory_grow\\n.*"), all);
        assertTrue(all.contains("R_X86_64_PLT32"), all);
        assertTrue(all.contains("R_X86_64_64"), all);
        assertTrue(all.contains(".kiln.meta"), all);
        clean("readelf", "-x", ".kiln.meta", "-W", f.toString());
        String dis = clean("objdump", "-d", "-r", f.toString()).out();
        assertTrue(dis.contains("<add>:"), dis);
        assertTrue(dis.contains("mov    %edi,%eax"), dis);
        assertTrue(dis.contains("R_X86_64_PLT32\tadd-0x4"), dis);
        assertTrue(dis.contains("R_X86_64_PLT32\tkiln_memory_grow-0x4"), dis);
        assertTrue(dis.contains("<grow$memory>:"), dis);
        clean("objdump", "-x", f.toString());
    }

    @Test
    void aarch64ObjectIsReadCleanly() throws Exception {
        Path f = write("a64.o", ElfWriter.write(SampleCode.identity(Target.AARCH64), 3, SampleCode.a64Functions()));
        String all = clean("aarch64-linux-gnu-readelf", "-a", "-W", f.toString()).out();
        assertTrue(all.contains("AArch64"), all);
        assertTrue(all.contains("R_AARCH64_CALL26"), all);
        clean("readelf", "-a", "-W", f.toString());
        String dis = clean("aarch64-linux-gnu-objdump", "-d", "-r", f.toString()).out();
        assertTrue(dis.contains("add\tw0, w0, w1"), dis);
        assertTrue(dis.contains("R_AARCH64_CALL26\tkiln_helper"), dis);
        assertTrue(dis.contains("<helper_plus_one>:"), dis);
    }

    @Test
    void emptyAndUnusualObjectsAreReadCleanly() throws Exception {
        List<Path> files = new ArrayList<>();
        files.add(write("empty.o", ElfWriter.write(SampleCode.identity(Target.X86_64), 0, List.of())));
        files.add(write("none-compiled.o", ElfWriter.write(SampleCode.identity(Target.X86_64), 7, List.of())));
        files.add(write("no-relocs.o", ElfWriter.write(SampleCode.identity(Target.X86_64), 2,
                List.of(SampleCode.x64Add(0, "f0"), SampleCode.x64Add(1, "wasm function ‹ü›")))));
        for (Path f : files) {
            clean("readelf", "-a", "-W", f.toString());
            clean("objdump", "-d", "-r", f.toString());
        }
    }
}
