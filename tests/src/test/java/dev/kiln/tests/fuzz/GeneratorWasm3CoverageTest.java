package dev.kiln.tests.fuzz;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.tests.fuzz.gen.FuzzCase;
import dev.kiln.tests.fuzz.gen.ModuleGenerator;
import dev.kiln.tests.fuzz.wasm.BinaryEncoder;
import dev.kiln.tests.fuzz.wasm.Expr;
import dev.kiln.tests.fuzz.wasm.ExprTree;
import dev.kiln.tests.fuzz.wasm.FuzzFunction;
import dev.kiln.tests.fuzz.wasm.FuzzModule;
import dev.kiln.tests.fuzz.wasm.GcSlots;
import dev.kiln.tests.fuzz.wasm.MemoryDef;
import dev.kiln.tests.fuzz.wasm.NumType;
import dev.kiln.tests.fuzz.wasm.WatPrinter;
import dev.kiln.tests.wasm3.Wat3;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The differential generator makes the 3.0 features every tier checks against wasmtime: tail calls
 * of each kind (return_call, return_call_indirect, return_call_ref) and call_ref, several memories
 * and 64-bit memories (accesses, size, grow, fill, copy and init on memories other than 0 and on
 * 64-bit ones), exceptions (throw, throw_ref, every try_table clause kind to a handler of its own and
 * catch/catch_all to an enclosing block, exnrefs kept in locals, throws inside calls under a handler),
 * GC objects (every shape made, read, written, filled, copied and tested, beside calls, tables and
 * exceptions; the binary and the printed text both valid), in a fair share of the modules of a
 * fixed-seed slice.
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
    void generatedExceptionModulesThrowAndCatchEveryWay() {
        Random r = new Random(20261209);
        Map<String, Integer> modulesWith = new HashMap<>();
        int n = 300;
        for (int i = 0; i < n; i++) {
            FuzzCase c = new ModuleGenerator(r, 6, 120, i % 2 == 0, true).generate();
            Map<String, Boolean> seen = new HashMap<>();
            for (FuzzFunction f : c.module().functions()) {
                if (f.locals().contains(NumType.EXNREF)) seen.put("exnref local", true);
                ExprTree.forEach(f.body(), e -> {
                    if (e instanceof Expr.Throw) seen.put("throw", true);
                    if (e instanceof Expr.ThrowRef t && t.exception() instanceof Expr.LocalGet) seen.put("throw_ref of a kept exnref", true);
                    if (e instanceof Expr.TryTable t) {
                        for (Expr.Clause k : t.clauses()) seen.put(k.kind() + (k.handler() == null ? " to an enclosing block" : " to a handler"), true);
                        ExprTree.forEach(t.body(), x -> {
                            if (x instanceof Expr.Call || x instanceof Expr.CallIndirect || x instanceof Expr.CallRef) seen.put("call under a handler", true);
                            if (x instanceof Expr.TailCall) seen.put("tail call under a handler", true);
                        });
                    }
                });
            }
            for (int t : c.module().tags()) if (c.module().types().get(t).params().contains(NumType.V128)) seen.put("v128 payload", true);
            seen.keySet().forEach(k -> modulesWith.merge(k, 1, Integer::sum));
        }
        for (String kind : new String[] {"throw", "throw_ref of a kept exnref", "exnref local", "CATCH to a handler", "CATCH_REF to a handler",
                "CATCH_ALL to a handler", "CATCH_ALL_REF to a handler", "CATCH to an enclosing block", "CATCH_ALL to an enclosing block",
                "call under a handler", "tail call under a handler", "v128 payload"}) {
            int count = modulesWith.getOrDefault(kind, 0);
            assertTrue(count >= n / 30, kind + " in " + count + " of " + n + " modules: " + modulesWith);
        }
    }

    @Test
    void generatedModulesMixGcObjectsWithCallsTablesAndExceptions() {
        Random r = new Random(20261210);
        Map<String, Integer> modulesWith = new HashMap<>();
        int n = 300;
        for (int i = 0; i < n; i++) {
            FuzzCase c = new ModuleGenerator(r, 6, 120, false, i % 2 == 0, true).generate();
            FuzzModule m = c.module();
            if (!m.usesGc()) continue;
            ValidatedModule.of(BinaryEncoder.encode(m));
            ValidatedModule.of(Wat3.compile(WatPrinter.print(m)));
            Map<String, Boolean> seen = new HashMap<>();
            for (FuzzFunction f : m.functions()) {
                boolean[] gc = {false}, calls = {false};
                ExprTree.forEach(f.body(), e -> {
                    switch (e) {
                        case Expr.GcNew g -> seen.put("new " + g.shape(), true);
                        case Expr.GcRead g -> seen.put(g.shape().isArray() && GcSlots.readsElement(g.shape(), g.op()) ? "array.get" : "read " + g.shape(), true);
                        case Expr.GcWrite g -> seen.put(g.shape().isStruct() ? "struct.set" : new String[] {"array.set", "array.fill", "array.copy"}[g.op()], true);
                        case Expr.GcTest g -> seen.put("ref.test", true);
                        case Expr.Call k -> calls[0] = true;
                        case Expr.CallIndirect k -> calls[0] = true;
                        default -> { }
                    }
                    gc[0] |= e instanceof Expr.GcNew || e instanceof Expr.GcRead || e instanceof Expr.GcWrite;
                    if (e instanceof Expr.TryTable t) ExprTree.forEach(t.body(), x -> {
                        if (x instanceof Expr.GcNew || x instanceof Expr.GcRead || x instanceof Expr.GcWrite) seen.put("GC under a handler", true);
                    });
                });
                if (gc[0] && calls[0]) seen.put("GC beside calls", true);
            }
            seen.put("GC module", true);
            seen.keySet().forEach(k -> modulesWith.merge(k, 1, Integer::sum));
        }
        for (String kind : new String[] {"GC module", "new STRUCT", "new SUBSTRUCT", "new LONGS", "new BYTES", "new I31", "read STRUCT",
                "read SUBSTRUCT", "read I31", "array.get", "struct.set", "array.set", "array.fill", "array.copy", "ref.test",
                "GC beside calls", "GC under a handler"}) {
            int count = modulesWith.getOrDefault(kind, 0);
            assertTrue(count >= n / 30, kind + " in " + count + " of " + n + " modules: " + modulesWith);
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
