package dev.kiln.runtime;

/** Something an instance can export and another can import: a function, table, memory, global or tag. */
public sealed interface Extern permits FunctionInstance, TableInstance, MemoryInstance, GlobalInstance, TagInstance {
    /** Its type. */
    ExternType type();
}
