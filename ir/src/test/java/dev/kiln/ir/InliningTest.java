package dev.kiln.ir;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.InlinedCall;
import dev.kiln.ir.pass.Inlining;
import dev.kiln.ir.pass.Optimizer;
import dev.kiln.ir.pass.Preparation;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Inlining}: which callees are copied into their callers, and what the copy looks like. */
class InliningTest {
    /** The last function of {@code wat}, optimised, with its calls inlined (verified); {@code inlined} says whether any was. */
    private static IrFunction inlined(String wat, boolean inlined) {
        return inlined(ValidatedModule.of(Wat.compile(wat)), inlined);
    }

    private static IrFunction inlined(ValidatedModule vm, boolean inlined) {
        IrFunction f = IrBuilder.build(vm, vm.module().functionCount() - 1);
        Optimizer.optimize(f);
        assertEquals(inlined, new Inlining(vm).run(f), IrPrinter.print(f));
        IrVerifier.verify(vm.module(), f);
        Optimizer.optimizeForNative(f, (pass, fn) -> IrVerifier.verify(vm.module(), fn));
        return f;
    }

    @Test
    void aSmallArithmeticCalleeIsSplicedIntoItsCaller() {
        IrFunction f = inlined("""
                (module
                  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
                  (func (param i32) (result i32) (i32.add (call $sq (i32.add (local.get 0) (i32.const 1))) (call $sq (local.get 0)))))
                """, true);
        assertEquals(0, MidEndTesting.count(f, Opcode.CALL), IrPrinter.print(f));
        assertEquals(2, MidEndTesting.count(f, Opcode.I32_MUL), IrPrinter.print(f));
        assertEquals(1, f.blocks.size(), IrPrinter.print(f));
    }

    @Test
    void aCalleeWithBranchesGetsItsBlocksAndAContinuation() {
        IrFunction f = inlined("""
                (module (global $g (mut i32) (i32.const 0))
                  (func $clamp (param i32) (result i32)
                    (if (result i32) (i32.lt_s (local.get 0) (i32.const 0))
                      (then (global.set $g (i32.add (global.get $g) (i32.const 1))) (i32.const 0))
                      (else (local.get 0))))
                  (func (param i32) (result i32) (i32.mul (call $clamp (local.get 0)) (i32.const 3))))
                """, true);
        assertEquals(0, MidEndTesting.count(f, Opcode.CALL), IrPrinter.print(f));
        assertEquals(1, MidEndTesting.count(f, Opcode.GLOBAL_SET), IrPrinter.print(f));
        assertTrue(f.blocks.size() > 1, IrPrinter.print(f));
    }

    @Test
    void aCallInATryRegionBecomesAJumpToItsNormalSuccessor() {
        // wabt cannot write try_table, so the bytes: (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
        // (func (param i32) (result i32) (block $h (try_table (result i32) (catch_all $h) (call $inc (local.get 0))) (return))
        //   (i32.const -1))
        byte[] wasm = bytes(0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00,
                0x01, 0x06, 0x01, 0x60, 0x01, 0x7F, 0x01, 0x7F,
                0x03, 0x03, 0x02, 0x00, 0x00,
                0x0A, 0x1C, 0x02,
                0x07, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6A, 0x0B,
                0x12, 0x00, 0x02, 0x40, 0x1F, 0x7F, 0x01, 0x02, 0x00, 0x20, 0x00, 0x10, 0x00, 0x0B, 0x0F, 0x0B, 0x41, 0x7F, 0x0B);
        ValidatedModule vm = ValidatedModule.of(wasm);
        IrFunction f = IrBuilder.build(vm, 1);
        Optimizer.optimize(f);
        assertTrue(f.blocks.stream().anyMatch(b -> b.terminator instanceof Terminator.Guarded), IrPrinter.print(f));
        assertTrue(new Inlining(vm).run(f));
        IrVerifier.verify(vm.module(), f);
        assertEquals(0, MidEndTesting.count(f, Opcode.CALL), IrPrinter.print(f));
        assertFalse(f.blocks.stream().anyMatch(b -> b.terminator instanceof Terminator.Guarded), IrPrinter.print(f));
    }

    private static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int k = 0; k < values.length; k++) out[k] = (byte) values[k];
        return out;
    }

    @Test
    void calleesThatLoopOrRecurseStay() {
        String[] callees = {
                "(func $c (param i32) (result i32) (loop $l (br_if $l (i32.eqz (local.get 0)))) (local.get 0))",
                "(func $c (param i32) (result i32) (if (local.get 0) (then (return (call $c (i32.sub (local.get 0) (i32.const 1)))))) (i32.const 7))",
        };
        for (String callee : callees) {
            IrFunction f = inlined("(module (memory 1) " + callee
                    + " (func (param i32) (result i32) (i32.add (call $c (local.get 0)) (call $c (local.get 0)))))", false);
            assertEquals(2, MidEndTesting.count(f, Opcode.CALL), callee);
        }
        // a recursive callee called from one other place has two call sites (its own is one): it stays a call
        IrFunction once = inlined("(module (func $c (param i32) (result i32) (if (local.get 0) (then (return (call $c (i32.const 0)))))"
                + " (i32.const 7)) (func (param i32) (result i32) (call $c (local.get 0))))", false);
        assertEquals(1, MidEndTesting.count(once, Opcode.CALL));
        IrFunction self = inlined("(module (func $r (param i32) (result i32) (call $r (local.get 0))))", false);
        assertEquals(1, MidEndTesting.count(self, Opcode.CALL));
    }

    @Test
    void calleesThatTrapAreInlinedWithTheirOrigin() {
        String[] callees = {
                "(func $c (param i32) (result i32) (i32.load (local.get 0)))",            // may trap: out of bounds
                "(func $c (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))", // may trap: divide by zero
                "(func $c (param i32) (result i32) (if (local.get 0) (then unreachable)) (local.get 0))",
        };
        for (String callee : callees) {
            ValidatedModule vm = ValidatedModule.of(Wat.compile("(module (memory 1) (func $leaf (param i32) (result i32) (loop) (local.get 0)) "
                    + callee + " (func (param i32) (result i32) (i32.add (call $c (local.get 0)) (call $c (i32.const 3)))))"));
            IrFunction f = inlined(vm, true);
            int inlined = 0;
            for (BasicBlock b : f.blocks) {
                for (Instruction i : b.instructions) {
                    if (i.op == Opcode.CALL) assertEquals(0, i.imm, callee + ": only the leaf, which loops, is still called");
                    if (!InlineSites.isInlined(i.wasmOffset)) continue;
                    inlined++;
                    InlineSites.Origin o = f.inlineSites.origin(i.wasmOffset);
                    assertEquals(1, o.inlined().size(), callee);
                    assertEquals(1, o.inlined().getFirst().funcIndex(), callee);
                    int[] body = {vm.module().body(1).codeStart(), vm.module().body(1).codeEnd()};
                    assertTrue(o.wasmOffset() >= body[0] && o.wasmOffset() < body[1], callee + ": an offset in the callee");
                    int call = o.inlined().getFirst().callOffset();
                    assertTrue(call >= vm.module().body(2).codeStart() && call < vm.module().body(2).codeEnd(), callee + ": the call in the caller");
                }
            }
            assertTrue(inlined > 0 || callee.contains("unreachable"), callee + "\n" + IrPrinter.print(f));
        }
    }

    @Test
    void aCalleeThatCallsIsInlinedAtItsOnlyCallSiteOnly() {
        String callee = "(func $c (param i32) (result i32) (i32.add (call $leaf (local.get 0)) (i32.const 1)))";
        String leaf = "(func $leaf (param i32) (result i32) (loop) (local.get 0))";
        IrFunction once = inlined("(module " + leaf + " " + callee + " (func (param i32) (result i32) (call $c (local.get 0))))", true);
        assertEquals(1, MidEndTesting.count(once, Opcode.CALL), IrPrinter.print(once));
        for (BasicBlock b : once.blocks) {
            for (Instruction i : b.instructions) {
                if (i.op != Opcode.CALL) continue;
                List<InlinedCall> frames = once.inlineSites.origin(i.wasmOffset).inlined();
                assertEquals(1, frames.size(), "the leaf's call lies in the copy of $c");
                assertEquals(1, frames.getFirst().funcIndex());
            }
        }
        inlined("(module " + leaf + " " + callee + " (func (param i32) (result i32) (i32.add (call $c (local.get 0))"
                + " (call $c (i32.const 2)))))", false);
    }

    @Test
    void aFunctionCalledFromOnePlaceIsInlinedUpToALargerSize() {
        StringBuilder body = new StringBuilder("(local.get 0)");
        for (int k = 0; k < 30; k++) body.insert(0, "(i32.xor (i32.mul ").append(" (local.get 1)) (i32.const ").append(k * 7 + 1).append("))");
        String callee = "(func $mid (param i32 i32) (result i32) " + body + ")";
        // one call site: inlined although larger than the cap for other callees
        IrFunction once = inlined("(module " + callee + " (func (param i32) (result i32) (call $mid (local.get 0) (local.get 0))))", true);
        assertEquals(0, MidEndTesting.count(once, Opcode.CALL));
        // the same callee called twice, exported, or in a table stays a call
        inlined("(module " + callee + " (func (param i32) (result i32) (i32.add (call $mid (local.get 0) (local.get 0))"
                + " (call $mid (local.get 0) (i32.const 1)))))", false);
        inlined("(module " + callee.replace("$mid", "$mid (export \"mid\")")
                + " (func (param i32) (result i32) (call $mid (local.get 0) (local.get 0))))", false);
        inlined("(module (table 1 funcref) (elem (i32.const 0) $mid) " + callee
                + " (func (param i32) (result i32) (call $mid (local.get 0) (local.get 0))))", false);
    }

    @Test
    void nestedCallsAreInlinedToABoundedDepthWithTheirWholeChain() {
        // each function calls the next once: every call is its callee's only one
        StringBuilder wat = new StringBuilder("(module (memory 1) (func $f0 (param i32) (result i32) (i32.load (local.get 0)))");
        for (int k = 1; k < 8; k++) {
            wat.append(" (func $f").append(k).append(" (param i32) (result i32) (i32.add (call $f").append(k - 1)
                    .append(" (local.get 0)) (i32.load offset=").append(k).append(" (local.get 0))))");
        }
        wat.append(" (func (param i32) (result i32) (call $f7 (local.get 0))))");
        ValidatedModule vm = ValidatedModule.of(Wat.compile(wat.toString()));
        IrFunction f = inlined(vm, true);
        int deepest = 0;
        for (BasicBlock b : f.blocks) for (Instruction i : b.instructions) deepest = Math.max(deepest, f.inlineSites.depth(i.wasmOffset));
        assertEquals(Inlining.MAX_DEPTH, deepest, IrPrinter.print(f));
    }

    @Test
    void aLargeCalleeStays() {
        StringBuilder body = new StringBuilder("(local.get 0)");
        for (int k = 0; k < 60; k++) body.insert(0, "(i32.add ").append(" (i32.const ").append(k * 7 + 1).append("))");
        body.insert(0, "(i32.xor (local.get 1) ").append(")");
        inlined("(module (func $big (param i32 i32) (result i32) " + body.toString().replace("(i32.const", "(i32.mul (local.get 1) (i32.const") .replace("))", ")))")
                + ") (func (param i32) (result i32) (i32.add (call $big (local.get 0) (local.get 0)) (call $big (local.get 0) (i32.const 1)))))", false);
    }

    @Test
    void noInliningWhenFuelIsMetered() {
        // the callee's entry consumes a unit of fuel
        ValidatedModule vm = ValidatedModule.of(Wat.compile("""
                (module
                  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
                  (func (param i32) (result i32) (call $sq (local.get 0))))
                """));
        assertEquals(1, MidEndTesting.count(Preparation.forBackend(vm, 1, CodeOptions.FUEL), Opcode.CALL));
        assertEquals(0, MidEndTesting.count(Preparation.forBackend(vm, 1, CodeOptions.DEFAULT), Opcode.CALL));
    }
}
