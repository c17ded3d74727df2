package dev.kiln.tests.tiers;

import dev.kiln.tests.api.ApiTypes;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.testing.Wat;
import dev.kiln.runtime.TrapKind;
import dev.kiln.runtime.internal.Backends;
import dev.kiln.runtime.FunctionInstance;
import dev.kiln.runtime.HostFunction;
import dev.kiln.runtime.Imports;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Tier;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmTrap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Native code at the edges of what a backend must handle, each checked against the interpreter
 * (results bit for bit, traps by kind and Wasm stack): spill slots beyond the reach of a load's
 * offset, a jump table larger than a short branch reaches, functions larger than a conditional
 * branch reaches (veneers, literal-pool islands), many parameters and results (stack arguments
 * and the return area, through the entry trampoline, direct and indirect calls and host functions),
 * call-stack exhaustion, and trap stack traces. Runs on the host's native tier; the AArch64 JVM
 * runs it as {@link NativeEdgeCasesAarch64Test}.
 */
class NativeEdgeCasesTest {
    @BeforeAll
    static void hasNativeTier() {
        assumeTrue(Backends.host() != null, "no native tier on " + System.getProperty("os.arch"));
    }

    /** The same module instantiated for the interpreter and for native code, with the same imports. */
    private record Pair(Instance interp, Instance nat, Store a, Store b) implements AutoCloseable {
        static Pair of(String wat, HostFunction... hosts) {
            WasmModule module = WasmModule.of(Wat.compile(wat), "edge.wasm");
            Store a = new Store().tier(Tier.INTERP), b = new Store().tier(Tier.NATIVE);
            Imports ia = new Imports(), ib = new Imports();
            for (HostFunction h : hosts) {
                ia.define(h, a);
                ib.define(h, b);
            }
            return new Pair(a.instantiate(module, ia), b.instantiate(module, ib), a, b);
        }

        /** Calls the export on both tiers; they must agree. Returns the native outcome. */
        String call(String export, long... args) {
            String x = outcome(interp, export, args), y = outcome(nat, export, args);
            assertEquals(x, y, export + Arrays.toString(args) + ": interpreter and native code differ");
            return y;
        }

        @Override
        public void close() {
            a.close();
            b.close();
        }
    }

    private static String outcome(Instance i, String export, long[] args) {
        FunctionInstance f = (FunctionInstance) i.exports().get(export);
        try {
            long[] r = f.call(args);
            StringBuilder sb = new StringBuilder("results");
            for (int k = 0; k < r.length; k++) {
                ValType t = ApiTypes.valType(f.type().results().get(k));
                long bits = t == ValType.I32 || t == ValType.F32 ? r[k] & 0xFFFF_FFFFL : r[k];
                boolean nan = t == ValType.F32 ? Float.isNaN(Float.intBitsToFloat((int) bits))
                        : t == ValType.F64 && Double.isNaN(Double.longBitsToDouble(bits));
                sb.append(' ').append(nan ? "NaN" : Long.toHexString(bits));
            }
            return sb.toString();
        } catch (WasmTrap t) {
            StringBuilder sb = new StringBuilder("trap " + t.kind());
            for (var frame : t.wasmStack()) sb.append(" <- ").append(frame);
            return sb.toString();
        }
    }

    @Test
    void spillSlotsBeyondTheReachOfAnOffset() {
        // 4 500 i64 and 600 f64 values all live at once: far more spill slots than 32 KiB of frame
        int ints = 4500, floats = 600;
        StringBuilder wat = new StringBuilder("(module\n");
        wat.append("(func $sink (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result i64)\n")
                .append(" (i64.add (i64.xor (local.get 0) (local.get 9)) (i64.trunc_f64_s (f64.sub (local.get 10) (local.get 19)))))\n");
        wat.append("(func (export \"far\") (param $p i64) (param $q f64) (result i64 f64)\n");
        for (int i = 0; i < ints; i++) wat.append(" (local $a").append(i).append(" i64)");
        for (int i = 0; i < floats; i++) wat.append(" (local $f").append(i).append(" f64)");
        wat.append('\n');
        for (int i = 0; i < ints; i++) {
            wat.append(" (local.set $a").append(i).append(" (i64.mul (i64.add (local.get $p) (i64.const ").append(i)
                    .append(")) (i64.const ").append(2 * i + 1).append(")))\n");
        }
        for (int i = 0; i < floats; i++) {
            wat.append(" (local.set $f").append(i).append(" (f64.mul (local.get $q) (f64.const ").append(i + 0.5).append(")))\n");
        }
        // a call in the middle: its stack arguments come from the farthest slots, and everything survives it
        wat.append(" (local.set $p (call $sink");
        for (int i = 0; i < 10; i++) wat.append(" (local.get $a").append(i).append(')');
        for (int i = 0; i < 10; i++) wat.append(" (local.get $f").append(i).append(')');
        wat.append("))\n");
        wat.append(" (local.get $p)");
        for (int i = ints - 1; i >= 0; i--) wat.append(" (local.get $a").append(i).append(") (i64.add)");
        wat.append("\n (local.get $q)");
        for (int i = floats - 1; i >= 0; i--) wat.append(" (local.get $f").append(i).append(") (f64.add)");
        wat.append("))\n");
        try (Pair p = Pair.of(wat.toString())) {
            p.call("far", 7, Double.doubleToRawLongBits(1.25));
            p.call("far", -123456789, Double.doubleToRawLongBits(-3e100));
        }
    }

    @Test
    void jumpTableLargerThanAShortBranchReaches() {
        int n = 12_000;
        StringBuilder targets = new StringBuilder();
        for (int i = 0; i < n; i++) targets.append(i % 3).append(' ');
        String wat = "(module (func (export \"sw\") (param i32) (result i32)\n"
                + " (block (block (block (br_if 2 (i32.eq (local.get 0) (i32.const -7)))\n"
                + "   (br_table " + targets + "2 (local.get 0)))\n"
                + "  (return (i32.const 10)))\n"
                + " (return (i32.const 20)))\n"
                + " (i32.const 30)))";
        try (Pair p = Pair.of(wat)) {
            for (long i : new long[] {0, 1, 2, 3, 4000, 5001, n - 1, n, n + 1, -7, -1}) p.call("sw", i);
        }
    }

    @Test
    void functionLargerThanAConditionalBranchReaches() {
        // ~40 000 bounds-checked loads and 8 000 distinct float constants: well over 1 MiB of code, so
        // the branches to the trap stubs at the end need veneers and the constants several pools
        int loads = 40_000, constants = 8_000;
        StringBuilder wat = new StringBuilder("(module (memory 1)\n (data (i32.const 0) \"");
        for (int i = 0; i < 64; i++) wat.append(String.format("\\%02x", (i * 37 + 11) & 0xFF));
        wat.append("\")\n (func (export \"big\") (param i32) (result i32) (local $s i32)\n");
        for (int i = 0; i < loads; i++) {
            wat.append(" (local.set $s (i32.add (local.get $s) (i32.load offset=").append(i % 61).append(" (local.get 0))))\n");
        }
        wat.append(" (local.get $s))\n (func (export \"consts\") (param f64) (result f64)\n (local.get 0)\n");
        for (int i = 0; i < constants; i++) {
            wat.append(" (f64.const ").append(1.0 + i / 8192.0 + 1e-9 * i).append(") (f64.mul) (f64.const 0.999) (f64.mul)\n");
        }
        wat.append("))\n");
        try (Pair p = Pair.of(wat.toString())) {
            p.call("big", 0);
            p.call("big", 3);
            String trap = p.call("big", 65536 - 32); // in bounds for a while, then out: a trap from the middle
            assertTrue(trap.startsWith("trap OUT_OF_BOUNDS_MEMORY"), trap);
            p.call("big", 0xFFFF_FFF0L);
            p.call("consts", Double.doubleToRawLongBits(1.0));
            p.call("consts", Double.doubleToRawLongBits(-0.0));
        }
    }

    /**
     * A select whose condition is a comparison used nowhere else (x86-64 {@code cmp; cmovCC},
     * AArch64 {@code cmp; csel}: the select decides on the comparison's flags) for every integer and
     * float comparison: register and constant right operands, integer and float results, and the
     * edge values (signed and unsigned extremes, -0.0, infinities, NaN, which makes every ordered
     * float comparison false and {@code ne} true). Checked against the interpreter and against Java.
     */
    @Test
    void selectOfACompareOnEveryCompareKind() {
        String[] intOps = {"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"};
        String[] floatOps = {"eq", "ne", "lt", "gt", "le", "ge"};
        StringBuilder wat = new StringBuilder("(module\n");
        for (String t : new String[] {"i32", "i64", "f32", "f64"}) {
            boolean isInt = t.startsWith("i");
            String k = isInt ? "7" : "1.5";
            for (String op : isInt ? intOps : floatOps) {
                String cmp = t + "." + op;
                wat.append(" (func (export \"").append(cmp).append("\") (param ").append(t).append(' ').append(t)
                        .append(" i64 i64) (result i64) (select (local.get 2) (local.get 3) (").append(cmp)
                        .append(" (local.get 0) (local.get 1))))\n");
                wat.append(" (func (export \"").append(cmp).append("_k\") (param ").append(t).append(' ').append(t)
                        .append(" i64 i64) (result i64) (select (local.get 3) (local.get 2) (").append(cmp)
                        .append(" (local.get 0) (").append(t).append(".const ").append(k).append("))))\n");
                wat.append(" (func (export \"").append(cmp).append("_f\") (param ").append(t).append(' ').append(t)
                        .append(" i64 i64) (result f64) (select (f64.convert_i64_s (local.get 2)) (f64.convert_i64_s (local.get 3)) (")
                        .append(cmp).append(" (local.get 0) (local.get 1))))\n");
            }
            if (isInt) {
                wat.append(" (func (export \"").append(t).append(".eqz\") (param ").append(t).append(' ').append(t)
                        .append(" i64 i64) (result i64) (select (local.get 2) (local.get 3) (").append(t)
                        .append(".eqz (local.get 0))))\n");
            }
        }
        wat.append(")");
        long[] ints = {0, 1, -1, 7, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x8000_0000L, Long.MIN_VALUE, Long.MAX_VALUE};
        double[] floats = {0.0, -0.0, 1.5, -1.5, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-310};
        try (Pair p = Pair.of(wat.toString())) {
            for (String t : new String[] {"i32", "i64", "f32", "f64"}) {
                boolean isInt = t.startsWith("i");
                int n = isInt ? ints.length : floats.length;
                for (int x = 0; x < n; x++) {
                    for (int y = 0; y < n; y++) {
                        long a = operand(t, ints, floats, x), b = operand(t, ints, floats, y);
                        for (String op : isInt ? intOps : floatOps) {
                            String cmp = t + "." + op;
                            boolean holds = compares(t, op, a, b);
                            assertEquals(holds ? "results 2a" : "results 63", p.call(cmp, a, b, 42, 99), cmp + "(" + a + ", " + b + ")");
                            boolean holdsK = compares(t, op, a, isInt ? 7 : operand(t, ints, floats, 2));
                            assertEquals(holdsK ? "results 63" : "results 2a", p.call(cmp + "_k", a, b, 42, 99), cmp + "_k(" + a + ")");
                            String f = Long.toHexString(Double.doubleToRawLongBits(holds ? 42.0 : 99.0));
                            assertEquals("results " + f, p.call(cmp + "_f", a, b, 42, 99), cmp + "_f(" + a + ", " + b + ")");
                        }
                        if (isInt && y == 0) {
                            boolean zero = t.equals("i32") ? (int) a == 0 : a == 0;
                            assertEquals(zero ? "results 2a" : "results 63", p.call(t + ".eqz", a, b, 42, 99), t + ".eqz(" + a + ")");
                        }
                    }
                }
            }
        }
    }

    /**
     * Division and remainder by constants (multiplies and shifts in native code, ConstantDivision):
     * i32 and i64, signed and unsigned, divisors of both signs, powers of two, MIN, -1 (kept as a
     * divide: MIN / -1 traps) and 0 (traps), on dividends at the edges; native code agrees with the
     * interpreter, which divides.
     */
    @Test
    void divisionByConstantsAtTheEdges() {
        long[] divisors = {1, 2, 3, 7, 10, 16, 61, 641, 1000, -1, -2, -7, -16, 0, Integer.MAX_VALUE, Integer.MIN_VALUE,
                0xFFFF_FFFFL, 1L << 40, 1_000_000_007L * 3, Long.MIN_VALUE, Long.MAX_VALUE, -10_000_000_000L};
        StringBuilder wat = new StringBuilder("(module\n");
        for (String t : new String[] {"i32", "i64"}) {
            for (int k = 0; k < divisors.length; k++) {
                long d = t.equals("i32") ? (int) divisors[k] : divisors[k];
                for (String op : new String[] {"div_u", "rem_u", "div_s", "rem_s"}) {
                    wat.append(" (func (export \"").append(t).append('.').append(op).append('.').append(k).append("\") (param ")
                            .append(t).append(") (result ").append(t).append(") (").append(t).append('.').append(op)
                            .append(" (local.get 0) (").append(t).append(".const ").append(d).append(")))\n");
                }
            }
        }
        wat.append(")");
        long[] dividends = {0, 1, -1, 2, 6, 7, 8, -7, -8, 99, 1000, -1001, Integer.MAX_VALUE, Integer.MIN_VALUE, 0xFFFF_FFFFL,
                0x8000_0001L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1, -10_000_000_000L, 0x1234_5678_9ABC_DEF0L};
        try (Pair p = Pair.of(wat.toString())) {
            for (String t : new String[] {"i32", "i64"}) {
                for (int k = 0; k < divisors.length; k++) {
                    for (String op : new String[] {"div_u", "rem_u", "div_s", "rem_s"}) {
                        for (long x : dividends) p.call(t + "." + op + "." + k, t.equals("i32") ? x & 0xFFFF_FFFFL : x);
                    }
                }
            }
            assertTrue(p.call("i32.div_s.9", Integer.MIN_VALUE & 0xFFFF_FFFFL).startsWith("trap INTEGER_OVERFLOW"));
            assertTrue(p.call("i64.div_s.9", Long.MIN_VALUE).startsWith("trap INTEGER_OVERFLOW"));
            assertTrue(p.call("i64.rem_u.13", 5).startsWith("trap INTEGER_DIVIDE_BY_ZERO"));
            assertEquals("results 3", p.call("i64.div_s.12", -50));
            assertEquals("results fffffffffffffffe", p.call("i64.rem_s.12", -50));
        }
    }

    /** The raw bits of the {@code i}-th edge value of type {@code t}. */
    private static long operand(String t, long[] ints, double[] floats, int i) {
        return switch (t) {
            case "i32" -> ints[i] & 0xFFFF_FFFFL;
            case "i64" -> ints[i];
            case "f32" -> Float.floatToRawIntBits((float) floats[i]) & 0xFFFF_FFFFL;
            default -> Double.doubleToRawLongBits(floats[i]);
        };
    }

    /** Whether {@code a op b} holds for operands of type {@code t} given as raw bits (Java's comparisons are Wasm's). */
    private static boolean compares(String t, String op, long a, long b) {
        if (t.startsWith("f")) {
            double x = t.equals("f32") ? Float.intBitsToFloat((int) a) : Double.longBitsToDouble(a);
            double y = t.equals("f32") ? Float.intBitsToFloat((int) b) : Double.longBitsToDouble(b);
            return switch (op) {
                case "eq" -> x == y;
                case "ne" -> x != y;
                case "lt" -> x < y;
                case "gt" -> x > y;
                case "le" -> x <= y;
                default -> x >= y;
            };
        }
        if (t.equals("i32")) { // to 64 bits, signed or unsigned as the comparison reads them
            boolean unsigned = op.endsWith("_u");
            a = unsigned ? a & 0xFFFF_FFFFL : (int) a;
            b = unsigned ? b & 0xFFFF_FFFFL : (int) b;
        }
        int c = op.endsWith("_u") ? Long.compareUnsigned(a, b) : Long.compare(a, b);
        return switch (op.substring(0, 2)) {
            case "eq" -> c == 0;
            case "ne" -> c != 0;
            case "lt" -> c < 0;
            case "gt" -> c > 0;
            case "le" -> c <= 0;
            default -> c >= 0;
        };
    }

    @Test
    void manyParametersAndResultsCrossEveryKindOfCall() {
        // 6 of each type: 12 integer and 12 float parameters, more than either register bank holds
        List<ValType> types = new ArrayList<>();
        for (int i = 0; i < 6; i++) types.addAll(List.of(ValType.I32, ValType.I64, ValType.F32, ValType.F64));
        StringBuilder params = new StringBuilder(), results = new StringBuilder(), reversed = new StringBuilder(), gets = new StringBuilder();
        for (ValType t : types) {
            params.append(' ').append(t.toString().toLowerCase());
        }
        for (int i = types.size() - 1; i >= 0; i--) {
            results.append(' ').append(types.get(i).toString().toLowerCase());
            reversed.append(" (local.get ").append(i).append(')');
        }
        for (int i = 0; i < types.size(); i++) gets.append(" (local.get ").append(i).append(')');
        String wat = "(module\n"
                + " (type $fwd (func (param" + params + ") (result" + results + ")))\n"
                + " (import \"host\" \"rev\" (func $host (type $fwd)))\n"
                + " (table 2 funcref) (elem (i32.const 0) $rev $host)\n"
                + " (func $rev (type $fwd)" + reversed + ")\n"
                + " (func (export \"direct\") (type $fwd) (call $rev" + gets + "))\n"
                + " (func (export \"host\") (type $fwd) (call $host" + gets + "))\n"
                + " (func (export \"indirect0\") (type $fwd) (call_indirect (type $fwd)" + gets + " (i32.const 0)))\n"
                + " (func (export \"indirect1\") (type $fwd) (call_indirect (type $fwd)" + gets + " (i32.const 1)))\n"
                + " (export \"rev\" (func $rev)))";
        ValType[] ps = types.toArray(ValType[]::new);
        ValType[] rs = new ValType[ps.length];
        for (int i = 0; i < ps.length; i++) rs[i] = ps[ps.length - 1 - i];
        HostFunction rev = new HostFunction("host", "rev", ApiTypes.functionType(ps, rs), (caller, args) -> {
            long[] out = new long[args.length];
            for (int i = 0; i < args.length; i++) out[i] = args[args.length - 1 - i];
            return out;
        });
        long[] args = new long[ps.length];
        for (int i = 0; i < args.length; i++) {
            args[i] = switch (ps[i].machine()) {
                case I32 -> 0x8000_0000L + i;
                case I64 -> -1L - i * 0x1_0000_0001L;
                case F32 -> Float.floatToRawIntBits(-1.5f * i) & 0xFFFF_FFFFL;
                default -> Double.doubleToRawLongBits(Math.PI * i);
            };
        }
        try (Pair p = Pair.of(wat, rev)) {
            for (String e : List.of("rev", "direct", "host", "indirect0", "indirect1")) p.call(e, args);
        }
    }

    @Test
    void callStackExhaustionIsATrapAndTheInstanceStaysUsable() {
        String wat = "(module (func $down (export \"down\") (param i64) (result i64)"
                + " (i64.add (call $down (i64.add (local.get 0) (i64.const 1))) (local.get 0)))"
                + " (func (export \"ok\") (param i32) (result i32) (i32.mul (local.get 0) (i32.const 3))))";
        try (Pair p = Pair.of(wat)) {
            assertEquals("trap " + TrapKind.CALL_STACK_EXHAUSTED, outcomeKind(p.nat, "down", 1));
            assertEquals("trap " + TrapKind.CALL_STACK_EXHAUSTED, outcomeKind(p.interp, "down", 1));
            p.call("ok", 14);
        }
    }

    private static String outcomeKind(Instance i, String export, long... args) {
        String o = outcome(i, export, args);
        int arrow = o.indexOf(" <- ");
        return arrow < 0 ? o : o.substring(0, arrow);
    }

    @Test
    void trapsCarryTheSameWasmStackInBothTiers() {
        String wat = "(module (memory 1)\n"
                + " (func $c (param i32) (result i32) (i32.load (local.get 0)))\n"
                + " (func $b (param i32) (result i32) (i32.add (call $c (local.get 0)) (i32.const 1)))\n"
                + " (func $a (export \"a\") (param i32) (result i32) (i32.mul (call $b (local.get 0)) (i32.const 2)))\n"
                + " (func (export \"div\") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1)))\n"
                + " (func (export \"trunc\") (param f64) (result i32) (i32.trunc_f64_u (local.get 0))))";
        try (Pair p = Pair.of(wat)) {
            String trap = p.call("a", 70000);
            assertTrue(trap.contains("c (func 0)") && trap.contains("b (func 1)") && trap.contains("a (func 2)"), trap);
            p.call("a", 8);
            p.call("div", 0x8000_0000L, 0xFFFF_FFFFL);
            p.call("div", 5, 0);
            p.call("div", 0x8000_0000L, 1);
            p.call("trunc", Double.doubleToRawLongBits(Double.NaN));
            p.call("trunc", Double.doubleToRawLongBits(-0.99));
            p.call("trunc", Double.doubleToRawLongBits(-1.0));
            p.call("trunc", Double.doubleToRawLongBits(4294967295.9));
            p.call("trunc", Double.doubleToRawLongBits(4294967296.0));
        }
    }
}
