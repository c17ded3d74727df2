package dev.kiln.tests.wasm3;

import dev.kiln.ir.code.Target;
import dev.kiln.ir.GcLowering;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.TierReport;
import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.tests.api.Engines;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tail calls run in constant stack on every tier: a mutual recursion of 10^8 steps through
 * return_call, return_call_indirect and return_call_ref, and a chain of tail calls that alternates
 * between two instances, would overflow any stack if frames piled up; each runs on a thread with a
 * 256 KiB stack. {@code native} compiles every function (x86-64 here, AArch64 in
 * {@link TailCallAarch64Test}); {@code auto} promotes each function at its first call, so the
 * chains start in the interpreter and continue in native code.
 */
class TailCallTest {
    static final byte[] EVEN_ODD = Wat3.compile("""
            (module
              (type $t (func (param i64 i64) (result i64)))
              (table 2 funcref)
              (elem (i32.const 0) $even $odd)
              (elem declare func $odd_ref)
              ;; counts steps down to 0, accumulating; alternates direct, indirect and reference tail calls
              (func $even (export "even") (type $t)
                (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
                  (else (return_call $odd (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (i64.const 2))))))
              (func $odd (type $t)
                (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
                  (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (i64.const 1))
                          (i32.wrap_i64 (i64.and (local.get 0) (i64.const 0)))))))
              (func $odd_ref (export "odd_ref") (type $t)
                (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
                  (else (return_call_ref $t (i64.sub (local.get 0) (i64.const 1)) (local.get 1) (ref.func $odd_ref)))))
              ;; ten arguments, four of them on the stack on x86-64: the callee pops what its caller passed
              (func (export "many_args") (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)
                (if (result i32) (i32.eqz (local.get 0)) (then (i32.add (local.get 1) (local.get 9)))
                  (else (return_call 3 (i32.sub (local.get 0) (i32.const 1)) (local.get 2) (local.get 3) (local.get 4)
                          (local.get 5) (local.get 6) (local.get 7) (local.get 8) (local.get 9) (local.get 1)))))
              ;; stack arguments grow and shrink along the chain: 2 -> 12 -> 2 parameters
              (func $wide (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 f64 i64) (result i64)
                (return_call $narrow (local.get 0) (i64.add (local.get 11) (i64.trunc_f64_s (local.get 10)))))
              (func $narrow (export "narrow") (param i64 i64) (result i64)
                (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
                  (else (return_call $wide (i64.sub (local.get 0) (i64.const 1)) (i64.const 0) (i64.const 0) (i64.const 0)
                          (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (i64.const 0) (f64.const 3)
                          (local.get 1)))))
              ;; call_ref and return_call_ref of a null reference trap
              (func (export "null_ref") (result i64)
                (return_call_ref $t (i64.const 1) (i64.const 2) (ref.null $t)))
              (func (export "null_call_ref") (result i64)
                (i64.add (i64.const 1) (call_ref $t (i64.const 1) (i64.const 2) (ref.null $t))))
            )
            """);

    /** A table the chain's two instances share. */
    static final byte[] TABLE = Wat3.compile("(module (table (export \"t\") 2 funcref))");

    /**
     * One link of a chain between two instances: its step sits in slot {@code slot} of the shared
     * table and tail-calls the other slot's, so consecutive steps run in different instances, each
     * with its own memory.
     */
    static byte[] link(int slot) {
        return Wat3.compile("""
                (module
                  (type $t (func (param i64 i64) (result i64)))
                  (import "env" "t" (table 2 funcref))
                  (memory 1)
                  (elem (i32.const %d) $step)
                  (func $step (export "step") (type $t)
                    (if (result i64) (i64.eqz (local.get 0)) (then (i64.add (local.get 1) (i64.load (i32.const 8))))
                      (else (return_call_indirect (type $t) (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (i64.const 1))
                              (i32.const %d)))))
                  (func (export "set") (param i64) (i64.store (i32.const 8) (local.get 0))))
                """.formatted(slot, 1 - slot));
    }

    private static final long STACK_BYTES = 256 << 10;

    /** In the AArch64 JVM (under QEMU) only the native tier is new: the interpreter tiers run on the host. */
    static void runsHere(Tier tier) {
        assumeTrue(tier == Tier.NATIVE || Target.host() != Target.AARCH64, "the interpreter tiers run on the host");
    }

    static Store store(Tier tier) {
        return tier == Tier.AUTO ? Engines.of(Tier.AUTO, 1, 1, false).newStore() : new Store().tier(tier);
    }

    /** Runs {@code body} on a thread with a small stack and returns what it returned. */
    static <T> T onSmallStack(Supplier<T> body) {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                result.set(body.get());
            } catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", STACK_BYTES);
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        if (failure.get() != null) throw new AssertionError("failed on a " + (STACK_BYTES >> 10) + " KiB stack", failure.get());
        return result.get();
    }

    private static <T> T withEvenOdd(Tier tier, Function<Instance, T> body) {
        return onSmallStack(() -> {
            try (Store store = store(tier)) {
                return body.apply(store.instantiate(WasmModule.of(EVEN_ODD), new Imports()));
            }
        });
    }

    private static long[] call(Instance i, String name, long... args) {
        return ((FunctionInstance) i.exports().get(name)).call(args);
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "NATIVE", "AUTO"})
    void aHundredMillionMutualTailCallsRunInConstantStack(Tier tier) {
        runsHere(tier);
        // even(n) alternates with odd(n): each step adds 2 (even) or 1 (odd)
        long n = 100_000_000L;
        assertArrayEquals(new long[] {n / 2 * 3}, withEvenOdd(tier, i -> call(i, "even", n, 0)));
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "NATIVE", "AUTO"})
    void tailCallsThroughReferencesAndStackArguments(Tier tier) {
        runsHere(tier);
        withEvenOdd(tier, i -> {
            assertArrayEquals(new long[] {7}, call(i, "odd_ref", 1_000_000, 7));
            // nine arguments rotate left once per step: after 10 steps (2, 3, ..., 9, 1) remain, 2 + 1 is returned
            assertArrayEquals(new long[] {3}, call(i, "many_args", 10, 1, 2, 3, 4, 5, 6, 7, 8, 9));
            assertArrayEquals(new long[] {3_000_005}, call(i, "narrow", 1_000_000, 5));
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "NATIVE", "AUTO"})
    void nullReferencesTrap(Tier tier) {
        runsHere(tier);
        withEvenOdd(tier, i -> {
            for (String name : new String[] {"null_ref", "null_call_ref"}) {
                WasmTrap trap = assertThrows(WasmTrap.class, () -> call(i, name));
                assertEquals(TrapKind.NULL_FUNCTION_REFERENCE, trap.kind(), trap.getMessage());
            }
            return null;
        });
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "NATIVE", "AUTO"})
    void tailCallsAlternatingBetweenInstancesRunInConstantStack(Tier tier) {
        runsHere(tier);
        long n = 10_000_000L;
        long[][] r = onSmallStack(() -> {
            try (Store store = store(tier)) {
                Instance table = store.instantiate(WasmModule.of(TABLE), new Imports());
                Imports env = new Imports().define("env", "t", table.exports().get("t"));
                Instance a = store.instantiate(WasmModule.of(link(0)), env);
                Instance b = store.instantiate(WasmModule.of(link(1)), env);
                call(a, "set", 1000);
                call(b, "set", 2000);
                // an even number of steps ends in the instance that started, an odd number in the other
                return new long[][] {call(a, "step", n, 0), call(a, "step", n + 1, 0), call(b, "step", 3, 0)};
            }
        });
        assertArrayEquals(new long[] {n + 1000}, r[0]);
        assertArrayEquals(new long[] {n + 1 + 2000}, r[1]);
        assertArrayEquals(new long[] {3 + 1000}, r[2]);
    }

    /**
     * A module whose {@code $even} the native backends decline (it holds a {@code struct.new} of more
     * operands than the GC helper takes, never executed), so under {@code auto} it stays interpreted
     * while {@code $odd} is compiled at its first call: every step of the mutual recursion crosses
     * tiers, native to interpreted through the adapter and interpreted to native through the
     * tail-call launcher.
     */
    static byte[] acrossTiers() {
        int fields = GcLowering.MAX_HELPER_OPERANDS + 1;
        return Wat3.compile("""
                (module
                  (type $big (struct %s))
                  (type $t (func (param i64 i64) (result i64)))
                  (func $even (export "even") (type $t)
                    (if (i64.lt_s (local.get 0) (i64.const 0)) (then (drop (struct.new $big %s))))
                    (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
                      (else (return_call $odd (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (i64.const 2))))))
                  (func $odd (export "odd") (type $t)
                    (if (result i64) (i64.eqz (local.get 0)) (then (local.get 1))
                      (else (return_call $even (i64.sub (local.get 0) (i64.const 1)) (i64.add (local.get 1) (i64.const 1)))))))
                """.formatted("(field i32) ".repeat(fields), "(i32.const 0) ".repeat(fields)));
    }

    /**
     * A mutual tail recursion whose every step crosses tiers ({@link #acrossTiers}) runs in constant
     * stack (a 256 KiB thread stack), starting from either side.
     */
    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"INTERP", "AUTO"})
    void tailCallsAcrossTiersRunInConstantStack(Tier tier) {
        assumeTrue(tier == Tier.AUTO || Target.host() != Target.AARCH64, "auto is the tier with native code here");
        // under QEMU fewer steps: a frame per step would still exhaust the 256 KiB stack many times over
        long n = Target.host() == Target.AARCH64 ? 200_000 : 2_000_000;
        WasmModule module = WasmModule.of(acrossTiers());
        long[][] r = onSmallStack(() -> {
            try (Store store = store(tier)) {
                Instance i = store.instantiate(module, new Imports());
                long[][] out = {call(i, "even", n, 0), call(i, "odd", n, 0), call(i, "odd", n + 1, 0)};
                if (tier == Tier.AUTO) {
                    TierReport report = TierReport.of(module, store, 10);
                    assertTrue(report.top().stream().anyMatch(h -> h.name().equals("odd") && h.nativeNow()), report.text());
                    assertTrue(report.top().stream().anyMatch(h -> h.name().equals("even") && !h.nativeNow()), report.text());
                }
                return out;
            }
        });
        assertArrayEquals(new long[] {n / 2 * 3}, r[0]);
        assertArrayEquals(new long[] {n / 2 * 3}, r[1]);
        assertArrayEquals(new long[] {n / 2 * 3 + 1}, r[2]);
    }
}
