package dev.kiln.runtime;

import java.util.Map;
import java.util.Optional;

/**
 * What a host function can reach of the instance that called it: its exports (functions,
 * memories, tables, globals), its memory, and the store with the embedder's data. An
 * {@link Instance} is the caller of the host functions it imports; a host function called from
 * Java directly ({@link FunctionInstance#call}) has a caller without exports or memory.
 *
 * <p>The named lookups throw {@link NoSuchExportException} when there is no export of that name and
 * kind; the {@code find} forms return an empty {@link Optional} instead.
 */
public interface Caller {
    /** The calling instance's exports by name, in declaration order (empty when called from Java). */
    Map<String, Extern> exports();

    /** The store the call runs in. */
    Store store();

    /**
     * The calling instance's memory for host functions: the memory exported as {@code "memory"},
     * else its first memory (exported or not).
     *
     * @throws NoSuchExportException when the caller has no memory
     */
    default Memory memory() {
        return findMemory().orElseThrow(() -> new NoSuchExportException("memory", describe() + " has no memory"));
    }

    /** {@link #memory()}, empty when the caller has no memory. */
    Optional<Memory> findMemory();

    /** The store's embedder data ({@link Store#data(Object)}), or null. */
    default Object data() {
        return store().data();
    }

    /** The store's embedder data as a {@code type}. */
    default <T> T data(Class<T> type) {
        return type.cast(store().data());
    }

    /** The caller in messages ({@code "instance of app.wasm"}). */
    default String describe() {
        return "the caller";
    }

    default Optional<Extern> findExport(String name) {
        return Optional.ofNullable(exports().get(name));
    }

    default Optional<FunctionInstance> findFunction(String name) {
        return ExportLookup.find(exports(), name, FunctionInstance.class);
    }

    default Optional<MemoryInstance> findMemory(String name) {
        return ExportLookup.find(exports(), name, MemoryInstance.class);
    }

    default Optional<GlobalInstance> findGlobal(String name) {
        return ExportLookup.find(exports(), name, GlobalInstance.class);
    }

    default Optional<TableInstance> findTable(String name) {
        return ExportLookup.find(exports(), name, TableInstance.class);
    }

    /** The exported function {@code name}; throws {@link NoSuchExportException} naming the exports there are. */
    default FunctionInstance function(String name) {
        return ExportLookup.require(exports(), name, FunctionInstance.class, describe());
    }

    /** The exported memory {@code name}; throws {@link NoSuchExportException} naming the exports there are. */
    default MemoryInstance memory(String name) {
        return ExportLookup.require(exports(), name, MemoryInstance.class, describe());
    }

    /** The exported global {@code name}; throws {@link NoSuchExportException} naming the exports there are. */
    default GlobalInstance global(String name) {
        return ExportLookup.require(exports(), name, GlobalInstance.class, describe());
    }

    /** The exported table {@code name}; throws {@link NoSuchExportException} naming the exports there are. */
    default TableInstance table(String name) {
        return ExportLookup.require(exports(), name, TableInstance.class, describe());
    }
}
