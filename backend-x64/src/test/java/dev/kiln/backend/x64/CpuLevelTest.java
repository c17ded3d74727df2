package dev.kiln.backend.x64;

import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.SharedData;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Code for a CPU level uses no instruction that level lacks: the baseline's listing has no
 * popcnt, lzcnt, tzcnt or SSE4.1 rounding (their fallbacks run instead), the higher levels use them.
 */
class CpuLevelTest {
    private static final Set<String> EXTENSIONS = Set.of("popcnt", "lzcnt", "tzcnt", "roundss", "roundsd");

    private static Set<String> mnemonics(CpuFeatures level) throws Exception {
        Set<String> seen = new HashSet<>();
        for (Path p : SharedData.specModules()) {
            String name = p.getFileName().toString();
            if (!(name.startsWith("i32.") || name.startsWith("i64.") || name.startsWith("f32.") || name.startsWith("f64."))) continue;
            ValidatedModule vm;
            try {
                vm = ValidatedModule.of(Files.readAllBytes(p));
            } catch (ModuleException e) {
                continue;
            }
            SymbolNames names = SymbolNames.of(vm.module());
            for (int f = vm.module().importedFunctionCount(); f < vm.module().functionCount(); f++) {
                MachineCode mc = X64Backend.forCpu(level).compile(vm, names, f, CodeOptions.DEFAULT, true);
                for (String line : mc.listing()) {
                    String text = line.substring(line.indexOf(':') + 1).trim();
                    seen.add(text.split("\\s+")[0]);
                }
            }
        }
        return seen;
    }

    @Test
    void baselineCodeUsesNoExtension() throws Exception {
        Set<String> used = mnemonics(CpuFeatures.X86_64);
        used.retainAll(EXTENSIONS);
        assertEquals(Set.of(), used);
    }

    @Test
    void higherLevelsUseTheExtensions() throws Exception {
        Set<String> v2 = mnemonics(CpuFeatures.X86_64_V2);
        assertTrue(v2.containsAll(List.of("popcnt", "roundss", "roundsd")) && !v2.contains("lzcnt") && !v2.contains("tzcnt"), v2.toString());
        Set<String> v3 = mnemonics(CpuFeatures.X86_64_V3);
        assertTrue(v3.containsAll(List.of("popcnt", "lzcnt", "tzcnt", "vroundss", "vroundsd")), v3.toString());
    }

    /** With AVX, scalar float code is VEX-encoded throughout: a legacy SSE instruction after AVX ones can cost a merge. */
    @Test
    void avxCodeMixesInNoLegacySse() throws Exception {
        Set<String> v3 = mnemonics(CpuFeatures.X86_64_V3);
        Set<String> legacy = new HashSet<>();
        for (SseOp op : SseOp.values()) legacy.add(op.mnemonic(Width.DWORD));
        legacy.addAll(List.of("movq", "cvtsi2sd", "cvtsi2ss", "movaps", "movups"));
        legacy.retainAll(v3);
        assertEquals(Set.of(), legacy);
        assertTrue(v3.containsAll(List.of("vaddsd", "vucomiss", "vsqrtsd")), v3.toString());
    }
}
