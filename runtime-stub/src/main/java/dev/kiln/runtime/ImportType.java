package dev.kiln.runtime;

/**
 * One import of a module: the module and field names it is imported under, and its type.
 *
 * @param module the import's module name ({@code "env"}, {@code "wasi_snapshot_preview1"}, ...)
 * @param name   the import's field name
 * @param type   what it must be
 */
public record ImportType(String module, String name, ExternType type) {
    @Override
    public String toString() {
        return module + "." + name + ": " + type;
    }
}
