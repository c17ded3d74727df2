package dev.kiln.interpreter;

import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import org.junit.jupiter.api.Test;

import java.lang.foreign.ValueLayout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static dev.kiln.interpreter.InstructionSelectionTest.context;
import static dev.kiln.interpreter.InstructionSelectionTest.ops;

/** The sequential pairs ({@code Superinstructions.SEQUENTIAL}): which adjacent instructions run in one dispatch, and that they compute what the two did. */
class SequentialPairsTest {
    /** The opcodes' names in code order (a pair's second instruction is listed after it). */
    private static String names(CompiledFunction f) {
        return ops(f).stream().map(Op::name).toList().toString();
    }

    private static int fib(int n) {
        return n < 2 ? n : fib(n - 1) + fib(n - 2);
    }

    @Test
    void aRecursiveCallsArgumentItsSumAndTheLoopCountersAreJoined() {
        // the shape clang gives bench/programs/fib.c: acc += fib(n - 1); n -= 2 while n > 1
        TestContext ctx = context("""
                (module
                  (func $fib (export "fib") (param i32) (result i32) (local i32 i32)
                    (if (i32.lt_s (local.get 0) (i32.const 2)) (then (return (local.get 0))))
                    (local.set 1 (i32.const 0))
                    (loop $l
                      (local.set 1 (i32.add (call $fib (i32.add (local.get 0) (i32.const -1))) (local.get 1)))
                      (local.set 2 (i32.add (local.get 0) (i32.const -2)))
                      (local.set 0 (local.get 2))
                      (br_if $l (i32.gt_s (local.get 2) (i32.const 1))))
                    (i32.add (local.get 0) (local.get 1))))
                """);
        CompiledFunction f = ctx.interpretedFunctions()[0];
        assertTrue(ops(f).contains(Op.ADD_IMM_CALL), names(f));
        assertTrue(ops(f).contains(Op.ADD_ADD_IMM), names(f));
        for (int n = 0; n <= 20; n++) assertArrayEquals(new long[] {fib(n)}, ctx.call("fib", n), "fib(" + n + ")");
    }

    @Test
    void aJoinedCallToAFunctionTheLoopDoesNotEnterItselfGoesThroughCallOps() {
        TestContext ctx = context("""
                (module
                  (import "env" "twice" (func $twice (param i32) (result i32)))
                  (func (export "f") (param i32) (result i32)
                    (i32.mul (call $twice (i32.add (local.get 0) (i32.const 5))) (i32.const 3))))
                """);
        ctx.host = args -> new long[] {2 * (int) args[0]};
        CompiledFunction f = ctx.interpretedFunctions()[1];
        assertTrue(ops(f).contains(Op.ADD_IMM_CALL), names(f));
        assertArrayEquals(new long[] {(7 + 5) * 2 * 3}, ctx.call("f", 7));
        assertArrayEquals(new long[] {(-5 + 5) * 2 * 3}, ctx.call("f", -5));
    }

    @Test
    void aParameterMoveAndAConstantIntoALoopAreOneDispatch() {
        TestContext ctx = context("""
                (module
                  (func (export "sum") (param i32 i32) (result i32) (local i32 i32)
                    (local.set 2 (local.get 1))
                    (local.set 3 (i32.const 7))
                    (loop $l
                      (local.set 3 (i32.add (local.get 3) (local.get 2)))
                      (local.set 2 (i32.add (local.get 2) (i32.const 1)))
                      (br_if $l (i32.lt_s (local.get 2) (local.get 0))))
                    (i32.add (local.get 3) (i32.mul (local.get 2) (i32.const 1000)))))
                """);
        CompiledFunction f = ctx.interpretedFunctions()[0];
        assertTrue(ops(f).contains(Op.MOV_CONST), names(f));
        // 7 + 3 + 4 + ... + 9, then i = 10
        assertArrayEquals(new long[] {7 + 42 + 10_000}, ctx.call("sum", 10, 3));
        assertArrayEquals(new long[] {7 + 50 + 51_000}, ctx.call("sum", 0, 50), "one iteration");
    }

    @Test
    void aByteStoreAndTheStridedLoopTestAfterItAreOneDispatch() {
        // sieve's inner loop: mark multiples of i below n
        TestContext ctx = context("""
                (module (memory 1)
                  (func (export "mark") (param i32 i32 i32) (local i32)
                    (local.set 3 (local.get 0))
                    (loop $l
                      (i32.store8 offset=1 (i32.add (local.get 3) (i32.const 16)) (local.get 2))
                      (br_if $l (i32.lt_u (local.tee 3 (i32.add (local.get 3) (local.get 1))) (i32.const 1000))))))
                """);
        CompiledFunction f = ctx.interpretedFunctions()[0];
        assertTrue(ops(f).contains(Op.ADD_IMM_STORE_I8_ADD_BR_LT_U_IMM), names(f));
        ctx.call("mark", 3, 7, 0x1AB);
        for (int a = 0; a < 1100; a++) {
            int expected = a >= 17 && (a - 17 - 3) % 7 == 0 && a - 17 < 1000 && a - 17 >= 3 ? 0xAB : 0;
            assertEquals(expected, ctx.memory().get(ValueLayout.JAVA_BYTE, a) & 0xFF, "byte " + a);
        }
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, assertThrows(TrapException.class, () -> ctx.call("mark", 65519, 1, 1)).kind);
    }
}
