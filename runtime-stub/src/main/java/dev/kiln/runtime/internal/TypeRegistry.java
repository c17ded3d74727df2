package dev.kiln.runtime.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * Canonical ids for function types across a store, for the signature check of call_indirect and
 * import matching. Types are keyed by {@code TypeHierarchy.canonicalKey}, which is equal for
 * equivalent types of different modules (iso-recursive equivalence).
 */
public final class TypeRegistry {
    private final Map<String, Integer> ids = new HashMap<>();

    public synchronized int idOf(String canonicalKey) {
        return ids.computeIfAbsent(canonicalKey, k -> ids.size() + 1);
    }
}
