package dev.kiln.cli;

import dev.kiln.frontend.text.TextFormatException;
import dev.kiln.frontend.text.WatParser;
import org.kohsuke.args4j.Argument;
import org.kohsuke.args4j.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** {@code kiln parse FILE.wat [-o FILE.wasm]}: the binary of a text module. */
final class ParseCommand extends CliCommand {
    @Argument(metaVar = "FILE", usage = "text module (.wat)", required = true)
    Path file;

    @Option(name = "-o", metaVar = "OUT", usage = "where to write the binary (default: FILE with .wasm for .wat; - for standard output)")
    String output;

    @Override
    public String name() {
        return "parse";
    }

    @Override
    public String summary() {
        return "write the binary of a WebAssembly text module";
    }

    @Override
    public String synopsis() {
        return "FILE.wat";
    }

    @Override
    public int run(PrintStream out, PrintStream err) throws IOException {
        byte[] text;
        try {
            text = ModuleFiles.readBytes(file, err);
        } catch (ModuleFiles.Reported e) {
            return 1;
        }
        byte[] binary;
        try {
            binary = WatParser.isBinary(text) ? text : WatParser.parse(text, file.toString()).binary();
        } catch (TextFormatException e) {
            err.println(e.getMessage());
            return 1;
        }
        if ("-".equals(output)) {
            out.write(binary);
            return 0;
        }
        Path target = output != null ? Path.of(output) : defaultOutput(file);
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        Files.write(tmp, binary);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        err.println(file + " -> " + target + " (" + binary.length + " bytes)");
        return 0;
    }

    private static Path defaultOutput(Path file) {
        String name = file.getFileName().toString();
        String base = name.endsWith(".wat") ? name.substring(0, name.length() - 4) : name;
        return file.resolveSibling(base + ".wasm");
    }
}
