package dev.kiln.runtime;

import dev.kiln.frontend.Module;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.ModuleBytes;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.linker.BuildIdentity;
import dev.kiln.linker.CodeCache;
import dev.kiln.linker.LinkedObjectWriter;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.NativeCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A cache hit of a module file ({@link NativeCompiler#openCached}) reads the file without its function
 * bodies, counted, not timed: running from the cached code never reads the whole binary, data
 * segments come from what was read; a function that must be interpreted reads it then, and a file
 * changed meanwhile is refused with a clear message, never run.
 */
class CodelessCacheHitTest {
    private static final int FUNCTIONS = 200;

    @TempDir
    Path dir;

    /**
     * {@code run} returns {@code f1() + f3() + memory[16]} = 1 + 3 + 'h'; function k has an empty loop (so that no
     * caller inlines it: {@code Inlining}), reads memory[0] and returns k mod 64; data "hi" at 16.
     */
    private static byte[] module(int last) {
        ModuleBytes functions = ModuleBytes.contents().u32(FUNCTIONS);
        ModuleBytes code = ModuleBytes.contents().u32(FUNCTIONS);
        for (int f = 0; f < FUNCTIONS; f++) {
            functions.u32(0);
            if (f == 0) {
                code.u32(13).bytes(0x00, 0x10, 0x01, 0x10, 0x03, 0x6A, 0x41, 0x10, 0x2D, 0x00, 0x00, 0x6A, 0x0B);
            } else {
                code.u32(13).bytes(0x00, 0x03, 0x40, 0x0B, 0x41, 0x00, 0x2D, 0x00, 0x00, 0x1A, 0x41, f == 3 ? last : f % 64, 0x0B);
            }
        }
        return ModuleBytes.header()
                .section(1, ModuleBytes.contents().u32(1).bytes(0x60, 0x00, 0x01, 0x7F))
                .section(3, functions)
                .section(5, ModuleBytes.contents().u32(1).bytes(0x00).u32(1))
                .section(7, ModuleBytes.contents().u32(1).u32(3).bytes('r', 'u', 'n', 0x00).u32(0))
                .section(10, code)
                .section(11, ModuleBytes.contents().u32(1).bytes(0x00, 0x41, 0x10, 0x0B).u32(2).bytes('h', 'i'))
                .build();
    }

    private Path file(byte[] bytes) throws Exception {
        Path f = dir.resolve("many.wasm");
        Files.write(f, bytes);
        return f;
    }

    private static Module module(WasmModule m) {
        return m.validated().module();
    }

    @Test
    void aNativeHitRunsWithoutReadingTheBodies() throws Exception {
        assumeTrue(Backends.host() != null, "a native backend for this machine");
        byte[] bytes = module(3);
        Path file = file(bytes);
        CodeCache cache = new CodeCache(dir.resolve("cache"));
        WasmModule full = WasmModule.of(bytes, "many");
        Backend backend = Backends.host();
        cache.storeMapped(NativeCompiler.identity(full, backend.cpu(), CodeOptions.DEFAULT),
                NativeCompiler.cacheObject(full, backend, CodeOptions.DEFAULT, n -> { }));

        WasmModule hit = NativeCompiler.openCached(file, BuildIdentity.sha256(bytes), "many", cache, w -> fail(w), CodeOptions.DEFAULT);
        assertNotNull(hit, "a hit");
        assertFalse(module(hit).wholeBinaryRead(), "only the codeless image is read");
        try (Store store = new Store().tier(Tier.NATIVE)) {
            Instance instance = store.instantiate(hit, new Imports());
            assertArrayEquals(new long[] {1 + 3 + 'h'}, instance.function("run").call());
            assertEquals(0, TierReport.of(hit, store, 5).compiled(), "nothing compiled on a hit");
        }
        assertFalse(module(hit).wholeBinaryRead(), "running cached code never needed a body");
    }

    @Test
    void noHitWithoutACacheEntryOrForText() throws Exception {
        assumeTrue(Backends.host() != null, "a native backend for this machine");
        byte[] bytes = module(3);
        CodeCache cache = new CodeCache(dir.resolve("cache"));
        assertNull(NativeCompiler.openCached(file(bytes), BuildIdentity.sha256(bytes), "many", cache, w -> fail(w), CodeOptions.DEFAULT));
        byte[] text = "(module)".getBytes();
        Path wat = dir.resolve("m.wat");
        Files.write(wat, text);
        WasmModule empty = WasmModule.of(text, "m");
        Backend backend = Backends.host();
        byte[] hash = BuildIdentity.sha256(empty.bytes());
        cache.storeMapped(NativeCompiler.identity(empty, backend.cpu(), CodeOptions.DEFAULT),
                NativeCompiler.cacheObject(empty, backend, CodeOptions.DEFAULT, n -> { }));
        assertNull(NativeCompiler.openCached(wat, hash, "m", cache, w -> fail(w), CodeOptions.DEFAULT),
                "a text file is read whole and parsed, as before");
    }

    /** Fills the cache with the code of functions 0, 1 and 2 only (as the auto tier writes back what ran): function 3 is interpreted. */
    private static void cacheSomeFunctions(byte[] bytes, CodeCache cache) throws Exception {
        WasmModule full = WasmModule.of(bytes, "many");
        ValidatedModule vm = NativeCompiler.validated(full);
        Backend backend = Backends.host();
        SymbolNames names = SymbolNames.of(vm.module());
        List<MachineCode> code = new ArrayList<>();
        for (int f = 0; f <= 2; f++) code.add(backend.compile(vm, names, f, CodeOptions.DEFAULT, false));
        BuildIdentity id = NativeCompiler.identity(full, backend.cpu(), CodeOptions.DEFAULT);
        cache.storeMapped(id, LinkedObjectWriter.write(id, vm.module().functionCount(), code, NativeCompiler.linking(backend, names)));
    }

    @Test
    void anInterpretedFunctionReadsTheWholeFileThen() throws Exception {
        assumeTrue(Backends.host() != null, "a native backend for this machine");
        byte[] bytes = module(3);
        Path file = file(bytes);
        CodeCache cache = new CodeCache(dir.resolve("cache"));
        cacheSomeFunctions(bytes, cache);
        WasmModule hit = NativeCompiler.openCached(file, BuildIdentity.sha256(bytes), "many", cache, w -> fail(w), CodeOptions.DEFAULT);
        assertNotNull(hit);
        try (Store store = new Store().tier(Tier.AUTO)) {
            Instance instance = store.instantiate(hit, new Imports());
            assertArrayEquals(new long[] {1 + 3 + 'h'}, instance.function("run").call());
            assertTrue(TierReport.of(hit, store, 5).interpreted() >= 1, "function 3 ran in the interpreter");
        }
        assertTrue(module(hit).wholeBinaryRead(), "the interpreter needed function 3's body");
    }

    @Test
    void aFileChangedBeforeItsBodiesAreReadIsRefused() throws Exception {
        assumeTrue(Backends.host() != null, "a native backend for this machine");
        byte[] bytes = module(3);
        Path file = file(bytes);
        CodeCache cache = new CodeCache(dir.resolve("cache"));
        cacheSomeFunctions(bytes, cache);
        WasmModule hit = NativeCompiler.openCached(file, BuildIdentity.sha256(bytes), "many", cache, w -> fail(w), CodeOptions.DEFAULT);
        assertNotNull(hit);
        Files.write(file, module(60)); // function 3 returns 60 now
        try (Store store = new Store().tier(Tier.AUTO)) {
            Instance instance = store.instantiate(hit, new Imports());
            RuntimeException e = assertThrows(RuntimeException.class, () -> instance.function("run").call());
            String messages = "";
            for (Throwable t = e; t != null; t = t.getCause()) messages += t.getMessage() + "\n";
            assertTrue(messages.contains("changed while kiln was running it"), messages);
        }
    }
}
