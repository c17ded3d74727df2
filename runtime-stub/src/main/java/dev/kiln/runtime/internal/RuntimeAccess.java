package dev.kiln.runtime.internal;

import dev.kiln.frontend.CodelessImage;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.linker.BuildIdentity;
import dev.kiln.linker.DamagedObjectException;
import dev.kiln.linker.MappedObject;
import dev.kiln.runtime.WasmModule;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * What kiln's internal machinery ({@link NativeCompiler}) needs from {@code dev.kiln.runtime}
 * without those members becoming public API: the runtime package registers the one implementation
 * ({@code dev.kiln.runtime.InternalAccess}) when that class is loaded, and {@link #get} loads it.
 */
public abstract class RuntimeAccess {
    private static final String IMPLEMENTATION = "dev.kiln.runtime.InternalAccess";
    private static volatile RuntimeAccess instance;

    protected RuntimeAccess() {
    }

    /** Registers the runtime package's implementation; only once. */
    public static void register(RuntimeAccess access) {
        synchronized (RuntimeAccess.class) {
            if (instance != null) throw new IllegalStateException("the runtime accessor is registered already");
            instance = access;
        }
    }

    /** The runtime package's implementation (its class is loaded and registers itself on first use). */
    public static RuntimeAccess get() {
        RuntimeAccess a = instance;
        if (a != null) return a;
        try {
            Class.forName(IMPLEMENTATION, true, RuntimeAccess.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("kiln's runtime accessor is missing", e);
        }
        return instance;
    }

    /** The compiler's view of {@code module}. */
    public abstract ValidatedModule validated(WasmModule module);

    /** A module whose bytes this compiler build decoded and validated before (a code-cache entry exists for them). */
    public abstract WasmModule ofTrusted(byte[] bytes, String name);

    /** A module of which only a codeless image was read (see {@link dev.kiln.frontend.Decoder#decodeTrusted(CodelessImage, Supplier)}). */
    public abstract WasmModule ofTrusted(CodelessImage image, Supplier<byte[]> whole, String name);

    /** Uses code compiled elsewhere for {@code codeBackend}'s level in stores of {@code level}; its identity was checked. */
    public abstract void useNativeCode(WasmModule module, List<MachineCode> code, CpuFeatures level, Backend codeBackend,
                                       CodeOptions options);

    /** Uses code this process has just compiled (in {@code nanos}). */
    public abstract void useCompiledCode(WasmModule module, List<MachineCode> code, Backend backend, CodeOptions options, long nanos);

    /**
     * Uses a cached object in the mapped format in stores of {@code level}; {@code onDamage} is told of the
     * first damaged metadata found when a function binds (that function then runs without the object).
     */
    public abstract void useMappedCode(WasmModule module, MappedObject object, CpuFeatures level, Backend codeBackend,
                                       CodeOptions options, boolean lazyCheck, Consumer<DamagedObjectException> onDamage);

    /**
     * The CPU level of the code made for stores of {@code level} with {@code options} when this run
     * compiled some the cache does not have yet, else null.
     */
    public abstract CpuFeatures newCodeLevel(WasmModule module, CpuFeatures level, CodeOptions options);

    /** The cache object (mapped format) of the code made for stores of {@code level} with {@code options}, filed as {@code identity}. */
    public abstract byte[] cacheObject(WasmModule module, CpuFeatures level, CodeOptions options, BuildIdentity identity);

    /** Bytes of native code this process holds now (placed and not yet freed). */
    public abstract long codeBytesInUse();

    /** Whether the guard-page handler checks mapped text blocks of {@code backend} itself. */
    public abstract boolean checksLazyText(Backend backend);

    /** Waits until the background compilations running have finished (those pending stay pending). */
    public abstract void awaitRunningCompiles();
}
