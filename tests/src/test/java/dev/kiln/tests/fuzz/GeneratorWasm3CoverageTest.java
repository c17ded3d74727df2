package dev.kiln.tests.fuzz;

import dev.kiln.tests.fuzz.gen.FuzzCase;
import dev.kiln.tests.fuzz.gen.ModuleGenerator;
import dev.kiln.tests.fuzz.wasm.Expr;
import dev.kiln.tests.fuzz.wasm.ExprTree;
import dev.kiln.tests.fuzz.wasm.FuzzFunction;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The differential generator makes the 3.0 calls every tier checks against wasmtime: tail calls of
 * each kind (return_call, return_call_indirect, return_call_ref) and call_ref, in a fair share of
 * the modules of a fixed-seed slice.
 */
class GeneratorWasm3CoverageTest {
    @Test
    void generatedModulesMakeTailCallsOfEveryKindAndCallsThroughReferences() {
        Random r = new Random(20261207);
        Map<String, Integer> modulesWith = new HashMap<>();
        int n = 300;
        for (int i = 0; i < n; i++) {
            FuzzCase c = new ModuleGenerator(r, 6, 120, false).generate();
            Map<String, Boolean> seen = new HashMap<>();
            for (FuzzFunction f : c.module().functions()) {
                ExprTree.forEach(f.body(), e -> {
                    if (e instanceof Expr.TailCall t) seen.put("return_call " + t.kind(), true);
                    if (e instanceof Expr.CallRef) seen.put("call_ref", true);
                });
            }
            seen.keySet().forEach(k -> modulesWith.merge(k, 1, Integer::sum));
        }
        for (String kind : new String[] {"return_call DIRECT", "return_call INDIRECT", "return_call REF", "call_ref"}) {
            int count = modulesWith.getOrDefault(kind, 0);
            assertTrue(count >= n / 20, kind + " in " + count + " of " + n + " modules: " + modulesWith);
        }
    }
}
