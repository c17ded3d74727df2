package dev.kiln.tests.fuzz.engine;

import dev.kiln.ir.TrapKind;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.linker.CodeCache;
import dev.kiln.runtime.CodeTarget;
import dev.kiln.runtime.GlobalInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.MemoryInstance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.Extern;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.WasmException;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.internal.NativeCompiler;
import dev.kiln.tests.fuzz.wasm.NumType;
import org.apache.commons.io.FileUtils;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A kiln tier running in this JVM: a fresh {@link Store} per instance, from a kiln engine of its
 * own. For the auto tier the engine has {@code hotCalls}/{@code hotLoops} as thresholds and
 * compiles hot code synchronously, so several auto engines with different thresholds can take turns.
 */
public final class KilnEngine implements Engine {
    private final String name;
    private final Tier tier;
    private final int hotCalls;
    private final int hotLoops;
    /** For the cached-code engine: where each module's code goes as an ELF object and comes back from. */
    private final CodeCache cache;
    /** The CPU level native code is made for; null: this machine's. */
    private final CpuFeatures cpu;
    /** kiln's engine ({@code dev.kiln.runtime.Engine}; this class implements the fuzzer's {@code Engine}). */
    private final dev.kiln.runtime.Engine kiln;
    private Store store;
    private Instance instance;
    /** A call was interrupted by the watchdog; the store may still hold the request. */
    private boolean interrupted;

    private KilnEngine(String name, Tier tier, int hotCalls, int hotLoops, CodeCache cache) {
        this(name, tier, hotCalls, hotLoops, cache, null);
    }

    private KilnEngine(String name, Tier tier, int hotCalls, int hotLoops, CodeCache cache, CpuFeatures cpu) {
        this.name = name;
        this.cpu = cpu;
        this.tier = tier;
        this.hotCalls = hotCalls;
        this.hotLoops = hotLoops;
        this.cache = cache;
        var builder = dev.kiln.runtime.Engine.builder().tier(tier).precompiledCode(null).compileInBackground(false);
        if (tier == Tier.AUTO) builder.hotCalls(hotCalls).hotLoops(hotLoops);
        this.kiln = builder.build();
    }

    public static KilnEngine interpreter() {
        return new KilnEngine("interp", Tier.INTERP, 0, 0, null);
    }

    /** Every function compiled for this machine before it runs. */
    public static KilnEngine nativeHost() {
        return new KilnEngine("native", Tier.NATIVE, 0, 0, null);
    }

    /** Every function compiled before it runs, for CPU {@code level} (which this machine must run), e.g. x86_64-v2 for SSE code. */
    public static KilnEngine nativeAt(CpuFeatures level) {
        return new KilnEngine("native@" + level, Tier.NATIVE, 0, 0, null, level);
    }

    /** {@link #auto(int, int)} with native code for CPU {@code level}. */
    public static KilnEngine autoAt(CpuFeatures level, int hotCalls, int hotLoops) {
        return new KilnEngine("auto(" + hotCalls + "," + hotLoops + ")@" + level, Tier.AUTO, hotCalls, hotLoops, null, level);
    }

    /**
     * The auto tier promoting a function once {@code calls/hotCalls + backEdges/hotLoops >= 1}
     * (with 1 and 1 everything is compiled at its first call, and loops enter native code by
     * on-stack replacement at their first back edge).
     */
    public static KilnEngine auto(int hotCalls, int hotLoops) {
        return new KilnEngine("auto(" + hotCalls + "," + hotLoops + ")", Tier.AUTO, hotCalls, hotLoops, null);
    }

    /**
     * Code through the code cache: each module is compiled and stored as an ELF object in a
     * private cache directory, then a fresh copy of the module runs on the auto tier with that
     * object read back, each function bound to its cached code at its first call.
     */
    public static KilnEngine cachedCode() {
        try {
            Path dir = Files.createTempDirectory("kiln-fuzz-cache");
            // File.deleteOnExit cannot remove a directory that still holds files: delete the tree.
            Runtime.getRuntime().addShutdownHook(new Thread(() -> FileUtils.deleteQuietly(dir.toFile())));
            return new KilnEngine("cached", Tier.AUTO, dev.kiln.runtime.Engine.DEFAULT_HOT_CALLS, dev.kiln.runtime.Engine.DEFAULT_HOT_LOOPS, new CodeCache(dir));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String instantiate(byte[] wasm) {
        close();
        interrupted = false;
        try {
            WasmModule module = WasmModule.of(wasm);
            if (cache != null) {
                cache.clear();
                List<String> warnings = new ArrayList<>();
                NativeCompiler.prepare(WasmModule.of(wasm), cache, true, warnings::add, Tier.NATIVE);
                NativeCompiler.Outcome o = NativeCompiler.prepare(module, cache, false, warnings::add, Tier.AUTO);
                if (o != NativeCompiler.Outcome.CACHE_HIT) return "the module's code did not come back from the cache: " + o + " " + warnings;
            }
            store = kiln.newStore();
            if (cpu != null) store.cpu(CodeTarget.parse(cpu.name()));
            instance = store.instantiate(module, new Imports());
            return null;
        } catch (WasmTrap t) {
            return "trap " + t.getMessage();
        } catch (RuntimeException | StackOverflowError | IOException e) {
            return e.toString();
        }
    }

    @Override
    public Outcome call(String export, List<NumType> params, List<NumType> results, long[] args) {
        if (interrupted) return Outcome.failed("an earlier call had to be interrupted");
        Store s = store;
        CallWatchdog.Guard guard = CallWatchdog.start(name, s::interrupt);
        Outcome o;
        try {
            o = Outcome.returned(results, instance.function(export).call(args));
        } catch (WasmTrap t) {
            o = Outcome.trapped(TrapKind.valueOf(t.kind().name()));
        } catch (WasmException e) {
            o = uncaught(e);
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            o = Outcome.failed(e.toString());
        }
        if (guard.stop()) {
            interrupted = true;
            return Outcome.failed("still running after " + CallWatchdog.SECONDS + " s (interrupted; it ended with: " + o + ")");
        }
        return o;
    }

    /** An uncaught exception: its tag by export name ("?" when not exported) and its payload's slots (a v128 as two i64s). */
    private Outcome uncaught(WasmException e) {
        String tag = "?";
        for (Map.Entry<String, Extern> x : instance.exports().entrySet()) if (x.getValue() == e.tag()) tag = x.getKey();
        List<NumType> types = new ArrayList<>();
        for (ValueType<?> p : e.tag().type().params()) {
            NumType t = NumType.byName(p.toString());
            if (t == NumType.V128) types.addAll(List.of(NumType.I64, NumType.I64));
            else types.add(t);
        }
        return Outcome.uncaught(tag, types, e.payload());
    }

    @Override
    public EngineState state(List<String> globals, String memory) {
        try {
            Map<String, Long> gs = new HashMap<>();
            for (String g : globals) {
                GlobalInstance gi = instance.global(g);
                gs.put(g, NumType.byName(gi.type().valueType().toString()).normalize(gi.get()));
            }
            if (memory == null) return new EngineState(gs, -1, null, null);
            byte[] bytes = memory(memory);
            return new EngineState(gs, bytes.length, sha256(bytes), null);
        } catch (RuntimeException e) {
            return EngineState.failed(e.toString());
        }
    }

    @Override
    public byte[] memory(String name) {
        MemoryInstance m = instance.memory(name);
        return m.readBytes(0, Math.toIntExact(m.byteSize()));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        instance = null;
        if (store != null) store.close();
        store = null;
    }
}
