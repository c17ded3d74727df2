package dev.kiln.ir;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IrBuilderTest {
    static IrFunction build(String wat, int func) {
        ValidatedModule vm = ValidatedModule.of(Wat.compile(wat));
        IrFunction f = IrBuilder.build(vm, func);
        IrVerifier.verify(vm.module(), f);
        return f;
    }

    @Test
    void straightLineCodeBecomesSsaValues() {
        IrFunction f = build("(module (func (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))", 0);
        assertEquals("""
                function 0 "func[0]" (func (param i32 i32) (result i32))
                block0(v0: i32, v1: i32):
                    v2 = i32.add v0, v1
                    return v2
                """, IrPrinter.print(f));
    }

    @Test
    void loopAssignedLocalsBecomeHeaderParameters() {
        IrFunction f = build("""
                (module (func $sum (param $n i32) (result i32) (local $acc i32)
                  (block $done
                    (loop $top
                      (br_if $done (i32.eqz (local.get $n)))
                      (local.set $acc (i32.add (local.get $acc) (local.get $n)))
                      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                      (br $top)))
                  (local.get $acc)))
                """, 0);
        String text = IrPrinter.print(f);
        // the loop header takes n and acc; the exit merge takes them too
        assertTrue(text.contains("block1(v1: i32, v2: i32):"), text);
        assertTrue(text.contains("jump block1(v0, v3)"), text); // v3 = the zero of the fresh local
        assertTrue(text.contains("jump block1(v9, v7)"), text); // back edge: new n, new acc
    }

    @Test
    void ifElseMergesResultsAndLocals() {
        IrFunction f = build("""
                (module (func (param i32) (result i32) (local i32)
                  (if (result i32) (local.get 0)
                    (then (local.set 1 (i32.const 7)) (i32.const 1))
                    (else (i32.const 2)))
                  (i32.add (local.get 1))))
                """, 0);
        String text = IrPrinter.print(f);
        assertTrue(text.contains("brif v0, block1, block2"), text);
        assertTrue(text.matches("(?s).*block3\\(v\\d+: i32, v\\d+: i32\\):.*"), text);
    }

    @Test
    void unreachableCodeProducesNoIr() {
        IrFunction f = build("(module (func (result i32) (return (i32.const 1)) (i32.const 2) (drop) (i32.const 3)))", 0);
        assertEquals(1, f.blocks.size(), IrPrinter.print(f));
        assertEquals(1, f.blocks.get(0).instructions.size());
    }

    @Test
    void multiValueBlocksAndLoopParameters() {
        IrFunction f = build("""
                (module
                  (func $pair (result i32 i64) (i32.const 1) (i64.const 2))
                  (func (result i32 i64) (block (result i32 i64) (call $pair)))
                  (func (param i32) (result i32)
                    (local.get 0)
                    (loop (param i32) (result i32)
                      (i32.const 1) (i32.sub) (local.tee 0) (local.get 0) (br_if 0))))
                """, 2);
        String text = IrPrinter.print(f);
        assertTrue(text.contains("block1(v1: i32, v2: i32):"), text); // loop parameter + the assigned local
        build("(module (func $pair (result i32 i64) (i32.const 1) (i64.const 2)) (func (result i32 i64) (block (result i32 i64) (call $pair))))", 1);
    }

    @Test
    void everySpecAndWasiFunctionBuildsAndVerifies() throws Exception {
        int functions = 0;
        for (ValidatedModule vm : IrCorpus.specModules()) {
            for (int i = vm.module().importedFunctionCount(); i < vm.module().functionCount(); i++) {
                IrVerifier.verify(vm.module(), IrBuilder.build(vm, i));
                functions++;
            }
        }
        for (Path p : IrCorpus.wasiBinaries()) {
            ValidatedModule vm = ValidatedModule.of(Files.readAllBytes(p));
            for (int i = vm.module().importedFunctionCount(); i < vm.module().functionCount(); i++) {
                IrVerifier.verify(vm.module(), IrBuilder.build(vm, i));
                functions++;
            }
        }
        assertTrue(functions > 20_000, functions + " functions");
    }
}
