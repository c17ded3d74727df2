package dev.kiln.tests.fuzz;

import dev.kiln.tests.fuzz.gen.FuzzCase;
import dev.kiln.tests.fuzz.wasm.BinaryEncoder;
import dev.kiln.tests.fuzz.wasm.FuzzModule;
import dev.kiln.tests.fuzz.wasm.WatPrinter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The last disagreement a property saw. While jqwik shrinks, every failing candidate is
 * remembered, so after the property the last one is the shrunk case; it is written to
 * {@code target/fuzz-findings/} as a {@link RegressionFile} with the reference engine's outcomes,
 * ready to move into {@code src/test/resources/fuzz-regressions/} once the bug is fixed.
 */
final class Findings {
    private static FuzzCase lastCase;
    private static String lastReport;

    private Findings() {
    }

    static synchronized void remember(FuzzCase c, String report) {
        lastCase = c;
        lastReport = report;
    }

    /** Writes the last finding (if any) and forgets it; returns where, or null. */
    static synchronized Path saveLast(DifferentialCheck check, String foundBy) {
        if (lastCase == null) return null;
        FuzzCase c = lastCase;
        String report = lastReport;
        lastCase = null;
        FuzzModule m = c.module();
        byte[] wasm = BinaryEncoder.encode(m);
        List<CallSpec> calls = c.invocations().stream().map(i -> CallSpec.of(m, i)).toList();
        List<String> header = new ArrayList<>();
        header.add("Found by " + foundBy + "; engines " + check.engineNames() + ", the first is the reference.");
        for (String line : report.split("\n")) header.add("| " + line); // never mistaken for a call line
        String text;
        try {
            text = RegressionFile.write(header, WatPrinter.print(m), calls, check.referenceOutcomes(wasm, calls));
        } catch (RuntimeException e) {
            System.out.println("fuzz: the finding has no expected outcomes (" + e.getMessage() + "); it is in the report above");
            return null;
        }
        try {
            Path dir = Path.of("target", "fuzz-findings");
            Files.createDirectories(dir);
            String name = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(wasm), 0, 6) + ".wat";
            Path file = dir.resolve(name).toAbsolutePath();
            Files.writeString(file, text);
            System.out.println("fuzz: finding written to " + file);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
