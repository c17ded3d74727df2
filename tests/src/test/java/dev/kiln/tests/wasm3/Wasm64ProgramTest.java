package dev.kiln.tests.wasm3;

import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.tests.fuzz.engine.Engine;
import dev.kiln.tests.fuzz.engine.Outcome;
import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import dev.kiln.tests.fuzz.wasm.NumType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A C program built for wasm64 with Debian's clang ({@code --target=wasm64-unknown-unknown}, no
 * libc) that grows its 64-bit memory to 5 GiB and uses addresses above 2^32 returns on every tier
 * what wasmtime returns, with a store cap past 5 GiB ({@code --max-memory}) and with the store's
 * default (no cap, as in wasmtime); with a cap of 4 GiB its memory.grow fails (returns 1).
 */
class Wasm64ProgramTest {
    private static final long SEED = 12345;
    private static final long SIX_GIB_PAGES = (6L << 30) / 65536;
    private static byte[] program;

    @BeforeAll
    static void build(@TempDir Path dir) throws IOException, InterruptedException {
        program = ClangProgram.build(dir, "/wasm64/above4g.c",
                List.of("--target=wasm64-unknown-unknown", "-O2", "-nostdlib", "-Wl,--no-entry"));
    }

    private static long run(Tier tier, long maxPages) {
        try (Store s = new Store().tier(tier).maxMemoryPages(maxPages)) {
            return run(s);
        }
    }

    private static long run(Store s) {
        Instance i = s.instantiate(WasmModule.of(program), new Imports());
        return ((FunctionInstance) i.exports().get("run")).call(SEED)[0];
    }

    private static long wasmtime() {
        try (WasmtimeOracle oracle = WasmtimeOracle.startOrNull()) {
            assumeTrue(oracle != null || WasmtimeOracle.required(), "no wasmtime oracle");
            assertNotNull(oracle, "the wasmtime oracle is required");
            Engine e = oracle.engine();
            assertEquals(null, e.instantiate(program));
            Outcome o = e.call("run", List.of(NumType.I64), List.of(NumType.I64), new long[] {SEED});
            assertEquals(null, o.trap(), o.toString());
            return o.results().getFirst();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "NATIVE", "AUTO"})
    void sameAsWasmtimePast4GiB(Tier tier) {
        long expected = wasmtime();
        assertEquals(true, expected != 1, "wasmtime's memory.grow to 5 GiB failed");
        assertEquals(expected, run(tier, SIX_GIB_PAGES));
    }

    @Test
    void aStoreWithoutACapGrowsPast4GiBAsWasmtimeDoes() {
        long expected = wasmtime();
        try (Store s = new Store().tier(Tier.NATIVE)) {
            assertEquals(expected, run(s));
        }
    }

    @Test
    void aCapOf4GiBStopsGrowth() {
        assertEquals(1, run(Tier.INTERP, 65536));
    }
}
