package dev.kiln.frontend.text;

import dev.kiln.frontend.MalformedModuleException;
import dev.kiln.frontend.testing.SharedData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Print, then parse, gives back the module: for every module of both spec suites (the 2.0 suite's
 * binaries, the 3.0 suite's text and binary modules) that is well formed, the module kiln prints
 * and parses again has the same {@link CanonicalForm} as the original, names included as far as
 * text can hold them. Malformed binaries cannot be printed and are counted apart.
 */
class PrintParseRoundTripTest {
    private record Case(String where, byte[] binary) {
    }

    private static List<Case> modules() throws IOException {
        List<Case> out = new ArrayList<>();
        for (Path p : SharedData.specModules()) out.add(new Case(p.getFileName().toString(), Files.readAllBytes(p)));
        Path root = SharedData.require("wasm-3.0-testsuite");
        List<Path> scripts;
        try (Stream<Path> s = Files.walk(root)) {
            scripts = s.filter(p -> p.toString().endsWith(".wast") && !root.relativize(p).startsWith("proposals")).sorted().toList();
        }
        for (Path p : scripts) {
            for (WastCommand c : WastParser.parse(Files.readAllBytes(p), root.relativize(p).toString())) {
                WastModule m = c instanceof WastCommand.Module mc ? mc.module()
                        : c instanceof WastCommand.AssertModule am ? am.module() : null;
                if (m == null) continue;
                try {
                    out.add(new Case(root.relativize(p) + ":" + c.line(), m.compile().binary()));
                } catch (TextFormatException e) {
                    // assert_malformed text: nothing to print
                }
            }
        }
        return out;
    }

    @Test
    void everySuiteModuleRoundTrips() throws IOException {
        int printed = 0;
        int malformed = 0;
        List<String> failures = new ArrayList<>();
        for (Case c : modules()) {
            if (!CanonicalForm.readable(c.binary())) {
                malformed++;
                continue;
            }
            String text;
            try {
                text = WatPrinter.print(c.binary());
            } catch (MalformedModuleException e) {
                // alignments of 2^64 and more have no text form; the printer says so instead of printing wrong text
                assertTrue(e.getMessage().contains("cannot be written in the text format"), c.where() + ": " + e.getMessage());
                malformed++;
                continue;
            }
            printed++;
            byte[] again;
            try {
                again = WatParser.parse(text, c.where() + " (printed)").binary();
            } catch (TextFormatException e) {
                failures.add(c.where() + ": the printed text does not parse: " + e.getMessage());
                continue;
            }
            byte[] want = CanonicalForm.of(c.binary(), true);
            byte[] got = CanonicalForm.of(again, true);
            if (!Arrays.equals(want, got)) {
                failures.add(c.where() + ": differs after printing and parsing\n  want " + HexFormat.of().formatHex(want)
                        + "\n  got  " + HexFormat.of().formatHex(got));
            }
        }
        System.out.println("print-parse round trip: " + printed + " modules, " + malformed + " not printable (malformed binaries)");
        failures.stream().limit(20).forEach(System.out::println);
        assertEquals(List.of(), failures.stream().limit(5).toList(), failures.size() + " modules did not round-trip");
        assertTrue(printed > 9_000, "printed " + printed);
    }
}
