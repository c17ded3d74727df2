package dev.kiln.tests.fuzz.wasm;

import java.util.ArrayList;
import java.util.List;

/**
 * A defined function: its type (an index into the module's types), declared locals (after the
 * parameters), the locals {@link Expr.Canon} uses for f32 and f64 and {@link Expr.VCanon} for v128,
 * and its body (which has no parameters on the stack, so its {@code spill} is empty).
 */
public record FuzzFunction(int typeIndex, FuncSig sig, List<NumType> locals, int scratchF32, int scratchF64, int scratchV128,
                           Body body) {
    public FuzzFunction {
        locals = List.copyOf(locals);
    }

    public FuzzFunction withBody(Body b) {
        return new FuzzFunction(typeIndex, sig, locals, scratchF32, scratchF64, scratchV128, b);
    }

    /** The function with more declared locals (at the end, so every existing index keeps its meaning). */
    public FuzzFunction withMoreLocals(List<NumType> more) {
        List<NumType> all = new ArrayList<>(locals);
        all.addAll(more);
        return new FuzzFunction(typeIndex, sig, all, scratchF32, scratchF64, scratchV128, body);
    }

    /** Type of local {@code index} (parameters first). */
    public NumType localType(int index) {
        int p = sig.params().size();
        return index < p ? sig.params().get(index) : locals.get(index - p);
    }
}
