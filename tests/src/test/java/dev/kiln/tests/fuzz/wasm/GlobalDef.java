package dev.kiln.tests.fuzz.wasm;

/** A defined global with a constant initial value (raw bits). */
public record GlobalDef(NumType type, boolean mutable, long init) {
    public GlobalDef {
        init = type.normalize(init);
    }
}
