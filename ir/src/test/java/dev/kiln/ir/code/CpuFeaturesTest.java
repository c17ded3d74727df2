package dev.kiln.ir.code;

import org.junit.jupiter.api.Test;

import java.util.EnumSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuFeaturesTest {
    @Test
    void levelsNest() {
        assertTrue(CpuFeatures.X86_64_V3.includes(CpuFeatures.X86_64_V2));
        assertTrue(CpuFeatures.X86_64_V2.includes(CpuFeatures.X86_64));
        assertFalse(CpuFeatures.X86_64_V2.includes(CpuFeatures.X86_64_V3));
        assertFalse(CpuFeatures.X86_64_V3.includes(CpuFeatures.AARCH64));
        assertTrue(CpuFeatures.X86_64_V3.has(CpuFeature.AVX2) && CpuFeatures.X86_64_V3.has(CpuFeature.SSE4_1));
        assertFalse(CpuFeatures.X86_64.has(CpuFeature.POPCNT));
    }

    @Test
    void parsesLevelsAndArchitectures() {
        assertEquals(CpuFeatures.X86_64, CpuFeatures.parse("x86_64"));
        assertEquals(CpuFeatures.X86_64, CpuFeatures.parse("amd64"));
        assertEquals(CpuFeatures.X86_64_V2, CpuFeatures.parse("x86-64-v2"));
        assertEquals(CpuFeatures.X86_64_V3, CpuFeatures.parse("X86_64-V3"));
        assertEquals(CpuFeatures.AARCH64, CpuFeatures.parse("arm64"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CpuFeatures.parse("x86_64-v9"));
        assertTrue(e.getMessage().contains("x86_64-v3"), e.getMessage());
    }

    @Test
    void bestLevelNeedsEveryFeatureOfIt() {
        EnumSet<CpuFeature> v3 = EnumSet.copyOf(CpuFeatures.X86_64_V3.features());
        assertEquals(CpuFeatures.X86_64_V3, CpuFeatures.best(Target.X86_64, v3));
        v3.remove(CpuFeature.LZCNT);
        assertEquals(CpuFeatures.X86_64_V2, CpuFeatures.best(Target.X86_64, v3));
        assertEquals(CpuFeatures.X86_64, CpuFeatures.best(Target.X86_64, EnumSet.of(CpuFeature.SSE4_1, CpuFeature.AVX2)));
        assertEquals(CpuFeatures.AARCH64, CpuFeatures.best(Target.AARCH64, EnumSet.noneOf(CpuFeature.class)));
        assertNull(CpuFeatures.best(null, v3));
    }
}
