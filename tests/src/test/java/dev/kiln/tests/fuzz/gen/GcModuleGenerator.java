package dev.kiln.tests.fuzz.gen;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Random GC modules for the differential check: a recursive group of struct types with random
 * fields (packed i8/i16, i32, i64, f32, f64, nullable references to any type of the group, mutable
 * or not) and random subtyping (a subtype repeats its parent's fields and adds some), an i64 array
 * type, and numeric-only exports that allocate into a table of anyref slots, fold an object's
 * fields into an i64, set fields, cast (traps when the slot holds another type), test against
 * every type, compare references, fill and copy arrays and make garbage. {@link #calls} gives a
 * random call sequence over those exports.
 */
public final class GcModuleGenerator {
    /** A generated module's text and the exports a call sequence may use, with their arity. */
    public record GcModule(String wat, List<String> exports, List<Integer> arity) {
    }

    private static final String[] NUMERIC = {"i8", "i16", "i32", "i64", "f32", "f64"};
    public static final int SLOTS = 8;

    private GcModuleGenerator() {
    }

    private record Field(String type, boolean mutable) {
        boolean isRef() {
            return type.startsWith("(ref");
        }
    }

    public static GcModule generate(Random r) {
        int n = 1 + r.nextInt(5);
        List<List<Field>> fields = new ArrayList<>();
        List<Integer> parents = new ArrayList<>();
        List<Boolean> finals = new ArrayList<>();
        StringBuilder w = new StringBuilder("(module\n  (rec\n");
        for (int t = 0; t < n; t++) {
            int parent = -1;
            if (t > 0 && r.nextInt(5) < 2) {
                int p = r.nextInt(t);
                if (!finals.get(p)) parent = p;
            }
            List<Field> fs = new ArrayList<>(parent >= 0 ? fields.get(parent) : List.of());
            int extra = (parent >= 0 ? 0 : 1) + r.nextInt(3);
            for (int k = 0; k < extra; k++) {
                String type = r.nextInt(4) == 0 ? "(ref null $s" + r.nextInt(n) + ")" : NUMERIC[r.nextInt(NUMERIC.length)];
                fs.add(new Field(type, r.nextBoolean()));
            }
            boolean fin = r.nextInt(4) == 0;
            fields.add(fs);
            parents.add(parent);
            finals.add(fin);
            w.append("    (type $s").append(t).append(" (sub ").append(fin ? "final " : "");
            if (parent >= 0) w.append("$s").append(parent).append(' ');
            w.append("(struct");
            for (Field f : fs) w.append(" (field ").append(f.mutable ? "(mut " + f.type + ")" : f.type).append(')');
            w.append(")))\n");
        }
        w.append("  )\n  (type $longs (array (mut i64)))\n  (table $slots ").append(SLOTS).append(" anyref)\n");
        List<String> exports = new ArrayList<>();
        List<Integer> arity = new ArrayList<>();
        for (int t = 0; t < n; t++) {
            List<Field> fs = fields.get(t);
            // new: fields from the seed; reference fields take the next slot's object when it has the field's type
            w.append("  (func (export \"new").append(t).append("\") (param $slot i32) (param $seed i64) (local $x anyref)\n");
            w.append("    (local.set $x (table.get $slots (i32.and (i32.add (local.get $slot) (i32.const 1)) (i32.const 7))))\n");
            w.append("    (table.set $slots (local.get $slot) (struct.new $s").append(t);
            for (int k = 0; k < fs.size(); k++) w.append("\n      ").append(value(fs.get(k).type, k));
            w.append(")))\n");
            exports.add("new" + t);
            arity.add(2);
            // hash: cast (traps on another type or null), fold every field
            w.append("  (func (export \"hash").append(t).append("\") (param $slot i32) (result i64) (local $o (ref $s").append(t)
                    .append(")) (local $h i64)\n");
            w.append("    (local.set $o (ref.cast (ref $s").append(t).append(") (table.get $slots (local.get $slot))))\n");
            for (int k = 0; k < fs.size(); k++) {
                w.append("    (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31)) ").append(read(fs.get(k).type, t, k, n)).append("))\n");
            }
            w.append("    (local.get $h))\n");
            exports.add("hash" + t);
            arity.add(1);
            for (int k = 0; k < fs.size(); k++) {
                Field f = fs.get(k);
                if (!f.mutable || f.isRef()) continue;
                w.append("  (func (export \"set").append(t).append('_').append(k).append("\") (param $slot i32) (param $seed i64) (local $x anyref)\n");
                w.append("    (struct.set $s").append(t).append(' ').append(k).append(" (ref.cast (ref $s").append(t)
                        .append(") (table.get $slots (local.get $slot))) ").append(value(f.type, k)).append("))\n");
                exports.add("set" + t + "_" + k);
                arity.add(2);
            }
        }
        w.append("  (func (export \"test\") (param $slot i32) (result i32) (local $x anyref) (local $m i32)\n");
        w.append("    (local.set $x (table.get $slots (local.get $slot)))\n");
        String[] abstracts = {"(ref null any)", "(ref eq)", "(ref i31)", "(ref struct)", "(ref array)", "(ref none)", "(ref null none)", "(ref $longs)"};
        int bit = 0;
        for (String a : abstracts) w.append("    (local.set $m (i32.or (local.get $m) (i32.shl (ref.test ").append(a).append(" (local.get $x)) (i32.const ").append(bit++).append("))))\n");
        for (int t = 0; t < n; t++) w.append("    (local.set $m (i32.or (local.get $m) (i32.shl (ref.test (ref $s").append(t).append(") (local.get $x)) (i32.const ").append(bit++).append("))))\n");
        w.append("    (local.get $m))\n");
        exports.add("test");
        arity.add(1);
        w.append("""
                  (func (export "same") (param i32 i32) (result i32)
                    (ref.eq (ref.cast eqref (table.get $slots (local.get 0))) (ref.cast eqref (table.get $slots (local.get 1)))))
                  (func (export "copy") (param $to i32) (param $from i32) (table.set $slots (local.get $to) (table.get $slots (local.get $from))))
                  (func (export "i31") (param $slot i32) (param $v i32) (table.set $slots (local.get $slot) (ref.i31 (local.get $v))))
                  (func (export "i31get") (param $slot i32) (result i32)
                    (i32.add (i31.get_s (ref.cast (ref i31) (table.get $slots (local.get $slot))))
                             (i31.get_u (ref.cast (ref i31) (table.get $slots (local.get $slot))))))
                  (func (export "drop") (param $slot i32) (table.set $slots (local.get $slot) (ref.null any)))
                  (func (export "newLongs") (param $slot i32) (param $n i32) (param $seed i64)
                    (table.set $slots (local.get $slot) (array.new $longs (local.get $seed) (local.get $n))))
                  (func (export "longsHash") (param $slot i32) (result i64) (local $a (ref $longs)) (local $i i32) (local $h i64)
                    (local.set $a (ref.cast (ref $longs) (table.get $slots (local.get $slot))))
                    (block $d (loop $l
                      (br_if $d (i32.ge_u (local.get $i) (array.len (local.get $a))))
                      (local.set $h (i64.add (i64.mul (local.get $h) (i64.const 31)) (array.get $longs (local.get $a) (local.get $i))))
                      (local.set $i (i32.add (local.get $i) (i32.const 1)))
                      (br $l)))
                    (i64.add (local.get $h) (i64.extend_i32_u (array.len (local.get $a)))))
                  (func (export "longsSet") (param $slot i32) (param $i i32) (param $v i64)
                    (array.set $longs (ref.cast (ref $longs) (table.get $slots (local.get $slot))) (local.get $i) (local.get $v)))
                  (func (export "longsFill") (param $slot i32) (param $i i32) (param $v i64) (param $n i32)
                    (array.fill $longs (ref.cast (ref $longs) (table.get $slots (local.get $slot))) (local.get $i) (local.get $v) (local.get $n)))
                  (func (export "longsCopy") (param $dst i32) (param $d i32) (param $src i32) (param $s i32) (param $n i32)
                    (array.copy $longs $longs (ref.cast (ref $longs) (table.get $slots (local.get $dst))) (local.get $d)
                      (ref.cast (ref $longs) (table.get $slots (local.get $src))) (local.get $s) (local.get $n)))
                  (func (export "garbage") (param $n i32)
                    (loop $l (if (local.get $n) (then
                      (drop (array.new_default $longs (i32.const 200)))
                      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                      (br $l)))))
                )
                """);
        String[] fixed = {"same", "copy", "i31", "i31get", "drop", "newLongs", "longsHash", "longsSet", "longsFill", "longsCopy", "garbage"};
        int[] fixedArity = {2, 2, 2, 1, 1, 3, 1, 3, 4, 5, 1};
        for (int k = 0; k < fixed.length; k++) {
            exports.add(fixed[k]);
            arity.add(fixedArity[k]);
        }
        return new GcModule(w.toString(), exports, arity);
    }

    /** The value of field {@code k} of that type from {@code $seed} (and {@code $x} for references). */
    private static String value(String type, int k) {
        String v = "(i64.add (local.get $seed) (i64.const " + (k * 0x9E3779B97F4A7C15L) + "))";
        return switch (type) {
            case "i8", "i16", "i32" -> "(i32.wrap_i64 " + v + ")";
            case "i64" -> v;
            case "f32" -> "(f32.convert_i64_s " + v + ")";
            case "f64" -> "(f64.convert_i64_s " + v + ")";
            default -> {
                String target = type.substring("(ref null ".length(), type.length() - 1);
                yield "(if (result " + type + ") (ref.test (ref " + target + ") (local.get $x)) (then (ref.cast (ref " + target
                        + ") (local.get $x))) (else (ref.null " + target + ")))";
            }
        };
    }

    /** Field {@code k} of {@code $o} as an i64. */
    private static String read(String type, int t, int k, int n) {
        String get = "(struct.get $s" + t + " " + k + " (local.get $o))";
        return switch (type) {
            case "i8", "i16" -> "(i64.add (i64.extend_i32_s (struct.get_s $s" + t + " " + k + " (local.get $o))) (i64.mul (i64.const 1000003) (i64.extend_i32_u (struct.get_u $s"
                    + t + " " + k + " (local.get $o)))))";
            case "i32" -> "(i64.extend_i32_s " + get + ")";
            case "i64" -> get;
            case "f32" -> "(i64.extend_i32_u (i32.reinterpret_f32 " + get + "))";
            case "f64" -> "(i64.reinterpret_f64 " + get + ")";
            default -> "(i64.add (i64.extend_i32_u (ref.is_null " + get + ")) (i64.mul (i64.const 7) (i64.extend_i32_u (ref.eq " + get
                    + " (ref.cast eqref (table.get $slots (i32.const 0)))))))";
        };
    }

    /** A random call sequence: export index and arguments (slots 0-7; small lengths and indices; any seeds). */
    public static List<long[]> calls(Random r, GcModule m, int count) {
        List<long[]> calls = new ArrayList<>();
        for (int c = 0; c < count; c++) {
            int e = r.nextInt(m.exports().size());
            String name = m.exports().get(e);
            int a = m.arity().get(e);
            long[] call = new long[1 + a];
            call[0] = e;
            for (int k = 0; k < a; k++) {
                boolean seed = name.startsWith("new") && !name.equals("newLongs") && k == 1 || name.startsWith("set") && k == 1
                        || name.equals("newLongs") && k == 2 || name.equals("longsSet") && k == 2 || name.equals("longsFill") && k == 2;
                if (seed) call[1 + k] = r.nextLong();
                else if (name.equals("i31")) call[1 + k] = k == 0 ? r.nextInt(SLOTS) : r.nextInt();
                else if (name.equals("garbage")) call[1 + k] = r.nextInt(50);
                else if (k == 0 || name.equals("same") || name.equals("copy") || name.equals("longsCopy") && k == 2) call[1 + k] = r.nextInt(SLOTS);
                else call[1 + k] = r.nextInt(12); // lengths and indices: in and out of bounds
            }
            calls.add(call);
        }
        return calls;
    }
}
