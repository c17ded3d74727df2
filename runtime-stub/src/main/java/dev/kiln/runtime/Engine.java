package dev.kiln.runtime;

import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CompileBudget;
import dev.kiln.ir.code.FunctionTooLargeException;
import dev.kiln.linker.CacheLocation;
import dev.kiln.linker.CodeCache;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.NativeCompiler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * How kiln runs modules, configured once and shared by any number of {@link Store}s: the
 * {@linkplain Tier tier}, where compiled code is cached (or not), whether code is metered by fuel,
 * what makes a function hot enough to compile, and where precompiled code is looked for. An engine
 * is immutable and thread-safe.
 *
 * <pre>{@code
 * Engine engine = Engine.builder().tier(Tier.AUTO).cacheDirectory(Path.of("/var/cache/app")).build();
 * WasmModule module = engine.compile(Path.of("plugin.wasm"));   // precompiled or cached code is used if found
 * try (Store store = engine.newStore()) {
 *     Instance plugin = store.instantiate(module, new Imports());
 *     int sum = plugin.function("add").asIntBinaryOperator().applyAsInt(2, 3);
 * }
 * }</pre>
 */
public final class Engine {
    /** The defaults: a function is hot after this many calls, or this many loop iterations, or a mix. */
    public static final int DEFAULT_HOT_CALLS = 1000;
    public static final int DEFAULT_HOT_LOOPS = 10_000;

    /** The engine of stores made with {@code new Store()}: the interpreter, no cache. */
    static final Engine INTERPRETER = builder().tier(Tier.INTERP).precompiledCode(null).build();

    private final Tier tier;
    private final CodeCache cache;
    private final boolean cacheWrite;
    private final CodeOptions options;
    private final int hotCalls;
    private final int hotLoops;
    private final boolean compileInBackground;
    private final ClassLoader precompiledCode;
    private final Consumer<String> warnings;

    private Engine(Builder b) {
        this.tier = b.tier;
        this.cache = b.cacheDirectory == null ? null : new CodeCache(b.cacheDirectory);
        this.cacheWrite = b.cacheWrite;
        this.options = (b.fuel ? CodeOptions.FUEL : CodeOptions.DEFAULT).withCompileBudget(b.compileBudget);
        this.hotCalls = b.hotCalls;
        this.hotLoops = b.hotLoops;
        this.compileInBackground = b.compileInBackground;
        this.precompiledCode = b.precompiledCode;
        this.warnings = b.warnings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** How stores of this engine run code (the auto tier falls back to the interpreter where kiln has no backend). */
    public Tier tier() {
        return tier;
    }

    /** Whether code of this engine's stores consumes fuel ({@link Store#fuel(long)}). */
    public boolean fuel() {
        return options.fuel();
    }

    /** The code cache directory, or null when this engine caches nothing. */
    public Path cacheDirectory() {
        return cache == null ? null : cache.directory();
    }

    /** A new store running code the way this engine says. */
    public Store newStore() {
        return new Store(this);
    }

    // ---- modules ----

    /**
     * Decodes and validates a module (binary, or WebAssembly text) and makes its native code
     * available as this engine's tier needs it: precompiled code from the class path
     * ({@link PrecompiledResources}) or the cache when either has it, bound function by function
     * on first call; on the native tier otherwise everything is compiled now (and cached); on the
     * auto tier the rest starts in the interpreter.
     *
     * @throws WasmModuleException for a module that is malformed, invalid, over a limit or bad text
     */
    public WasmModule compile(byte[] bytes, String name) {
        WasmModule module = WasmModule.of(bytes, name);
        prepare(module);
        return module;
    }

    /** {@link #compile(byte[], String)}, named "module". */
    public WasmModule compile(byte[] bytes) {
        return compile(bytes, "module");
    }

    /** {@link #compile(byte[], String)} of a {@code .wasm} or {@code .wat} file. */
    public WasmModule compile(Path file) throws IOException {
        WasmModule module = WasmModule.read(file);
        prepare(module);
        return module;
    }

    /**
     * {@link #compile(byte[], String)} of a class-path resource ({@link ClassLoader#getResource}
     * naming, e.g. {@code "wasm/plugin.wasm"}), loaded by the engine's class loader for precompiled
     * code (else this class's).
     *
     * @throws UncheckedIOException when there is no such resource or it cannot be read
     */
    public WasmModule compileResource(String resource) {
        ClassLoader loader = precompiledCode != null ? precompiledCode : Engine.class.getClassLoader();
        String path = resource.startsWith("/") ? resource.substring(1) : resource;
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) throw new UncheckedIOException(new IOException("no class-path resource " + path));
            return compile(in.readAllBytes(), path.substring(path.lastIndexOf('/') + 1));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read class-path resource " + path + ": " + e.getMessage(), e);
        }
    }

    /** Makes the module's native code available for this engine (see {@link #compile(byte[], String)}). */
    void prepare(WasmModule module) {
        Backend backend = Backends.host();
        if (tier == Tier.INTERP || backend == null) return;
        if (precompiledCode != null && PrecompiledResources.provide(module, backend, options, precompiledCode, warnings)) return;
        NativeCompiler.prepare(module, cache, cacheWrite, warnings, tier, options);
    }

    /**
     * A module whose native code for this machine is {@code object} (from {@link #precompile}).
     * The object must have been made from exactly these module bytes, for this machine's target,
     * with this engine's code options and by this build of kiln; its functions are bound when
     * first called. The auto and native tiers use the code; the interpreter tier ignores it.
     *
     * @throws IncompatibleCodeException when the object was made from another module, for another
     *                                   target, with other options or by another compiler build, or is damaged
     */
    public WasmModule precompiled(byte[] moduleBytes, byte[] object) {
        WasmModule module = WasmModule.of(moduleBytes, "module");
        precompiled(module, object);
        return module;
    }

    /** {@link #precompiled(byte[], byte[])} for a module already loaded. */
    public WasmModule precompiled(WasmModule module, byte[] object) {
        Backend backend = Backends.host();
        if (backend == null) throw new IncompatibleCodeException("kiln has no native backend for this machine (" + System.getProperty("os.arch") + ")");
        NativeCompiler.useObject(module, object, backend, options);
        return module;
    }

    /**
     * The module an object from {@link #precompile} carries, with the object's native code (as
     * {@code kiln run app.o} runs it, like {@code wasmtime run --allow-precompiled}): the same checks
     * as {@link #precompiled(byte[], byte[])}, against the module inside the object.
     *
     * @param name the module's name in trap messages (e.g. the object's file name)
     * @throws IncompatibleCodeException when the object carries no module, is damaged, or was made for
     *                                   another target, with other options or by another compiler build
     * @throws WasmModuleException       when the module inside is not valid
     */
    public WasmModule precompiledObject(byte[] object, String name) {
        Backend backend = Backends.host();
        if (backend == null) throw new IncompatibleCodeException("kiln has no native backend for this machine (" + System.getProperty("os.arch") + ")");
        return NativeCompiler.moduleOfObject(object, name, backend, options);
    }

    /**
     * Compiles every function of {@code module} for {@code target} (any target, on any machine) with
     * this engine's code options: an ELF object that {@link #precompiled}, the
     * {@linkplain PrecompiledResources class-path lookup} and {@code kiln run} accept for exactly
     * this module. The object also carries the module's bytes, so {@code kiln run app.o} runs it.
     */
    public byte[] precompile(WasmModule module, CodeTarget target) {
        return precompile(module, target, n -> { });
    }

    /** {@link #precompile(WasmModule, CodeTarget)}; {@code progress} receives the number of functions compiled after each. */
    public byte[] precompile(WasmModule module, CodeTarget target, IntConsumer progress) {
        return NativeCompiler.object(module, Backends.forCpu(target.cpu()), options, progress, true);
    }

    /**
     * Compiles every function of {@code module} for {@code target} and stores the object in this
     * engine's cache, where stores of an engine with the same cache, target and options find it
     * ({@code kiln compile}); returns the cache file.
     *
     * @throws IllegalStateException when the engine has no cache
     */
    public Path precompileToCache(WasmModule module, CodeTarget target, IntConsumer progress) throws IOException {
        if (cache == null) throw new IllegalStateException("the engine has no cache directory");
        byte[] object = NativeCompiler.cacheObject(module, Backends.forCpu(target.cpu()), options, progress);
        var id = NativeCompiler.identity(module, target.cpu(), options);
        cache.storeMapped(id, object);
        return cache.pathOf(id.cacheKey());
    }

    /**
     * Stores the native code this run compiled for {@code module} (hot functions promoted on the
     * auto tier) in the cache, so that the next run binds it instead; waits for the background
     * compilations running first, but starts none (call {@link #awaitCompilations} before to have
     * every request compiled, earned or not). Does nothing without a cache, or when the engine does not write to it.
     */
    public void writeBack(WasmModule module) {
        if (cache != null && cacheWrite) NativeCompiler.writeBack(module, cache, warnings, options);
    }

    /** Waits until every compilation requested in the background (hot functions, hot loops) has finished. */
    public void awaitCompilations() {
        TierUp.drain();
    }

    // ---- what stores and the interpreter read ----

    CodeOptions codeOptions() {
        return options;
    }

    boolean compileInBackground() {
        return compileInBackground;
    }

    int hotCalls() {
        return hotCalls;
    }

    int hotLoops() {
        return hotLoops;
    }

    Consumer<String> warnings() {
        return warnings;
    }

    /** Configures an {@link Engine}. */
    public static final class Builder {
        private Tier tier = Tier.AUTO;
        private Path cacheDirectory;
        private boolean cacheWrite = true;
        private boolean fuel;
        private int hotCalls = DEFAULT_HOT_CALLS;
        private int hotLoops = DEFAULT_HOT_LOOPS;
        private boolean compileInBackground = true;
        private long compileBudget = CompileBudget.DEFAULT;
        private ClassLoader precompiledCode = contextLoader();
        private Consumer<String> warnings = System.err::println;

        private Builder() {
        }

        private static ClassLoader contextLoader() {
            ClassLoader l = Thread.currentThread().getContextClassLoader();
            return l != null ? l : Engine.class.getClassLoader();
        }

        /**
         * {@link Tier#AUTO} (the default): precompiled and cached code binds lazily, the rest starts
         * in the interpreter and hot functions are compiled in the background;
         * {@link Tier#NATIVE}: everything native, compiled before it runs when nothing has it;
         * {@link Tier#INTERP}: the interpreter only.
         */
        public Builder tier(Tier tier) {
            this.tier = Objects.requireNonNull(tier, "tier");
            return this;
        }

        /** Caches compiled code in {@code directory} (created when first written); null: no cache (the default). */
        public Builder cacheDirectory(Path directory) {
            this.cacheDirectory = directory;
            return this;
        }

        /** Caches in kiln's default place: {@code $KILN_CACHE_DIR}, else {@code $XDG_CACHE_HOME/kiln}, else {@code ~/.cache/kiln}. */
        public Builder defaultCacheDirectory() {
            return cacheDirectory(CacheLocation.defaultDirectory());
        }

        /** Whether code compiled at run time is added to the cache (default true); false only reads it. */
        public Builder cacheWrite(boolean write) {
            this.cacheWrite = write;
            return this;
        }

        /** Meters fuel in every store of the engine ({@link Store#fuel(long)} sets each budget; it starts at 0). */
        public Builder fuel(boolean metered) {
            this.fuel = metered;
            return this;
        }

        /** Auto tier: calls that make a function hot (default {@value Engine#DEFAULT_HOT_CALLS}). */
        public Builder hotCalls(int calls) {
            if (calls < 1) throw new IllegalArgumentException("hot calls must be at least 1: " + calls);
            this.hotCalls = calls;
            return this;
        }

        /**
         * Auto tier: loop back-edges that make a function hot (default {@value Engine#DEFAULT_HOT_LOOPS}).
         * A function is hot once {@code calls / hotCalls + backEdges / hotLoops >= 1}.
         */
        public Builder hotLoops(int backEdges) {
            if (backEdges < 1) throw new IllegalArgumentException("hot loops must be at least 1: " + backEdges);
            this.hotLoops = backEdges;
            return this;
        }

        /** Auto tier: false compiles hot functions on the thread that made them hot (deterministic; default true). */
        public Builder compileInBackground(boolean background) {
            this.compileInBackground = background;
            return this;
        }

        /**
         * The most memory (bytes) the compiler may need for one function, estimated from its body
         * size before compiling ({@link CompileBudget}; default half the JVM's maximum heap). A
         * function over it is not compiled: on the auto tier it stays interpreted; on the native
         * tier, and when precompiling, compiling fails with {@link FunctionTooLargeException}
         * naming the function, its size and the budget.
         */
        public Builder compileBudget(long bytes) {
            if (bytes <= 0) throw new IllegalArgumentException("the compile budget must be positive: " + bytes);
            this.compileBudget = bytes;
            return this;
        }

        /**
         * Where precompiled code ({@link PrecompiledResources}, what {@code kiln-maven-plugin}
         * packs into jars) is looked for: this loader's class path. Default: the thread's context
         * class loader when the builder was made; null turns the lookup off.
         */
        public Builder precompiledCode(ClassLoader loader) {
            this.precompiledCode = loader;
            return this;
        }

        /** Where problems that do not stop anything go (a corrupt cache entry, stale precompiled code); default standard error. */
        public Builder warnings(Consumer<String> sink) {
            this.warnings = Objects.requireNonNull(sink, "sink");
            return this;
        }

        /**
         * The engine.
         *
         * @throws UnsupportedOperationException for the native tier on a machine kiln has no backend for
         */
        public Engine build() {
            if (tier == Tier.NATIVE && Backends.host() == null) {
                throw new UnsupportedOperationException("no native backend for this machine (" + System.getProperty("os.arch") + ")");
            }
            Engine engine = new Engine(this);
            if (tier != Tier.INTERP) NativeWarmUp.start(tier, engine.cache != null);
            return engine;
        }
    }
}
