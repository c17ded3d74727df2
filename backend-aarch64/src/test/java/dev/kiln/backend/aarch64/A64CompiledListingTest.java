package dev.kiln.backend.aarch64;

import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.SharedData;
import dev.kiln.ir.IrBuilder;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.pass.EdgeSplitting;
import dev.kiln.ir.pass.Optimizer;
import dev.kiln.regalloc.AllocationChecker;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The backend's own output against GNU objdump: every function of the spec suite (every
 * instruction family: integer, float, conversions, memory, calls, tables, br_table, SIMD) is compiled
 * with the listing on, and {@code aarch64-linux-gnu-objdump}'s disassembly of the bytes must match
 * the listing instruction by instruction, word and text (literal-pool data excepted). Also proves
 * every allocation the backend makes, over the spec and WASI suites, with {@link AllocationChecker}.
 */
class A64CompiledListingTest {
    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t([0-9a-f]+) \\t(.*)$");

    private static List<ValidatedModule> modules() throws Exception {
        List<ValidatedModule> out = new ArrayList<>();
        for (Path p : SharedData.specModules()) {
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
        GnuBinutils.assumeAvailable();
        // one objdump run over all functions (concatenated), then each function's listing checked at its offset
        List<MachineCode> all = new ArrayList<>();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Integer> starts = new ArrayList<>();
        for (ValidatedModule vm : modules()) {
            SymbolNames names = SymbolNames.of(vm.module());
            for (int f = vm.module().importedFunctionCount(); f < vm.module().functionCount(); f++) {
                // metered code: the listing then covers the fuel and interruption checks too
                MachineCode mc = A64Backend.INSTANCE.compile(vm, names, f, CodeOptions.FUEL, true);
                starts.add(bytes.size());
                all.add(mc);
                bytes.writeBytes(mc.code());
            }
        }
        Map<Integer, GnuBinutils.Disassembled> objdump = GnuBinutils.disassemble(bytes.toByteArray());
        int lines = 0;
        for (int k = 0; k < all.size(); k++) {
            MachineCode mc = all.get(k);
            int base = starts.get(k);
            for (String l : mc.listing()) {
                Matcher m = LINE.matcher(l);
                if (!m.matches()) fail("unexpected listing line '" + l + "'");
                String text = m.group(3);
                if (text.startsWith(".word") || text.startsWith(".xword")) continue; // literal pool and padding
                int offset = Integer.parseInt(m.group(1), 16);
                GnuBinutils.Disassembled d = objdump.get(base + offset);
                if (d == null) fail("objdump has no instruction at " + (base + offset) + " (" + mc.symbol() + " +" + offset + ")");
                assertEquals(Long.parseLong(m.group(2), 16), d.word() & 0xFFFF_FFFFL, mc.symbol() + " +" + offset);
                String expected = relativeTargets(GnuBinutils.normalize(d.text()), base);
                assertEquals(expected, GnuBinutils.normalize(text), mc.symbol() + " +" + Integer.toHexString(offset) + ": " + l);
                lines++;
            }
        }
        assertTrue(lines > 150_000, "checked " + lines + " instructions");
    }

    private static final Pattern PC_RELATIVE = Pattern.compile("^(b|bl|b\\.\\w+|cbz|cbnz|adr|ldr|ldrsw)( \\w+,)? 0x([0-9a-f]+)$");

    /** objdump prints PC-relative targets as offsets in the concatenated file; the listing, within the function. */
    private static String relativeTargets(String text, int base) {
        Matcher m = PC_RELATIVE.matcher(text);
        if (!m.matches()) return text;
        return text.substring(0, m.start(3)) + Long.toHexString(Long.parseLong(m.group(3), 16) - base);
    }

    @Test
    void everyAllocationIsCorrect() throws Exception {
        int checked = 0;
        List<ValidatedModule> corpus = new ArrayList<>();
        for (Path p : SharedData.specModules()) {
            try {
                corpus.add(ValidatedModule.of(Files.readAllBytes(p)));
            } catch (ModuleException e) {
                // invalid modules of the suite
            }
        }
        try (var wasi = Files.walk(SharedData.require("wasi-testsuite"))) {
            for (Path p : wasi.filter(x -> x.toString().endsWith(".wasm")).toList()) corpus.add(ValidatedModule.of(Files.readAllBytes(p)));
        }
        for (ValidatedModule vm : corpus) {
            for (int f = vm.module().importedFunctionCount(); f < vm.module().functionCount(); f++) {
                IrFunction ir = IrBuilder.build(vm, f);
                Optimizer.optimize(ir);
                new EdgeSplitting().run(ir);
                AllocationChecker.check(A64Backend.INSTANCE.allocate(ir), A64RegisterFile.INSTANCE);
                checked++;
            }
        }
        assertTrue(checked > 20_000, "checked " + checked);
    }
}
