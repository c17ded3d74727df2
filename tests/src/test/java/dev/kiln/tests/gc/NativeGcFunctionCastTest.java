package dev.kiln.tests.gc;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import dev.kiln.tests.wasm3.Wat3;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ref.test, ref.cast and br_on_cast to function types in native code (a final target inline by the
 * funcref descriptor's type id, a non-final one through the GC helper) give the interpreter's
 * answer for null, functions of either type, a function of a declared subtype and one of the same
 * type structurally defined twice (canonical ids), nullable or not.
 */
class NativeGcFunctionCastTest {
    private static final List<String> TARGETS = List.of("(ref $ii)", "(ref null $ii)", "(ref $ii2)", "(ref $v)", "(ref $open)",
            "(ref null $open)", "(ref $closed)", "(ref func)", "(ref null nofunc)");
    private static final byte[] MODULE = Wat3.compile(module());

    private static String module() {
        StringBuilder b = new StringBuilder("""
                (module
                  (type $ii (func (param i32) (result i32)))
                  (type $ii2 (func (param i32) (result i32)))
                  (type $v (func))
                  (type $open (sub (func (param i32) (result i32))))
                  (type $closed (sub final $open (func (param i32) (result i32))))
                  (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
                  (func $nop (type $v))
                  (func $openf (type $open) (local.get 0))
                  (func $closedf (type $closed) (i32.sub (local.get 0) (i32.const 1)))
                  (elem declare func $inc $nop $openf $closedf)
                  ;; 0 null, 1 $inc, 2 $nop, 3 $openf, 4 $closedf
                  (func $make (param $k i32) (result funcref)
                    (block $b4 (block $b3 (block $b2 (block $b1 (block $b0
                      (br_table $b0 $b1 $b2 $b3 $b4 $b0 (local.get $k)))
                      (return (ref.null func)))
                      (return (ref.func $inc)))
                      (return (ref.func $nop)))
                      (return (ref.func $openf)))
                    (ref.func $closedf))
                """);
        for (int k = 0; k < TARGETS.size(); k++) {
            String t = TARGETS.get(k);
            b.append("  (func (export \"test").append(k).append("\") (param i32) (result i32) (ref.test ").append(t)
                    .append(" (call $make (local.get 0))))\n");
            b.append("  (func (export \"cast").append(k).append("\") (param i32) (result i32) (drop (ref.cast ").append(t)
                    .append(" (call $make (local.get 0)))) (i32.const 1))\n");
            b.append("  (func (export \"br").append(k).append("\") (param i32) (result i32)\n")
                    .append("    (drop (block $yes (result ").append(t).append(") (br_on_cast $yes funcref ").append(t)
                    .append(" (call $make (local.get 0))) (return (i32.const 0)))) (i32.const 1))\n");
        }
        return b.append(")").toString();
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"NATIVE", "AUTO"})
    void everyFunctionAgainstEveryTargetAsTheInterpreterSays(Tier tier) {
        String expected = table(Tier.INTERP);
        assertEquals(expected, table(tier));
        // values: null, $inc, $nop, $openf, $closedf. $inc passes $ii and $ii2 (the same type); $closedf passes $open (its supertype)
        for (String line : List.of("test0 01000", "test1 11000", "test2 01000", "test3 00100", "test4 00011", "test5 10011", "test6 00001",
                "test7 01111", "test8 10000", "cast0 T1TTT", "cast4 TTT11")) {
            assertTrue(expected.contains(line + "\n"), line + " in\n" + expected);
        }
    }

    /** One line per export and target: the outcome for each value 0-4. */
    private static String table(Tier tier) {
        Engine.Builder b = Engine.builder().tier(tier).precompiledCode(null).compileInBackground(false);
        if (tier == Tier.AUTO) b.hotCalls(1).hotLoops(1);
        StringBuilder out = new StringBuilder();
        try (Store store = new Store(b.build())) {
            Instance i = store.instantiate(WasmModule.of(MODULE), new Imports());
            for (String kind : List.of("test", "cast", "br")) {
                for (int k = 0; k < TARGETS.size(); k++) {
                    out.append(kind).append(k).append(' ');
                    for (int v = 0; v <= 4; v++) {
                        try {
                            out.append(i.function(kind + k).call(v)[0]);
                        } catch (WasmTrap t) {
                            out.append(t.getMessage().contains("cast failure") ? "T" : t.getMessage());
                        }
                    }
                    out.append('\n');
                }
            }
        }
        return out.toString();
    }
}
