package dev.kiln.tests.wasm3;

import dev.kiln.frontend.text.WatParser;

/** WebAssembly 3.0 text to binary with kiln's own text parser, for tests whose modules use 3.0 features. */
public final class Wat3 {
    private Wat3() {
    }

    public static byte[] compile(String wat) {
        return WatParser.parse(wat, "test.wat").binary();
    }
}
