package dev.kiln.interpreter;

import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.WasmFrame;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InterpreterTest {
    private static TestContext context(String wat) {
        return new TestContext(ValidatedModule.of(Wat.compile(wat)));
    }

    @Test
    void recursionRunsOnTheInterpretersOwnFrameStack() {
        TestContext ctx = context("""
                (module (func $fib (export "fib") (param i32) (result i32)
                  (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
                    (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                                   (call $fib (i32.sub (local.get 0) (i32.const 2))))))))
                """);
        assertArrayEquals(new long[] {6765}, ctx.call("fib", 20));
        // 50 000 nested frames on a thread with a small Java stack: no Java recursion
        TestContext deep = context("""
                (module (func $down (export "down") (param i32) (result i32)
                  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
                    (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))
                """);
        long[][] out = new long[1][];
        Thread t = new Thread(null, () -> out[0] = deep.call("down", 50_000), "small", 256 * 1024);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertArrayEquals(new long[] {50_000}, out[0]);
    }

    @Test
    void exhaustionIsATrapNotAStackOverflow() {
        TestContext ctx = context("(module (func $f (export \"f\") (call $f)))");
        TrapException t = assertThrows(TrapException.class, () -> ctx.call("f"));
        assertEquals(TrapKind.CALL_STACK_EXHAUSTED, t.kind);
        assertEquals(TrapException.MAX_FRAMES, t.frames().size());
    }

    @Test
    void trapsRecordEveryInterpretedFrame() {
        TestContext ctx = context("""
                (module
                  (func $div (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
                  (func $mid (param i32) (result i32) (call $div (local.get 0)))
                  (func (export "top") (param i32) (result i32) (call $mid (local.get 0))))
                """);
        TrapException t = assertThrows(TrapException.class, () -> ctx.call("top", 0));
        assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, t.kind);
        assertEquals(3, t.frames().size());
        assertEquals(0, t.frames().get(0).funcIndex());
        assertEquals(2, t.frames().get(2).funcIndex());
        assertTrue(t.frames().get(0).wasmOffset() > t.frames().get(1).wasmOffset() - 100);
    }

    @Test
    void aTrapReportsEachCallersCallSiteThroughFramesOfDifferentSizes() {
        // each caller's pc and frame pointer are read back from the link slot below its callee's
        // frame: frames of different sizes put those slots at different distances
        byte[] wasm = Wat.compile("""
                (module
                  (func $div (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
                  (func $mid (param i32) (result i32) (local i64 i64 i64 i64 i64 i64)
                    (local.set 1 (i64.extend_i32_s (local.get 0)))
                    (local.set 2 (i64.mul (local.get 1) (local.get 1)))
                    (i32.add (i32.wrap_i64 (local.get 2)) (call $div (local.get 0))))
                  (func (export "top") (param i32) (result i32) (i32.sub (i32.const 7) (call $mid (local.get 0)))))
                """);
        TestContext ctx = new TestContext(ValidatedModule.of(wasm));
        assertArrayEquals(new long[] {7 - 4 - 0}, ctx.call("top", 2));
        int callDiv = indexOf(wasm, new byte[] {0x20, 0x00, 0x10, 0x00}) + 2; // local.get 0, call $div
        int callMid = indexOf(wasm, new byte[] {0x20, 0x00, 0x10, 0x01}) + 2; // local.get 0, call $mid
        TrapException t = assertThrows(TrapException.class, () -> ctx.call("top", 0));
        assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, t.kind);
        assertEquals(List.of(0, 1, 2), t.frames().stream().map(WasmFrame::funcIndex).toList());
        assertEquals(callDiv, t.frames().get(1).wasmOffset());
        assertEquals(callMid, t.frames().get(2).wasmOffset());
        assertArrayEquals(new long[] {7 - 9 - 0}, ctx.call("top", 3)); // and the frames are whole again
    }

    @Test
    void aReturnRestoresTheCallersStackBytes() {
        // a return takes the caller's byte count back from the header its call saved below the frame
        TestContext ctx = context("""
                (module (import "m" "host" (func $host (result i32)))
                  (func $down (export "down") (param i32) (result i32)
                    (if (result i32) (i32.eqz (local.get 0)) (then (call $host))
                      (else (i32.add (i32.const 1) (call $down (i32.sub (local.get 0) (i32.const 1))))))))
                """);
        List<Long> seen = new ArrayList<>();
        ctx.host = args -> {
            seen.add(Interpreter.stackBytesInUse());
            return new long[] {0};
        };
        for (int n : new int[] {3, 5, 3}) assertArrayEquals(new long[] {n}, ctx.call("down", n));
        assertEquals(0, Interpreter.stackBytesInUse());
        assertEquals(seen.get(0), seen.get(2), "the same depth counts the same bytes after deeper calls returned");
        long perFrame = (seen.get(1) - seen.get(0)) / 2;
        assertTrue(perFrame > 0);
        assertEquals(4 * perFrame, seen.get(0), "four frames of $down below the host call");
    }

    @Test
    void aHostFunctionCallingBackIntoWasmLeavesTheFrameItInterruptedIntact() {
        // the running frame's function is the top of the frame stack: a nested invocation's frames
        // must start above it, or the interrupted frame would go on with the nested callee's code
        TestContext ctx = context("""
                (module
                  (import "m" "host" (func $host (param i32) (result i32)))
                  (func $twice (export "twice") (param i32) (result i32)
                    (if (result i32) (i32.eqz (local.get 0)) (then (unreachable)) (else (i32.mul (local.get 0) (i32.const 2)))))
                  (func $mid (param i32) (result i32) (i32.add (call $host (local.get 0)) (i32.div_s (i32.const 100) (local.get 0))))
                  (func (export "outer") (param i32) (result i32) (i32.add (call $mid (local.get 0)) (i32.const 1000))))
                """);
        ctx.host = args -> ctx.call("twice", args[0]);
        assertArrayEquals(new long[] {14 + 14 + 1000}, ctx.call("outer", 7));
        TrapException t = assertThrows(TrapException.class, () -> ctx.call("outer", 0)); // traps in the nested twice(0)
        assertEquals(TrapKind.UNREACHABLE, t.kind);
        assertEquals(List.of(1, 2, 3), t.frames().stream().map(WasmFrame::funcIndex).toList());
        assertArrayEquals(new long[] {10 + 20 + 1000}, ctx.call("outer", 5)); // and the frame stack is whole again
    }

    @Test
    void hotnessCountsCallsAndLoopBackEdges() {
        TestContext ctx = context("""
                (module (func (export "loop") (param i32) (result i32) (local i32)
                  (loop $l
                    (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                    (br_if $l (i32.lt_s (local.get 1) (local.get 0))))
                  (local.get 1))
                  (func (export "leaf") (result i32) (i32.const 1)))
                """);
        ctx.hotThreshold = 1000;
        ctx.loopWeight = 10;
        assertArrayEquals(new long[] {50}, ctx.call("loop", 50));
        CompiledFunction loop = ctx.interpretedFunctions()[0];
        assertEquals(1 + 49 * 10, loop.hotness); // one call, 49 taken back-edges
        assertTrue(ctx.hot.isEmpty());
        ctx.call("loop", 100);
        assertEquals(1, ctx.hot.size(), "a long loop crosses the threshold once");
        for (int i = 0; i < 10; i++) ctx.call("leaf");
        assertEquals(10, ctx.interpretedFunctions()[1].hotness);
    }

    @Test
    void callsAndLoopBackEdgesEachPollWhenTheirOwnCountdownRunsOut() {
        // f's entry, two calls of $leaf, then six taken back-edges
        TestContext ctx = context("""
                (module (func $leaf)
                  (func (export "f") (param i32) (local i32)
                    (call $leaf) (call $leaf)
                    (loop $l
                      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
                      (br_if $l (i32.lt_s (local.get 1) (local.get 0))))))
                """);
        ctx.pollInterval = 0; // as with fuel: every event polls
        ctx.call("f", 7);
        assertEquals(1 + 2 + 6, ctx.polls);
        // the entry polls and starts both countdowns at 3; the calls count down the entries' only,
        // so the back-edges poll at their fourth (one countdown for both would poll at events 1, 5
        // and 9: the entry, the second and the sixth back-edge)
        ctx.polls = 0;
        ctx.pollInterval = 3;
        ctx.call("f", 7);
        assertEquals(2, ctx.polls);
    }

    @Test
    void aMemoryTrapInANestedCallReportsTheLoadsOffsetAndEveryFrame() {
        // the loop's memory arms save their pc for the handler (no local of the loop is live into it)
        byte[] wasm = Wat.compile("""
                (module (memory 1)
                  (func $load (param i32) (result i32) (i32.load offset=1234 (i32.add (local.get 0) (i32.const 8))))
                  (func $mid (param i32) (result i32) (i32.add (call $load (local.get 0)) (i32.const 1)))
                  (func (export "top") (param i32) (result i32) (call $mid (local.get 0))))
                """);
        TestContext ctx = new TestContext(ValidatedModule.of(wasm));
        int load = indexOf(wasm, new byte[] {0x28, 0x02, (byte) 0xD2, 0x09}); // i32.load align=2 offset=1234
        assertArrayEquals(new long[] {1}, ctx.call("top", 100)); // in bounds: memory is zero, plus one
        for (int i = 0; i < 3; i++) { // the first and a later call (st.pc of an earlier run must not leak)
            TrapException t = assertThrows(TrapException.class, () -> ctx.call("top", 65536 - 1234 - 8));
            assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, t.kind);
            assertEquals(3, t.frames().size());
            assertEquals(0, t.frames().get(0).funcIndex());
            assertEquals(load, t.frames().get(0).wasmOffset());
            assertEquals(1, t.frames().get(1).funcIndex());
            assertEquals(2, t.frames().get(2).funcIndex());
        }
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) if (hay[i + k] != needle[k]) continue outer;
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void memoryAccessesAreBoundsChecked() {
        TestContext ctx = context("""
                (module (memory 1)
                  (func (export "store") (param i32 i64) (i64.store offset=4 (local.get 0) (local.get 1)))
                  (func (export "load") (param i32) (result i64) (i64.load offset=4 (local.get 0))))
                """);
        ctx.call("store", 65524, -2);
        assertArrayEquals(new long[] {-2}, ctx.call("load", 65524));
        TrapException t = assertThrows(TrapException.class, () -> ctx.call("load", 65525));
        assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, t.kind);
        // the effective address is computed in 33 bits: no wrap-around
        assertThrows(TrapException.class, () -> ctx.call("load", -1));
    }
}
