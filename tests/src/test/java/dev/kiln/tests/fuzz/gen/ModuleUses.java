package dev.kiln.tests.fuzz.gen;

import dev.kiln.tests.fuzz.wasm.Expr;
import dev.kiln.tests.fuzz.wasm.ExprTree;
import dev.kiln.tests.fuzz.wasm.FuzzFunction;
import dev.kiln.tests.fuzz.wasm.FuzzModule;

import java.util.HashSet;
import java.util.Set;

/** What a module's code refers to: functions it calls, globals it touches, whether it calls indirectly, data segments it names. */
record ModuleUses(Set<Integer> calledFunctions, Set<Integer> usedGlobals, boolean callsIndirectly, Set<Integer> usedDataSegments) {
    static ModuleUses of(FuzzModule m) {
        Set<Integer> called = new HashSet<>(), globals = new HashSet<>(), data = new HashSet<>();
        boolean[] indirect = {false};
        for (FuzzFunction f : m.functions()) {
            ExprTree.forEach(f.body(), e -> {
                switch (e) {
                    case Expr.Call c -> called.add(c.function());
                    case Expr.CallIndirect c -> indirect[0] = true;
                    case Expr.CallRef c -> called.add(c.function());
                    case Expr.TailCall c -> {
                        if (c.function() >= 0) called.add(c.function());
                        else indirect[0] = true;
                    }
                    case Expr.GlobalGet g -> globals.add(g.index());
                    case Expr.GlobalSet g -> globals.add(g.index());
                    case Expr.FuelGuard g -> globals.add(g.fuelGlobal());
                    case Expr.MemoryInit i -> data.add(i.segment());
                    case Expr.DataDrop d -> data.add(d.segment());
                    default -> { }
                }
            });
        }
        return new ModuleUses(called, globals, indirect[0], data);
    }
}
