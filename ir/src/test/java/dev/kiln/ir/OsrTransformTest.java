package dev.kiln.ir;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.pass.EdgeSplitting;
import dev.kiln.ir.pass.Optimizer;
import dev.kiln.ir.pass.Preparation;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OsrTransformTest {
    static IrFunction prepared(ValidatedModule vm, int func) {
        IrFunction f = IrBuilder.build(vm, func);
        Optimizer.optimize(f);
        new EdgeSplitting().run(f);
        return f;
    }

    /**
     * Builds the OSR variant for header block {@code id} of a fresh copy and checks it, right after
     * the transform and as a backend gets it ({@link Preparation#osrVariant}, with the native mid-end).
     */
    static IrFunction variant(ValidatedModule vm, int func, int headerId) {
        IrFunction f = prepared(vm, func);
        BasicBlock h = f.blocks.stream().filter(b -> b.id == headerId).findFirst().orElseThrow();
        OsrTransform.apply(f, h);
        IrVerifier.verify(vm.module(), f);
        IrFunction prepared = Preparation.osrVariant(vm, func, headerId, CodeOptions.DEFAULT);
        IrVerifier.verify(vm.module(), prepared);
        return prepared;
    }

    @Test
    void entersASimpleLoopWithItsLiveValues() {
        ValidatedModule vm = ValidatedModule.of(Wat.compile("""
                (module (func (param $n i32) (result i32) (local $i i32) (local $acc i32)
                  (loop $l
                    (local.set $acc (i32.add (local.get $acc) (local.get $i)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br_if $l (i32.lt_s (local.get $i) (local.get $n))))
                  (local.get $acc)))
                """));
        IrFunction f = prepared(vm, 0);
        BasicBlock header = f.blocks.get(1);
        assertTrue(OsrTransform.isLoopHeader(f, header));
        int[] entry = OsrTransform.entryValues(f, header);
        // the header's two parameters (i, acc) and the live-in n
        assertEquals(3, entry.length);
        assertArrayEquals(new int[] {header.params[0], header.params[1]}, Arrays.copyOf(entry, 2));
        IrFunction osr = variant(vm, 0, header.id);
        assertEquals(3, osr.type().paramCount());
    }

    @Test
    void repairsValuesRedefinedByAnOuterLoop() {
        // $k is defined in the outer loop before the inner loop and used after it: two definitions meet
        ValidatedModule vm = ValidatedModule.of(Wat.compile("""
                (module (func (param $n i32) (result i32) (local $i i32) (local $j i32) (local $k i32) (local $s i32)
                  (loop $outer
                    (local.set $k (i32.mul (local.get $i) (i32.const 3)))
                    (local.set $j (i32.const 0))
                    (loop $inner
                      (local.set $s (i32.add (local.get $s) (local.get $j)))
                      (local.set $j (i32.add (local.get $j) (i32.const 1)))
                      (br_if $inner (i32.lt_s (local.get $j) (local.get $n))))
                    (local.set $s (i32.add (local.get $s) (local.get $k)))
                    (local.set $i (i32.add (local.get $i) (i32.const 1)))
                    (br_if $outer (i32.lt_s (local.get $i) (local.get $n))))
                  (local.get $s)))
                """));
        IrFunction f = prepared(vm, 0);
        for (BasicBlock b : f.blocks) {
            if (OsrTransform.isLoopHeader(f, b)) variant(vm, 0, b.id);
        }
    }

    @Test
    void everyLoopHeaderOfTheCorpusGivesAValidVariant() throws Exception {
        int variants = 0;
        List<ValidatedModule> modules = new ArrayList<>(IrCorpus.specModules());
        List<Path> rust = IrCorpus.wasiBinaries().stream().filter(p -> p.toString().contains("/rust/")).toList();
        for (Path p : rust.subList(0, 2)) modules.add(ValidatedModule.of(Files.readAllBytes(p)));
        for (ValidatedModule vm : modules) {
            for (int i = vm.module().importedFunctionCount(); i < vm.module().functionCount(); i++) {
                IrFunction f = prepared(vm, i);
                for (BasicBlock b : f.blocks) {
                    if (!OsrTransform.isLoopHeader(f, b)) continue;
                    try {
                        variant(vm, i, b.id);
                    } catch (RuntimeException e) {
                        throw new AssertionError("function " + i + " header " + b + ": " + e.getMessage(), e);
                    }
                    variants++;
                }
            }
        }
        assertTrue(variants > 200, variants + " variants");
    }
}
