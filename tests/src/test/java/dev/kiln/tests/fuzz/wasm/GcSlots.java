package dev.kiln.tests.fuzz.wasm;

import java.util.ArrayList;
import java.util.List;

/**
 * The GC objects of generated code ({@link Expr.GcNew}, {@link Expr.GcRead}, {@link Expr.GcWrite},
 * {@link Expr.GcTest}): a module whose code uses them gets, after all its function and block types,
 * four GC types and an array of {@value #COUNT} anyref slots, and after its globals one immutable
 * global holding that array, made by a constant expression that allocates an object for every slot.
 * Each slot has a home shape (so reads mostly succeed and casts fail now and then): slots 0 and 1
 * hold structs (slot 1 starts as the subtype), 2 and 3 i64 arrays, 4 an i8 array, 5 an i31, and
 * 6 and 7 any of them.
 */
public final class GcSlots {
    /** The kinds of object generated code makes. */
    public enum Shape {
        /** {@code $gcS}: a non-final struct of mutable i32, i64, f64 and i8 fields. */
        STRUCT("$gcS"),
        /** {@code $gcT}: a subtype of {@code $gcS} with one more mutable i32 field. */
        SUBSTRUCT("$gcT"),
        /** {@code $gcLongs}: an array of mutable i64. */
        LONGS("$gcLongs"),
        /** {@code $gcBytes}: an array of mutable i8. */
        BYTES("$gcBytes"),
        /** An unboxed {@code i31ref}. */
        I31("i31");

        public final String wat;

        Shape(String wat) {
            this.wat = wat;
        }

        public boolean isStruct() {
            return this == STRUCT || this == SUBSTRUCT;
        }

        public boolean isArray() {
            return this == LONGS || this == BYTES;
        }

        /** Offset of this shape's type after the module's other types (I31 has none). */
        int typeOffset() {
            return ordinal();
        }
    }

    public static final int COUNT = 8;
    /** The first of the slots that may hold any shape. */
    public static final int MIXED_SLOTS = 6;
    /** The GC types a module gets: the four shapes' and the slot array's. */
    static final int TYPE_COUNT = 5;
    static final int SLOTS_TYPE = 4;
    /** The index of the packed i8 field of the structs. */
    public static final int PACKED_FIELD = 3;
    private static final List<NumType> STRUCT_FIELDS = List.of(NumType.I32, NumType.I64, NumType.F64, NumType.I32);

    private GcSlots() {
    }

    /** The slots an object of {@code s} may be put in or read from as {@code s} (SUBSTRUCT reads: not slot 0). */
    public static List<Integer> slots(Shape s, boolean read) {
        return switch (s) {
            case STRUCT -> List.of(0, 1, 6, 7);
            case SUBSTRUCT -> read ? List.of(1, 6, 7) : List.of(0, 1, 6, 7);
            case LONGS -> List.of(2, 3, 6, 7);
            case BYTES -> List.of(4, 6, 7);
            case I31 -> List.of(5, 6, 7);
        };
    }

    /** The fields of a struct shape as the operand types of struct.new (the packed field takes an i32). */
    public static List<NumType> fields(Shape s) {
        List<NumType> out = new ArrayList<>(STRUCT_FIELDS);
        if (s == Shape.SUBSTRUCT) out.add(NumType.I32);
        return out;
    }

    /** The operand types of a new object: struct fields, an array's value and length, an i31's value. */
    public static List<NumType> newOperands(Shape s) {
        return switch (s) {
            case STRUCT, SUBSTRUCT -> fields(s);
            case LONGS -> List.of(NumType.I64, NumType.I32);
            case BYTES -> List.of(NumType.I32, NumType.I32);
            case I31 -> List.of(NumType.I32);
        };
    }

    /** Reads: a struct's field {@code op}; an array's element (op 0; BYTES op 1 unsigned) or length (the last op); an i31's value (op 0 signed, 1 unsigned). */
    public static int readOps(Shape s) {
        return switch (s) {
            case STRUCT, SUBSTRUCT -> fields(s).size();
            case LONGS -> 2;
            case BYTES -> 3;
            case I31 -> 2;
        };
    }

    public static NumType readType(Shape s, int op) {
        if (s.isStruct()) return fields(s).get(op);
        return s == Shape.LONGS && op == 0 ? NumType.I64 : NumType.I32;
    }

    /** Whether read {@code op} of array shape {@code s} takes an index. */
    public static boolean readsElement(Shape s, int op) {
        return s.isArray() && op < readOps(s) - 1;
    }

    /** Writes: a struct's field {@code op}; an array's set (0), fill (1) or copy from another slot (2). */
    public static int writeOps(Shape s) {
        return s.isStruct() ? fields(s).size() : 3;
    }

    public static List<NumType> writeOperands(Shape s, int op) {
        if (s.isStruct()) return List.of(fields(s).get(op));
        NumType element = s == Shape.LONGS ? NumType.I64 : NumType.I32;
        return switch (op) {
            case 0 -> List.of(NumType.I32, element);
            case 1 -> List.of(NumType.I32, element, NumType.I32);
            default -> List.of(NumType.I32, NumType.I32, NumType.I32);
        };
    }

    /** The 0xFB opcode of read {@code op}. */
    static int readOpcode(Shape s, int op) {
        return switch (s) {
            case STRUCT, SUBSTRUCT -> op == PACKED_FIELD ? 0x03 : 0x02;
            case LONGS -> op == 0 ? 0x0B : 0x0F;
            case BYTES -> op == 0 ? 0x0C : op == 1 ? 0x0D : 0x0F;
            case I31 -> op == 0 ? 0x1D : 0x1E;
        };
    }

    static String readWat(Shape s, int op) {
        return switch (s) {
            case STRUCT, SUBSTRUCT -> (op == PACKED_FIELD ? "struct.get_s " : "struct.get ") + s.wat + " " + op;
            case LONGS -> op == 0 ? "array.get $gcLongs" : "array.len";
            case BYTES -> op == 0 ? "array.get_s $gcBytes" : op == 1 ? "array.get_u $gcBytes" : "array.len";
            case I31 -> op == 0 ? "i31.get_s" : "i31.get_u";
        };
    }

    /** The 0xFB opcode of write {@code op} (struct.set, array.set, array.fill, array.copy). */
    static int writeOpcode(Shape s, int op) {
        return s.isStruct() ? 0x05 : op == 0 ? 0x0E : op == 1 ? 0x10 : 0x11;
    }

    static String writeWat(Shape s, int op) {
        if (s.isStruct()) return "struct.set " + s.wat + " " + op;
        return switch (op) {
            case 0 -> "array.set " + s.wat;
            case 1 -> "array.fill " + s.wat;
            default -> "array.copy " + s.wat + " " + s.wat;
        };
    }

    /** The heap types {@link Expr.GcTest} tests a slot against, one result bit each (type offsets, or abstract heap type codes). */
    static final int[] TESTED = {0, 1, 2, 3, 0x6C, 0x6D, 0x6B, 0x6A};
    static final String[] TESTED_WAT = {"$gcS", "$gcT", "$gcLongs", "$gcBytes", "i31", "eq", "struct", "array"};

    /** The GC types in text (they follow {@code base} other types). */
    static String watTypes() {
        return """
                  (type $gcS (sub (struct (field (mut i32)) (field (mut i64)) (field (mut f64)) (field (mut i8)))))
                  (type $gcT (sub $gcS (struct (field (mut i32)) (field (mut i64)) (field (mut f64)) (field (mut i8)) (field (mut i32)))))
                  (type $gcLongs (array (mut i64)))
                  (type $gcBytes (array (mut i8)))
                  (type $gcSlotsT (array (mut anyref)))
                """;
    }

    /** The slot global in text (it follows the module's other globals). */
    static String watGlobal() {
        return """
                  (global $gcSlots (ref $gcSlotsT) (array.new_fixed $gcSlotsT 8
                    (struct.new_default $gcS) (struct.new_default $gcT)
                    (array.new_default $gcLongs (i32.const 4)) (array.new_default $gcLongs (i32.const 9))
                    (array.new_default $gcBytes (i32.const 8)) (ref.i31 (i32.const 5))
                    (struct.new_default $gcS) (array.new_default $gcBytes (i32.const 3))))
                """;
    }

    /** The GC types' entries of the type section, {@code base} being the index of the first. */
    static void binaryTypes(WasmBytes t, int base) {
        t.byte_(0x50).u32(0);
        structFields(t, Shape.STRUCT);
        t.byte_(0x50).u32(1).u32(base);
        structFields(t, Shape.SUBSTRUCT);
        t.byte_(0x5E).byte_(NumType.I64.code).byte_(0x01);
        t.byte_(0x5E).byte_(0x78).byte_(0x01);
        t.byte_(0x5E).byte_(0x6E).byte_(0x01);
    }

    private static void structFields(WasmBytes t, Shape s) {
        List<NumType> fs = fields(s);
        t.byte_(0x5F).u32(fs.size());
        for (int k = 0; k < fs.size(); k++) t.byte_(k == PACKED_FIELD ? 0x78 : fs.get(k).code).byte_(0x01);
    }

    /** The slot global's entry of the global section. */
    static void binaryGlobal(WasmBytes g, int base) {
        g.byte_(0x64).sleb(base + SLOTS_TYPE).byte_(0x00);
        g.byte_(0xFB).u32(0x01).u32(base);
        g.byte_(0xFB).u32(0x01).u32(base + 1);
        g.byte_(0x41).sleb(4).byte_(0xFB).u32(0x07).u32(base + 2);
        g.byte_(0x41).sleb(9).byte_(0xFB).u32(0x07).u32(base + 2);
        g.byte_(0x41).sleb(8).byte_(0xFB).u32(0x07).u32(base + 3);
        g.byte_(0x41).sleb(5).byte_(0xFB).u32(0x1C);
        g.byte_(0xFB).u32(0x01).u32(base);
        g.byte_(0x41).sleb(3).byte_(0xFB).u32(0x07).u32(base + 3);
        g.byte_(0xFB).u32(0x08).u32(base + SLOTS_TYPE).u32(COUNT);
        g.byte_(0x0B);
    }
}
