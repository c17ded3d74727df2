package dev.kiln.frontend;

import java.util.function.IntUnaryOperator;

/**
 * A heap type: one of the abstract heap types of WebAssembly 3.0 or a concrete type index into
 * the module's type section. Abstract heap types are singletons, so they compare with {@code ==};
 * concrete ones compare with {@link #equals}. Whether two concrete types are the same or subtypes
 * is a question for the module's {@link TypeHierarchy}, which knows their definitions.
 *
 * <p>The abstract types form three hierarchies (plus exceptions), each with a top and a bottom:
 * {@code any ⊇ eq ⊇ {i31, struct, array} ⊇ none}, {@code func ⊇ nofunc},
 * {@code extern ⊇ noextern}, {@code exn ⊇ noexn}. Concrete function types sit between func and
 * nofunc, concrete struct and array types between struct/array and none.
 */
public final class HeapType {
    /** The kinds of heap type; {@link #CONCRETE} is a type index. */
    public enum Kind {
        FUNC(0x70, "func"),
        NOFUNC(0x73, "nofunc"),
        EXTERN(0x6F, "extern"),
        NOEXTERN(0x72, "noextern"),
        ANY(0x6E, "any"),
        EQ(0x6D, "eq"),
        I31(0x6C, "i31"),
        STRUCT(0x6B, "struct"),
        ARRAY(0x6A, "array"),
        NONE(0x71, "none"),
        EXN(0x69, "exn"),
        NOEXN(0x74, "noexn"),
        CONCRETE(-1, null);

        /** The one-byte binary code of an abstract heap type (also its nullable reference shorthand). */
        public final int code;
        public final String text;

        Kind(int code, String text) {
            this.code = code;
            this.text = text;
        }
    }

    public static final HeapType FUNC = new HeapType(Kind.FUNC, -1);
    public static final HeapType NOFUNC = new HeapType(Kind.NOFUNC, -1);
    public static final HeapType EXTERN = new HeapType(Kind.EXTERN, -1);
    public static final HeapType NOEXTERN = new HeapType(Kind.NOEXTERN, -1);
    public static final HeapType ANY = new HeapType(Kind.ANY, -1);
    public static final HeapType EQ = new HeapType(Kind.EQ, -1);
    public static final HeapType I31 = new HeapType(Kind.I31, -1);
    public static final HeapType STRUCT = new HeapType(Kind.STRUCT, -1);
    public static final HeapType ARRAY = new HeapType(Kind.ARRAY, -1);
    public static final HeapType NONE = new HeapType(Kind.NONE, -1);
    public static final HeapType EXN = new HeapType(Kind.EXN, -1);
    public static final HeapType NOEXN = new HeapType(Kind.NOEXN, -1);

    private static final HeapType[] ABSTRACT = {FUNC, NOFUNC, EXTERN, NOEXTERN, ANY, EQ, I31, STRUCT, ARRAY, NONE, EXN, NOEXN};
    private static final HeapType[] BY_CODE = new HeapType[128];
    static {
        for (HeapType h : ABSTRACT) BY_CODE[h.kind.code] = h;
    }

    private final Kind kind;
    private final int typeIndex;

    private HeapType(Kind kind, int typeIndex) {
        this.kind = kind;
        this.typeIndex = typeIndex;
    }

    /** The concrete heap type naming a type index of the module. */
    public static HeapType concrete(int typeIndex) {
        if (typeIndex < 0) throw new IllegalArgumentException("type index " + typeIndex);
        return new HeapType(Kind.CONCRETE, typeIndex);
    }

    /** The abstract heap type with this one-byte binary code, or null. */
    public static HeapType abstractOfCode(int code) {
        return code >= 0 && code < 128 ? BY_CODE[code] : null;
    }

    /** The abstract heap type of a kind; {@link Kind#CONCRETE} has none. */
    public static HeapType of(Kind kind) {
        if (kind == Kind.CONCRETE) throw new IllegalArgumentException("a concrete heap type needs an index");
        return ABSTRACT[kind.ordinal()];
    }

    /**
     * The heap type an s33 value of the binary format stands for: a type index when non-negative,
     * else an abstract type (the one-byte code minus 0x80); null when it is neither.
     */
    public static HeapType fromEncoding(long s33) {
        if (s33 >= 0) return s33 <= Integer.MAX_VALUE ? concrete((int) s33) : null;
        return s33 >= -64 ? abstractOfCode((int) s33 + 0x80) : null;
    }

    /** The s33 value that encodes this heap type (see {@link #fromEncoding}); IR immediates carry it. */
    public long encoding() {
        return kind == Kind.CONCRETE ? typeIndex : kind.code - 0x80;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isAbstract() {
        return kind != Kind.CONCRETE;
    }

    public boolean isConcrete() {
        return kind == Kind.CONCRETE;
    }

    /** The type index of a concrete heap type. */
    public int typeIndex() {
        if (kind != Kind.CONCRETE) throw new IllegalStateException(this + " is abstract");
        return typeIndex;
    }

    /** The same heap type with its type index renumbered (abstract types are returned as they are). */
    public HeapType mapIndex(IntUnaryOperator f) {
        return kind == Kind.CONCRETE ? concrete(f.applyAsInt(typeIndex)) : this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HeapType h && h.kind == kind && h.typeIndex == typeIndex;
    }

    @Override
    public int hashCode() {
        return kind.ordinal() * 31 + typeIndex;
    }

    @Override
    public String toString() {
        return kind == Kind.CONCRETE ? Integer.toString(typeIndex) : kind.text;
    }
}
