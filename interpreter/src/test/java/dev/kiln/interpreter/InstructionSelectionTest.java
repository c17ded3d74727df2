package dev.kiln.interpreter;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the function compiler emits: immediates, superinstructions, branch forms, and lazy preparation. */
class InstructionSelectionTest {
    private static TestContext context(String wat) {
        return new TestContext(ValidatedModule.of(Wat.compile(wat)));
    }

    /** The opcodes of a compiled function, in code order. */
    private static List<Integer> ops(CompiledFunction f) {
        List<Integer> ops = new ArrayList<>();
        for (int pc = 0; pc < f.code.length; pc += Op.lengthAt(f.code, pc)) ops.add(f.code[pc]);
        return ops;
    }

    @Test
    void constantOperandsBecomeImmediatesAndNeedNoSlot() {
        TestContext ctx = context("""
                (module (func (export "f") (param i32) (result i32)
                  (i32.sub (i32.mul (i32.add (local.get 0) (i32.const 5)) (i32.const 3)) (i32.const 1))))
                """);
        CompiledFunction f = ctx.interpretedFunctions()[0];
        assertTrue(ops(f).contains(Op.I32_ADD_IMM) && ops(f).contains(Op.I32_MUL_IMM), ops(f).toString());
        assertEquals(0, f.constants.length, "no constant is preloaded into the frame");
        assertArrayEquals(new long[] {(7 + 5) * 3 - 1}, ctx.call("f", 7));
    }

    @Test
    void comparisonsWithImmediatesKeepTheirEdgeCases() {
        // x <= k runs as x < k + 1: k = MAX has no such form and must still be right
        TestContext ctx = context("""
                (module
                  (func (export "le_max") (param i32) (result i32) (i32.le_s (local.get 0) (i32.const 2147483647)))
                  (func (export "ge_u0") (param i32) (result i32) (i32.ge_u (local.get 0) (i32.const 0)))
                  (func (export "le_u") (param i32) (result i32) (i32.le_u (local.get 0) (i32.const 10)))
                  (func (export "gt_s_left") (param i32) (result i32) (i32.gt_s (i32.const 3) (local.get 0)))
                  (func (export "br_ge_s") (param i32) (result i32)
                    (if (result i32) (i32.ge_s (local.get 0) (i32.const -2147483648)) (then (i32.const 1)) (else (i32.const 0)))))
                """);
        assertArrayEquals(new long[] {1}, ctx.call("le_max", Integer.MAX_VALUE));
        assertArrayEquals(new long[] {1}, ctx.call("ge_u0", 0));
        assertArrayEquals(new long[] {1}, ctx.call("le_u", 10));
        assertArrayEquals(new long[] {0}, ctx.call("le_u", -1));
        assertArrayEquals(new long[] {1}, ctx.call("gt_s_left", 2));
        assertArrayEquals(new long[] {0}, ctx.call("gt_s_left", 3));
        assertArrayEquals(new long[] {1}, ctx.call("br_ge_s", Integer.MIN_VALUE));
    }

    @Test
    void superinstructionsJoinAnAddressAddWithItsLoadAndAMultiplyWithItsAdd() {
        TestContext ctx = context("""
                (module (memory 1)
                  (func (export "load") (param i32) (result i32) (local i32)
                    (local.set 1 (i32.add (local.get 0) (i32.const 8)))
                    (i32.add (i32.load (local.get 1)) (local.get 1)))
                  (func (export "fma") (param f64 f64 f64) (result f64)
                    (f64.add (f64.mul (local.get 0) (local.get 1)) (local.get 2)))
                  (func (export "oob") (param i32) (result i32) (i32.load (i32.add (local.get 0) (i32.const 4))))
                  (func (export "store8") (param i32 i32) (i32.store8 offset=1 (i32.add (local.get 0) (i32.const -3)) (local.get 1)))
                  (func (export "mulmul") (param f64 f64 f64) (result f64) (local f64)
                    (local.set 3 (f64.mul (local.get 0) (local.get 1)))
                    (f64.sub (f64.mul (local.get 2) (local.get 3)) (local.get 3))))
                """);
        ctx.memory().set(ValueLayout.JAVA_INT, 24, 1000);
        assertTrue(ops(ctx.interpretedFunctions()[0]).contains(Op.ADD_IMM_LOAD_I32), ops(ctx.interpretedFunctions()[0]).toString());
        assertArrayEquals(new long[] {1000 + 24}, ctx.call("load", 16), "the sum is both loaded from and used");
        assertTrue(ops(ctx.interpretedFunctions()[1]).contains(Op.F64_MUL_ADD));
        assertArrayEquals(new long[] {Double.doubleToRawLongBits(2.5 * 4 + 1)},
                ctx.call("fma", Double.doubleToRawLongBits(2.5), Double.doubleToRawLongBits(4), Double.doubleToRawLongBits(1)));
        TrapException t = assertThrows(TrapException.class, () -> ctx.call("oob", 65534));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, t.kind);
        assertTrue(ops(ctx.interpretedFunctions()[3]).contains(Op.ADD_IMM_STORE_I8), ops(ctx.interpretedFunctions()[3]).toString());
        ctx.call("store8", 102, 0x1FF);
        assertEquals((byte) 0xFF, ctx.memory().get(ValueLayout.JAVA_BYTE, 100));
        // the address wraps in 32 bits before the offset is added: 2 - 3 = 0xFFFFFFFF, + 1 is past the end
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, assertThrows(TrapException.class, () -> ctx.call("store8", 2, 1)).kind);
        // a product multiplied again (its second operand), and used once more
        assertTrue(ops(ctx.interpretedFunctions()[4]).contains(Op.F64_MUL_MUL), ops(ctx.interpretedFunctions()[4]).toString());
        assertArrayEquals(new long[] {Double.doubleToRawLongBits(3.0 * (1.5 * 2.0) - 1.5 * 2.0)},
                ctx.call("mulmul", Double.doubleToRawLongBits(1.5), Double.doubleToRawLongBits(2), Double.doubleToRawLongBits(3)));
    }

    @Test
    void aBitTestFeedingABranchIsOneInstruction() {
        TestContext ctx = context("""
                (module (func (export "f") (param i32) (result i32)
                  (if (result i32) (i32.and (local.get 0) (i32.const 4)) (then (i32.const 10)) (else (i32.const 20)))))
                """);
        List<Integer> ops = ops(ctx.interpretedFunctions()[0]);
        assertTrue(ops.contains(Op.BR_AND_NZ) || ops.contains(Op.BR_AND_Z), ops.toString());
        assertFalse(ops.contains(Op.I32_AND_IMM));
        assertArrayEquals(new long[] {10}, ctx.call("f", 6));
        assertArrayEquals(new long[] {20}, ctx.call("f", 3));
    }

    @Test
    void aLoopIterationRunsOneBranchBackward() {
        TestContext ctx = context("""
                (module (func (export "count") (param i32) (result i32) (local i32)
                  (loop $l
                    (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                    (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
                  (local.get 1)))
                """);
        CompiledFunction f = ctx.interpretedFunctions()[0];
        assertArrayEquals(new long[] {100}, ctx.call("count", 100));
        assertEquals(99, f.backEdges, "one back-edge per iteration after the first");
        // the back-edge is taken by the conditional branch itself (through the edge's empty block, whose
        // argument already sits in the parameter's slot), not by a JMP after a branch that falls through
        int backwardConditional = 0;
        for (int pc = 0; pc < f.code.length; pc += Op.lengthAt(f.code, pc)) {
            int op = f.code[pc];
            if (op >= Op.BR_I32_EQ && op <= Op.BR_I32_GT_U_IMM && f.code[pc + 3] <= pc) backwardConditional++;
        }
        assertEquals(1, backwardConditional, ops(f).toString());
    }

    @Test
    void noJumpLeadsToTheNextInstructionAndNoneIsLeftUnreachable() {
        // sieve's outer loop as clang emits it: two exits to the end of the body, whose empty edge
        // blocks the branches are threaded past
        TestContext ctx = context("""
                (module (memory 1)
                  (func (export "count") (param i32) (result i32) (local i32 i32 i32)
                    (loop $l
                      (block $skip
                        (br_if $skip (i32.eqz (i32.load8_u (local.get 1))))
                        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
                        (br_if $skip (i32.gt_u (local.get 1) (i32.const 1000)))
                        (local.set 3 (i32.add (local.get 3) (local.get 1))))
                      (br_if $l (i32.ne (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (local.get 0))))
                    (i32.add (local.get 2) (local.get 3))))
                """);
        for (int a = 0; a < 64; a += 3) ctx.memory().set(ValueLayout.JAVA_BYTE, a, (byte) 1);
        assertArrayEquals(new long[] {22 + 693}, ctx.call("count", 64));
        CompiledFunction f = ctx.interpretedFunctions()[0];
        List<Integer> ops = ops(f);
        int pc = 0;
        for (int k = 0; k < ops.size(); k++) {
            int next = pc + Op.lengthAt(f.code, pc);
            if (ops.get(k) == Op.JMP) {
                assertTrue(f.code[pc + 1] != next, "a JMP to the next instruction at " + pc + ": " + ops);
                assertTrue(k == 0 || !List.of(Op.JMP, Op.MOV_JMP, Op.CONST_JMP).contains(ops.get(k - 1)), "an unreachable JMP at " + pc + ": " + ops);
            }
            pc = next;
        }
    }

    @Test
    void aBlocksLastParameterMoveAndItsJumpAreOneInstruction() {
        // the then-arm passes its value to the join block and jumps over the else-arm
        TestContext ctx = context("""
                (module
                  (func (export "mov") (param i32 i32 i32) (result i32)
                    (i32.add (if (result i32) (local.get 0) (then (local.get 1)) (else (i32.mul (local.get 2) (local.get 2))))
                             (local.get 2)))
                  (func (export "const") (param i32 i32) (result i32)
                    (i32.add (if (result i32) (local.get 0) (then (i32.const 5)) (else (i32.mul (local.get 1) (local.get 1))))
                             (local.get 1))))
                """);
        assertTrue(ops(ctx.interpretedFunctions()[0]).contains(Op.MOV_JMP), ops(ctx.interpretedFunctions()[0]).toString());
        assertTrue(ops(ctx.interpretedFunctions()[1]).contains(Op.CONST_JMP), ops(ctx.interpretedFunctions()[1]).toString());
        assertArrayEquals(new long[] {10 + 3}, ctx.call("mov", 1, 10, 3));
        assertArrayEquals(new long[] {9 + 3}, ctx.call("mov", 0, 10, 3));
        assertArrayEquals(new long[] {5 + 4}, ctx.call("const", 1, 4));
        assertArrayEquals(new long[] {16 + 4}, ctx.call("const", 0, 4));
    }

    @Test
    void aLoopCounterAndItsTestAreOneInstruction() {
        TestContext ctx = context("""
                (module
                  (func (export "steps") (param i32) (result i32) (local i32)
                    (loop $l
                      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                      (local.set 0 (i32.add (local.get 0) (i32.const 3)))
                      (br_if $l (i32.ne (local.get 0) (i32.const 30))))
                    (i32.add (local.get 1) (i32.mul (local.get 0) (i32.const 1000))))
                  (func (export "strides") (param i32 i32) (result i32) (local i32)
                    (loop $l
                      (local.set 2 (i32.add (local.get 2) (i32.const 1)))
                      (br_if $l (i32.lt_u (local.tee 0 (i32.add (local.get 0) (local.get 1))) (i32.const 1000))))
                    (i32.add (local.get 2) (i32.mul (local.get 0) (i32.const 1000))))
                  (func (export "toZero") (param i32) (result i32) (local i32)
                    (loop $l
                      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                      (br_if $l (local.tee 0 (i32.add (local.get 0) (i32.const 2)))))
                    (local.get 1)))
                """);
        assertTrue(ops(ctx.interpretedFunctions()[2]).contains(Op.ADD_IMM_BR_NE_IMM), ops(ctx.interpretedFunctions()[2]).toString());
        assertArrayEquals(new long[] {50}, ctx.call("toZero", -100));
        assertTrue(ops(ctx.interpretedFunctions()[0]).contains(Op.ADD_IMM_BR_NE_IMM), ops(ctx.interpretedFunctions()[0]).toString());
        assertTrue(ops(ctx.interpretedFunctions()[1]).contains(Op.ADD_BR_LT_U_IMM), ops(ctx.interpretedFunctions()[1]).toString());
        assertArrayEquals(new long[] {10 + 30_000}, ctx.call("steps", 0));
        // the counter wraps past 2^32 on its way to 30, and the sum is kept in its slot
        assertArrayEquals(new long[] {11 + 30_000}, ctx.call("steps", -3));
        assertArrayEquals(new long[] {10 + 1000_000}, ctx.call("strides", 0, 100));
        // unsigned: a sum past 2^31 is not below 1000, one that wraps past 2^32 is
        assertArrayEquals(new long[] {1}, ctx.call("strides", 0, Integer.MIN_VALUE));
        assertArrayEquals(new long[] {60 + 1010 * 1000}, ctx.call("strides", -10, 17));
    }

    @Test
    void aCounterTestedForEqualityAndAByteLoadThroughAnAddedAddressAreOneInstructionEach() {
        TestContext ctx = context("""
                (module (memory 1)
                  (func (export "until") (param i32) (result i32) (local i32)
                    (block $done
                      (loop $l
                        (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                        (br_if $done (i32.eq (local.tee 0 (i32.sub (local.get 0) (i32.const 1))) (i32.const 7)))
                        (local.set 1 (i32.add (local.get 1) (i32.const 100)))
                        (br $l)))
                    (i32.add (local.get 1) (i32.mul (local.get 0) (i32.const 1000))))
                  (func (export "byte") (param i32) (result i32) (local i32)
                    (local.set 1 (i32.add (local.get 0) (i32.const 5)))
                    (i32.add (i32.load8_u offset=2 (local.get 1)) (i32.shl (local.get 1) (i32.const 8))))
                  (func (export "byte64") (param i32) (result i64)
                    (i64.load8_u (i32.add (local.get 0) (i32.const -1)))))
                """);
        assertTrue(ops(ctx.interpretedFunctions()[0]).contains(Op.ADD_IMM_BR_EQ_IMM), ops(ctx.interpretedFunctions()[0]).toString());
        // the difference is kept in its slot (it is read after the loop)
        assertArrayEquals(new long[] {203 + 7000}, ctx.call("until", 10));
        assertArrayEquals(new long[] {1 + 7000}, ctx.call("until", 8));
        assertTrue(ops(ctx.interpretedFunctions()[1]).contains(Op.ADD_IMM_LOAD_I8_U), ops(ctx.interpretedFunctions()[1]).toString());
        ctx.memory().set(ValueLayout.JAVA_BYTE, 107, (byte) 0xF3);
        assertArrayEquals(new long[] {0xF3 + (105 << 8)}, ctx.call("byte", 100), "zero-extended, and the sum is used too");
        assertTrue(ops(ctx.interpretedFunctions()[2]).contains(Op.ADD_IMM_LOAD_I8_U), ops(ctx.interpretedFunctions()[2]).toString());
        assertArrayEquals(new long[] {0xF3}, ctx.call("byte64", 108));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, assertThrows(TrapException.class, () -> ctx.call("byte", 65530)).kind);
        // the address wraps in 32 bits: 0 - 1 is 0xFFFFFFFF, past the end
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, assertThrows(TrapException.class, () -> ctx.call("byte64", 0)).kind);
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, assertThrows(TrapException.class, () -> ctx.call("byte", 65536 - 7)).kind);
    }

    @Test
    void anF64ComparisonFeedingABranchIsOneInstructionAndNaNTakesTheFalseSide() {
        String[] cmps = {"lt", "gt", "le", "ge"};
        StringBuilder wat = new StringBuilder("(module\n");
        for (String cmp : cmps) {
            // either branch direction: the true side falls through (inverted) or is the target
            wat.append("(func (export \"").append(cmp).append("\") (param f64 f64) (result i32)\n")
                    .append("  (if (result i32) (f64.").append(cmp).append(" (local.get 0) (local.get 1))\n")
                    .append("    (then (i32.const 1)) (else (i32.const 0))))\n");
            wat.append("(func (export \"").append(cmp).append("_loop\") (param f64 f64) (result i32) (local i32)\n")
                    .append("  (loop $l (local.set 2 (i32.add (local.get 2) (i32.const 1)))\n")
                    .append("    (local.set 0 (f64.add (local.get 0) (f64.const 1)))\n")
                    .append("    (br_if $l (f64.").append(cmp).append(" (local.get 0) (local.get 1))))\n")
                    .append("  (local.get 2))\n");
        }
        TestContext ctx = context(wat.append(")").toString());
        Set<Integer> fused = Set.of(Op.BR_F64_LT, Op.BR_F64_NOT_LT, Op.BR_F64_LE, Op.BR_F64_NOT_LE);
        for (CompiledFunction f : ctx.interpretedFunctions()) {
            assertTrue(ops(f).stream().anyMatch(fused::contains), f.name + ": " + ops(f));
            assertFalse(ops(f).contains(Op.F64_LT) || ops(f).contains(Op.F64_LE), f.name + ": " + ops(f));
        }
        double nan = Double.NaN;
        double[][] pairs = {{1, 2}, {2, 1}, {2, 2}, {-0.0, 0.0}, {nan, 1}, {1, nan}, {nan, nan}, {Double.NEGATIVE_INFINITY, -1e308}};
        for (double[] p : pairs) {
            long a = Double.doubleToRawLongBits(p[0]), b = Double.doubleToRawLongBits(p[1]);
            boolean[] expect = {p[0] < p[1], p[0] > p[1], p[0] <= p[1], p[0] >= p[1]};
            for (int k = 0; k < cmps.length; k++) {
                assertArrayEquals(new long[] {expect[k] ? 1 : 0}, ctx.call(cmps[k], a, b), cmps[k] + " " + p[0] + " " + p[1]);
            }
        }
        // the loops: x = 0.5 counts up past 3 (lt, le: 3 iterations; NaN bound: one)
        long half = Double.doubleToRawLongBits(0.5), three = Double.doubleToRawLongBits(3);
        assertArrayEquals(new long[] {3}, ctx.call("lt_loop", half, three));
        assertArrayEquals(new long[] {3}, ctx.call("le_loop", half, three));
        assertArrayEquals(new long[] {1}, ctx.call("gt_loop", half, three));
        assertArrayEquals(new long[] {1}, ctx.call("lt_loop", half, Double.doubleToRawLongBits(nan)));
        assertArrayEquals(new long[] {1}, ctx.call("ge_loop", Double.doubleToRawLongBits(nan), three));
        assertArrayEquals(new long[] {1}, ctx.call("ge_loop", half, three));
        assertArrayEquals(new long[] {3}, ctx.call("le_loop", half, Double.doubleToRawLongBits(2.5)));
    }

    @Test
    void functionsArePreparedAtTheirFirstCallOnly() {
        ValidatedModule vm = ValidatedModule.of(Wat.compile("""
                (module
                  (func $leaf (param i32) (result i32) (i32.mul (local.get 0) (i32.const 2)))
                  (func $never (result i32) (i32.const 1))
                  (func (export "top") (param i32) (result i32) (call $leaf (local.get 0))))
                """));
        LazyContext ctx = new LazyContext(vm);
        assertArrayEquals(new long[] {42}, Interpreter.invoke(ctx, ctx.prepare(2), new long[] {21}));
        assertNotNull(ctx.interpretedFunctions()[0], "the callee was prepared at its first call");
        assertNull(ctx.interpretedFunctions()[1], "a function never called costs nothing");
        assertEquals(2, ctx.prepared);
    }

    /** A context that compiles each function when the interpreter first asks for it. */
    private static final class LazyContext extends TestContext {
        private final ValidatedModule vm;
        private final CompiledFunction[] lazy;
        int prepared;

        LazyContext(ValidatedModule vm) {
            super(vm);
            this.vm = vm;
            this.lazy = new CompiledFunction[vm.module().functionCount()];
        }

        @Override
        public CompiledFunction[] interpretedFunctions() {
            return lazy;
        }

        @Override
        public CompiledFunction prepare(int funcIndex) {
            if (lazy[funcIndex] == null) {
                lazy[funcIndex] = FunctionCompiler.compile(vm, funcIndex);
                prepared++;
            }
            return lazy[funcIndex];
        }
    }
}
