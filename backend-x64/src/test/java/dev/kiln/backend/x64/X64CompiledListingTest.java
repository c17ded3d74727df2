package dev.kiln.backend.x64;

import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.SharedData;
import dev.kiln.ir.IrBuilder;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeature;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.pass.EdgeSplitting;
import dev.kiln.ir.pass.Optimizer;
import dev.kiln.regalloc.AllocationChecker;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend's own output against GNU objdump: real functions from the spec suite (every
 * instruction family: integer, float, conversions, memory, calls, tables, br_table) are compiled
 * with the listing on, and objdump's disassembly of the bytes must match the listing line by line.
 * Also proves every allocation the backend makes with {@link AllocationChecker}.
 */
class X64CompiledListingTest {
    private static final String[] SCRIPTS = {"i32", "i64", "f32", "f64", "conversions", "memory_trap", "call_indirect",
            "br_table", "float_misc", "table_copy", "bulk", "select", "left-to-right", "int_exprs", "float_exprs", "traps"};

    private static List<ValidatedModule> modules() throws Exception {
        List<ValidatedModule> out = new ArrayList<>();
        for (Path p : SharedData.specModules()) {
            String name = p.getFileName().toString();
            boolean wanted = false;
            for (String s : SCRIPTS) wanted |= name.startsWith(s + ".");
            if (!wanted) continue;
            try {
                out.add(ValidatedModule.of(Files.readAllBytes(p)));
            } catch (ModuleException e) {
                // invalid modules of the suite
            }
        }
        return out;
    }

    /** The modules of the 2.0 suite's SIMD scripts (every SIMD instruction, in many register situations). */
    private static List<ValidatedModule> simdModules() throws Exception {
        List<ValidatedModule> out = new ArrayList<>();
        for (Path p : SharedData.specModules()) {
            if (!p.getFileName().toString().startsWith("simd_")) continue;
            try {
                out.add(ValidatedModule.of(Files.readAllBytes(p)));
            } catch (ModuleException e) {
                // invalid modules of the suite
            }
        }
        return out;
    }

    @Test
    void listingMatchesObjdumpForCompiledFunctions() throws Exception {
        int lines = 0;
        for (ValidatedModule vm : modules()) {
            SymbolNames names = SymbolNames.of(vm.module());
            for (int f = vm.module().importedFunctionCount(); f < vm.module().functionCount(); f++) {
                // metered code: the listing then covers the fuel and interruption checks too
                MachineCode mc = X64Backend.INSTANCE.compile(vm, names, f, CodeOptions.FUEL, true);
                List<String> objdump = objdump(mc.code());
                List<String> listing = new ArrayList<>();
                for (String l : mc.listing()) {
                    int annotation = l.indexOf("  ; ");
                    String text = annotation >= 0 ? l.substring(0, annotation) : l;
                    if (text.contains(".quad") || text.contains(".long") || text.contains(".byte") || text.contains(".word")) break; // pool
                    listing.add(normalize(text));
                }
                List<String> expected = objdump.subList(0, Math.min(objdump.size(), listing.size()));
                assertEquals(expected, listing, "function " + f + " of a module");
                lines += listing.size();
            }
        }
        assertTrue(lines > 20_000, "checked " + lines + " instructions");
    }

    /**
     * SIMD code in both encodings: x86_64-v2 (SSE, two operands) and x86_64-v3 (VEX, three
     * operands, AVX2 broadcasts), each against objdump, and every allocation proven.
     */
    @Test
    void simdListingMatchesObjdumpInBothEncodings() throws Exception {
        for (CpuFeatures cpu : List.of(CpuFeatures.X86_64_V2, CpuFeatures.X86_64_V3)) {
            X64Backend backend = X64Backend.forCpu(cpu);
            int lines = 0;
            int vex = 0;
            for (ValidatedModule vm : simdModules()) {
                SymbolNames names = SymbolNames.of(vm.module());
                for (int f = vm.module().importedFunctionCount(); f < vm.module().functionCount(); f++) {
                    MachineCode mc = backend.compile(vm, names, f, CodeOptions.DEFAULT, true);
                    List<String> listing = listing(mc);
                    List<String> objdump = objdump(mc.code());
                    assertEquals(objdump.subList(0, Math.min(objdump.size(), listing.size())), listing, cpu + ": function " + f + " of a module");
                    lines += listing.size();
                    for (String l : listing) if (l.matches("[0-9a-f]+: v.*")) vex++;
                    IrFunction ir = IrBuilder.build(vm, f);
                    Optimizer.optimize(ir);
                    new EdgeSplitting().run(ir);
                    AllocationChecker.check(X64Backend.INSTANCE.allocate(ir), X64RegisterFile.INSTANCE);
                }
            }
            assertTrue(lines > 20_000, cpu + ": checked " + lines + " instructions");
            assertEquals(cpu.has(CpuFeature.AVX), vex > 1000, cpu + ": " + vex + " VEX-encoded instructions");
        }
    }

    private static List<String> listing(MachineCode mc) {
        List<String> listing = new ArrayList<>();
        for (String l : mc.listing()) {
            int annotation = l.indexOf("  ; ");
            String text = annotation >= 0 ? l.substring(0, annotation) : l;
            if (text.contains(".quad") || text.contains(".long") || text.contains(".byte") || text.contains(".word")) break; // pool
            listing.add(normalize(text));
        }
        return listing;
    }

    @Test
    void everyAllocationIsCorrect() throws Exception {
        int checked = 0;
        for (ValidatedModule vm : modules()) {
            for (int f = vm.module().importedFunctionCount(); f < vm.module().functionCount(); f++) {
                IrFunction ir = IrBuilder.build(vm, f);
                Optimizer.optimize(ir);
                new EdgeSplitting().run(ir);
                AllocationChecker.check(X64Backend.INSTANCE.allocate(ir), X64RegisterFile.INSTANCE);
                checked++;
            }
        }
        assertTrue(checked > 1000, "checked " + checked);
    }

    static String normalize(String line) {
        String s = line.replaceAll("\\s+", " ").trim();
        int hash = s.indexOf(" #");
        return hash >= 0 ? s.substring(0, hash) : s;
    }

    private static List<String> objdump(byte[] code) throws Exception {
        Path f = Files.createTempFile("kiln-x64", ".bin");
        try {
            Files.write(f, code);
            Process p = new ProcessBuilder("objdump", "-D", "-b", "binary", "-m", "i386:x86-64", "-M", "intel", f.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            List<String> lines = new ArrayList<>();
            for (String l : out.split("\n")) {
                // "   1c:\t48 8b de             \tmov    rbx,rsi"
                String[] parts = l.split("\t");
                if (parts.length < 3 || !parts[0].trim().endsWith(":")) continue;
                String offset = parts[0].trim();
                lines.add(normalize(offset.substring(0, offset.length() - 1) + ": " + parts[2]));
            }
            return lines;
        } finally {
            Files.deleteIfExists(f);
        }
    }
}
