package dev.kiln.tests.spec;

import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.InvalidModuleException;
import dev.kiln.frontend.MalformedModuleException;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.Validator;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code frontend} tier: decoding and validation only. Runs {@code module}, binary
 * {@code assert_malformed} and {@code assert_invalid}; other commands need execution.
 */
public final class FrontendTier implements SpecTier {
    @Override
    public String name() {
        return "frontend";
    }

    @Override
    public void reset() {
    }

    @Override
    public Outcome run(SpecScript.Command c, Path dir) throws Exception {
        return switch (c.type()) {
            case "unconvertible" -> Outcome.fail("the script's text could not be converted: " + c.text());
            case "module", "module_definition" -> {
                try {
                    Validator.validate(Decoder.decode(Files.readAllBytes(dir.resolve(c.filename()))));
                    yield Outcome.PASS;
                } catch (ModuleException e) {
                    yield Outcome.fail("valid module rejected: " + e.getMessage());
                }
            }
            case "assert_malformed", "assert_invalid" -> c.filename() == null
                    ? Outcome.fail("wasmtime's text parser rejected the module, so kiln never saw it (\"" + c.text() + "\")")
                    : c.type().equals("assert_malformed")
                    ? expectFailure(dir.resolve(c.filename()), MalformedModuleException.class, c.text())
                    : expectFailure(dir.resolve(c.filename()), InvalidModuleException.class, c.text());
            default -> null;
        };
    }

    private static Outcome expectFailure(Path file, Class<? extends ModuleException> kind, String text) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        try {
            Module m = Decoder.decode(bytes);
            Validator.validate(m);
        } catch (ModuleException e) {
            if (kind.isInstance(e)) return Outcome.PASS;
            return Outcome.fail("expected " + kind.getSimpleName() + " (\"" + text + "\"), got " + e.category() + ": " + e.getMessage());
        }
        return Outcome.fail("expected " + kind.getSimpleName() + " (\"" + text + "\"), but the module was accepted");
    }
}
