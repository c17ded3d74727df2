package dev.kiln.tests.fuzz.wasm;

/** A defined global with a constant initial value (raw bits; {@code initHigh} is bits 64-127 of a v128). */
public record GlobalDef(NumType type, boolean mutable, long init, long initHigh) {
    public GlobalDef {
        init = type.normalize(init);
        if (type != NumType.V128) initHigh = 0;
    }

    public GlobalDef(NumType type, boolean mutable, long init) {
        this(type, mutable, init, 0);
    }
}
