package dev.kiln.cli;

import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.text.TextFormatException;
import dev.kiln.frontend.text.WatParser;
import dev.kiln.frontend.text.WatPrinter;
import org.kohsuke.args4j.Argument;
import org.kohsuke.args4j.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code kiln print FILE.wasm [-o FILE.wat]}: a module as WebAssembly text (parsing it gives the module back). */
final class PrintCommand extends CliCommand {
    @Argument(metaVar = "FILE", usage = "module (.wasm, or .wat to print it normalised)", required = true)
    Path file;

    @Option(name = "-o", metaVar = "OUT", usage = "write the text to OUT instead of standard output")
    Path output;

    @Override
    public String name() {
        return "print";
    }

    @Override
    public String summary() {
        return "print a module as WebAssembly text (flat, names from the name section)";
    }

    @Override
    public String synopsis() {
        return "FILE.wasm";
    }

    @Override
    public int run(PrintStream out, PrintStream err) throws IOException {
        byte[] bytes;
        try {
            bytes = ModuleFiles.readBytes(file, err);
        } catch (ModuleFiles.Reported e) {
            return 1;
        }
        String text;
        try {
            byte[] binary = WatParser.isBinary(bytes) ? bytes : WatParser.parse(bytes, file.toString()).binary();
            text = WatPrinter.print(binary);
        } catch (TextFormatException e) {
            err.println(e.getMessage());
            return 1;
        } catch (ModuleException e) {
            err.println(file + ": " + e.category() + " module: " + e.getMessage());
            return 1;
        }
        if (output == null) {
            out.print(text);
        } else {
            Files.writeString(output, text, StandardCharsets.UTF_8);
        }
        return 0;
    }
}
