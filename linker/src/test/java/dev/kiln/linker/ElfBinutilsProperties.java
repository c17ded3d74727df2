package dev.kiln.linker;

import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import dev.kiln.ir.code.Target;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** GNU binutils read random kiln objects without a warning, as they do the hand-made ones of {@link ElfBinutilsTest}. */
class ElfBinutilsProperties {
    /** Random objects (with relocation types the tools know) are read cleanly too. */
    @Property(tries = 25, seed = "20261122")
    void randomObjectsAreReadCleanly(@ForAll("objects") ObjectSpec spec) throws Exception {
        int[] types = spec.target() == Target.X86_64 ? new int[]{1, 2, 4} : new int[]{257, 275, 277, 282, 283};
        List<MachineCode> functions = new ArrayList<>();
        for (MachineCode m : spec.functions()) {
            List<Relocation> relocs = m.relocations().stream()
                    .map(r -> new Relocation(r.offset(), types[Math.floorMod(r.type(), types.length)], r.symbol(), r.addend())).toList();
            functions.add(new MachineCode(m.target(), m.funcIndex(), m.symbol(), m.code(), relocs, m.trapSites(), m.frameSize(), m.listing()));
        }
        Path f = Files.createTempFile("kiln-random", ".o");
        try {
            Files.write(f, ElfWriter.write(spec.identity(), spec.functionCount(), functions));
            String prefix = spec.target() == Target.X86_64 ? "" : "aarch64-linux-gnu-";
            ElfBinutilsTest.clean(prefix + "readelf", "-a", "-W", f.toString());
            ElfBinutilsTest.clean(prefix + "objdump", "-d", "-r", f.toString());
        } finally {
            Files.delete(f);
        }
    }

    @Provide
    Arbitrary<ObjectSpec> objects() {
        return ObjectSpec.objects();
    }

}
