package dev.kiln.frontend;

/**
 * The WebAssembly proposals a module can use, WebAssembly 2.0 without SIMD being {@link #BASE}.
 * Every instruction of {@link Opcode} names its feature; the text parser reports the features a
 * module uses, so that tools running spec scripts can tell "kiln does not do this yet" (not run)
 * from "kiln gets this wrong" (failed).
 */
public enum WasmFeature {
    BASE("base", true),
    SIMD("simd", true),
    RELAXED_SIMD("relaxed-simd", true),
    TAIL_CALL("tail-call", true),
    EXCEPTIONS("exceptions", true),
    LEGACY_EXCEPTIONS("legacy-exceptions", true),
    FUNCTION_REFERENCES("function-references", true),
    GC("gc", true),
    MEMORY64("memory64", true),
    MULTI_MEMORY("multi-memory", true),
    EXTENDED_CONST("extended-const", true);

    /** The proposal's short name, as wasmtime spells its feature flags. */
    public final String text;
    /**
     * True when kiln's {@link Decoder} reads the feature's encodings. {@link InstructionReader}
     * treats an instruction of a feature it does not read as an illegal opcode, so the table can
     * name 3.0 instructions before the decoder handles them.
     */
    public final boolean decoded;

    WasmFeature(String text, boolean decoded) {
        this.text = text;
        this.decoded = decoded;
    }

    @Override
    public String toString() {
        return text;
    }
}
