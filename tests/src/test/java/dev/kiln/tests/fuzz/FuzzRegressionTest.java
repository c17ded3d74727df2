package dev.kiln.tests.fuzz;

import dev.kiln.tests.fuzz.engine.Engine;
import dev.kiln.tests.fuzz.engine.KilnEngine;
import dev.kiln.tests.fuzz.engine.KilnTiers;
import dev.kiln.tests.fuzz.engine.Outcome;
import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import dev.kiln.tests.wasm3.Wat3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every disagreement the differential fuzzer found, saved as a {@link RegressionFile} under
 * {@code fuzz-regressions/}: on every kiln tier each call must do what the file expects (what
 * wasmtime did), and the tiers (and wasmtime, when it is available) must agree on exported globals
 * and memory after every call.
 */
class FuzzRegressionTest {
    private static WasmtimeOracle oracle;

    @BeforeAll
    static void startOracle() {
        oracle = WasmtimeOracle.startOrNull();
        if (oracle == null && WasmtimeOracle.required()) fail("the wasmtime oracle is required (-Dkiln.oracle.required) but does not start");
    }

    @AfterAll
    static void stop() {
        if (oracle != null) oracle.close();
    }

    @TestFactory
    Stream<DynamicTest> savedDisagreementsStayFixed() throws IOException, URISyntaxException {
        Path dir = Path.of(FuzzRegressionTest.class.getResource("/fuzz-regressions").toURI());
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".wat")).sorted().toList();
        }
        assertFalse(files.isEmpty(), "no regression files in " + dir);
        return files.stream().map(f -> DynamicTest.dynamicTest(f.getFileName().toString(), () -> replay(f)));
    }

    private static void replay(Path file) throws IOException {
        RegressionFile r = RegressionFile.parse(Files.readString(file));
        byte[] wasm = Wat3.compile(r.wat()); // kiln's text parser reads all of 3.0 (64-bit and several memories); wabt needs flags
        ModuleExports exports = ModuleExports.of(wasm);
        List<CallSpec> calls = r.calls().stream().map(c -> exports.call(c.export(), c.args())).toList();
        for (Engine e : KilnTiers.all()) {
            try (e) {
                assertNull(e.instantiate(wasm), e.name() + " instantiates");
                for (int i = 0; i < calls.size(); i++) {
                    CallSpec c = calls.get(i);
                    Outcome got = e.call(c.export(), c.params(), c.results(), c.args());
                    Outcome want = r.calls().get(i).expected();
                    if (!want.agrees(got)) fail(e.name() + ", call " + (i + 1) + " " + c.describe() + ": expected " + want + ", got " + got);
                }
            }
        }
        List<Engine> engines = new ArrayList<>();
        if (oracle != null) engines.add(oracle.engine());
        engines.addAll(KilnTiers.all());
        assertNull(new DifferentialCheck(engines).run(wasm, exports.globals(), exports.memory(), calls));
    }
}
