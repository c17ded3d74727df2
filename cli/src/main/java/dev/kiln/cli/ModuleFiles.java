package dev.kiln.cli;

import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.Validator;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads module files for commands and reports read or module errors as one line naming the file. */
final class ModuleFiles {
    private ModuleFiles() {
    }

    /** Signals that an error was already reported to the user. */
    static final class Reported extends Exception {
        Reported() {
            super(null, null, false, false);
        }
    }

    static byte[] read(Path file, PrintStream err) throws Reported {
        try {
            if (Files.isDirectory(file)) {
                err.println(file + ": is a directory, not a module file");
                throw new Reported();
            }
            return Files.readAllBytes(file);
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
