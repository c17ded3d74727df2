package dev.kiln.tests.fuzz;

import dev.kiln.tests.fuzz.gen.FuzzCase;
import dev.kiln.tests.fuzz.gen.ModuleGenerator;
import dev.kiln.tests.fuzz.wasm.Expr;
import dev.kiln.tests.fuzz.wasm.ExprTree;
import dev.kiln.tests.fuzz.wasm.FuzzFunction;
import dev.kiln.tests.fuzz.wasm.MemoryDef;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The differential generator makes the 3.0 features every tier checks against wasmtime: tail calls
 * of each kind (return_call, return_call_indirect, return_call_ref) and call_ref, several memories
 * and 64-bit memories (accesses, size, grow, fill, copy and init on memories other than 0 and on
 * 64-bit ones), in a fair share of the modules of a fixed-seed slice.
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

    @Test
    void generatedModulesUseSeveralAnd64BitMemories() {
        Random r = new Random(20261208);
        Map<String, Integer> modulesWith = new HashMap<>();
        int n = 300;
        for (int i = 0; i < n; i++) {
            FuzzCase c = new ModuleGenerator(r, 6, 120, false).generate();
            MemoryDef ms = c.module().memory();
            if (ms == null) continue;
            Map<String, Boolean> seen = new HashMap<>();
            for (FuzzFunction f : c.module().functions()) {
                ExprTree.forEach(f.body(), e -> {
                    int memory = switch (e) {
                        case Expr.Load l -> l.memory();
                        case Expr.Store s -> s.memory();
                        case Expr.MemoryGrow g -> g.memory();
                        case Expr.MemorySize z -> z.memory();
                        case Expr.MemoryFill fill -> fill.memory();
                        case Expr.MemoryCopy copy -> copy.destMemory();
                        case Expr.MemoryInit init -> init.memory();
                        default -> -1;
                    };
                    if (memory > 0) seen.put("access to memory >0", true);
                    if (memory >= 0 && ms.is64(memory)) seen.put("access to a 64-bit memory", true);
                    if (memory >= 0 && ms.is64(memory) && e instanceof Expr.MemoryGrow) seen.put("memory.grow of a 64-bit memory", true);
                    if (e instanceof Expr.MemoryCopy copy && copy.destMemory() != copy.sourceMemory()) seen.put("copy between memories", true);
                });
            }
            seen.keySet().forEach(k -> modulesWith.merge(k, 1, Integer::sum));
        }
        for (String kind : new String[] {"access to memory >0", "access to a 64-bit memory", "memory.grow of a 64-bit memory",
                "copy between memories"}) {
            int count = modulesWith.getOrDefault(kind, 0);
            assertTrue(count >= n / 30, kind + " in " + count + " of " + n + " modules: " + modulesWith);
        }
    }
}
