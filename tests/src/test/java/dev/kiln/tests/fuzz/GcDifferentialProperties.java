package dev.kiln.tests.fuzz;

import dev.kiln.tests.fuzz.engine.Engine;
import dev.kiln.tests.fuzz.engine.KilnEngine;
import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import dev.kiln.tests.fuzz.gen.GcModuleGenerator;
import dev.kiln.tests.wasm3.Wat3;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random GC modules ({@link GcModuleGenerator}: random struct types with subtyping, packed and
 * reference fields, arrays) and random call sequences over them, on the interpreter,
 * native code and {@code auto} against wasmtime: results, traps (casts, nulls, bounds) and globals must agree.
 */
@Tag("differential")
class GcDifferentialProperties {
    private static WasmtimeOracle oracle;

    @BeforeContainer
    static void start() {
        oracle = WasmtimeOracle.startOrNull();
        if (oracle == null && WasmtimeOracle.required()) fail("the wasmtime oracle is required (-Dkiln.oracle.required) but does not start");
    }

    @AfterContainer
    static void stop() {
        if (oracle != null) oracle.close();
    }

    @Property(tries = 150, seed = "20261207")
    void randomGcModulesAgreeWithWasmtime(@ForAll long seed) {
        if (oracle == null) return;
        Random r = new Random(seed);
        GcModuleGenerator.GcModule m = GcModuleGenerator.generate(r);
        byte[] wasm = Wat3.compile(m.wat());
        ModuleExports ex = ModuleExports.of(wasm);
        List<CallSpec> calls = new ArrayList<>();
        for (long[] c : GcModuleGenerator.calls(r, m, 60)) calls.add(ex.call(m.exports().get((int) c[0]), Arrays.copyOfRange(c, 1, c.length)));
        for (Engine kiln : List.of(KilnEngine.interpreter(), KilnEngine.nativeHost(), KilnEngine.auto(1, 1))) {
            DifferentialCheck check = new DifferentialCheck(List.of(kiln, oracle.engine()));
            assertNull(check.run(wasm, ex.globals(), ex.memory(), calls), () -> kiln.name() + " seed " + seed + "\n" + m.wat());
        }
    }
}
