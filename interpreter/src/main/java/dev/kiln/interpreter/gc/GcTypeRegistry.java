package dev.kiln.interpreter.gc;

import dev.kiln.frontend.ArrayType;
import dev.kiln.frontend.FieldType;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.MachineType;
import dev.kiln.frontend.StructType;
import dev.kiln.frontend.SubType;
import dev.kiln.frontend.TypeHierarchy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A store's run-time types: one {@link GcType} per canonical (iso-recursive) type, so that
 * equivalent types of different modules are the same object and an object's header names its
 * type store-wide. Types are added module by module ({@link #typesOf}).
 */
public final class GcTypeRegistry {
    private final Map<String, GcType> byKey = new HashMap<>();
    private final List<GcType> byId = new ArrayList<>();

    /** The run-time type of every type index of a module, in index order. */
    public synchronized GcType[] typesOf(TypeHierarchy h) {
        GcType[] out = new GcType[h.size()];
        for (int i = 0; i < h.size(); i++) {
            String key = h.canonicalKey(i);
            GcType t = byKey.get(key);
            if (t == null) {
                SubType s = h.type(i);
                GcType sup = s.supertype() >= 0 ? out[s.supertype()] : null;
                if (s.supertype() >= i) throw new IllegalStateException("supertype " + s.supertype() + " after type " + i);
                t = make(byId.size(), s, sup);
                byId.add(t);
                byKey.put(key, t);
            }
            out[i] = t;
        }
        return out;
    }

    /** The run-time type of a function type known only by its canonical key (a host function's: final, no supertype). */
    public synchronized GcType funcTypeOfKey(String key) {
        GcType t = byKey.get(key);
        if (t == null) {
            t = new GcType(byId.size(), GcType.Kind.FUNC, null, new int[0], new boolean[0], new boolean[0]);
            byId.add(t);
            byKey.put(key, t);
        }
        return t;
    }

    /** The type whose {@link GcType#id} is {@code id}. */
    public synchronized GcType byId(int id) {
        return byId.get(id);
    }

    private static GcType make(int id, SubType s, GcType sup) {
        return switch (s.composite()) {
            case FuncType f -> new GcType(id, GcType.Kind.FUNC, sup, new int[0], new boolean[0], new boolean[0]);
            case StructType st -> {
                int n = st.fields().size();
                int[] sizes = new int[n];
                boolean[] refs = new boolean[n];
                boolean[] packed = new boolean[n];
                for (int k = 0; k < n; k++) {
                    FieldType f = st.fields().get(k);
                    sizes[k] = storageSize(f);
                    refs[k] = f.type().isReference();
                    packed[k] = f.isPacked();
                }
                yield new GcType(id, GcType.Kind.STRUCT, sup, sizes, refs, packed);
            }
            case ArrayType a -> new GcType(id, GcType.Kind.ARRAY, sup, new int[] {storageSize(a.element())},
                    new boolean[] {a.element().type().isReference()}, new boolean[] {a.element().isPacked()});
        };
    }

    private static int storageSize(FieldType f) {
        if (f.isPacked()) return f.packedBits() / 8;
        MachineType m = f.type().machine();
        return switch (m) {
            case I32, F32 -> 4;
            case I64, F64, REF -> 8;
            case V128 -> 16;
        };
    }
}
