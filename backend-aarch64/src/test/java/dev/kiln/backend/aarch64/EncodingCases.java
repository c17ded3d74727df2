package dev.kiln.backend.aarch64;

import org.junit.jupiter.api.DynamicTest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A batch of instruction cases checked against GNU binutils in two directions, with one assembler,
 * one {@code as} run and one {@code objdump} run per batch:
 * <ol>
 *   <li>the bytes the encoder produces equal what {@code aarch64-linux-gnu-as} makes of the case's
 *       GNU source text (written by the test, independently of the encoder);</li>
 *   <li>the encoder's listing equals {@code objdump}'s disassembly of those bytes, line by line.</li>
 * </ol>
 */
final class EncodingCases {
    record Case(String source, Consumer<A64Assembler> emit) {
        @Override
        public String toString() {
            return source.replace('\n', ';');
        }
    }

    private final List<Case> cases = new ArrayList<>();

    /** A case: {@code source} is GNU assembly (one or more lines), {@code emit} the same through the API. */
    EncodingCases add(String source, Consumer<A64Assembler> emit) {
        cases.add(new Case(source, emit));
        return this;
    }

    int size() {
        return cases.size();
    }

    /** One dynamic test per case. */
    Stream<DynamicTest> tests() {
        GnuBinutils.assumeAvailable();
        Checked checked = check();
        return checked.results.stream().map(r -> DynamicTest.dynamicTest(r.source.replace('\n', ';'), () -> {
            if (r.failure != null) fail(r.failure);
        }));
    }

    /** Checks all cases at once and fails with every mismatch. */
    void assertAll() {
        GnuBinutils.assumeAvailable();
        Checked checked = check();
        List<String> failures = checked.results.stream().filter(r -> r.failure != null)
                .map(r -> r.source + ": " + r.failure).toList();
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + cases.size() + " cases failed:\n" + String.join("\n", failures.subList(0, Math.min(40, failures.size()))));
        }
    }

    private record Result(String source, String failure) {
    }

    private record Checked(List<Result> results) {
    }

    private Checked check() {
        A64Assembler a = new A64Assembler(true);
        int[] start = new int[cases.size()];
        int[] end = new int[cases.size()];
        for (int i = 0; i < cases.size(); i++) {
            start[i] = a.offset();
            cases.get(i).emit().accept(a);
            end[i] = a.offset();
        }
        AssembledCode code = a.finish();
        StringBuilder source = new StringBuilder();
        for (Case c : cases) source.append(c.source()).append('\n');
        byte[] expected = GnuBinutils.assemble(source.toString());
        Map<Integer, GnuBinutils.Disassembled> objdump = GnuBinutils.disassemble(code.code());
        Map<Integer, ListingLine> listing = new HashMap<>();
        for (ListingLine line : code.listing()) listing.put(line.offset(), line);

        List<Result> results = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        for (int i = 0; i < cases.size(); i++) {
            String failure = null;
            if (end[i] > expected.length) {
                failure = "GNU as produced only " + expected.length + " bytes in total";
            } else {
                String ours = hex.formatHex(code.code(), start[i], end[i]);
                String theirs = hex.formatHex(expected, start[i], end[i]);
                if (!ours.equals(theirs)) {
                    failure = "bytes " + ours + " but GNU as gives " + theirs;
                }
            }
            for (int at = start[i]; failure == null && at < end[i]; at += 4) {
                ListingLine line = listing.get(at);
                GnuBinutils.Disassembled d = objdump.get(at);
                if (line == null) {
                    failure = "no listing line at 0x" + Integer.toHexString(at);
                } else if (!line.isData() && (d == null
                        || !GnuBinutils.normalize(line.text()).equals(GnuBinutils.normalize(d.text())))) {
                    failure = "listing '" + line.text() + "' but objdump prints '" + (d == null ? null : d.text()) + "'";
                } else if (!line.isData() && d.word() != (int) line.value()) {
                    failure = "listing word " + Long.toHexString(line.value()) + " but objdump read " + Integer.toHexString(d.word());
                }
            }
            results.add(new Result(cases.get(i).source(), failure));
        }
        if (expected.length != code.code().length) {
            results.add(new Result("total size", "encoder produced " + code.code().length + " bytes, GNU as "
                    + expected.length));
        }
        return new Checked(results);
    }

    /** Asserts that the whole listing of {@code code} agrees with objdump (data lines skipped). */
    static void assertListingMatchesObjdump(AssembledCode code) {
        GnuBinutils.assumeAvailable();
        Map<Integer, GnuBinutils.Disassembled> objdump = GnuBinutils.disassemble(code.code());
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (ListingLine line : code.listing()) {
            if (line.isData()) continue;
            GnuBinutils.Disassembled d = objdump.get(line.offset());
            checked++;
            if (d == null || !GnuBinutils.normalize(line.text()).equals(GnuBinutils.normalize(d.text()))
                    || d.word() != (int) line.value()) {
                failures.add(line + "   objdump: " + d);
            }
        }
        assertEquals(List.of(), failures.subList(0, Math.min(20, failures.size())),
                failures.size() + " of " + checked + " listing lines differ from objdump");
    }
}
