package dev.kiln.runtime;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The names a module's imports resolve against (like wasmtime's Linker or Endive's ImportValues):
 * host functions, memories, tables and globals the host made ({@link Store#newMemory},
 * {@link Store#newTable}, {@link Store#newGlobal}), and the exports of instances registered under a
 * module name ({@link #defineInstance}), which links modules together. One {@code Imports} may
 * serve many instantiations; host functions defined without a store are bound to the store that
 * instantiates.
 *
 * <pre>{@code
 * Imports imports = new Imports()
 *         .define(HostFunction.of("env", "add", I32, I32, I32, (caller, a, b) -> a + b))
 *         .define("env", "memory", store.newMemory(MemoryType.of(1)))
 *         .defineInstance("lib", libInstance);           // lib's exports as lib.<name>
 * Instance app = store.instantiate(module, imports);
 * }</pre>
 */
public final class Imports {
    private final Map<String, Map<String, Object>> byModule = new HashMap<>();

    /** No names defined yet. */
    public Imports() {
    }

    /** Defines {@code module.name} as {@code value} (an export of an instance, or something the host made). */
    public Imports define(String module, String name, Extern value) {
        return put(module, name, value);
    }

    /** Defines a host function under its own module and name; it is bound to each store that instantiates. */
    public Imports define(HostFunction f) {
        return put(f.module(), f.name(), f);
    }

    /** Defines a host function bound to {@code store} (kept for callers that bind explicitly). */
    public Imports define(HostFunction f, Store store) {
        return define(f.module(), f.name(), store.hostFunction(f));
    }

    /** Defines every host function of {@code fs} ({@link #define(HostFunction)}). */
    public Imports defineAll(List<HostFunction> fs) {
        for (HostFunction f : fs) define(f);
        return this;
    }

    /** Defines every host function of {@code fs} bound to {@code store}. */
    public Imports defineAll(List<HostFunction> fs, Store store) {
        for (HostFunction f : fs) define(f, store);
        return this;
    }

    /** Makes every export of {@code instance} importable as {@code module.<export name>}. */
    public Imports defineInstance(String module, Instance instance) {
        instance.exports().forEach((name, value) -> define(module, name, value));
        return this;
    }

    /** A new {@code Imports} with the same definitions; defining in either leaves the other alone. */
    public Imports copy() {
        Imports c = new Imports();
        byModule.forEach((module, names) -> c.byModule.put(module, new HashMap<>(names)));
        return c;
    }

    private Imports put(String module, String name, Object value) {
        byModule.computeIfAbsent(module, k -> new HashMap<>()).put(name, value);
        return this;
    }

    /** True when {@code module.name} is defined. */
    public boolean contains(String module, String name) {
        Map<String, Object> m = byModule.get(module);
        return m != null && m.containsKey(name);
    }

    /** The value for an import as {@code store} sees it (host functions bound to it), or null when it is not defined. */
    public Extern lookup(String module, String name, Store store) {
        Map<String, Object> m = byModule.get(module);
        Object v = m == null ? null : m.get(name);
        return v instanceof HostFunction f ? store.hostFunction(f) : (Extern) v;
    }
}
