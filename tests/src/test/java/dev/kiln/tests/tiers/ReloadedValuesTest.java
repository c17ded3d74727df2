package dev.kiln.tests.tiers;

import dev.kiln.backend.NativeBackend;
import dev.kiln.backend.aarch64.A64Backend;
import dev.kiln.backend.x64.X64Backend;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.pass.Preparation;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.internal.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Spilled values read from a register again after one load (regalloc's reloads: once before a loop,
 * once per run of reads in a block, around calls), in native code against the interpreter. Thirty-two
 * values are live at once while some are worked out, so the allocator spills some; then few are,
 * and the spilled ones are read in a loop (with and without a call in it) and in runs.
 */
class ReloadedValuesTest {
    private static final int VALUES = 32;

    /** The module: {@code loop(a, n)} reads spilled values in a loop, {@code calls(a, n)} the same around a call. */
    static String module() {
        StringBuilder w = new StringBuilder("(module\n (func $id (param i64) (result i64) (local.get 0))\n");
        for (String name : List.of("loop", "calls")) {
            w.append(" (func (export \"").append(name).append("\") (param $a i64) (param $n i64) (result i64) (local $i i64) (local $s i64)");
            for (int k = 0; k < VALUES; k++) w.append(" (local $l").append(k).append(" i64)");
            w.append('\n');
            for (int k = 0; k < VALUES; k++) {
                w.append("  (local.set $l").append(k).append(" (i64.add (i64.mul (local.get $a) (i64.const ").append(k + 3)
                        .append(")) (i64.const ").append(k).append(")))\n");
            }
            for (int k = VALUES - 1; k >= VALUES / 2; k--) { // the upper half read once: pressure falls
                w.append("  (local.set $s (i64.add (i64.rotl (local.get $s) (i64.const 7)) (local.get $l").append(k).append(")))\n");
            }
            for (int k = 2; k < VALUES / 2; k++) { // the lower half (spilled while all were live) read twice each
                w.append("  (local.set $s (i64.xor (i64.rotl (local.get $s) (local.get $l").append(k).append(")) (i64.mul (local.get $l")
                        .append(k).append(") (local.get $a))))\n");
            }
            String step = name.equals("calls") ? "(call $id (local.get $i))" : "(local.get $i)";
            w.append("""
                      (block $done
                        (loop $l
                          (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
                          (local.set $s (i64.add (local.get $s) (i64.mul (i64.xor (local.get $l0) STEP) (local.get $l1))))
                          (local.set $s (i64.add (local.get $s) (i64.shr_u (local.get $l0) (i64.const 3))))
                          (local.set $i (i64.add (local.get $i) (i64.const 1)))
                          (br $l)))
                      (i64.add (local.get $s) (i64.add (local.get $l0) (local.get $l1))))
                    """.replace("STEP", step));
        }
        return w.append(")").toString();
    }

    @Test
    void bothBackendsReloadSpilledValuesInThisModule() {
        ValidatedModule vm = ValidatedModule.of(Wat.compile(module()));
        for (NativeBackend backend : List.of(X64Backend.INSTANCE, A64Backend.INSTANCE)) {
            int reloads = 0;
            for (int f = vm.module().importedFunctionCount(); f < vm.module().functionCount(); f++) {
                reloads += backend.allocate(Preparation.forBackend(vm, f, CodeOptions.DEFAULT)).reloadCount();
            }
            assertTrue(reloads >= 2, backend + ": reloads " + reloads);
        }
    }

    @Test
    void nativeCodeAgreesWithTheInterpreter() {
        Assumptions.assumeTrue(Backends.host() != null, "no native tier on " + System.getProperty("os.arch"));
        List<List<Object>> results = new ArrayList<>();
        for (Tier tier : List.of(Tier.INTERP, Tier.NATIVE)) {
            Engine engine = Engine.builder().tier(tier).build();
            List<Object> out = new ArrayList<>();
            try (Store store = engine.newStore()) {
                Instance instance = store.instantiate(engine.compile(Wat.compile(module())), new Imports());
                for (String name : List.of("loop", "calls")) {
                    for (long a : new long[] {0, 1, -1, 12345, 0x7FFF_FFFF_FFFFL}) {
                        for (long n : new long[] {0, 1, 7, 1000}) out.add(instance.function(name).apply(a, n)[0]);
                    }
                }
            }
            results.add(out);
        }
        assertEquals(results.get(0), results.get(1));
    }
}
