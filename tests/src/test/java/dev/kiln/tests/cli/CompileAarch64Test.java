package dev.kiln.tests.cli;

import dev.kiln.backend.aarch64.A64RelocationModel;
import dev.kiln.cli.Main;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.Target;
import dev.kiln.linker.CacheLookup;
import dev.kiln.linker.CodeCache;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.internal.NativeCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Cross-compilation from this host: {@code kiln compile --target aarch64 app.wasm -o app.o} writes an
 * AArch64 ELF object that GNU binutils for AArch64 read, one function symbol per Wasm function with
 * its code; {@code kiln compile --target all} puts one object per target in the code cache, and the
 * AArch64 one loads back with the AArch64 relocation model.
 */
class CompileAarch64Test {
    private static final String OBJDUMP = "aarch64-linux-gnu-objdump";
    private static final String READELF = "aarch64-linux-gnu-readelf";
    private static final String APP = """
            (module
              (memory 1)
              (table 2 funcref)
              (elem (i32.const 0) $square $fib)
              (type $t (func (param i32) (result i32)))
              (func $square (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (func $fib (export "fib") (param i32) (result i32)
                (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
                  (then (local.get 0))
                  (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                                 (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
              (func $load (export "load") (param i32) (result f64) (f64.load offset=8 (local.get 0)))
              (func $dispatch (export "dispatch") (param i32 i32) (result i32)
                (call_indirect (type $t) (local.get 1) (local.get 0))))
            """;

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err) {
    }

    private static Run kiln(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path app() throws IOException {
        Path p = dir.resolve("app.wasm");
        Files.write(p, Wat.compile(APP));
        return p;
    }

    @Test
    void compileForAarch64GivesAnObjectObjdumpDisassemblesWithOneSymbolPerFunction() throws Exception {
        assumeTrue(tool(OBJDUMP) && tool(READELF), "aarch64-linux-gnu binutils not installed (Debian: binutils-aarch64-linux-gnu)");
        Path wasm = app();
        Path obj = dir.resolve("app.o");
        Run r = kiln("compile", "--target", "aarch64", wasm.toString(), "-o", obj.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("4 functions compiled for aarch64"), r.out());
        assertEquals(183, elfMachine(Files.readAllBytes(obj)), "e_machine EM_AARCH64");

        String dump = run(OBJDUMP, "-d", obj.toString());
        assertTrue(dump.contains("file format elf64-littleaarch64"), dump);
        Map<String, List<String>> functions = functions(dump);
        assertEquals(List.of("dispatch", "fib", "load", "square"), List.copyOf(new TreeMap<>(functions).keySet()), dump);
        for (Map.Entry<String, List<String>> f : functions.entrySet()) {
            List<String> code = f.getValue();
            assertTrue(code.size() > 8, f.getKey() + ": " + code);
            // the frame record comes first, or after code that runs before the prologue (fib's base case returns before it)
            assertTrue(f.getKey().equals("fib") ? code.stream().anyMatch(l -> l.contains("stp\tx29, x30, [sp, #-16]!"))
                    : code.getFirst().contains("stp\tx29, x30, [sp, #-16]!"), f.getKey() + " has its frame record: " + code);
            assertTrue(code.stream().anyMatch(l -> l.contains("\tret")), f.getKey() + " returns: " + code);
            assertFalse(code.stream().anyMatch(l -> l.contains("<unknown>") || l.contains("undefined")), f.getKey() + ": " + code);
        }
        assertTrue(functions.get("square").stream().anyMatch(l -> l.contains("\tmul\tw")), functions.get("square").toString());
        assertTrue(functions.get("load").stream().anyMatch(l -> l.contains("ldr\td")), functions.get("load").toString());

        String relocations = run(READELF, "-rW", obj.toString());
        assertTrue(relocations.matches("(?s).*R_AARCH64_CALL26\\s+\\S+\\s+fib.*"), relocations);
        // runtime routines are reached through the VMContext: the code holds no absolute address
        assertFalse(relocations.contains("R_AARCH64_ABS64") || relocations.contains("kiln_trap"), relocations);
        String symbols = run(READELF, "-sW", obj.toString());
        for (String name : List.of("square", "fib", "load", "dispatch")) {
            assertTrue(symbols.matches("(?s).*FUNC\\s+GLOBAL\\s+DEFAULT\\s+\\d+\\s+" + name + "\\n.*"), name + " in\n" + symbols);
        }
    }

    @Test
    void compileForAllTargetsWritesBothObjectsIntoTheCache() throws Exception {
        Path wasm = app();
        Path cacheDir = dir.resolve("cache");
        Run r = kiln("compile", "--target", "all", "--cache-dir", cacheDir.toString(), wasm.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("compiled for x86_64-v2") && r.out().contains("compiled for x86_64-v3")
                && r.out().contains("compiled for aarch64"), r.out());

        List<Path> objects;
        try (Stream<Path> s = Files.walk(cacheDir)) {
            objects = s.filter(p -> p.toString().endsWith(CodeCache.EXTENSION)).sorted().toList();
        }
        assertEquals(3, objects.size(), objects.toString());
        List<Integer> machines = new ArrayList<>();
        for (Path o : objects) machines.add(elfMachine(Files.readAllBytes(o)));
        machines.sort(null);
        assertEquals(List.of(62, 62, 183), machines, "two EM_X86_64 objects (x86_64-v2, x86_64-v3) and one EM_AARCH64 object");

        Run list = kiln("cache", "list", "--cache-dir", cacheDir.toString());
        assertEquals(0, list.exit(), list.err());
        assertTrue(list.out().contains("3 entries") && list.out().contains("x86_64") && list.out().contains("aarch64"), list.out());
        Run verify = kiln("cache", "verify", "--cache-dir", cacheDir.toString());
        assertEquals(0, verify.exit(), verify.out());

        // the AArch64 entry is found under the AArch64 identity and its relocations are AArch64 ones
        WasmModule m = WasmModule.of(Files.readAllBytes(wasm), "app.wasm");
        CacheLookup found = new CodeCache(cacheDir).load(NativeCompiler.identity(m, CpuFeatures.AARCH64, CodeOptions.DEFAULT), A64RelocationModel.INSTANCE);
        CacheLookup.Hit hit = assertInstanceOf(CacheLookup.Hit.class, found);
        assertNotNull(hit.mapped(), "the cache holds objects in the mapped format");
        assertEquals(4, hit.mapped().compiledCount());
        assertEquals(Target.AARCH64, hit.mapped().target());
    }

    private static int elfMachine(byte[] elf) {
        assertTrue(elf.length > 64 && elf[0] == 0x7F && elf[1] == 'E' && elf[2] == 'L' && elf[3] == 'F', "an ELF file");
        return ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).getShort(18) & 0xFFFF;
    }

    /** objdump -d output by function symbol: the instruction lines under each {@code <name>:} header. */
    private static Map<String, List<String>> functions(String dump) {
        Map<String, List<String>> out = new TreeMap<>();
        Pattern header = Pattern.compile("^[0-9a-f]+ <([^>]+)>:$");
        List<String> current = null;
        for (String line : dump.split("\n")) {
            Matcher m = header.matcher(line);
            if (m.matches()) {
                current = new ArrayList<>();
                out.put(m.group(1), current);
            } else if (current != null && line.matches("^\\s+[0-9a-f]+:\\t.*")) {
                current.add(line);
            }
        }
        return out;
    }

    private static boolean tool(String name) {
        try {
            run(name, "--version");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) throw new IOException(String.join(" ", command) + " timed out");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        if (p.exitValue() != 0) throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
        return out;
    }
}
