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
    /** The native side per code options (metered and unmetered code differ). */
    private final java.util.Map<dev.kiln.ir.code.CodeOptions, NativeModule> nativeCode = new java.util.HashMap<>();
    /** Functions compiled for the interpreter, by function index (lazily; shared by all instances). */
    private final dev.kiln.interpreter.CompiledFunction[] interpreted;

    private WasmModule(ValidatedModule validated, String name) {
        this.validated = validated;
        this.name = name;
        this.interpreted = new dev.kiln.interpreter.CompiledFunction[validated.module().functionCount()];
    }

    public static WasmModule of(byte[] bytes) {
        return of(bytes, "module");
    }

    public static WasmModule of(byte[] bytes, String name) {
        return new WasmModule(Validator.validate(Decoder.decode(bytes)), name);
    }

    /**
     * A module this compiler build has decoded and validated before: a code-cache entry exists for
     * exactly these bytes (see {@link NativeCompiler#open}). Only what lies outside function bodies is
     * decoded and checked now; bodies are read when a function is first compiled or interpreted.
     */
    static WasmModule ofTrusted(byte[] bytes, String name) {
        return new WasmModule(Validator.validateTrusted(Decoder.decodeTrusted(bytes)), name);
    }

    public static WasmModule read(Path file) throws IOException {
        return of(Files.readAllBytes(file), file.getFileName().toString());
    }

    public ValidatedModule validated() {
        return validated;
    }

    /**
     * The module's native side for {@code backend} and {@code options} (stubs placed on first use;
     * code bound later). Its code is freed when this module becomes unreachable: every instance
     * refers to its module, and an open store keeps its instances, so by then every store that ran
     * the code is closed (or unreachable itself) and nothing can call it.
     */
    synchronized NativeModule nativeCode(dev.kiln.ir.code.Backend backend, dev.kiln.ir.code.CodeOptions options) {
        NativeModule nm = nativeCode.get(options);
        if (nm == null) {
            nm = NativeModule.create(this, backend, options);
            NativeCodeMemory.CLEANER.register(this, nm.releaser());
            nativeCode.put(options, nm);
        }
        return nm;
    }

    /** The native side for {@code options} if one was made, else null. */
    synchronized NativeModule existingNativeCode(dev.kiln.ir.code.CodeOptions options) {
        return nativeCode.get(options);
    }

    /** The native side of unmetered code if one was made, else null. */
    NativeModule existingNativeCode() {
        return existingNativeCode(dev.kiln.ir.code.CodeOptions.DEFAULT);
    }

    /** Uses code compiled elsewhere (the code cache): each function binds to it when first called. */
    public void useNativeCode(java.util.List<dev.kiln.ir.code.MachineCode> code, dev.kiln.ir.code.Backend backend,
                              dev.kiln.ir.code.CodeOptions options) {
        nativeCode(backend, options).provide(code);
    }

    /** Uses a cached object in the mapped format: its text is mapped, each function binds when first needed. */
    void useMappedCode(dev.kiln.linker.MappedObject object, dev.kiln.ir.code.Backend backend,
                       dev.kiln.ir.code.CodeOptions options, boolean lazyCheck) {
        nativeCode(backend, options).useMapped(object, lazyCheck);
    }

    /** The interpreter's code array, shared by the instances (entries are null until compiled, and again once bound natively). */
    dev.kiln.interpreter.CompiledFunction[] interpreted() {
        return interpreted;
    }

    /** Every function compiled for the interpreter in this run, even if it was bound natively later (statistics). */
    private final java.util.Map<Integer, dev.kiln.interpreter.CompiledFunction> everInterpreted = new java.util.concurrent.ConcurrentHashMap<>();

    void interpretedNow(int f, dev.kiln.interpreter.CompiledFunction cf) {
        everInterpreted.put(f, cf);
    }

    dev.kiln.interpreter.CompiledFunction everInterpreted(int f) {
        return everInterpreted.get(f);
    }

    /** Called when {@code f} is bound natively: interpreted callers will call it through the runtime from now on. */
    void stopInterpreting(int f) {
        interpreted[f] = null;
    }

    /** A name for messages (the file name, usually). */
    public String name() {
        return name;
    }
}
