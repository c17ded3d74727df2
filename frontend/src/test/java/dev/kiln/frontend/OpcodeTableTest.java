package dev.kiln.frontend;

import dev.kiln.frontend.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cross-checks the opcode table against wabt: every instruction of the spec suite's modules, as
 * {@link InstructionReader} decodes it, must carry the mnemonic that {@code wasm-objdump -d}
 * prints at the same offset. The suite's modules use every opcode (SIMD included), which the test
 * also checks, so a wrong code, name or immediate shape anywhere in the table fails here.
 */
class OpcodeTableTest {
    @Test
    void everyOpcodeMatchesWabtsDisassembly() throws Exception {
        Set<Opcode> seen = EnumSet.noneOf(Opcode.class);
        List<Path> modules = new ArrayList<>();
        for (Path p : SharedData.specModules()) {
            String name = p.getFileName().toString();
            // one representative script family per feature keeps the test quick
            if (name.startsWith("simd_") || name.startsWith("i32.") || name.startsWith("i64.") || name.startsWith("f32.")
                    || name.startsWith("f64.") || name.startsWith("conversions.") || name.startsWith("memory")
                    || name.startsWith("table") || name.startsWith("bulk.") || name.startsWith("ref_") || name.startsWith("select.")
                    || name.startsWith("br_table.") || name.startsWith("call_indirect.") || name.startsWith("global.")
                    || name.startsWith("elem.") || name.startsWith("left-to-right.") || name.startsWith("unreachable.")
                    || name.startsWith("local_") || name.startsWith("load.") || name.startsWith("store.")
                    || name.startsWith("f32_bitwise.") || name.startsWith("f64_bitwise.") || name.startsWith("address.")
                    || name.startsWith("nop.")) {
                modules.add(p);
            }
        }
        int checked = 0;
        for (Path p : modules) {
            Module m;
            try {
                m = Validator.validate(Decoder.decode(Files.readAllBytes(p))).module();
            } catch (ModuleException e) {
                continue; // assert_invalid / assert_malformed modules
            }
            List<String[]> wabt = objdump(p);
            if (wabt == null) continue;
            int k = 0;
            for (FunctionBody b : m.functionBodies()) {
                InstructionReader in = new InstructionReader(new WasmReader(m.bytes(), b.codeStart(), b.codeEnd()));
                while (!in.atEnd()) {
                    Opcode op = in.next();
                    seen.add(op);
                    String[] line = wabt.get(k++);
                    assertEquals(Integer.parseInt(line[0], 16), in.offset(), p + ": offset");
                    assertEquals(line[1], op.mnemonic, p + " at 0x" + line[0]);
                    checked++;
                }
            }
            assertEquals(wabt.size(), k, p + ": instruction count");
        }
        seen.addAll(checkRelaxedSimd());
        EnumSet<Opcode> missing = EnumSet.complementOf(EnumSet.copyOf(seen));
        // The 2.0 suite has no WebAssembly 3.0 instructions; the text parser's tests cover those.
        missing.removeIf(op -> op.feature != WasmFeature.BASE && op.feature != WasmFeature.SIMD);
        assertTrue(missing.isEmpty(), "opcodes never seen in the suite: " + missing);
        assertTrue(checked > 10_000, "checked " + checked);
    }

    /**
     * The relaxed SIMD instructions (3.0, not in the 2.0 suite): a module using each, made by wabt's
     * wat2wasm, decoded here and disassembled by wabt. wabt 1.0.32 still spells the two dot products
     * without "relaxed_"; the encodings are the final ones.
     */
    private static Set<Opcode> checkRelaxedSimd() throws Exception {
        List<Opcode> relaxed = new ArrayList<>();
        for (Opcode op : Opcode.values()) if (op.isSimd() && op.code >= 0x100) relaxed.add(op);
        StringBuilder wat = new StringBuilder("(module (func (param v128 v128 v128)\n");
        for (Opcode op : relaxed) {
            wat.append("  (drop (").append(wabtName(op.mnemonic));
            for (int i = 0; i < op.paramCount(); i++) wat.append(" (local.get ").append(i).append(')');
            wat.append("))\n");
        }
        wat.append("))\n");
        Path dir = Files.createTempDirectory("kiln-relaxed");
        try {
            Path text = dir.resolve("relaxed.wat"), binary = dir.resolve("relaxed.wasm");
            Files.writeString(text, wat);
            Process p = new ProcessBuilder("wat2wasm", "--enable-relaxed-simd", text.toString(), "-o", binary.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "wat2wasm: " + out);
            Module m = Validator.validate(Decoder.decode(Files.readAllBytes(binary))).module();
            List<String[]> wabt = objdump(binary);
            Set<Opcode> seen = EnumSet.noneOf(Opcode.class);
            int k = 0;
            InstructionReader in = new InstructionReader(new WasmReader(m.bytes(), m.body(0).codeStart(), m.body(0).codeEnd()));
            while (!in.atEnd()) {
                Opcode op = in.next();
                String[] line = wabt.get(k++);
                assertEquals(Integer.parseInt(line[0], 16), in.offset(), "offset");
                assertEquals(line[1], wabtName(op.mnemonic), "at 0x" + line[0]);
                if (op.isSimd()) seen.add(op);
            }
            assertEquals(relaxed.size(), seen.size(), "relaxed instructions decoded");
            return seen;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) Files.delete(f);
            }
            Files.delete(dir);
        }
    }

    private static String wabtName(String mnemonic) {
        return mnemonic.replace("relaxed_dot_", "dot_");
    }

    /** (offset hex, mnemonic) of every instruction wasm-objdump prints, or null when it fails on the file. */
    private static List<String[]> objdump(Path p) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder("wasm-objdump", "-d", p.toString()).redirectErrorStream(false).start();
        byte[] out = proc.getInputStream().readAllBytes();
        proc.getErrorStream().readAllBytes();
        if (!proc.waitFor(30, TimeUnit.SECONDS) || proc.exitValue() != 0) return null;
        List<String[]> rows = new ArrayList<>();
        for (String line : new String(out, StandardCharsets.UTF_8).split("\n")) {
            int bar = line.indexOf('|');
            if (!line.startsWith(" 0") || bar < 0) continue;
            String offset = line.substring(1, line.indexOf(':'));
            String text = line.substring(bar + 1).trim();
            int sp = text.indexOf(' ');
            String mnemonic = sp < 0 ? text : text.substring(0, sp);
            if (mnemonic.isEmpty() || mnemonic.startsWith("local[")) continue; // local declarations, continuations
            rows.add(new String[] {offset, mnemonic});
        }
        return rows;
    }
}
