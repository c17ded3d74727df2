/**
 * kiln's Java API: engines, modules, stores, instances, typed calls, host functions, memory, WASI.
 * Only {@code dev.kiln.runtime} and {@code dev.kiln.runtime.wasi} are exported; the compiler
 * modules it requires export nothing to anyone but kiln.
 */
module dev.kiln.runtime {
    requires dev.kiln.interpreter;
    requires dev.kiln.linker;
    requires dev.kiln.backend.x64;
    requires dev.kiln.backend.aarch64;
    requires java.management;
    requires jdk.management;

    exports dev.kiln.runtime;
    exports dev.kiln.runtime.wasi;
}
