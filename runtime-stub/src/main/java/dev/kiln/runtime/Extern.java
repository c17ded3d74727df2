package dev.kiln.runtime;

/** Something an instance can export and another can import: a function, table, memory or global. */
public sealed interface Extern permits FunctionInstance, TableInstance, MemoryInstance, GlobalInstance {
    /** Its type. */
    ExternType type();
}
