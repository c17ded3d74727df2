package dev.kiln.ir;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.pass.BlockMerging;
import dev.kiln.ir.pass.BranchInversion;
import dev.kiln.ir.pass.CompareSinking;
import dev.kiln.ir.pass.ConstantFolding;
import dev.kiln.ir.pass.CopyPropagation;
import dev.kiln.ir.pass.DeadCodeElimination;
import dev.kiln.ir.pass.Inlining;
import dev.kiln.ir.pass.Optimizer;
import dev.kiln.ir.pass.Pass;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PassesTest {
    private static ValidatedModule module(String wat) {
        return ValidatedModule.of(Wat.compile(wat));
    }

    private static IrFunction run(ValidatedModule vm, int func, Pass... passes) {
        IrFunction f = IrBuilder.build(vm, func);
        for (Pass p : passes) {
            p.run(f);
            IrVerifier.verify(vm.module(), f);
        }
        return f;
    }

    @Test
    void copyPropagationRemovesParametersThatOnlyForwardOneValue() {
        // $x is assigned inside the block only on a path that stores the same value it had
        ValidatedModule vm = module("""
                (module (func (param i32) (result i32) (local $x i32)
                  (local.set $x (i32.const 5))
                  (block (br_if 0 (local.get 0)) (local.set $x (local.get $x)))
                  (local.get $x)))
                """);
        IrFunction before = IrBuilder.build(vm, 0);
        assertTrue(IrPrinter.print(before).contains("block2(v"), IrPrinter.print(before));
        IrFunction f = run(vm, 0, new CopyPropagation());
        String text = IrPrinter.print(f);
        assertTrue(text.contains("block2:"), text);
        assertTrue(text.contains("return v"), text);
    }

    @Test
    void constantFoldingEvaluatesAndFoldsBranches() {
        ValidatedModule vm = module("""
                (module (func (result i32)
                  (if (result i32) (i32.lt_s (i32.const 2) (i32.const 3))
                    (then (i32.mul (i32.const 6) (i32.const 7)))
                    (else (i32.const 0)))))
                """);
        IrFunction f = run(vm, 0, new ConstantFolding(), new CopyPropagation(), new DeadCodeElimination(), new BlockMerging());
        assertEquals("""
                function 0 "func[0]" (func (result i32))
                block0:
                    v5 = i32.const 42
                    return v5
                """, IrPrinter.print(f));
    }

    @Test
    void constantFoldingDropsOperationsWithAnIdentityOperand() {
        ValidatedModule vm = module("""
                (module (func (param i32 i64) (result i32)
                  (i32.add
                    (i32.and (i32.shl (i32.mul (i32.add (i32.const 0) (local.get 0)) (i32.const 1)) (i32.const 32)) (i32.const -1))
                    (i32.wrap_i64 (i64.or (i64.sub (local.get 1) (i64.const 0)) (i64.const 0))))))
                """);
        IrFunction f = run(vm, 0, new ConstantFolding(), new DeadCodeElimination());
        String text = IrPrinter.print(f);
        assertFalse(text.contains("i32.mul") || text.contains("i32.shl") || text.contains("i32.and") || text.contains("i64.sub")
                || text.contains("i64.or") || text.contains("const"), text);
        assertTrue(text.contains("i32.add v0, v"), text);
        ValidatedModule notIdentity = module("(module (func (param i32) (result i32) (i32.sub (i32.const 0) (local.get 0))))");
        assertTrue(IrPrinter.print(run(notIdentity, 0, new ConstantFolding())).contains("i32.sub"), "0 - x is not x");
    }

    @Test
    void compareSinkingPutsTheConditionRightBeforeItsBranch() {
        ValidatedModule vm = module("""
                (module (global $g (mut i32) (i32.const 0))
                  (func (param i32) (result i32) (local $c i32)
                    (local.set $c (i32.gt_u (local.get 0) (i32.const 3)))
                    (global.set $g (i32.add (local.get 0) (i32.const 7)))
                    (if (result i32) (local.get $c) (then (i32.const 1)) (else (global.get $g)))))
                """);
        IrFunction f = run(vm, 0, new CopyPropagation(), new CompareSinking());
        BasicBlock entry = f.entry();
        Instruction last = entry.instructions.get(entry.instructions.size() - 1);
        assertEquals(Opcode.I32_GT_U, last.op, IrPrinter.print(f));
        // a read of mutable state is not moved past a write
        ValidatedModule reads = module("""
                (module (global $g (mut i32) (i32.const 0))
                  (func (param i32) (result i32) (local $c i32)
                    (local.set $c (global.get $g))
                    (global.set $g (local.get 0))
                    (if (result i32) (local.get $c) (then (i32.const 1)) (else (i32.const 2)))))
                """);
        IrFunction g = run(reads, 0, new CopyPropagation(), new CompareSinking());
        assertEquals(Opcode.GLOBAL_GET, g.entry().instructions.get(0).op, IrPrinter.print(g));
    }

    @Test
    void aBranchOnEqzBranchesOnItsOperandWithTheTargetsSwapped() {
        // f64.gt is false for NaN: negating the comparison (f64.le) would be wrong, swapping the targets is not
        ValidatedModule vm = module("""
                (module (func (param f64) (result i32)
                  (block (br_if 0 (i32.eqz (f64.gt (local.get 0) (f64.const 4)))) (return (i32.const 1)))
                  (i32.const 2)))
                """);
        IrFunction f = run(vm, 0, new CopyPropagation(), new BranchInversion(), new DeadCodeElimination(), new CompareSinking());
        String text = IrPrinter.print(f);
        assertFalse(text.contains("eqz"), text);
        Instruction last = f.entry().instructions.get(f.entry().instructions.size() - 1);
        assertEquals(Opcode.F64_GT, last.op, text);
        Terminator.Branch br = (Terminator.Branch) f.entry().terminator;
        assertEquals(last.result(), br.condition, text);
        // still the same function: NaN and 5.0 take the same paths as before
        ValidatedModule twice = module("""
                (module (func (param i32) (result i32)
                  (if (result i32) (i32.eqz (i32.eqz (local.get 0))) (then (i32.const 7)) (else (i32.const 8)))))
                """);
        IrFunction g = run(twice, 0, new CopyPropagation(), new BranchInversion(), new DeadCodeElimination());
        assertEquals(0, ((Terminator.Branch) g.entry().terminator).condition, IrPrinter.print(g));
    }

    @Test
    void constantFoldingLeavesTrappingOperationsAlone() {
        ValidatedModule vm = module("(module (func (result i32) (i32.div_s (i32.const 1) (i32.const 0))))");
        IrFunction f = run(vm, 0, new ConstantFolding(), new DeadCodeElimination());
        assertTrue(IrPrinter.print(f).contains("i32.div_s"), IrPrinter.print(f));
        ValidatedModule ok = module("(module (func (result i32) (i32.div_s (i32.const 9) (i32.const 2))))");
        IrFunction g = run(ok, 0, new ConstantFolding(), new DeadCodeElimination());
        assertTrue(IrPrinter.print(g).contains("i32.const 4"), IrPrinter.print(g));
    }

    @Test
    void constantFoldingMatchesWasmFloatSemantics() {
        ValidatedModule vm = module("(module (func (result f32) (f32.min (f32.const -0) (f32.const 0))))");
        IrFunction f = run(vm, 0, new ConstantFolding(), new DeadCodeElimination());
        assertTrue(IrPrinter.print(f).contains("f32.const -0.0"), IrPrinter.print(f));
    }

    @Test
    void deadCodeEliminationKeepsSideEffects() {
        ValidatedModule vm = module("""
                (module (memory 1) (global $g (mut i32) (i32.const 0))
                  (func (param i32)
                    (drop (i32.add (local.get 0) (i32.const 1)))
                    (drop (i32.load (local.get 0)))
                    (global.set $g (local.get 0))))
                """);
        IrFunction f = run(vm, 0, new DeadCodeElimination());
        String text = IrPrinter.print(f);
        assertFalse(text.contains("i32.add"), text);
        assertTrue(text.contains("i32.load"), text); // may trap: kept
        assertTrue(text.contains("global.set"), text);
    }

    @Test
    void blockMergingJoinsStraightLineBlocks() {
        ValidatedModule vm = module("""
                (module (func (param i32) (result i32)
                  (block (result i32) (block (result i32) (local.get 0)))))
                """);
        IrFunction f = run(vm, 0, new BlockMerging());
        assertEquals(1, f.blocks.size(), IrPrinter.print(f));
    }

    /** The interpreter's pipeline, inlining and the native mid-end after it ({@link Optimizer#NATIVE}). */
    @Test
    void pipelineKeepsEveryCorpusFunctionWellFormed() throws Exception {
        int functions = 0;
        for (ValidatedModule vm : IrCorpus.specModules()) {
            for (int i = vm.module().importedFunctionCount(); i < vm.module().functionCount(); i++) {
                IrFunction f = IrBuilder.build(vm, i);
                Optimizer.optimize(f, (pass, fn) -> IrVerifier.verify(vm.module(), fn));
                if (new Inlining(vm).run(f)) IrVerifier.verify(vm.module(), f);
                Optimizer.optimizeForNative(f, (pass, fn) -> IrVerifier.verify(vm.module(), fn));
                functions++;
            }
        }
        for (Path p : IrCorpus.wasiBinaries()) {
            ValidatedModule vm = ValidatedModule.of(Files.readAllBytes(p));
            for (int i = vm.module().importedFunctionCount(); i < vm.module().functionCount(); i++) {
                IrFunction f = IrBuilder.build(vm, i);
                Optimizer.optimize(f, (pass, fn) -> IrVerifier.verify(vm.module(), fn));
                if (new Inlining(vm).run(f)) IrVerifier.verify(vm.module(), f);
                Optimizer.optimizeForNative(f, (pass, fn) -> IrVerifier.verify(vm.module(), fn));
                functions++;
            }
        }
        assertTrue(functions > 20_000, functions + " functions");
    }
}
