package dev.kiln.tests.fuzz;

import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.Validator;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import dev.kiln.tests.fuzz.gen.FuzzCase;
import dev.kiln.tests.fuzz.gen.FuzzCases;
import dev.kiln.tests.fuzz.wasm.BinaryEncoder;
import dev.kiln.tests.fuzz.wasm.WatPrinter;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Shrinkable;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The generator's promises: every generated module is valid for kiln's validator and for
 * wasmtime, and the text {@link WatPrinter} shows in failure reports is exactly the module that
 * ran (wat2wasm assembles it to the bytes {@link BinaryEncoder} wrote, name section aside).
 */
@Tag("differential")
class GeneratedModuleProperties {
    private static WasmtimeOracle oracle;

    @BeforeContainer
    static void startOracle() {
        oracle = WasmtimeOracle.startOrNull();
        if (oracle == null && WasmtimeOracle.required()) fail("the wasmtime oracle is required (-Dkiln.oracle.required) but does not start");
    }

    @AfterContainer
    static void stopOracle() {
        if (oracle != null) oracle.close();
    }

    @Provide
    Arbitrary<FuzzCase> cases() {
        return FuzzCases.withSimd(6, 120, 30);
    }

    @Provide
    Arbitrary<FuzzCase> exceptionCases() {
        return FuzzCases.withExceptions(6, 120, 30, true);
    }

    @Property(tries = 300, seed = "8320261207")
    void generatedExceptionModulesAreValid(@ForAll("exceptionCases") FuzzCase c) {
        generatedModulesAreValid(c);
    }

    /**
     * The shrinker keeps exception modules valid: every one-step simplification of a generated module (a try_table
     * without its clauses, a handler body simplified, a throw's payload zeroed, ...) validates, so that a finding
     * shrinks to a module that fails for its real reason.
     */
    @Example
    void shrunkExceptionModulesStayValid() {
        Random random = new Random(8520261207L);
        for (int i = 0; i < 12; i++) {
            Shrinkable<FuzzCase> s = exceptionCases().generator(1000).next(random);
            s.shrink().limit(250).forEach(x -> {
                try {
                    Validator.validate(Decoder.decode(BinaryEncoder.encode(x.value().module())));
                } catch (ModuleException e) {
                    fail("a shrink candidate is invalid: " + e.getMessage() + "\n" + x.value());
                }
            });
        }
    }

    @Property(tries = 80, seed = "8420261207")
    void printedExceptionTextIsTheModuleThatRan(@ForAll("exceptionCases") FuzzCase c) {
        printedTextIsTheModuleThatRan(c);
    }

    @Property(tries = 1000, seed = "8120260601")
    void generatedModulesAreValid(@ForAll("cases") FuzzCase c) {
        byte[] wasm = BinaryEncoder.encode(c.module());
        try {
            Validator.validate(Decoder.decode(wasm));
        } catch (ModuleException e) {
            fail("kiln rejects a generated module: " + e.getMessage() + "\n" + c);
        }
        if (oracle != null) {
            String err = oracle.validationError(wasm);
            if (err != null) fail("wasmtime rejects a generated module: " + err + "\n" + c);
        }
    }

    @Property(tries = 150, seed = "8220260601")
    void printedTextIsTheModuleThatRan(@ForAll("cases") FuzzCase c) {
        byte[] encoded = BinaryEncoder.encode(c.module());
        String text = WatPrinter.print(c.module());
        byte[] assembled;
        if (!c.module().usesTailCallsOrReferences() && !c.module().usesMultiOr64BitMemories() && !c.module().usesExceptions()) {
            assembled = withoutCustomSections(Wat.compile(Wat.wabtSpelling(text)));
        } else { // tail calls, call_ref, several and 64-bit memories, exceptions: wabt reads them only when told, wasm-tools (the oracle's wat2wasm) always
            if (oracle == null) return;
            try {
                assembled = withoutCustomSections(oracle.wat2wasm(text));
            } catch (WasmtimeOracle.TextRejected e) {
                throw new AssertionError("wasm-tools rejects the printed text: " + e.getMessage() + "\n" + text, e);
            }
        }
        assertEquals(HexFormat.of().formatHex(encoded), HexFormat.of().formatHex(assembled), "wat2wasm disagrees with the encoder on\n" + c);
    }

    /** The module with its custom sections (wat2wasm's name section) left out. */
    private static byte[] withoutCustomSections(byte[] wasm) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(wasm, 0, 8);
        int at = 8;
        while (at < wasm.length) {
            int start = at;
            int id = wasm[at++];
            long size = 0;
            int shift = 0;
            while (true) {
                int b = wasm[at++] & 0xFF;
                size |= (long) (b & 0x7F) << shift;
                shift += 7;
                if (b < 0x80) break;
            }
            at += (int) size;
            if (id != 0) out.write(wasm, start, at - start);
        }
        return out.toByteArray();
    }
}
