package dev.kiln.bench;

/** A WebAssembly engine under test, running inside this JVM: load a module once, then call {@code run(arg)}. */
interface Engine {
    /** Prepares the module (parse, validate, instantiate, and whatever compilation the engine does up front). */
    void load(byte[] wasm) throws Exception;

    /** Calls the module's exported {@code run(i32) -> i32}. */
    int run(int arg);
}
