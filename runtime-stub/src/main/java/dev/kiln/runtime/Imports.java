package dev.kiln.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names a module's imports resolve against: host functions, and the exports of instances
 * registered under a module name (like wasmtime's Linker or Chicory's ImportValues).
 */
public final class Imports {
    private final Map<String, Map<String, Extern>> byModule = new HashMap<>();

    public Imports define(String module, String name, Extern value) {
        byModule.computeIfAbsent(module, k -> new HashMap<>()).put(name, value);
        return this;
    }

    public Imports define(HostFunction f, Store store) {
        return define(f.module(), f.name(), store.hostFunction(f));
    }

    public Imports defineAll(List<HostFunction> fs, Store store) {
        for (HostFunction f : fs) define(f, store);
        return this;
    }

    /** Makes every export of {@code instance} importable as {@code module.<export name>}. */
    public Imports defineInstance(String module, Instance instance) {
        instance.exports().forEach((name, value) -> define(module, name, value));
        return this;
    }

    /** The value for an import, or null. */
    public Extern lookup(String module, String name) {
        Map<String, Extern> m = byModule.get(module);
        return m == null ? null : m.get(name);
    }
}
