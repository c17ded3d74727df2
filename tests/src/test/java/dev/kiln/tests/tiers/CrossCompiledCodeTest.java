package dev.kiln.tests.tiers;

import dev.kiln.tests.api.ApiTypes;
import dev.kiln.cli.Main;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.Target;
import dev.kiln.linker.CodeCache;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.internal.NativeCompiler;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One host precompiles for every target, another runs the code: {@code kiln compile --target all}
 * writes objects for x86-64 and AArch64 into a cache under {@code target/cross-compiled}, and each
 * native tier then binds its own target's object from that cache (a cache hit, nothing compiled)
 * and must compute what the interpreter computes. The host JVM's unit run writes the cache and runs
 * its own target's code; the AArch64 JVM of the aarch64 suite ({@link CrossCompiledCodeAarch64Test},
 * which runs later in the same build) runs the AArch64 objects compiled on the x86-64 host.
 */
class CrossCompiledCodeTest {
    static final Path DIR = Path.of("target", "cross-compiled");
    static final String APP = """
            (module
              (memory 1)
              (table 2 funcref)
              (elem (i32.const 0) $square $fib)
              (type $t (func (param i32) (result i32)))
              (global $calls (mut i64) (i64.const 0))
              (func $square (export "square") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (func $fib (export "fib") (param i32) (result i32)
                (global.set $calls (i64.add (global.get $calls) (i64.const 1)))
                (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
                  (then (local.get 0))
                  (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                                 (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
              (func (export "calls") (result i64) (global.get $calls))
              (func (export "store") (param i32 f64) (f64.store offset=8 (local.get 0) (local.get 1)))
              (func (export "load") (param i32) (result f64) (f64.load offset=8 (local.get 0)))
              (func (export "dispatch") (param i32 i32) (result i32)
                (call_indirect (type $t) (local.get 1) (local.get 0))))
            """;

    /** The calls made on both tiers, in order (state carries over: the global, memory). */
    static final List<Object[]> CALLS = List.of(
            new Object[] {"square", new long[] {46341}},
            new Object[] {"fib", new long[] {20}},
            new Object[] {"calls", new long[] {}},
            new Object[] {"store", new long[] {100, Double.doubleToRawLongBits(-2.5e-300)}},
            new Object[] {"load", new long[] {100}},
            new Object[] {"load", new long[] {65530}},
            new Object[] {"dispatch", new long[] {1, 15}},
            new Object[] {"dispatch", new long[] {0, 7}},
            new Object[] {"dispatch", new long[] {2, 7}});

    @Test
    void compileForEveryTargetThenRunThisHostsObjectFromTheCache() throws Exception {
        compileForAllTargets();
        assumeTrue(Backends.host() != null, "no native tier on " + System.getProperty("os.arch"));
        runFromCache();
    }

    /** {@code kiln compile --target all --cache-dir target/cross-compiled/cache app.wasm}. */
    static void compileForAllTargets() throws IOException {
        Files.createDirectories(DIR);
        Path wasm = DIR.resolve("app.wasm");
        Files.write(wasm, Wat.compile(APP));
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"compile", "--target", "all", "--cache-dir", DIR.resolve("cache").toString(), wasm.toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    }

    /** Binds this host's object from the cache (it must be a hit) and compares every call with the interpreter. */
    static void runFromCache() throws IOException {
        byte[] bytes = Files.readAllBytes(DIR.resolve("app.wasm"));
        WasmModule cached = WasmModule.of(bytes, "app.wasm");
        List<String> warnings = new ArrayList<>();
        NativeCompiler.Outcome o = NativeCompiler.prepare(cached, new CodeCache(DIR.resolve("cache")), false, warnings::add);
        assertEquals(NativeCompiler.Outcome.CACHE_HIT, o, "the " + Target.host() + " object is in the cache " + warnings);
        try (Store nat = new Store().tier(Tier.NATIVE); Store interp = new Store().tier(Tier.INTERP)) {
            Instance n = nat.instantiate(cached, new Imports());
            Instance i = interp.instantiate(WasmModule.of(bytes, "app.wasm"), new Imports());
            for (Object[] call : CALLS) {
                String name = (String) call[0];
                long[] args = (long[]) call[1];
                assertEquals(outcome(i, name, args), outcome(n, name, args), name + Arrays.toString(args));
            }
        }
    }

    private static String outcome(Instance instance, String name, long[] args) {
        try {
            FunctionInstance f = (FunctionInstance) instance.exports().get(name);
            long[] r = f.call(args);
            for (int k = 0; k < r.length; k++) {
                ValType t = ApiTypes.valType(f.type().results().get(k));
                if (t == ValType.I32 || t == ValType.F32) r[k] &= 0xFFFF_FFFFL; // tiers may differ above 32 bits
            }
            return Arrays.toString(r);
        } catch (WasmTrap t) {
            return "trap " + t.kind();
        }
    }
}
