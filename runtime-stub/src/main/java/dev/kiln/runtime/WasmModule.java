package dev.kiln.runtime;

import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.Validator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A decoded and validated module, ready to instantiate any number of times. Throws the frontend's
 * {@link dev.kiln.frontend.ModuleException} (malformed, invalid, over a limit) for bad input.
 */
public final class WasmModule {
    private final ValidatedModule validated;
    private final String name;
    private NativeModule nativeCode;

    private WasmModule(ValidatedModule validated, String name) {
        this.validated = validated;
        this.name = name;
    }

    public static WasmModule of(byte[] bytes) {
        return of(bytes, "module");
    }

    public static WasmModule of(byte[] bytes, String name) {
        return new WasmModule(Validator.validate(Decoder.decode(bytes)), name);
    }

    public static WasmModule read(Path file) throws IOException {
        return of(Files.readAllBytes(file), file.getFileName().toString());
    }

    public ValidatedModule validated() {
        return validated;
    }

    /** The module's native code for {@code backend}, compiled and placed on first use. */
    synchronized NativeModule nativeCode(dev.kiln.ir.code.Backend backend) {
        if (nativeCode == null) nativeCode = NativeModule.compile(validated, backend);
        return nativeCode;
    }

    /** Uses code compiled elsewhere (the code cache) for this module's native tier. */
    public synchronized void useNativeCode(java.util.List<dev.kiln.ir.code.MachineCode> code, dev.kiln.ir.code.Backend backend) {
        if (nativeCode == null) nativeCode = NativeModule.place(validated.module(), code, backend);
    }

    /** A name for messages (the file name, usually). */
    public String name() {
        return name;
    }
}
