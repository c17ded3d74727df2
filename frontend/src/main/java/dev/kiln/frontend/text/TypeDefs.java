package dev.kiln.frontend.text;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The module's type definitions as far as the text format needs them: each function type's
 * signature (for type uses, which must agree with it, and for the locals its parameters bind),
 * each struct type's field names, and the function types an inline type use may stand for. Type
 * uses that match no such type add one at the end of the type section, in the order they occur.
 */
final class TypeDefs {
    /** What a type index denotes; the signature is null for struct and array types. */
    record Entry(Signature signature, IndexSpace fields) {
    }

    private final List<Entry> entries = new ArrayList<>();
    /** Signature key -> smallest type index usable for an inline type use. */
    private final Map<String, Integer> reusable = new HashMap<>();
    private final List<Signature> implicit = new ArrayList<>();
    private int explicitCount;

    /** Records the next explicit type; {@code reusable} for a final function type alone in its rec group. */
    void define(Signature sig, IndexSpace fields, boolean reusable) {
        int index = entries.size();
        entries.add(new Entry(sig, fields));
        explicitCount = entries.size();
        if (reusable) this.reusable.putIfAbsent(sig.key(), index);
    }

    int size() {
        return entries.size();
    }

    /** The entry of a type index, or null when there is none. */
    Entry get(long index) {
        return index >= 0 && index < entries.size() ? entries.get((int) index) : null;
    }

    /** The type index an inline type use with this signature stands for, adding a type when none fits. */
    int indexFor(Signature sig) {
        String key = sig.key();
        Integer i = reusable.get(key);
        if (i != null) return i;
        int index = entries.size();
        entries.add(new Entry(sig, null));
        implicit.add(sig);
        reusable.put(key, index);
        return index;
    }

    /** The types added by inline type uses, in index order after the explicit ones. */
    List<Signature> implicitTypes() {
        return implicit;
    }

    int explicitCount() {
        return explicitCount;
    }
}
