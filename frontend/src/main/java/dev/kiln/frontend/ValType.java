package dev.kiln.frontend;

import java.util.Objects;
import java.util.function.IntUnaryOperator;

/**
 * A WebAssembly 3.0 value type: a number type, {@code v128}, or a reference type
 * {@code (ref null? heaptype)}.
 *
 * <p>Below the frontend only {@link #machine()} matters (see {@link MachineType}): the IR, the
 * register allocator, the interpreter and the backends switch on it and never look at heap types
 * or nullability. The frontend's validator uses the rest, with subtyping from a
 * {@link TypeHierarchy}.
 *
 * <p>Number types, {@code v128} and every reference type with an abstract heap type are
 * singletons, so {@code t == ValType.I32} and {@code t == ValType.FUNCREF} are exact tests.
 * Reference types to a type index are made on demand and compare with {@link #equals}.
 */
public final class ValType {
    public static final ValType I32 = new ValType(MachineType.I32, false, null, "i32");
    public static final ValType I64 = new ValType(MachineType.I64, false, null, "i64");
    public static final ValType F32 = new ValType(MachineType.F32, false, null, "f32");
    public static final ValType F64 = new ValType(MachineType.F64, false, null, "f64");
    public static final ValType V128 = new ValType(MachineType.V128, false, null, "v128");

    /** Reference types with an abstract heap type, indexed [kind ordinal][nullable ? 1 : 0]. */
    private static final ValType[][] ABSTRACT_REFS = new ValType[HeapType.Kind.values().length][2];
    static {
        for (HeapType.Kind k : HeapType.Kind.values()) {
            if (k == HeapType.Kind.CONCRETE) continue;
            HeapType h = HeapType.of(k);
            ABSTRACT_REFS[k.ordinal()][0] = new ValType(MachineType.REF, false, h, "(ref " + h + ")");
            ABSTRACT_REFS[k.ordinal()][1] = new ValType(MachineType.REF, true, h, shorthand(k));
        }
    }

    public static final ValType FUNCREF = ref(true, HeapType.FUNC);
    public static final ValType EXTERNREF = ref(true, HeapType.EXTERN);
    public static final ValType ANYREF = ref(true, HeapType.ANY);
    public static final ValType EQREF = ref(true, HeapType.EQ);
    public static final ValType I31REF = ref(true, HeapType.I31);
    public static final ValType STRUCTREF = ref(true, HeapType.STRUCT);
    public static final ValType ARRAYREF = ref(true, HeapType.ARRAY);
    public static final ValType NULLREF = ref(true, HeapType.NONE);
    public static final ValType NULLFUNCREF = ref(true, HeapType.NOFUNC);
    public static final ValType NULLEXTERNREF = ref(true, HeapType.NOEXTERN);
    public static final ValType EXNREF = ref(true, HeapType.EXN);
    public static final ValType NULLEXNREF = ref(true, HeapType.NOEXN);

    private static final ValType[] NUMERIC_BY_CODE = new ValType[128];
    static {
        NUMERIC_BY_CODE[0x7F] = I32;
        NUMERIC_BY_CODE[0x7E] = I64;
        NUMERIC_BY_CODE[0x7D] = F32;
        NUMERIC_BY_CODE[0x7C] = F64;
        NUMERIC_BY_CODE[0x7B] = V128;
    }

    /** Binary prefix of {@code (ref null ht)}. */
    public static final int REF_NULL_PREFIX = 0x63;
    /** Binary prefix of {@code (ref ht)}. */
    public static final int REF_PREFIX = 0x64;

    private final MachineType machine;
    private final boolean nullable;
    private final HeapType heapType;
    private final String text;

    private ValType(MachineType machine, boolean nullable, HeapType heapType, String text) {
        this.machine = machine;
        this.nullable = nullable;
        this.heapType = heapType;
        this.text = text;
    }

    /** The reference type {@code (ref null? heapType)}. */
    public static ValType ref(boolean nullable, HeapType heapType) {
        if (heapType.isAbstract()) return ABSTRACT_REFS[heapType.kind().ordinal()][nullable ? 1 : 0];
        return new ValType(MachineType.REF, nullable, heapType,
                (nullable ? "(ref null " : "(ref ") + heapType + ")");
    }

    /**
     * The value type of a one-byte binary code: a number type, v128 or a reference-type shorthand
     * such as {@code funcref}; null for any other byte (including the 0x63/0x64 prefixes, which
     * need the heap type that follows).
     */
    public static ValType fromCode(int b) {
        if (b < 0 || b >= 128) return null;
        if (NUMERIC_BY_CODE[b] != null) return NUMERIC_BY_CODE[b];
        HeapType h = HeapType.abstractOfCode(b);
        return h == null ? null : ref(true, h);
    }

    private static String shorthand(HeapType.Kind k) {
        return switch (k) {
            case NONE -> "nullref";
            case NOFUNC -> "nullfuncref";
            case NOEXTERN -> "nullexternref";
            case NOEXN -> "nullexnref";
            default -> k.text + "ref";
        };
    }

    /** The machine representation: all that the IR and everything below it see. */
    public MachineType machine() {
        return machine;
    }

    public boolean isNumeric() {
        return machine != MachineType.V128 && machine != MachineType.REF;
    }

    public boolean isVector() {
        return machine == MachineType.V128;
    }

    public boolean isReference() {
        return machine == MachineType.REF;
    }

    /** True for a reference type that admits null ({@code ref null}); false for every other type. */
    public boolean nullable() {
        return nullable;
    }

    /** The heap type of a reference type; null for number and vector types. */
    public HeapType heapType() {
        return heapType;
    }

    /** True when a local of this type starts with a default value (all but non-nullable references). */
    public boolean isDefaultable() {
        return machine != MachineType.REF || nullable;
    }

    /** This reference type with null admitted. */
    public ValType asNullable() {
        return nullable || !isReference() ? this : ref(true, heapType);
    }

    /** This reference type without null. */
    public ValType asNonNullable() {
        return !nullable ? this : ref(false, heapType);
    }

    /** This type with its type index, if any, renumbered. */
    public ValType mapIndex(IntUnaryOperator f) {
        return heapType == null || heapType.isAbstract() ? this : ref(nullable, heapType.mapIndex(f));
    }

    /** Size in bytes of the type's representation in memory, a global cell or a table slot. */
    public int byteSize() {
        return machine.byteSize;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) return true;
        return o instanceof ValType t && t.machine == machine && t.nullable == nullable
                && Objects.equals(t.heapType, heapType);
    }

    @Override
    public int hashCode() {
        return machine.hashCode() * 31 + (nullable ? 1 : 0) + (heapType == null ? 0 : heapType.hashCode() * 7);
    }

    @Override
    public String toString() {
        return text;
    }
}
