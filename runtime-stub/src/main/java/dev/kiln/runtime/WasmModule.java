package dev.kiln.runtime;

import dev.kiln.frontend.CodelessImage;
import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.Export;
import dev.kiln.frontend.Import;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.ModuleException;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.Validator;
import dev.kiln.frontend.text.TextFormatException;
import dev.kiln.frontend.text.WatParser;
import dev.kiln.interpreter.CompiledFunction;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.linker.DamagedObjectException;
import dev.kiln.linker.MappedObject;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.FileBytes;
import dev.kiln.runtime.internal.NativeCompiler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A decoded and validated module, ready to instantiate any number of times, in any number of
 * stores. Made from a binary or from WebAssembly text; {@link Engine#compile} also makes its native
 * code available. Bad input throws {@link WasmModuleException} (malformed, invalid, over a limit,
 * bad text) with the byte offset or the line and column.
 */
public final class WasmModule {
    private final ValidatedModule validated;
    private final String name;
    /**
     * The native side per CPU level of the stores that run it and code options (metered and unmetered
     * code differ; a store limited to a lower level must never run code that uses a higher one's
     * instructions).
     */
    private final Map<NativeKey, NativeModule> nativeCode = new HashMap<>();

    /** What a module's native side is made for: stores of one CPU level, with one set of code options (their cache key: the compile budget changes no code, and the first store's applies). */
    private record NativeKey(CpuFeatures level, String options) {
    }
    /** Functions compiled for the interpreter, by function index (lazily; shared by all instances). */
    private final CompiledFunction[] interpreted;

    private WasmModule(ValidatedModule validated, String name) {
        this.validated = validated;
        this.name = name;
        this.interpreted = new CompiledFunction[validated.module().functionCount()];
    }

    public static WasmModule of(byte[] bytes) {
        return of(bytes, "module");
    }

    /**
     * The module in {@code bytes}: a binary module, or WebAssembly text (a binary starts with
     * {@code \0asm}; anything else is parsed as text). {@code name} names it in messages and traps.
     *
     * @throws WasmModuleException when it does not decode, validate or parse
     */
    public static WasmModule of(byte[] bytes, String name) {
        byte[] binary = bytes;
        if (!WatParser.isBinary(bytes)) {
            try {
                binary = WatParser.parse(bytes, name).binary();
            } catch (TextFormatException e) {
                throw new WasmModuleException("text", e.getMessage(), -1, e);
            }
        }
        try {
            return new WasmModule(Validator.validate(Decoder.decode(binary)), name);
        } catch (ModuleException e) {
            throw new WasmModuleException(e.category(), e.getMessage(), e.offset(), e);
        }
    }

    /**
     * A module this compiler build has decoded and validated before: a code-cache entry exists for
     * exactly these bytes (see {@link NativeCompiler#open}). Only what lies outside function bodies is
     * decoded and checked now; bodies are read when a function is first compiled or interpreted.
     */
    static WasmModule ofTrusted(byte[] bytes, String name) {
        return new WasmModule(Validator.validateTrusted(Decoder.decodeTrusted(bytes)), name);
    }

    /**
     * {@link #ofTrusted(byte[], String)} of a binary of which only {@code image} was read: {@code whole}
     * reads the whole binary (and checks that it is still the one the evidence is for) when a function
     * body is first needed.
     */
    static WasmModule ofTrusted(CodelessImage image, Supplier<byte[]> whole, String name) {
        return new WasmModule(Validator.validateTrusted(Decoder.decodeTrusted(image, whole)), name);
    }

    /** The module in a {@code .wasm} or {@code .wat} file, named by the file's name. */
    public static WasmModule read(Path file) throws IOException {
        return of(FileBytes.read(file), file.getFileName().toString());
    }

    /** The binary module (text is parsed to a binary first): what precompiled code and caches are keyed by. */
    public byte[] bytes() {
        return validated.module().bytes().clone();
    }

    /** How many functions the module defines (imports not counted): what native compilation compiles. */
    public int definedFunctionCount() {
        return validated.module().functionBodies().size();
    }

    /** What the module imports, in order: each import's module and field name, and its type. */
    public List<ImportType> imports() {
        Module m = validated.module();
        List<ImportType> out = new ArrayList<>();
        for (Import i : m.imports()) {
            ExternType t = switch (i.kind()) {
                case FUNC -> FunctionType.of(m.funcType(i.typeIndex()));
                case TABLE -> TableType.of(i.table());
                case MEMORY -> MemoryType.of(i.memory());
                case GLOBAL -> GlobalType.of(i.global());
                case TAG -> TagType.of(m.funcType(i.typeIndex()));
            };
            out.add(new ImportType(i.module(), i.name(), t));
        }
        return List.copyOf(out);
    }

    /** What the module exports, in order: each export's name and type. */
    public List<ExportType> exports() {
        Module m = validated.module();
        List<ExportType> out = new ArrayList<>();
        for (Export e : m.exports()) {
            ExternType t = switch (e.kind()) {
                case FUNC -> FunctionType.of(m.functionType(e.index()));
                case TABLE -> TableType.of(m.tableType(e.index()));
                case MEMORY -> MemoryType.of(m.memoryType(e.index()));
                case GLOBAL -> GlobalType.of(m.globalType(e.index()));
                case TAG -> TagType.of(m.tagFuncType(e.index()));
            };
            out.add(new ExportType(e.name(), t));
        }
        return List.copyOf(out);
    }

    ValidatedModule validated() {
        return validated;
    }

    /**
     * The module's native side for stores of {@code backend}'s CPU level with {@code options} (stubs
     * placed on first use; code bound later). Its code is freed when this module becomes unreachable:
     * every instance refers to its module, and an open store keeps its instances, so by then every
     * store that ran the code is closed (or unreachable itself) and nothing can call it.
     */
    NativeModule nativeCode(Backend backend, CodeOptions options) {
        return nativeCode(backend.cpu(), backend, options);
    }

    /**
     * The native side for stores of CPU level {@code level}, made with {@code codeBackend} when it
     * does not exist yet: {@code level}'s own backend, or a lower level's of the same architecture
     * when the code comes from an object compiled for that level (it runs on {@code level} too).
     */
    private synchronized NativeModule nativeCode(CpuFeatures level, Backend codeBackend, CodeOptions options) {
        NativeKey key = new NativeKey(level, options.key());
        NativeModule nm = nativeCode.get(key);
        if (nm == null) {
            nm = NativeModule.create(this, codeBackend, options);
            NativeCodeMemory.CLEANER.register(this, nm.releaser());
            nativeCode.put(key, nm);
        }
        return nm;
    }

    /** The native side for stores of {@code level} with {@code options} if one was made, else null. */
    synchronized NativeModule existingNativeCode(CpuFeatures level, CodeOptions options) {
        return nativeCode.get(new NativeKey(level, options.key()));
    }

    /** The native side of unmetered code for stores of this machine's level if one was made, else null. */
    NativeModule existingNativeCode() {
        Backend host = Backends.host();
        return host == null ? null : existingNativeCode(host.cpu(), CodeOptions.DEFAULT);
    }

    /**
     * Uses code compiled elsewhere, for {@code codeBackend}'s level, in stores of level {@code level}
     * (the same or higher): each function binds to it when first called. Only for code whose
     * identity (module hash, target, options, compiler build) was checked against this module: the
     * cache, {@link Engine#precompiled}, precompiled resources.
     */
    void useNativeCode(List<MachineCode> code, CpuFeatures level, Backend codeBackend, CodeOptions options) {
        NativeWarmUp.startUpcalls();
        nativeCode(level, codeBackend, options).provide(code);
    }

    /** Uses code this process has just compiled (in {@code nanos}): binding it counts as compiled, not as a cache hit. */
    void useCompiledCode(List<MachineCode> code, Backend backend, CodeOptions options, long nanos) {
        nativeCode(backend, options).provideCompiled(code, nanos);
    }

    /** Uses a cached object in the mapped format in stores of {@code level}: its text is mapped, each function binds when first needed. */
    void useMappedCode(MappedObject object, CpuFeatures level, Backend codeBackend, CodeOptions options, boolean lazyCheck,
                       Consumer<DamagedObjectException> onDamage) {
        NativeWarmUp.startUpcalls();
        nativeCode(level, codeBackend, options).useMapped(object, lazyCheck, onDamage);
    }

    /** The interpreter's code array, shared by the instances (entries are null until compiled, and again once bound natively). */
    CompiledFunction[] interpreted() {
        return interpreted;
    }

    /** Every function compiled for the interpreter in this run, even if it was bound natively later (statistics). */
    private final Map<Integer, CompiledFunction> everInterpreted = new ConcurrentHashMap<>();

    void interpretedNow(int f, CompiledFunction cf) {
        everInterpreted.put(f, cf);
    }

    /** What {@link #interpretedNow} recorded: every function that ran in the interpreter. */
    Collection<CompiledFunction> everInterpreted() {
        return Collections.unmodifiableCollection(everInterpreted.values());
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
