package dev.kiln.cli;

import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.Validator;
import dev.kiln.frontend.text.TextFormatException;
import dev.kiln.frontend.text.WatParser;
import dev.kiln.runtime.internal.FileBytes;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads module files for commands and reports read or module errors as one line naming the file.
 * A file is WebAssembly text when its content says so (a binary module starts with a zero byte,
 * {@code \0asm}), whatever its name: text is parsed to the binary format first.
 */
final class ModuleFiles {
    private ModuleFiles() {
    }

    /** Signals that an error was already reported to the user. */
    static final class Reported extends Exception {
        Reported() {
            super(null, null, false, false);
        }
    }

    /** The module binary of a {@code .wasm} or {@code .wat} file. */
    static byte[] read(Path file, PrintStream err) throws Reported {
        return binary(readBytes(file, err), file, err);
    }

    /** The module binary of {@code bytes}, read from {@code file}: themselves, or the binary of the text they are. */
    static byte[] binary(byte[] bytes, Path file, PrintStream err) throws Reported {
        if (WatParser.isBinary(bytes)) return bytes;
        try {
            return WatParser.parse(bytes, file.toString()).binary();
        } catch (TextFormatException e) {
            err.println(e.getMessage());
            throw new Reported();
        }
    }

    /** The file's bytes, as they are. */
    static byte[] readBytes(Path file, PrintStream err) throws Reported {
        try {
            if (Files.isDirectory(file)) {
                err.println(file + ": is a directory, not a module file");
                throw new Reported();
            }
            return FileBytes.read(file);
        } catch (NoSuchFileException e) {
            err.println(file + ": no such file");
            throw new Reported();
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            throw new Reported();
        } catch (OutOfMemoryError e) {
            err.println(file + ": too large to read");
            throw new Reported();
        }
    }

    /** Decodes and validates; on failure prints {@code FILE: malformed module: reason at offset 0x..}. */
    static ValidatedModule load(Path file, PrintStream err) throws Reported {
        byte[] bytes = read(file, err);
        try {
            return Validator.validate(Decoder.decode(bytes));
        } catch (ModuleException e) {
            err.println(file + ": " + e.category() + " module: " + e.getMessage());
            throw new Reported();
        }
    }
}
