package dev.kiln.runtime.internal;

import dev.kiln.frontend.FuncType;

import java.util.HashMap;
import java.util.Map;

/** Canonical ids for function types across a store, for the signature check of call_indirect. */
public final class TypeRegistry {
    private final Map<FuncType, Integer> ids = new HashMap<>();

    public synchronized int idOf(FuncType t) {
        return ids.computeIfAbsent(t, k -> ids.size() + 1);
    }
}
