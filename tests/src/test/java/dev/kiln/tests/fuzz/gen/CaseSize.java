package dev.kiln.tests.fuzz.gen;

import dev.kiln.tests.fuzz.wasm.Expr;
import dev.kiln.tests.fuzz.wasm.ExprTree;
import dev.kiln.tests.fuzz.wasm.FuzzFunction;
import dev.kiln.tests.fuzz.wasm.FuzzModule;
import net.jqwik.api.ShrinkingDistance;

/**
 * How big a case is, for shrinking: first the structure (tree nodes, functions, globals, exports,
 * segments, table slots), then the number of calls, then how far constants, trip counts and
 * arguments are from zero. Every shrinking step makes one of these smaller and none larger.
 */
final class CaseSize {
    private CaseSize() {
    }

    static ShrinkingDistance of(FuzzCase c) {
        FuzzModule m = c.module();
        long structure = 2L * m.functions().size() + m.globals().size() + m.exportedFunctions().size() + m.exportedGlobals().size()
                + (m.exportMemory() ? 1 : 0);
        long values = 0;
        for (FuzzFunction f : m.functions()) {
            structure += ExprTree.size(f.body());
            long[] v = {0};
            ExprTree.forEach(f.body(), e -> {
                if (e instanceof Expr.Const k && k.bits() != 0) v[0]++;
                if (e instanceof Expr.Loop l) v[0] += l.trips();
            });
            values += v[0];
        }
        if (m.memory() != null) structure += 1 + m.memory().data().size();
        if (m.table() != null) structure += 1 + m.table().entries().stream().filter(x -> x >= 0).count();
        for (Invocation i : c.invocations()) values += i.args().stream().filter(a -> a != 0).count();
        return ShrinkingDistance.of(structure, c.invocations().size(), values);
    }
}
