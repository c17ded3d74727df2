package dev.kiln.interpreter.gc;

import dev.kiln.frontend.ArrayType;
import dev.kiln.frontend.FieldType;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.StructType;
import dev.kiln.frontend.SubType;
import dev.kiln.frontend.TypeHierarchy;
import dev.kiln.ir.GcLayout;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
    /** The display records and their table (outgrown tables stay valid: the arena frees nothing before the registry goes). */
    private final Arena arena = Arena.ofAuto();
    private MemorySegment displays = MemorySegment.NULL;
    private int published;

    /**
     * The address of the native table of display records ({@link GcLayout#DISPLAY_DEPTH}), one u64
     * per type id, for native code's inline casts; a later call may return a larger copy when types
     * were added (the old table stays valid for the types it has).
     */
    public synchronized long displayTable() {
        int n = byId.size();
        if (displays.byteSize() < 8L * Math.max(1, n)) {
            MemorySegment grown = arena.allocate(8L * Math.max(64, 2 * n), 8);
            grown.copyFrom(displays);
            displays = grown;
        }
        for (; published < n; published++) displays.setAtIndex(ValueLayout.JAVA_LONG, published, record(byId.get(published)));
        return displays.address();
    }

    private long record(GcType t) {
        MemorySegment r = arena.allocate(GcLayout.DISPLAY_IDS + 4L * (t.depth() + 1), 8);
        r.set(ValueLayout.JAVA_INT, GcLayout.DISPLAY_DEPTH, t.depth());
        r.set(ValueLayout.JAVA_INT, GcLayout.DISPLAY_KIND, switch (t.kind) {
            case STRUCT -> GcLayout.KIND_STRUCT;
            case ARRAY -> GcLayout.KIND_ARRAY;
            case FUNC -> GcLayout.KIND_FUNC;
        });
        for (int k = 0; k <= t.depth(); k++) r.set(ValueLayout.JAVA_INT, GcLayout.DISPLAY_IDS + 4L * k, t.displayId(k));
        return r.address();
    }

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
                    sizes[k] = GcLayout.storageSize(f);
                    refs[k] = f.type().isReference();
                    packed[k] = f.isPacked();
                }
                yield new GcType(id, GcType.Kind.STRUCT, sup, sizes, refs, packed);
            }
            case ArrayType a -> new GcType(id, GcType.Kind.ARRAY, sup, new int[] {GcLayout.storageSize(a.element())},
                    new boolean[] {a.element().type().isReference()}, new boolean[] {a.element().isPacked()});
        };
    }
}
