package dev.kiln.runtime;

/** The type of something a module imports or exports: a function, memory, table, global or tag type. */
public sealed interface ExternType permits FunctionType, MemoryType, TableType, GlobalType, TagType {
}
