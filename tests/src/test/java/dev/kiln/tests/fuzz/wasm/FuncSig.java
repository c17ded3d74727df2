package dev.kiln.tests.fuzz.wasm;

import java.util.List;

/** A function type, also used as the type of blocks, loops and ifs. */
public record FuncSig(List<NumType> params, List<NumType> results) {
    public FuncSig {
        params = List.copyOf(params);
        results = List.copyOf(results);
    }

    /** Whether a block of this type can be written without a type index ({@code (result t)?}). */
    public boolean inline() {
        return params.isEmpty() && results.size() <= 1;
    }
}
