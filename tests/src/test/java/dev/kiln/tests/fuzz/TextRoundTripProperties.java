package dev.kiln.tests.fuzz;

import dev.kiln.frontend.text.CanonicalForm;
import dev.kiln.frontend.text.WatParser;
import dev.kiln.tests.fuzz.gen.FuzzCase;
import dev.kiln.tests.fuzz.gen.FuzzCases;
import dev.kiln.tests.fuzz.wasm.BinaryEncoder;
import dev.kiln.tests.fuzz.wasm.WatPrinter;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.util.Arrays;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kiln's text format on the differential generator's modules: {@code kiln print} then parse gives
 * back the module (same {@link CanonicalForm}, names included), and kiln's parser reads the text the
 * fuzzer prints for its reports as exactly the module the fuzzer encoded (names aside: the
 * encoder writes none).
 */
class TextRoundTripProperties {
    @Provide
    Arbitrary<FuzzCase> cases() {
        return FuzzCases.of(6, 120, 30);
    }

    @Property(tries = 300, seed = "8320260601")
    void printThenParseGivesTheModule(@ForAll("cases") FuzzCase c) {
        byte[] wasm = BinaryEncoder.encode(c.module());
        String text = dev.kiln.frontend.text.WatPrinter.print(wasm);
        byte[] again = WatParser.parse(text, "printed.wat").binary();
        byte[] want = CanonicalForm.of(wasm, true);
        byte[] got = CanonicalForm.of(again, true);
        assertTrue(Arrays.equals(want, got), CanonicalForm.firstDifference(want, got) + "\n" + text + "\n" + c);
    }

    @Property(tries = 300, seed = "8420260601")
    void kilnParsesTheFuzzersTextAsTheEncodedModule(@ForAll("cases") FuzzCase c) {
        byte[] encoded = BinaryEncoder.encode(c.module());
        String text = WatPrinter.print(c.module());
        byte[] parsed = WatParser.parse(text, "fuzz.wat").binary();
        byte[] want = CanonicalForm.of(encoded, CanonicalForm.Names.NONE, Set.of());
        byte[] got = CanonicalForm.of(parsed, CanonicalForm.Names.NONE, Set.of());
        assertTrue(Arrays.equals(want, got), CanonicalForm.firstDifference(want, got) + "\n" + text);
    }
}
