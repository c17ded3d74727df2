package dev.kiln.linker;

import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Random lists of MachineCode survive writing and reading exactly, and writing is canonical. */
class ElfRoundTripProperties {
    @Provide
    Arbitrary<ObjectSpec> objects() {
        return ObjectSpec.objects();
    }

    @Property(tries = 1000, seed = "20261122")
    void functionsRoundTripExactly(@ForAll("objects") ObjectSpec spec) throws Exception {
        List<MachineCode> functions = spec.functions();
        KilnObject read = ElfReader.read(spec.write());

        SampleCode.assertSameCode(functions, read.functions());
        assertEquals(spec.identity(), read.identity());
        assertEquals(spec.functionCount(), read.metadata().functionCount());
        assertEquals(functions.size(), read.metadata().compiledCount());
        for (MachineCode m : functions) {
            FunctionEntry row = read.metadata().function(m.funcIndex()).orElseThrow();
            assertEquals(m.symbol(), row.symbol());
            assertEquals(m.code().length, row.size());
            assertEquals(m.frameSize(), row.frameSize());
            assertEquals(0, row.textOffset() % 16);
        }
        Set<String> defined = new HashSet<>();
        functions.forEach(m -> defined.add(m.symbol()));
        Set<String> externals = new LinkedHashSet<>();
        for (MachineCode m : functions) {
            for (Relocation r : m.relocations()) if (!defined.contains(r.symbol())) externals.add(r.symbol());
        }
        assertEquals(new ArrayList<>(externals), read.externalSymbols());
    }

    @Property(tries = 300, seed = "20261123")
    void rewritingAReadObjectGivesTheSameBytes(@ForAll("objects") ObjectSpec spec) throws Exception {
        byte[] bytes = spec.write();
        KilnObject read = ElfReader.read(bytes);
        byte[] again = ElfWriter.write(read.identity(), read.metadata().functionCount(), read.functions());
        assertArrayEquals(bytes, again);
    }

    @Property(tries = 200, seed = "20261124")
    void differentContentGivesDifferentDigests(@ForAll("objects") ObjectSpec a, @ForAll("objects") ObjectSpec b) {
        byte[] x = a.write(), y = b.write();
        if (!Arrays.equals(x, y)) {
            assertFalse(Arrays.equals(IntegrityDigest.compute(x, ObjectSurgery.digestOffset(x)),
                    IntegrityDigest.compute(y, ObjectSurgery.digestOffset(y))));
        }
    }
}
