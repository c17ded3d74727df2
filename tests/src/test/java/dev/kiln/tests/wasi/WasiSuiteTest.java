package dev.kiln.tests.wasi;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The WASI preview 1 test suite on every tier this host has: the interpreter and (on x86-64) native
 * code. One test per case and tier, which fails when the exit status or a stated output differs; a
 * case that needs a network peer is reported as not applicable, with the reason. The last test prints
 * the table and writes {@code target/wasi-report.json}.
 */
@Tag("wasi")
class WasiSuiteTest {
    @TestFactory
    Stream<DynamicTest> suite() throws IOException {
        Path dir = WasiSuite.root();
        List<WasiCase> cases = WasiSuite.cases(dir);
        assertFalse(cases.isEmpty(), "no cases in " + dir);
        List<WasiTier> tiers = WasiTier.available();
        Map<String, String> notRun = new LinkedHashMap<>();
        if (WasiTier.nativeUnavailableReason() != null) notRun.put("native", WasiTier.nativeUnavailableReason());
        WasiReport report = new WasiReport(dir, tiers, notRun);
        Duration limit = WasiSuite.timeLimit();
        Stream<DynamicTest> perCase = tiers.stream().flatMap(tier -> cases.stream().map(c ->
                DynamicTest.dynamicTest(tier.name() + " " + c.id(), () -> {
                    WasiOutcome o = WasiSuite.run(c, tier, limit);
                    report.add(o);
                    switch (o.status()) {
                        case PASSED -> { }
                        case NOT_APPLICABLE -> System.out.println("not applicable: " + tier.name() + " " + c.id() + ": " + o.reason());
                        case FAILED -> fail(tier.name() + " " + c.id() + ": " + o.reason());
                    }
                })));
        DynamicTest summary = DynamicTest.dynamicTest("summary", () -> {
            report.print(System.out);
            report.write(WasiReport.PATH);
        });
        return Stream.concat(perCase, Stream.of(summary));
    }
}
