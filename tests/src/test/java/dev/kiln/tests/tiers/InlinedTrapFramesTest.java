package dev.kiln.tests.tiers;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.pass.Preparation;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TrapFrame;
import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.tests.fuzz.engine.WasmtimeOracle;
import dev.kiln.tests.wasm3.Wat3;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Traps and exceptions inside code the native mid-end inlined ({@code Inlining}) report exactly the
 * interpreter's Wasm stack: each case first checks that the native IR really has the callee inlined,
 * then compares the trap's kind and frames on both tiers.
 */
class InlinedTrapFramesTest {
    @BeforeEach
    void nativeTier() {
        assumeTrue(Backends.host() != null, "no native tier on " + System.getProperty("os.arch"));
    }

    /** Accessors that read memory, divide and hit unreachable, two levels deep, called from several places. */
    private static final String MODULE = """
            (module (memory 1)
              (func $get (param i32) (result i32) (i32.load offset=4 (local.get 0)))
              (func $div (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))
              (func $check (param i32) (result i32)
                (if (i32.eq (local.get 0) (i32.const 13)) (then unreachable))
                (local.get 0))
              (func $outer (param i32 i32) (result i32)
                (i32.add (call $div (local.get 0) (local.get 1)) (call $get (local.get 0))))
              (func $big (param i32) (result i32) (local $s i32)
                (loop $l (local.set $s (i32.add (local.get $s) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.get $s) (i32.const 10))))
                (i32.div_u (local.get $s) (local.get 0)))
              (func $viaCall (param i32) (result i32) (call $big (local.get 0)))
              (func (export "get") (param i32) (result i32)
                (i32.add (call $get (i32.const 8)) (call $get (local.get 0))))
              (func (export "two") (param i32 i32) (result i32)
                (i32.mul (call $outer (local.get 0) (local.get 1)) (call $check (local.get 1))))
              (func (export "deep") (param i32) (result i32) (call $viaCall (local.get 0)))
              (tag $e (param i32))
              (func $leaf (param i32) (result i32)
                (if (i32.gt_u (local.get 0) (i32.const 100)) (then (throw $e (local.get 0))))
                (i32.add (local.get 0) (i32.const 1)))
              (func $mid (param i32) (result i32) (i32.mul (call $leaf (local.get 0)) (i32.const 2)))
              (func $top (param i32) (result i32) (i32.add (call $mid (local.get 0)) (call $big (i32.const 1))))
              (func (export "catch") (param i32) (result i32)
                (block $c (result i32)
                  (try_table (catch $e $c) (return (call $top (local.get 0))))
                  (unreachable))
                (i32.add (i32.const 1000))))
            """;

    private static final int GET = 6, TWO = 7, DEEP = 8, LEAF = 9, MID = 10, TOP = 11, CATCH = 12;

    /** {@code export(arg)} on the interpreter and on native code: the results must agree. */
    private static int sameResult(String export, int arg) {
        List<Integer> results = new ArrayList<>();
        for (Tier tier : List.of(Tier.INTERP, Tier.NATIVE)) {
            Engine engine = Engine.builder().tier(tier).build();
            try (Store store = engine.newStore()) {
                Instance in = store.instantiate(engine.compile(Wat3.compile(MODULE)), new Imports());
                results.add((int) in.function(export).apply(arg)[0]);
            }
        }
        assertEquals(results.get(0), results.get(1), "interpreter, then native");
        return results.get(0);
    }

    /** The native IR of function {@code index} of {@link #MODULE} calls none of {@code callees}. */
    private static void assertInlined(int index, int... callees) {
        for (int c : callees) assertFalse(calls(index, c), "function " + c + " is still called from " + index);
    }

    /** True when the native IR of function {@code index} of {@link #MODULE} calls function {@code callee}. */
    private static boolean calls(int index, int callee) {
        ValidatedModule vm = ValidatedModule.of(Wat3.compile(MODULE));
        IrFunction f = Preparation.forBackend(vm, index, CodeOptions.DEFAULT);
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) if (i.op == Opcode.CALL && i.imm == callee) return true;
        }
        return false;
    }

    /**
     * The trap kind and Wasm stack of {@code export(args)} on the interpreter and on native code: they
     * must agree. Returns the function indices of the frames, innermost first.
     */
    private static List<Integer> sameTrap(TrapKind kind, String export, Object... args) {
        List<String> stacks = new ArrayList<>();
        List<Integer> functions = new ArrayList<>();
        for (Tier tier : List.of(Tier.INTERP, Tier.NATIVE)) {
            Engine engine = Engine.builder().tier(tier).build();
            try (Store store = engine.newStore()) {
                Instance in = store.instantiate(engine.compile(Wat3.compile(MODULE)), new Imports());
                WasmTrap trap = assertThrows(WasmTrap.class, () -> in.function(export).apply(args), tier.name());
                assertEquals(kind, trap.kind(), tier.name());
                stacks.add(trap.wasmStack().toString());
                functions.clear();
                for (TrapFrame frame : trap.wasmStack()) functions.add(frame.functionIndex());
            }
        }
        assertEquals(stacks.get(0), stacks.get(1), "interpreter, then native");
        return functions;
    }

    @Test
    void anOutOfBoundsLoadInAnInlinedAccessorHasTheAccessorsFrame() {
        assertInlined(GET, 0);
        assertEquals(List.of(0, GET), sameTrap(TrapKind.OUT_OF_BOUNDS_MEMORY, "get", 65_534));
    }

    @Test
    void trapsTwoLevelsDeepInInlinedCodeHaveEveryFrame() {
        assertInlined(TWO, 0, 1, 2, 3);
        assertEquals(List.of(1, 3, TWO), sameTrap(TrapKind.INTEGER_DIVIDE_BY_ZERO, "two", 4, 0));
        assertEquals(List.of(1, 3, TWO), sameTrap(TrapKind.INTEGER_OVERFLOW, "two", Integer.MIN_VALUE, -1));
        assertEquals(List.of(0, 3, TWO), sameTrap(TrapKind.OUT_OF_BOUNDS_MEMORY, "two", -2, 1));
        assertEquals(List.of(2, TWO), sameTrap(TrapKind.UNREACHABLE, "two", 4, 13));
    }

    @Test
    void aTrapInAFunctionCalledFromInlinedCodeHasTheInlinedCallersFrame() {
        assertInlined(DEEP, 5);
        assertEquals(List.of(4, 5, DEEP), sameTrap(TrapKind.INTEGER_DIVIDE_BY_ZERO, "deep", 0));
    }

    /**
     * The same traps under wasmtime: the same frames, function and offset, as kiln's native code (differential).
     * One difference is wasmtime's: Cranelift turns {@code if ... (then unreachable)} into a conditional trap and
     * reports the {@code if}'s offset, kiln (and its interpreter) the {@code unreachable}'s; that frame is
     * compared by function only.
     */
    @Test
    void wasmtimeReportsTheSameFrames() {
        WasmtimeOracle oracle = WasmtimeOracle.startOrNull();
        assumeTrue(oracle != null || WasmtimeOracle.required(), "no wasmtime oracle");
        assertNotNull(oracle, "the wasmtime oracle is required");
        try (oracle) {
            byte[] wasm = Wat3.compile(MODULE);
            Object[][] cases = {{"get", 65_534}, {"two", 4, 0}, {"two", Integer.MIN_VALUE, -1}, {"two", -2, 1}, {"two", 4, 13}, {"deep", 0}};
            for (Object[] c : cases) {
                int[] args = new int[c.length - 1];
                for (int k = 1; k < c.length; k++) args[k - 1] = (Integer) c[k];
                List<String> wasmtime = new ArrayList<>();
                for (int[] frame : oracle.trapFrames(wasm, (String) c[0], args)) wasmtime.add(frame[0] + "@" + frame[1]);
                Engine engine = Engine.builder().tier(Tier.NATIVE).build();
                try (Store store = engine.newStore()) {
                    Instance in = store.instantiate(engine.compile(wasm), new Imports());
                    Object[] boxed = new Object[args.length];
                    for (int k = 0; k < args.length; k++) boxed[k] = args[k];
                    WasmTrap trap = assertThrows(WasmTrap.class, () -> in.function((String) c[0]).apply(boxed));
                    List<String> kiln = new ArrayList<>();
                    for (TrapFrame frame : trap.wasmStack()) kiln.add(frame.functionIndex() + "@" + frame.offset());
                    if (trap.kind() == TrapKind.UNREACHABLE) {
                        wasmtime.set(0, wasmtime.getFirst().replaceAll("@.*", ""));
                        kiln.set(0, kiln.getFirst().replaceAll("@.*", ""));
                    }
                    assertEquals(wasmtime, kiln, Arrays.toString(c));
                }
            }
        }
    }

    @Test
    void anExceptionThrownTwoLevelsDeepInInlinedCodeReachesTheCallersHandler() {
        assertInlined(TOP, LEAF, MID);
        assertTrue(calls(CATCH, TOP), "a callee that calls stays a call in a try region (its calls would need the handlers)");
        assertEquals((5 + 1) * 2 + 10, sameResult("catch", 5));
        assertEquals(1500, sameResult("catch", 500), "caught: the payload plus 1000");
    }
}
