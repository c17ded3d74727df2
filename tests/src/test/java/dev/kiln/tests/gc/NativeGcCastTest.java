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
 * ref.test, ref.cast, br_on_cast and br_on_cast_fail in native code (inline: tag bits, the header's
 * type id, the display record) give the interpreter's answer for every kind of value (null, i31,
 * structs along a subtype chain, a final struct, an array, a host object) against every abstract
 * and concrete target, nullable or not; a failed ref.cast traps with cast failure.
 */
class NativeGcCastTest {
    /** Values {@code $make} returns, by number. */
    private static final List<String> VALUES = List.of("null", "i31", "$shape", "$circle", "$big", "$fin", "$bytes", "host");
    private static final List<String> TARGETS = List.of("(ref any)", "(ref null any)", "(ref eq)", "(ref null eq)",
            "(ref i31)", "(ref null i31)", "(ref struct)", "(ref array)", "(ref null array)", "(ref none)", "(ref null none)",
            "(ref $shape)", "(ref null $shape)", "(ref $circle)", "(ref $big)", "(ref null $big)", "(ref $fin)", "(ref $bytes)",
            "(ref null $bytes)");
    private static final byte[] MODULE = Wat3.compile(module());

    private static String module() {
        StringBuilder b = new StringBuilder("""
                (module
                  (type $shape (sub (struct (field i32))))
                  (type $circle (sub $shape (struct (field i32) (field f64))))
                  (type $big (sub final $circle (struct (field i32) (field f64) (field i16))))
                  (type $fin (struct (field i32)))
                  (type $bytes (array (mut i8)))
                  (func $make (param $k i32) (param $e externref) (result anyref)
                    (block $b7 (block $b6 (block $b5 (block $b4 (block $b3 (block $b2 (block $b1 (block $b0
                      (br_table $b0 $b1 $b2 $b3 $b4 $b5 $b6 $b7 $b0 (local.get $k)))
                      (return (ref.null any)))
                      (return (ref.i31 (i32.const 5))))
                      (return (struct.new $shape (i32.const 1))))
                      (return (struct.new $circle (i32.const 2) (f64.const 1))))
                      (return (struct.new $big (i32.const 3) (f64.const 2) (i32.const 4))))
                      (return (struct.new $fin (i32.const 4))))
                      (return (array.new_default $bytes (i32.const 2))))
                    (any.convert_extern (local.get $e)))
                """);
        for (int k = 0; k < TARGETS.size(); k++) {
            String t = TARGETS.get(k);
            b.append("  (func (export \"test").append(k).append("\") (param i32 externref) (result i32)\n")
                    .append("    (ref.test ").append(t).append(" (call $make (local.get 0) (local.get 1))))\n");
            b.append("  (func (export \"cast").append(k).append("\") (param i32 externref) (result i32)\n")
                    .append("    (drop (ref.cast ").append(t).append(" (call $make (local.get 0) (local.get 1)))) (i32.const 1))\n");
            b.append("  (func (export \"br").append(k).append("\") (param i32 externref) (result i32)\n")
                    .append("    (drop (block $l (result ").append(t).append(")\n")
                    .append("      (br_on_cast $l anyref ").append(t).append(" (call $make (local.get 0) (local.get 1)))\n")
                    .append("      (drop) (return (i32.const 0)))) (i32.const 1))\n");
            b.append("  (func (export \"brFail").append(k).append("\") (param i32 externref) (result i32)\n")
                    .append("    (drop (block $l (result anyref)\n")
                    .append("      (br_on_cast_fail $l anyref ").append(t).append(" (call $make (local.get 0) (local.get 1)))\n")
                    .append("      (drop) (return (i32.const 1)))) (i32.const 0))\n");
        }
        return b.append(")\n").toString();
    }

    /** For each value and target: ref.test's result, then 1/0 for ref.cast passing/trapping, br_on_cast's and br_on_cast_fail's. */
    private static int[][][] answers(Tier tier) {
        int[][][] out = new int[VALUES.size()][TARGETS.size()][];
        Engine.Builder b = Engine.builder().tier(tier).precompiledCode(null).compileInBackground(false);
        if (tier == Tier.AUTO) b.hotCalls(1).hotLoops(1);
        try (Store store = new Store(b.build())) {
            Instance i = store.instantiate(WasmModule.of(MODULE), new Imports());
            long host = store.externRef("a host object");
            for (int v = 0; v < VALUES.size(); v++) {
                for (int k = 0; k < TARGETS.size(); k++) {
                    int test = (int) i.function("test" + k).call(v, host)[0];
                    int cast;
                    try {
                        cast = (int) i.function("cast" + k).call(v, host)[0];
                    } catch (WasmTrap t) {
                        assertTrue(t.getMessage().contains("cast failure"), t.getMessage());
                        cast = 0;
                    }
                    int br = (int) i.function("br" + k).call(v, host)[0];
                    int brFail = (int) i.function("brFail" + k).call(v, host)[0];
                    out[v][k] = new int[] {test, cast, br, brFail};
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(value = Tier.class, names = {"NATIVE", "AUTO"})
    void castsAnswerAsTheInterpreterDoes(Tier tier) {
        int[][][] expected = answers(Tier.INTERP);
        // the reference itself, on a few cases: a subtype two levels down, a final type, the bottom, i31, a host object
        assertEquals(1, expected[VALUES.indexOf("$big")][TARGETS.indexOf("(ref $shape)")][0]);
        assertEquals(0, expected[VALUES.indexOf("$fin")][TARGETS.indexOf("(ref $shape)")][0]);
        assertEquals(0, expected[VALUES.indexOf("$shape")][TARGETS.indexOf("(ref $circle)")][0]);
        assertEquals(1, expected[VALUES.indexOf("null")][TARGETS.indexOf("(ref null none)")][0]);
        assertEquals(0, expected[VALUES.indexOf("i31")][TARGETS.indexOf("(ref struct)")][0]);
        assertEquals(0, expected[VALUES.indexOf("host")][TARGETS.indexOf("(ref eq)")][0]);
        assertEquals(1, expected[VALUES.indexOf("host")][TARGETS.indexOf("(ref any)")][0]);
        int[][][] actual = answers(tier);
        for (int v = 0; v < VALUES.size(); v++) {
            for (int k = 0; k < TARGETS.size(); k++) {
                int[] e = expected[v][k];
                assertEquals(e[0], e[1], "ref.test and ref.cast agree on the interpreter");
                assertEquals(List.of(e[0], e[1], e[0], e[0]), List.of(actual[v][k][0], actual[v][k][1], actual[v][k][2], actual[v][k][3]),
                        VALUES.get(v) + " against " + TARGETS.get(k) + " (test, cast, br_on_cast, br_on_cast_fail's success)");
            }
        }
    }
}
