package dev.kiln.runtime;

import dev.kiln.frontend.testing.Wat;
import dev.kiln.interpreter.CompiledFunction;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.Target;
import dev.kiln.linker.CodeCache;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.internal.HostCpu;
import dev.kiln.runtime.internal.NativeCompiler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.kiln.runtime.CompileQueueTest.until;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Every path of the auto tier: lazy binding of cached code, promotion, OSR, write-back, mixed-tier traps. */
class TieringTest {
    private static final String WAT = """
            (module
              (func $sum (export "sum") (param $n i32) (result i64) (local $i i32) (local $acc i64)
                (loop $l
                  (local.set $acc (i64.add (local.get $acc) (i64.extend_i32_u (local.get $i))))
                  (local.set $i (i32.add (local.get $i) (i32.const 1)))
                  (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
                (local.get $acc))
              (func $sq (export "sq") (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
              (func $div (export "div") (param i32) (result i32) (i32.div_s (i32.const 100) (local.get 0)))
              (func $viaDiv (export "viaDiv") (param i32) (result i32) (call $div (local.get 0)))
              (func $unused (export "unused") (result i32) (i32.const 7)))
            """;
    private static final byte[] BYTES = Wat.compile(WAT);

    @TempDir
    Path cacheDir;
    private Store store;
    private Engine engine = Engine.builder().tier(Tier.AUTO).precompiledCode(null).build();

    @BeforeEach
    void x86Only() {
        assumeTrue(Target.host() == Target.X86_64, "native tiers run on x86-64 here");
    }

    @AfterEach
    void restore() {
        if (store != null) store.close();
    }

    private Instance auto(WasmModule m) {
        store = new Store(engine);
        return store.instantiate(m, new Imports());
    }

    private static int index(WasmModule m, String export) {
        return m.validated().module().exports().stream().filter(e -> e.name().equals(export)).findFirst().orElseThrow().index();
    }

    @Test
    void aCacheHitBindsEachFunctionOnItsFirstCallAndLeavesTheRestUntouched() {
        CodeCache cache = new CodeCache(cacheDir);
        assertEquals(NativeCompiler.Outcome.COMPILED_AND_STORED,
                NativeCompiler.prepare(WasmModule.of(BYTES), cache, true, w -> { }, Tier.NATIVE));
        WasmModule m = WasmModule.of(BYTES);
        assertEquals(NativeCompiler.Outcome.CACHE_HIT, NativeCompiler.prepare(m, cache, true, w -> { }, Tier.AUTO));
        Instance i = auto(m);
        NativeModule nm = m.existingNativeCode();
        for (int f = 0; f < 5; f++) assertEquals(0, nm.address(f), "nothing is placed before a call");
        assertArrayEquals(new long[] {49}, i.function("sq").call(7));
        assertNotEquals(0, nm.address(index(m, "sq")));
        assertEquals(0, nm.address(index(m, "unused")), "never called, never touched");
        assertEquals(0, nm.address(index(m, "sum")));
        TierReport r = TierReport.of(m, store, 5);
        assertEquals(1, r.boundFromCache());
        assertEquals(0, r.interpreted());
        assertEquals(0, r.compiled());
    }

    @Test
    void codePrecompiledForALowerCpuLevelIsACacheHitAndCodeForAHigherOneIsNot() throws Exception {
        assumeTrue(HostCpu.level().includes(CpuFeatures.X86_64_V2), "needs an x86-64-v2 host");
        CodeCache cache = new CodeCache(cacheDir);
        WasmModule compiled = WasmModule.of(BYTES);
        CpuFeatures baseline = CpuFeatures.X86_64;
        assertNotEquals(NativeCompiler.identity(compiled, baseline, CodeOptions.DEFAULT).cacheKey(),
                NativeCompiler.identity(compiled, CpuFeatures.X86_64_V2, CodeOptions.DEFAULT).cacheKey(),
                "the CPU level is part of the cache key");
        cache.store(NativeCompiler.identity(compiled, baseline, CodeOptions.DEFAULT).cacheKey(),
                NativeCompiler.object(compiled, Backends.forCpu(baseline), CodeOptions.DEFAULT, n -> { }));
        WasmModule m = WasmModule.of(BYTES);
        assertEquals(NativeCompiler.Outcome.CACHE_HIT, NativeCompiler.prepare(m, cache, true, w -> { }, Tier.AUTO));
        Instance i = auto(m);
        assertArrayEquals(new long[] {49}, i.function("sq").call(7));
        assertEquals(1, TierReport.of(m, store, 5).boundFromCache());
        // a machine of level v2 does not take code for v3
        CodeCache other = new CodeCache(cacheDir.resolve("v3"));
        other.store(NativeCompiler.identity(compiled, CpuFeatures.X86_64_V3, CodeOptions.DEFAULT)
                .cacheKey(), NativeCompiler.object(compiled, Backends.forCpu(CpuFeatures.X86_64_V3),
                CodeOptions.DEFAULT, n -> { }));
        assertEquals(NativeCompiler.Outcome.COMPILED, NativeCompiler.prepare(WasmModule.of(BYTES), other, false, w -> { }, Tier.AUTO,
                CodeOptions.DEFAULT, Backends.forCpu(CpuFeatures.X86_64_V2)),
                "code for a bigger CPU is never used");
        assertEquals(NativeCompiler.Outcome.CACHE_HIT, NativeCompiler.prepare(WasmModule.of(BYTES), other, false, w -> { }, Tier.AUTO,
                CodeOptions.DEFAULT, Backends.forCpu(CpuFeatures.X86_64_V3)));
    }

    @Test
    void meteredCodeIsCachedAndBoundLazilyUnderItsOwnKey() {
        CodeCache cache = new CodeCache(cacheDir);
        assertEquals(NativeCompiler.Outcome.COMPILED_AND_STORED, NativeCompiler.prepare(WasmModule.of(BYTES), cache, true, w -> { },
                Tier.NATIVE, CodeOptions.FUEL));
        WasmModule unmetered = WasmModule.of(BYTES);
        assertEquals(NativeCompiler.Outcome.COMPILED, NativeCompiler.prepare(unmetered, cache, true, w -> { }, Tier.AUTO),
                "metered code is not unmetered code");
        WasmModule m = WasmModule.of(BYTES);
        assertEquals(NativeCompiler.Outcome.CACHE_HIT,
                NativeCompiler.prepare(m, cache, true, w -> { }, Tier.AUTO, CodeOptions.FUEL));
        store = new Store(engine).fuel(100);
        Instance i = store.instantiate(m, new Imports());
        assertArrayEquals(new long[] {49}, i.function("sq").call(7));
        TierReport r = TierReport.of(m, store, 5);
        assertEquals(1, r.boundFromCache(), "bound from the cache at its first call");
        assertEquals(0, r.interpreted());
        assertEquals(99, store.fuel());
    }

    @Test
    void aCacheMissStartsInTheInterpreterAndPromotesHotFunctions() {
        engine = Engine.builder().tier(Tier.AUTO).hotCalls(10).hotLoops(1_000_000).compileInBackground(false).precompiledCode(null).build();
        WasmModule m = WasmModule.of(BYTES);
        Instance i = auto(m);
        int sq = index(m, "sq");
        for (int k = 0; k < 9; k++) assertEquals((long) k * k, i.function("sq").call(k)[0]);
        assertNull(m.existingNativeCode(), "below the threshold the auto tier makes no native code at all");
        assertFalse(store.nativeActive());
        for (int k = 9; k < 20; k++) assertEquals((long) k * k, i.function("sq").call(k)[0]);
        assertNotEquals(0, m.existingNativeCode().address(sq), "promoted");
        TierReport r = TierReport.of(m, store, 5);
        assertEquals(1, r.promoted());
        assertEquals(1, r.interpreted());
    }

    @Test
    void theInterpreterCountsItsCallsAndBackEdgesTowardsWhatEarnsBackgroundCompiles() {
        engine = Engine.builder().tier(Tier.AUTO).hotCalls(1_000_000_000).hotLoops(1_000_000_000).precompiledCode(null).build();
        WasmModule m = WasmModule.of(BYTES);
        Instance i = auto(m);
        long before = TierUp.events();
        i.function("sum").call(100_000); // one call, 99 999 back-edges, all interpreted
        long counted = TierUp.events() - before;
        // counted at the polls, a poll interval at a time: all but the last partial interval
        assertTrue(counted >= 100_000 - InterpreterBinding.UNMETERED_POLL_INTERVAL && counted <= 100_000 + InterpreterBinding.UNMETERED_POLL_INTERVAL,
                "counted " + counted);
        assertEquals(0, TierReport.of(m, store, 5).background().requested(), "nothing got hot");
    }

    /** A compile queue of a test's own whose pace has earned nothing (no free bytes, and the test reports no progress): only draining compiles. */
    private static CompileQueue unearnedQueue() {
        return new CompileQueue(16, 1, new CompilePace(0, 1_000));
    }

    /** An auto-tier instance of {@code m} after one call of {@code export}, interpreted. */
    private Instance autoAfterOneCall(WasmModule m, String export, int arg, long result) {
        Instance i = auto(m);
        assertEquals(result, i.function(export).call(arg)[0]);
        return i;
    }

    @Test
    void aBackgroundRequestSwitchesTheStoreToNativeCodeOnlyWhenItsCompileRuns() throws InterruptedException {
        WasmModule m = WasmModule.of(BYTES);
        Instance i = autoAfterOneCall(m, "sq", 7, 49);
        int sq = index(m, "sq");
        CompileQueue queue = unearnedQueue();
        TierUp.request(queue, i, i.compiled(sq));
        assertEquals(1, queue.pending());
        assertFalse(store.nativeActive(), "requested, not earned: the store still runs only the interpreter");
        assertNull(m.existingNativeCode(), "and has made no native side for the module");
        queue.awaitIdle(); // draining compiles it, earned or not
        assertTrue(store.nativeActive(), "the compile switched the store to native code first");
        assertNotEquals(0, m.existingNativeCode().address(sq), "then promoted the function");
        assertEquals(1, TierReport.of(m, store, 5).background().requested(), "counted once it ran");
        assertEquals(81L, i.function("sq").call(9)[0]);
    }

    @Test
    void aHotFunctionSwitchesTheStoreOnlyWhenItRanHalfOfTheProgramsEventsOrTheProgramRanLong() throws InterruptedException {
        WasmModule m = WasmModule.of(BYTES);
        Instance i = autoAfterOneCall(m, "sq", 7, 49); // sq: one call, one event
        CompilePace pace = new CompilePace(1_000_000, 1, 100_000); // any cost is earned; the switch at 100 000 events
        CompileQueue queue = new CompileQueue(16, 1, pace);
        pace.progress(1_000); // the rest of the program ran 999 events elsewhere
        TierUp.request(queue, i, i.compiled(index(m, "sq")));
        long waits = queue.paceWaits();
        until(() -> queue.paceWaits() >= waits + 2 || store.nativeActive());
        assertFalse(store.nativeActive(), "start-up code: sq holds 1 of 1 000 events, no switch");
        assertEquals(1, queue.pending());
        pace.progress(99_000); // a long run
        until(() -> store.nativeActive());
        queue.awaitIdle();
        assertNotEquals(0, m.existingNativeCode().address(index(m, "sq")));
    }

    @Test
    void aFunctionHoldingHalfOfTheProgramsEventsSwitchesTheStoreAtOnce() throws InterruptedException {
        WasmModule m = WasmModule.of(BYTES);
        Instance i = autoAfterOneCall(m, "sum", 1_000, 499_500); // one call, 999 back-edges: 1 000 events
        CompilePace pace = new CompilePace(1_000_000, 1, 100_000_000);
        CompileQueue queue = new CompileQueue(16, 1, pace);
        pace.progress(2_000); // all the program ran: half of it in sum (a kernel's loop)
        TierUp.request(queue, i, i.compiled(index(m, "sum")));
        until(() -> store.nativeActive());
        queue.awaitIdle();
        assertNotEquals(0, m.existingNativeCode().address(index(m, "sum")));
    }

    @Test
    void aFunctionWaitingForItsCompileLeavesTheInterpretersSlowPathUntilTheCompileRan() throws InterruptedException {
        WasmModule m = WasmModule.of(BYTES);
        Instance i = autoAfterOneCall(m, "sum", 100, 4950);
        CompiledFunction f = i.compiled(index(m, "sum"));
        long threshold = (long) engine.hotCalls() * engine.hotLoops();
        f.hotness = threshold + 5; // as the interpreter reports it hot
        CompileQueue queue = unearnedQueue();
        TierUp.request(queue, i, f);
        assertTrue(f.hotness < threshold, "parked: its calls and back-edges take the fast path again");
        assertEquals(threshold + 5, TierUp.heat(f), "the queue still sees how hot it is");
        f.hotness += 3; // the interpreter keeps counting
        assertEquals(threshold + 8, TierUp.heat(f));
        TierUp.unparkCompiled();
        assertTrue(f.hotness < threshold, "not compiled yet: stays parked");
        queue.awaitIdle();
        TierUp.unparkCompiled(); // the interpreter's next poll
        assertEquals(threshold + 8, f.hotness, "compiled: its loops look for their OSR continuation again");
    }

    @Test
    void aLongLoopEnteredOnceMovesToNativeCodeWhileRunning() {
        engine = Engine.builder().tier(Tier.AUTO).hotCalls(1_000_000).hotLoops(1000).compileInBackground(false).precompiledCode(null).build();
        WasmModule m = WasmModule.of(BYTES);
        Instance i = auto(m);
        int n = 3_000_000;
        assertArrayEquals(new long[] {(long) n * (n - 1) / 2}, i.function("sum").call(n));
        TierReport r = TierReport.of(m, store, 5);
        assertEquals(1, r.osrEntries());
        TierReport.Hot hot = r.top().get(0);
        assertTrue(hot.backEdges() < 10_000, "the interpreter ran only " + hot.backEdges() + " of " + n + " iterations");
    }

    /**
     * A function entered often for a few loop iterations each time (SQLite's sqlite3VdbeExec): once it
     * is native, its last interpreted activation passing its loop headers is no reason to compile an OSR
     * variant (a whole-function compile) per header. The fifth call here compiled one (whose continuation
     * then ran the rest of that call); SQLite's last interpreted activations compiled three of its 50 KB function.
     */
    @Test
    void loopsOfAFunctionAlreadyNativeGetNoOsrCompileUnlessAnInterpretedActivationKeepsLooping() {
        engine = Engine.builder().tier(Tier.AUTO).hotCalls(5).hotLoops(1_000_000).compileInBackground(false).precompiledCode(null).build();
        WasmModule m = WasmModule.of(Wat.compile("""
                (module
                  (func (export "three") (param $n i32) (result i32) (local $i i32) (local $acc i32)
                    (loop $a
                      (local.set $acc (i32.add (local.get $acc) (local.get $n)))
                      (br_if $a (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 2))))
                    (local.set $i (i32.const 0))
                    (loop $b
                      (local.set $acc (i32.mul (local.get $acc) (i32.const 3)))
                      (br_if $b (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 2))))
                    (local.set $i (i32.const 0))
                    (loop $c
                      (local.set $acc (i32.sub (local.get $acc) (i32.const 1)))
                      (br_if $c (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 2))))
                    (local.get $acc)))
                """));
        Instance i = auto(m);
        for (int k = 0; k < 10; k++) assertEquals(18 * k - 2, (int) i.function("three").call(k)[0]);
        TierReport r = TierReport.of(m, store, 5);
        assertEquals(1, r.promoted(), "hot by calls: promoted on its fifth call");
        assertEquals(0, r.osrEntries(), "the fifth call's interpreted activation passed each loop header once, after the promotion");
        // a loop that keeps running in the interpreter after the function became native asks again, and moves
        store.close();
        engine = Engine.builder().tier(Tier.AUTO).hotCalls(1_000_000).hotLoops(1000).compileInBackground(false).precompiledCode(null).build();
        m = WasmModule.of(BYTES);
        i = auto(m);
        assertArrayEquals(new long[] {4_999_950_000L}, i.function("sum").call(100_000));
        r = TierReport.of(m, store, 5);
        assertEquals(1, r.promoted());
        assertEquals(1, r.osrEntries());
    }

    @Test
    void aLoopCarryingVectorsMovesToNativeCodeWhileRunningAndVectorsCrossTheTiers() {
        engine = Engine.builder().tier(Tier.AUTO).hotCalls(3).hotLoops(1000).compileInBackground(false).precompiledCode(null).build();
        WasmModule m = WasmModule.of(Wat.compile("""
                (module
                  (func $step (param v128 i32) (result v128)
                    (i32x4.add (local.get 0) (i32x4.splat (local.get 1))))
                  (func (export "sum") (param $n i32) (param $acc v128) (result v128 i32) (local $i i32)
                    (loop $l
                      (local.set $acc (call $step (local.get $acc) (local.get $i)))
                      (local.set $acc (i32x4.mul (local.get $acc) (v128.const i32x4 1 1 1 3)))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
                    (local.get $acc) (i32x4.extract_lane 3 (local.get $acc))))
                """));
        Instance i = auto(m);
        int n = 200_000;
        int[] acc = {1, 2, 3, 4};
        for (int k = 0; k < n; k++) {
            for (int lane = 0; lane < 4; lane++) acc[lane] = (acc[lane] + k) * (lane == 3 ? 3 : 1);
        }
        long[] out = i.function("sum").call(n, V128.ofInts(1, 2, 3, 4).low(), V128.ofInts(1, 2, 3, 4).high());
        assertEquals(V128.ofInts(acc), V128.of(out, 0));
        assertEquals(acc[3], (int) out[2]);
        TierReport r = TierReport.of(m, store, 5);
        assertEquals(1, r.osrEntries(), "the loop moved to native code, carrying $acc");
        assertTrue(r.promoted() >= 1, "$step was promoted");
        assertEquals(0, r.notCompiled());
    }

    @Test
    void promotedCodeIsWrittenBackSoTheNextRunIsACacheHit() {
        engine = Engine.builder().tier(Tier.AUTO).hotCalls(2).hotLoops(1_000_000).compileInBackground(false).precompiledCode(null).build();
        CodeCache cache = new CodeCache(cacheDir);
        WasmModule first = WasmModule.of(BYTES);
        assertEquals(NativeCompiler.Outcome.COMPILED, NativeCompiler.prepare(first, cache, true, w -> { }, Tier.AUTO));
        Instance i = auto(first);
        for (int k = 0; k < 5; k++) i.function("sq").call(k);
        NativeCompiler.writeBack(first, cache, w -> { });
        store.close();
        WasmModule second = WasmModule.of(BYTES);
        assertEquals(NativeCompiler.Outcome.CACHE_HIT, NativeCompiler.prepare(second, cache, true, w -> { }, Tier.AUTO));
        Instance j = auto(second);
        assertArrayEquals(new long[] {36}, j.function("sq").call(6));
        assertEquals(1, TierReport.of(second, store, 5).boundFromCache());
    }

    @Test
    void trapsShowTheSameStackWhateverTierEachFrameRanIn() {
        // reference: everything interpreted
        Store interp = new Store();
        WasmTrap expected = assertThrows(WasmTrap.class,
                () -> interp.instantiate(WasmModule.of(BYTES), new Imports()).function("viaDiv").call(0));
        interp.close();
        // mixed: div promoted to native, viaDiv still interpreted when the trap happens
        engine = Engine.builder().tier(Tier.AUTO).hotCalls(3).hotLoops(1_000_000).compileInBackground(false).precompiledCode(null).build();
        WasmModule m = WasmModule.of(BYTES);
        Instance i = auto(m);
        for (int k = 1; k <= 4; k++) i.function("div").call(k);
        assertNotEquals(0, m.existingNativeCode().address(index(m, "div")));
        assertEquals(0, m.existingNativeCode().address(index(m, "viaDiv")));
        WasmTrap mixed = assertThrows(WasmTrap.class, () -> i.function("viaDiv").call(0));
        assertEquals(TrapKind.INTEGER_DIVIDE_BY_ZERO, mixed.kind());
        List<TrapFrame> frames = mixed.wasmStack();
        assertEquals(expected.wasmStack(), frames, mixed.describe());
    }

    @Test
    void referencesMadeBeforeNativeCodeStartedWorkFromNativeCodeAfterwards() {
        byte[] bytes = Wat.compile("""
                (module
                  (import "env" "inc" (func $inc (param i32) (result i32)))
                  (type $unary (func (param i32) (result i32)))
                  (table (export "t") 2 funcref)
                  (elem (i32.const 0) $sq $inc)
                  (func $sq (param i32) (result i32) (i32.mul (local.get 0) (local.get 0)))
                  (func (export "both") (param i32) (result i32)
                    (i32.add (call_indirect (type $unary) (local.get 0) (i32.const 0))
                             (call_indirect (type $unary) (local.get 0) (i32.const 1)))))
                """);
        engine = Engine.builder().tier(Tier.AUTO).hotCalls(3).hotLoops(1_000_000).compileInBackground(false).precompiledCode(null).build();
        store = new Store(engine);
        Imports imports = new Imports().define(new HostFunction("env", "inc",
                FunctionType.returning(ValueType.I32, ValueType.I32),
                (caller, args) -> new long[] {args[0] + 1}), store);
        WasmModule m = WasmModule.of(bytes);
        Instance i = store.instantiate(m, imports);
        assertFalse(store.nativeActive(), "the table's references were made by the interpreter");
        for (int k = 0; k < 10; k++) assertEquals((long) k * k + k + 1, i.function("both").call(k)[0]);
        assertTrue(store.nativeActive());
        assertNotEquals(0, m.existingNativeCode().address(index(m, "both")), "both runs natively, through the old references");
    }

    @Test
    void aTrapInsideAnOsrContinuationShowsTheSameStackAsTheInterpreter() {
        byte[] bytes = Wat.compile("""
                (module
                  (func $loop (param $n i32) (result i32) (local $i i32)
                    (loop $l
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (drop (i32.div_s (i32.const 1) (i32.sub (local.get $n) (local.get $i))))
                      (br $l))
                    (i32.const 0))
                  (func (export "outer") (param i32) (result i32) (call $loop (local.get 0))))
                """);
        Store interp = new Store();
        WasmTrap expected = assertThrows(WasmTrap.class,
                () -> interp.instantiate(WasmModule.of(bytes), new Imports()).function("outer").call(5000));
        interp.close();
        engine = Engine.builder().tier(Tier.AUTO).hotCalls(1_000_000).hotLoops(100).compileInBackground(false).precompiledCode(null).build();
        WasmModule m = WasmModule.of(bytes);
        Instance i = auto(m);
        WasmTrap osr = assertThrows(WasmTrap.class, () -> i.function("outer").call(5000));
        assertEquals(1, TierReport.of(m, store, 5).osrEntries(), "the trap happened in the OSR continuation");
        assertEquals(expected.wasmStack(), osr.wasmStack(), osr.describe());
    }
}
