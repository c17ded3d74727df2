package dev.kiln.tests.text;

import dev.kiln.frontend.WasmFeature;
import dev.kiln.frontend.text.CanonicalForm;
import dev.kiln.frontend.text.TextFormatException;
import dev.kiln.frontend.text.WastCommand;
import dev.kiln.frontend.text.WastModule;
import dev.kiln.frontend.text.WastParser;
import dev.kiln.frontend.text.WatParser;
import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import dev.kiln.tests.spec.SpecSuite;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * kiln's text parser against wasmtime's ({@code wasmtime.wat2wasm}, wasm-tools' parser, in the
 * Python package the tests install) on every top-level module text of the WebAssembly 3.0 suite:
 * every module, module definition and module of assert_invalid, assert_unlinkable and
 * assert_uninstantiable, in text or quoted. The two binaries must have the same
 * {@link CanonicalForm}: minimal LEB128s and the encoder choices the text cannot state undone, names
 * included. kiln parses with {@link WatParser.Options#WASM_TOOLS}: by default it matches inline type
 * uses only against final function types as the specification says, which wasm-tools does not
 * (WatParserTest covers the difference). Where wasmtime's parser cannot read the text, the test
 * says why and compares what it can:
 * <ul>
 * <li>the legacy exception instructions ({@code try}, {@code catch}, {@code delegate}): against
 *     wabt's {@code wat2wasm --enable-exceptions --enable-tail-call}, names left out (wabt writes
 *     none);</li>
 * <li>{@code (@name ...)} on a module: against wasmtime's binary of the text without the annotation,
 *     names left out;</li>
 * <li>strings with bidirectional-formatting characters, which wasm-tools refuses as "likely
 *     confusing": against the text with its non-ASCII characters written as {@code \\u{...}} escapes.</li>
 * </ul>
 * Both turn {@code @metadata.code.branch_hint} annotations into the branch-hint custom section,
 * which is compared like every other section.
 */
@Tag("differential")
class TextDifferentialTest {
    private static final Set<String> IGNORED_SECTIONS = Set.of();

    @Test
    void everyTextModuleOfTheSuiteEncodesAsWasmtimeEncodesIt() throws Exception {
        WasmtimeOracle oracle = WasmtimeOracle.startOrNull();
        if (oracle == null) {
            if (WasmtimeOracle.required()) fail("the wasmtime oracle is required (-Dkiln.oracle.required) but does not start");
            Assumptions.abort("no wasmtime oracle");
        }
        int compared = 0;
        int viaWabt = 0;
        int rewritten = 0;
        List<String> failures = new ArrayList<>();
        try (oracle) {
            for (String rel : SpecSuite.wastScripts(name -> true)) {
                Path file = SpecSuite.wastDir().resolve(rel);
                for (WastCommand c : WastParser.parse(Files.readAllBytes(file), rel)) {
                    WastModule m = module(c);
                    if (m == null) continue;
                    String where = rel + ":" + c.line();
                    String text = m.text();
                    byte[] kiln;
                    WatParser.Module parsed;
                    try {
                        parsed = m.compile(WatParser.Options.WASM_TOOLS);
                        kiln = parsed.binary();
                    } catch (TextFormatException e) {
                        failures.add(where + ": kiln rejects a well-formed module: " + e.getMessage());
                        continue;
                    }
                    CanonicalForm.Names names = CanonicalForm.Names.ALL;
                    byte[] theirs;
                    try {
                        theirs = oracle.wat2wasm(text);
                    } catch (WasmtimeOracle.TextRejected e) {
                        if (parsed.features().contains(WasmFeature.LEGACY_EXCEPTIONS)) {
                            theirs = wabt(text);
                            names = CanonicalForm.Names.NONE;
                            viaWabt++;
                        } else if (e.getMessage().contains("likely-confusing unicode character")) {
                            theirs = wat2wasm(oracle, escapeNonAscii(text), where, failures);
                            rewritten++;
                        } else if (text.contains("(@name")) {
                            theirs = wat2wasm(oracle, text.replaceAll("\\(@name \"[^\"]*\"\\)", ""), where, failures);
                            names = CanonicalForm.Names.NONE;
                            rewritten++;
                        } else {
                            failures.add(where + ": wasmtime rejects a module kiln accepts: " + e.getMessage());
                            continue;
                        }
                        if (theirs == null) continue;
                    }
                    byte[] want = CanonicalForm.of(theirs, names, IGNORED_SECTIONS);
                    byte[] got = CanonicalForm.of(kiln, names, IGNORED_SECTIONS);
                    compared++;
                    if (!Arrays.equals(want, got)) {
                        failures.add(where + ": binaries differ (wasmtime vs kiln): " + CanonicalForm.firstDifference(want, got));
                    }
                }
            }
        }
        System.out.println("text differential: " + compared + " modules compared (" + viaWabt + " with wabt, " + rewritten
                + " rewritten for wasmtime's parser), " + failures.size() + " disagreements");
        failures.stream().limit(20).forEach(System.out::println);
        assertEquals(List.of(), failures.stream().limit(5).toList(), failures.size() + " disagreements");
        assertTrue(compared > 5_000, "compared " + compared);
    }

    /** The module of a command whose module is well formed: modules, definitions, invalid, unlinkable, uninstantiable. */
    private static WastModule module(WastCommand c) {
        WastModule m = switch (c) {
            case WastCommand.Module mc -> mc.module();
            case WastCommand.AssertModule a when !a.kind().startsWith("assert_malformed") -> a.module();
            default -> null;
        };
        return m == null || m.form() == WastModule.Form.BINARY ? null : m;
    }

    private static byte[] wat2wasm(WasmtimeOracle oracle, String text, String where, List<String> failures) {
        try {
            return oracle.wat2wasm(text);
        } catch (WasmtimeOracle.TextRejected e) {
            failures.add(where + ": wasmtime rejects the rewritten text too: " + e.getMessage());
            return null;
        }
    }

    /**
     * Characters beyond ASCII as {@code \\u{...}} escapes: outside strings and comments a module has
     * none, and in a string the escape means the same character.
     */
    private static String escapeNonAscii(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            if (cp >= 0x80) {
                sb.append("\\u{").append(Integer.toHexString(cp)).append('}');
            } else {
                sb.appendCodePoint(cp);
            }
        });
        return sb.toString();
    }

    /** wabt's binary of a text (Debian's wabt, which ./run-tests installs). */
    private static byte[] wabt(String text) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("kiln-wabt");
        try {
            Path in = dir.resolve("m.wat");
            Path out = dir.resolve("m.wasm");
            Files.writeString(in, text);
            Process p = new ProcessBuilder("wat2wasm", "--enable-exceptions", "--enable-tail-call", "--no-check", in.toString(),
                    "-o", out.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("wat2wasm failed: " + log);
            return Files.readAllBytes(out);
        } finally {
            try (var s = Files.list(dir)) {
                s.forEach(f -> f.toFile().delete());
            }
            Files.deleteIfExists(dir);
        }
    }
}
