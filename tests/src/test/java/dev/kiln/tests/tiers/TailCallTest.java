package dev.kiln.tests.tiers;

import dev.kiln.frontend.Decoder;
import dev.kiln.frontend.Validator;
import dev.kiln.tests.api.ApiTypes;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.IrVerifier;
import dev.kiln.ir.Terminator;
import dev.kiln.runtime.TrapKind;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.pass.Preparation;
import dev.kiln.linker.BuildIdentity;
import dev.kiln.linker.CodeCache;
import dev.kiln.linker.ElfWriter;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.runtime.internal.NativeCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The tail-call primitive of the internal calling convention ({@code X64Function.replaceFrame},
 * {@code A64Function.replaceFrame}, lowered from {@link Terminator.ReturnCall}), before the Wasm
 * opcodes that produce it exist: every {@code call} or {@code call_indirect} whose results a
 * function returns at once is rewritten into a tail call in the prepared IR, the rewritten code is
 * put in a code cache under the module's key, and the native tier runs it from there. Chains of a
 * million tail calls between functions with different numbers of stack arguments (integer and
 * float), through direct calls, {@code call_indirect}, imports, another instance's functions
 * (instance-return records) and host functions must run in constant stack and compute what the
 * same arithmetic computes in Java; the same modules compiled normally exhaust the stack. The
 * AArch64 JVM runs it as {@link TailCallAarch64Test}.
 */
class TailCallTest {
    private static final long DEPTH = 1_000_000;

    @TempDir
    Path cacheDir;

    @BeforeAll
    static void hasNativeTier() {
        assumeTrue(Backends.host() != null, "no native tier on " + System.getProperty("os.arch"));
    }

    /** Three functions calling each other in turn with 2, 12 and 20 parameters (4 of them f64). */
    private static final String RING = """
            (module
              (type $ta (func (param i64 i64) (result i64)))
              (table 3 funcref)
              (elem (i32.const 0) $a $b $c)
              (func $a (export "a") (param $n i64) (param $acc i64) (result i64)
                (if (result i64) (i64.eqz (local.get $n)) (then (local.get $acc))
                  (else (call $b (i64.sub (local.get $n) (i64.const 1)) (local.get $acc)
                          (i64.const 3) (i64.const 4) (i64.const 5) (i64.const 6) (i64.const 7)
                          (i64.const 8) (i64.const 9) (i64.const 10) (i64.const 11) (i64.const 12)))))
              (func $b (param $n i64) (param $acc i64) (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
                (call $c (local.get $n) (i64.add (local.get $acc) (i64.add (local.get 2) (local.get 11)))
                  (f64.const 1.5) (f64.const 2.5) (f64.const 3.5) (f64.const 4.5) (f64.const 5.5)
                  (f64.const 6.5) (f64.const 7.5) (f64.const 8.5) (f64.const 9.5) (f64.const 10.5)
                  (i64.const 13) (i64.const 14) (i64.const 15) (i64.const 16) (i64.const 17) (i64.const 18)
                  (local.get 9) (local.get 10)))
              (func $c (param $n i64) (param $acc i64) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64)
                       (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
                (if (result i64) (i64.eqz (local.get $n)) (then (local.get $acc))
                  (else (call_indirect (type $ta) (i64.sub (local.get $n) (i64.const 1))
                          (i64.add (local.get $acc)
                            (i64.add (i64.trunc_f64_s (f64.add (local.get 2) (local.get 11)))
                                     (i64.add (local.get 12) (i64.add (local.get 19) (local.get 18)))))
                          (i32.const 0))))))
            """;

    /** a(n, acc) → b → c → a ...: a and c count n down; b and c add their arguments. */
    private static long ring(long n) {
        long acc = 0;
        while (true) {
            if (n == 0) return acc;           // a
            n--;
            acc += 3 + 12;                    // b: locals 2 and 11
            if (n == 0) return acc;           // c
            acc += (long) (1.5 + 10.5) + 13 + 10 + 11; // c: f64 locals 2 and 11, local 12 (13), locals 18 (10) and 19 (11)
            n--;
        }
    }

    @Test
    void directAndIndirectTailCallsRunInConstantStack() throws IOException {
        WasmModule m = WasmModule.of(Wat.compile(RING), "ring.wasm");
        try (Store store = new Store().tier(Tier.NATIVE)) {
            Instance i = store.instantiate(withTailCalls(m), new Imports());
            for (long n : new long[] {0, 1, 2, 3, 10, DEPTH, DEPTH + 1}) assertEquals(ring(n), call(i, "a", n, 0), "a(" + n + ")");
        }
        try (Store store = new Store().tier(Tier.NATIVE)) { // the same code with ordinary calls runs out of stack
            Instance i = store.instantiate(WasmModule.of(Wat.compile(RING), "ring.wasm"), new Imports());
            assertEquals(TrapKind.CALL_STACK_EXHAUSTED, assertThrows(WasmTrap.class, () -> call(i, "a", DEPTH, 0)).kind());
        }
    }

    /** Two instances whose functions tail-call each other through a shared table, each adding its own global. */
    private static final String PING = """
            (module
              (type $t (func (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
              (memory 1)
              (data (i32.const 0) "\\4d")
              (table (export "table") 2 funcref)
              (global $g i64 (i64.const 1000))
              (elem (i32.const 0) $ping)
              (func $ping (param $n i64) (param $acc i64) (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
                (if (result i64) (i64.eqz (local.get $n)) (then (local.get $acc))
                  (else (call_indirect (type $t) (i64.sub (local.get $n) (i64.const 1))
                          (i64.add (local.get $acc) (i64.add (global.get $g) (local.get 9)))
                          (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5) (i64.const 6)
                          (i64.const 7) (local.get 9)
                          (i32.const 1)))))
              (func (export "outer") (param $n i64) (result i64)
                (i64.add (call $ping (local.get $n) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
                                     (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 6))
                         (i64.add (global.get $g) (i64.load8_u (i32.const 0))))))
            """;
    private static final String PONG = """
            (module
              (type $t (func (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
              (import "ping" "table" (table 2 funcref))
              (memory 1)
              (data (i32.const 0) "\\05")
              (global $g i64 (i64.const 1))
              (elem (i32.const 1) $pong)
              (func $pong (param $n i64) (param $acc i64) (param i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
                (if (result i64) (i64.eqz (local.get $n)) (then (i64.add (local.get $acc) (i64.load8_u (i32.const 0))))
                  (else (call_indirect (type $t) (i64.sub (local.get $n) (i64.const 1))
                          (i64.add (local.get $acc) (i64.add (global.get $g) (local.get 9)))
                          (i64.const 1) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5) (i64.const 6)
                          (i64.const 7) (local.get 9)
                          (i32.const 0)))))
              (func (export "back") (param $n i64) (result i64)
                (call_indirect (type $t) (local.get $n) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0)
                  (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 6) (i32.const 0))))
            """;

    /** ping(n) in instance A → pong in B → ping in A ...; A adds 1000 + 6, B adds 1 + 6, B's end adds its byte 5. */
    private static long pingPong(long n, boolean startInPing) {
        long acc = 0;
        boolean ping = startInPing;
        while (n != 0) {
            acc += (ping ? 1000 : 1) + 6;
            n--;
            ping = !ping;
        }
        return ping ? acc : acc + 5;
    }

    @Test
    void tailCallsBetweenInstancesRestoreTheCallersInstance() throws IOException {
        WasmModule ping = withTailCalls(WasmModule.of(Wat.compile(PING), "ping.wasm"));
        WasmModule pong = withTailCalls(WasmModule.of(Wat.compile(PONG), "pong.wasm"));
        try (Store store = new Store().tier(Tier.NATIVE)) {
            Instance a = store.instantiate(ping, new Imports());
            Instance b = store.instantiate(pong, new Imports().defineInstance("ping", a));
            for (long n : new long[] {0, 1, 2, 3, 7, DEPTH, DEPTH + 1}) {
                // outer's ordinary call returns into A whichever instance the chain ends in: A's global and byte
                assertEquals(pingPong(n, true) + 1000 + 0x4d, call(a, "outer", n), "outer(" + n + ")");
                assertEquals(pingPong(n, true), call(b, "back", n), "back(" + n + ")");
            }
        }
    }

    private static final String HOST = """
            (module
              (import "env" "sum" (func $sum (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)))
              (global $g i64 (i64.const 3))
              (func $viaHost (export "viaHost") (param $n i64) (result i64)
                (call $sum (local.get $n) (i64.const 2) (i64.const 3) (i64.const 4) (i64.const 5) (i64.const 6)
                           (i64.const 7) (i64.const 8) (i64.const 9) (i64.const 10)))
              (func (export "hostThenGlobal") (param $n i64) (result i64)
                (i64.add (call $viaHost (local.get $n)) (global.get $g)))
              (func $trap (export "trap") (param i64) (result i64) (unreachable))
              (func (export "viaTrap") (param $n i64) (result i64) (call $trap (local.get $n))))
            """;

    @Test
    void tailCallsToHostFunctionsAndTraps() throws IOException {
        WasmModule m = withTailCalls(WasmModule.of(Wat.compile(HOST), "host.wasm"));
        ValType[] ten = new ValType[10];
        Arrays.fill(ten, ValType.I64);
        HostFunction sum = new HostFunction("env", "sum", ApiTypes.functionType(ten, ValType.I64),
                (caller, args) -> new long[] {Arrays.stream(args).sum()});
        try (Store store = new Store().tier(Tier.NATIVE)) {
            Instance i = store.instantiate(m, new Imports().define(sum, store));
            assertEquals(54 + 7, call(i, "viaHost", 7));
            assertEquals(54 + 7 + 3, call(i, "hostThenGlobal", 7)); // back in this instance after the host's record
            assertEquals(TrapKind.UNREACHABLE, assertThrows(WasmTrap.class, () -> call(i, "viaTrap", 1)).kind());
            assertEquals(54 + 1 + 3, call(i, "hostThenGlobal", 1)); // the stack is intact after the trap
        }
    }

    private static long call(Instance i, String export, long... args) {
        return ((FunctionInstance) i.exports().get(export)).call(args)[0];
    }

    /**
     * Compiles {@code m} with every returned call made a tail call, stores the code in the test's
     * cache under the module's key, and makes it the module's native code (a cache hit).
     */
    private WasmModule withTailCalls(WasmModule m) throws IOException {
        Backend backend = Backends.host();
        ValidatedModule vm = Validator.validate(Decoder.decode(m.bytes()));
        SymbolNames names = SymbolNames.of(vm.module());
        List<MachineCode> code = new ArrayList<>();
        int tailCalls = 0;
        for (int f = vm.module().importedFunctionCount(); f < vm.module().functionCount(); f++) {
            IrFunction ir = Preparation.forBackend(vm, f, CodeOptions.DEFAULT);
            tailCalls += returnedCallsToTailCalls(ir);
            IrVerifier.verify(vm.module(), ir);
            code.add(backend.compile(vm, names, ir, names.of(f), CodeOptions.DEFAULT));
        }
        assertEquals(true, tailCalls > 0, "the module has calls whose results it returns");
        BuildIdentity id = NativeCompiler.identity(m, backend.cpu(), CodeOptions.DEFAULT);
        CodeCache cache = new CodeCache(cacheDir);
        cache.store(id.cacheKey(), ElfWriter.write(id, vm.module().functionCount(), code));
        List<String> warnings = new ArrayList<>();
        assertEquals(NativeCompiler.Outcome.CACHE_HIT, NativeCompiler.prepare(m, cache, false, warnings::add), warnings.toString());
        return m;
    }

    /**
     * Rewrites each block whose last instruction is a call whose results the function then returns
     * (by a return, or by a jump to a block that only returns its parameters) into a tail call;
     * returns how many.
     */
    static int returnedCallsToTailCalls(IrFunction f) {
        int n = 0;
        for (BasicBlock b : f.blocks) {
            if (b.instructions.isEmpty()) continue;
            Instruction last = b.instructions.get(b.instructions.size() - 1);
            if (last.op != Opcode.CALL && last.op != Opcode.CALL_INDIRECT || !Arrays.equals(last.results(), returned(b))) continue;
            b.instructions.remove(b.instructions.size() - 1);
            b.terminator = new Terminator.ReturnCall(new Instruction(last.op, last.args(), new int[0], last.imm, last.imm2(), last.wasmOffset));
            n++;
        }
        return n;
    }

    /** The values {@code b} returns, in this block or through a jump to a block that returns its parameters; else null. */
    private static int[] returned(BasicBlock b) {
        if (b.terminator instanceof Terminator.Return r) return r.values;
        if (!(b.terminator instanceof Terminator.Jump j) || !j.target.target.instructions.isEmpty()
                || !(j.target.target.terminator instanceof Terminator.Return r)) return null;
        int[] out = new int[r.values.length];
        for (int k = 0; k < out.length; k++) {
            int p = Arrays.asList(Arrays.stream(j.target.target.params).boxed().toArray(Integer[]::new)).indexOf(r.values[k]);
            if (p < 0) return null;
            out[k] = j.target.arg(p);
        }
        return out;
    }
}
