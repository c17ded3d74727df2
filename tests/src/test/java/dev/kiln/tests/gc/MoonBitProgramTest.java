package dev.kiln.tests.gc;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.FunctionType;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.ValueType;
import dev.kiln.runtime.WasmModule;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real GC-language program: {@code gc/moonbit/main.mbt} (binary trees, an expression interpreter
 * with boxed values and closures, a hash map of strings), compiled to Wasm GC by the MoonBit
 * compiler ({@code scripts/moonbit/build.sh}). It prints what wasmtime 49 prints for it
 * ({@code expected.txt}, from {@code scripts/moonbit/run_wasmtime.py}), under an 8 MiB GC heap,
 * which it can only fit by collecting.
 */
class MoonBitProgramTest {
    private static byte[] resource(String name) throws IOException {
        try (InputStream in = MoonBitProgramTest.class.getResourceAsStream("/gc/moonbit/" + name)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "NATIVE", "AUTO"})
    void printsWhatWasmtimePrints(Tier tier) throws IOException {
        StringBuilder out = new StringBuilder();
        try (Store store = new Store(Engine.builder().tier(tier).precompiledCode(null).build()).maxGcHeapBytes(8 << 20)) {
            Imports imports = new Imports().define(new HostFunction("spectest", "print_char",
                    FunctionType.of(List.of(ValueType.I32), List.of()), (caller, args) -> {
                        out.append((char) args[0]);
                        return new long[0];
                    }), store);
            Instance i = store.instantiate(WasmModule.of(resource("main.wasm")), imports);
            i.function("_start").call();
            assertEquals(new String(resource("expected.txt"), StandardCharsets.UTF_8), out.toString());
            assertTrue(store.gcStats()[0] > 10, "collections: " + store.gcStats()[0]);
        }
    }
}
