package dev.kiln.backend.x64;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.ShrinkingMode;

import java.util.List;

/**
 * Random instruction sequences over every form, with random registers, widths, immediates, memory shapes,
 * labels and constants: objdump must decode exactly the listed instructions.
 */
class RandomInstructionsProperties {

    @Property(tries = 60, shrinking = ShrinkingMode.BOUNDED)
    void randomProgramsDisassembleToTheirListing(@ForAll("programs") List<RandomInstructions.Step> steps) {
        X64Assembler asm = new X64Assembler(true);
        RandomInstructions.Context c = new RandomInstructions.Context(asm, asm.newLabel("start"), asm.newLabel("end"));
        asm.bind(c.start());
        for (RandomInstructions.Step step : steps) {
            step.emit().accept(c);
        }
        asm.bind(c.end());
        asm.ret();
        Objdump.assertListingMatches(asm.finish());
    }

    @Provide
    Arbitrary<List<RandomInstructions.Step>> programs() {
        return RandomInstructions.instruction().list().ofMinSize(1).ofMaxSize(400)
                .withSizeDistribution(RandomDistribution.uniform());
    }
}
