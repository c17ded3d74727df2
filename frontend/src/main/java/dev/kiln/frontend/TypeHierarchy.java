package dev.kiln.frontend;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Type equivalence and subtyping over one module's type section (WebAssembly 3.0, iso-recursive):
 * two type indices denote the same type when their recursive groups are structurally identical
 * (references inside a group compared by position, references to earlier groups by identity), and
 * a defined type is a subtype of the types on its declared supertype chain. Reference types add
 * nullability and the abstract heap types; function types need no structural rule at use sites
 * (they are subtypes only by declaration), but a declaration is checked structurally by
 * {@link #checkDeclaredSupertype}.
 *
 * <p>Built once per module after the type section's indices have been checked; immutable.
 */
public final class TypeHierarchy {
    private final List<SubType> types;
    private final List<RecGroup> groups;
    private final int[] canonical;

    private TypeHierarchy(List<SubType> types, List<RecGroup> groups, int[] canonical) {
        this.types = types;
        this.groups = groups;
        this.canonical = canonical;
    }

    /** Canonicalises the module's groups; every type index in them must be in range (validated). */
    public static TypeHierarchy of(List<SubType> types, List<RecGroup> groups) {
        int[] canonical = new int[types.size()];
        Map<String, Integer> seen = new HashMap<>();
        int next = 0;
        for (RecGroup g : groups) {
            String key = groupKey(types, g, canonical, null);
            Integer earlier = seen.get(key);
            if (earlier != null) {
                for (int k = 0; k < g.size(); k++) canonical[g.first() + k] = canonical[earlier + k];
            } else {
                seen.put(key, g.first());
                for (int k = 0; k < g.size(); k++) canonical[g.first() + k] = next++;
            }
        }
        return new TypeHierarchy(List.copyOf(types), List.copyOf(groups), canonical);
    }

    /** A text key of a group in which earlier types appear as canonical ids and its own by position. */
    private static String groupKey(List<SubType> types, RecGroup g, int[] canonical, IntFunction<String> external) {
        StringBuilder sb = new StringBuilder();
        sb.append(g.size()).append(':');
        IntFunction<String> ref = i -> g.contains(i) ? "r" + (i - g.first())
                : external != null ? "{" + external.apply(i) + "}" : "c" + canonical[i];
        for (int k = 0; k < g.size(); k++) {
            SubType s = types.get(g.first() + k);
            sb.append(s.isFinal() ? "F" : "O");
            for (int sup : s.supertypes()) sb.append('<').append(ref.apply(sup));
            switch (s.composite()) {
                case FuncType f -> {
                    sb.append("f(");
                    for (ValType p : f.params()) key(sb, p, ref);
                    sb.append(")(");
                    for (ValType r : f.results()) key(sb, r, ref);
                    sb.append(')');
                }
                case StructType st -> {
                    sb.append("s(");
                    for (FieldType ft : st.fields()) key(sb, ft, ref);
                    sb.append(')');
                }
                case ArrayType a -> {
                    sb.append("a(");
                    key(sb, a.element(), ref);
                    sb.append(')');
                }
            }
            sb.append(';');
        }
        return sb.toString();
    }

    private static void key(StringBuilder sb, FieldType f, IntFunction<String> ref) {
        sb.append(f.mutable() ? 'm' : 'c').append(f.packedBits());
        key(sb, f.type(), ref);
    }

    private static void key(StringBuilder sb, ValType t, IntFunction<String> ref) {
        HeapType h = t.heapType();
        if (h == null) sb.append(t);
        else sb.append(t.nullable() ? "n" : "r").append(h.isAbstract() ? h.toString() : ref.apply(h.typeIndex()));
        sb.append(',');
    }

    private String[] keys;

    /**
     * A text that equals another module's for the same type index exactly when the two types are
     * equivalent (iso-recursive: the group's structure, with references to earlier groups replaced
     * by their own keys and references inside the group by position). The runtime keys types
     * across modules with it (import matching, call_indirect through shared tables).
     */
    public synchronized String canonicalKey(int index) {
        if (keys == null) {
            keys = new String[types.size()];
        }
        if (keys[index] != null) return keys[index];
        RecGroup g = groupOf(index);
        String body = groupKey(types, g, new int[0], i -> g.contains(i) ? null : canonicalKey(i));
        for (int k = 0; k < g.size(); k++) keys[g.first() + k] = body + "#" + k;
        return keys[index];
    }

    private RecGroup groupOf(int index) {
        for (RecGroup g : groups) if (g.contains(index)) return g;
        throw new IllegalArgumentException("type " + index);
    }

    /** The key {@link #canonicalKey} gives a final function type of its own group without type indices. */
    public static String keyOf(FuncType f) {
        List<SubType> one = List.of(SubType.of(f));
        return groupKey(one, new RecGroup(0, 1), new int[0], i -> { throw new IllegalArgumentException("a type index in " + f); }) + "#0";
    }

    public int size() {
        return types.size();
    }

    public SubType type(int index) {
        return types.get(index);
    }

    /** A number that two type indices share exactly when they denote the same type. */
    public int canonicalId(int index) {
        return canonical[index];
    }

    /** True when the two type indices denote the same type. */
    public boolean sameType(int a, int b) {
        return canonical[a] == canonical[b];
    }

    /** Type equivalence of value types (same shape, same nullability, equivalent heap types). */
    public boolean sameType(ValType a, ValType b) {
        if (a == b) return true;
        if (a.machine() != b.machine() || a.nullable() != b.nullable()) return false;
        HeapType ha = a.heapType();
        HeapType hb = b.heapType();
        if (ha == null || hb == null) return ha == hb;
        if (ha.isAbstract() || hb.isAbstract()) return ha == hb;
        return sameType(ha.typeIndex(), hb.typeIndex());
    }

    /** Function types that are equivalent (identical up to equivalent type indices). */
    public boolean sameType(FuncType a, FuncType b) {
        if (a.paramCount() != b.paramCount() || a.resultCount() != b.resultCount()) return false;
        for (int i = 0; i < a.paramCount(); i++) if (!sameType(a.param(i), b.param(i))) return false;
        for (int i = 0; i < a.resultCount(); i++) if (!sameType(a.result(i), b.result(i))) return false;
        return true;
    }

    /** Value subtyping {@code a <: b}. */
    public boolean isSubtype(ValType a, ValType b) {
        if (a == b) return true;
        if (!a.isReference() || !b.isReference()) return a.equals(b);
        if (a.nullable() && !b.nullable()) return false;
        return isSubtype(a.heapType(), b.heapType());
    }

    /** Heap subtyping {@code a <: b}. */
    public boolean isSubtype(HeapType a, HeapType b) {
        if (a.equals(b)) return true;
        if (a.isConcrete() && b.isConcrete()) return isSubtypeIndex(a.typeIndex(), b.typeIndex());
        if (a.isConcrete()) return isSubtype(types.get(a.typeIndex()).composite().abstractSupertype(), b);
        if (b.isConcrete()) return a == bottom(b);
        return abstractSubtype(a.kind(), b.kind());
    }

    /** Declared subtyping of defined types: {@code b} is on {@code a}'s supertype chain (or equal). */
    public boolean isSubtypeIndex(int a, int b) {
        int t = a;
        while (t >= 0) {
            if (canonical[t] == canonical[b]) return true;
            t = types.get(t).supertype();
        }
        return false;
    }

    private static boolean abstractSubtype(HeapType.Kind a, HeapType.Kind b) {
        return switch (a) {
            case NONE -> b == HeapType.Kind.ANY || b == HeapType.Kind.EQ || b == HeapType.Kind.I31
                    || b == HeapType.Kind.STRUCT || b == HeapType.Kind.ARRAY || b == HeapType.Kind.NONE;
            case I31, STRUCT, ARRAY -> b == a || b == HeapType.Kind.EQ || b == HeapType.Kind.ANY;
            case EQ -> b == HeapType.Kind.EQ || b == HeapType.Kind.ANY;
            case NOFUNC -> b == HeapType.Kind.FUNC || b == HeapType.Kind.NOFUNC;
            case NOEXTERN -> b == HeapType.Kind.EXTERN || b == HeapType.Kind.NOEXTERN;
            case NOEXN -> b == HeapType.Kind.EXN || b == HeapType.Kind.NOEXN;
            default -> a == b;
        };
    }

    /** The top of a heap type's hierarchy: any, func, extern or exn. */
    public HeapType top(HeapType h) {
        if (h.isConcrete()) return top(types.get(h.typeIndex()).composite().abstractSupertype());
        return switch (h.kind()) {
            case ANY, EQ, I31, STRUCT, ARRAY, NONE -> HeapType.ANY;
            case FUNC, NOFUNC -> HeapType.FUNC;
            case EXTERN, NOEXTERN -> HeapType.EXTERN;
            case EXN, NOEXN -> HeapType.EXN;
            case CONCRETE -> throw new AssertionError();
        };
    }

    /** The bottom of a heap type's hierarchy: none, nofunc, noextern or noexn. */
    public HeapType bottom(HeapType h) {
        HeapType top = top(h);
        if (top == HeapType.ANY) return HeapType.NONE;
        if (top == HeapType.FUNC) return HeapType.NOFUNC;
        if (top == HeapType.EXTERN) return HeapType.NOEXTERN;
        return HeapType.NOEXN;
    }

    /**
     * Checks that type {@code index}'s declared supertype, if any, admits it: not final, of the
     * same shape, and structurally a supertype (function parameters contravariant and results
     * covariant; struct fields a prefix, array elements likewise, mutable fields invariant).
     * Returns null when it does, else the reason.
     */
    public String checkDeclaredSupertype(int index) {
        SubType s = types.get(index);
        int sup = s.supertype();
        if (sup < 0) return null;
        SubType parent = types.get(sup);
        if (parent.isFinal()) return "sub type " + index + " does not match super type " + sup + " (final)";
        boolean ok = switch (s.composite()) {
            case FuncType f -> parent.composite() instanceof FuncType p && funcSubtype(f, p);
            case StructType st -> parent.composite() instanceof StructType p && structSubtype(st, p);
            case ArrayType a -> parent.composite() instanceof ArrayType p && fieldSubtype(a.element(), p.element());
        };
        return ok ? null : "sub type " + index + " does not match super type " + sup;
    }

    /** Structural function subtyping: parameters contravariant, results covariant. */
    public boolean funcSubtype(FuncType a, FuncType b) {
        if (a.paramCount() != b.paramCount() || a.resultCount() != b.resultCount()) return false;
        for (int i = 0; i < a.paramCount(); i++) if (!isSubtype(b.param(i), a.param(i))) return false;
        for (int i = 0; i < a.resultCount(); i++) if (!isSubtype(a.result(i), b.result(i))) return false;
        return true;
    }

    private boolean structSubtype(StructType a, StructType b) {
        if (a.fields().size() < b.fields().size()) return false;
        for (int i = 0; i < b.fields().size(); i++) if (!fieldSubtype(a.fields().get(i), b.fields().get(i))) return false;
        return true;
    }

    private boolean fieldSubtype(FieldType a, FieldType b) {
        if (a.mutable() != b.mutable() || a.packedBits() != b.packedBits()) return false;
        if (a.isPacked()) return true;
        return a.mutable() ? sameType(a.type(), b.type()) : isSubtype(a.type(), b.type());
    }
}
