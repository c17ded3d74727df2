package dev.kiln.tests.fuzz.wasm;

import java.util.List;

/**
 * The instructions of a block, loop, if arm or function. It starts with the block's parameters on
 * the stack. {@code statements} leave the stack as they found it. Then either {@code spill} is
 * null and the parameters themselves are the results ({@code results} is empty), or {@code spill}
 * names one local per parameter (popped in reverse, each by {@code local.set}) and
 * {@code results} push the block's results.
 */
public record Body(List<Expr> statements, List<Integer> spill, List<Expr> results) {
    public Body {
        statements = List.copyOf(statements);
        spill = spill == null ? null : List.copyOf(spill);
        results = List.copyOf(results);
    }

    public Body withStatements(List<Expr> s) {
        return new Body(s, spill, results);
    }

    public Body withResults(List<Expr> r) {
        return new Body(statements, spill, r);
    }
}
