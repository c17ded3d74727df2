package dev.kiln.frontend;

/**
 * An import. Exactly one of the descriptors is meaningful, chosen by {@code kind}:
 * {@code typeIndex} for functions and tags, {@code table}, {@code memory} or {@code global}.
 */
public record Import(String module, String name, ExternKind kind, int typeIndex,
                     TableType table, MemoryType memory, GlobalType global) {
    public static Import func(String module, String name, int typeIndex) {
        return new Import(module, name, ExternKind.FUNC, typeIndex, null, null, null);
    }

    public static Import table(String module, String name, TableType t) {
        return new Import(module, name, ExternKind.TABLE, -1, t, null, null);
    }

    public static Import memory(String module, String name, MemoryType m) {
        return new Import(module, name, ExternKind.MEMORY, -1, null, m, null);
    }

    public static Import global(String module, String name, GlobalType g) {
        return new Import(module, name, ExternKind.GLOBAL, -1, null, null, g);
    }

    public static Import tag(String module, String name, TagType t) {
        return new Import(module, name, ExternKind.TAG, t.typeIndex(), null, null, null);
    }
}
