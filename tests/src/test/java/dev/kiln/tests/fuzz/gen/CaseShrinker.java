package dev.kiln.tests.fuzz.gen;

import dev.kiln.tests.fuzz.wasm.Body;
import dev.kiln.tests.fuzz.wasm.Expr;
import dev.kiln.tests.fuzz.wasm.ExprTree;
import dev.kiln.tests.fuzz.wasm.FuzzFunction;
import dev.kiln.tests.fuzz.wasm.FuzzModule;
import dev.kiln.tests.fuzz.wasm.GlobalDef;
import dev.kiln.tests.fuzz.wasm.MemoryDef;
import dev.kiln.tests.fuzz.wasm.NanDeterminism;
import dev.kiln.tests.fuzz.wasm.TableDef;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * One-step simplifications of a whole case, biggest cuts first: fewer calls; unreferenced
 * functions and globals removed (indices renumbered); function bodies emptied; then the trees
 * ({@link ExprShrinker}); segments, table slots and exports dropped; arguments zeroed. Every
 * candidate is valid and is passed through {@link NanDeterminism#enforce} again.
 */
final class CaseShrinker {
    private final ExprShrinker exprs = new ExprShrinker();

    Stream<FuzzCase> candidates(FuzzCase c) {
        FuzzModule m = c.module();
        return Stream.<Stream<FuzzCase>>of(
                        fewerCalls(c),
                        IntStream.range(0, m.functions().size()).map(i -> m.functions().size() - 1 - i)
                                .mapToObj(f -> withoutFunction(c, f)).filter(x -> x != null),
                        IntStream.range(0, m.globals().size()).mapToObj(g -> withoutGlobal(c, g)).filter(x -> x != null),
                        IntStream.range(0, m.functions().size()).mapToObj(f -> emptied(c, f)).filter(x -> x != null),
                        IntStream.range(0, m.functions().size()).boxed().flatMap(f -> trees(c, f)),
                        smallerTablesAndMemory(c),
                        fewerExports(c),
                        zeroArguments(c))
                .flatMap(s -> s)
                .map(x -> new FuzzCase(NanDeterminism.enforce(x.module()), x.invocations()));
    }

    private Stream<FuzzCase> fewerCalls(FuzzCase c) {
        int n = c.invocations().size();
        if (n <= 1) return Stream.empty();
        return IntStream.range(0, n).map(i -> n - 1 - i).mapToObj(i -> {
            List<Invocation> calls = new ArrayList<>(c.invocations());
            calls.remove(i);
            return new FuzzCase(c.module(), calls);
        });
    }

    /** Without function {@code f}, when nothing calls, exports or tables it; null otherwise. */
    private static FuzzCase withoutFunction(FuzzCase c, int f) {
        FuzzModule m = c.module();
        if (m.exportedFunctions().contains(f) || ModuleUses.of(m).calledFunctions().contains(f)) return null;
        if (m.table() != null && m.table().entries().contains(f)) return null;
        if (c.invocations().stream().anyMatch(i -> i.function() == f)) return null;
        List<FuzzFunction> fs = new ArrayList<>(m.functions());
        fs.remove(f);
        UnaryOperator<Integer> renumber = x -> x > f ? x - 1 : x;
        fs = fs.stream().map(fn -> fn.withBody(ExprTree.map(fn.body(), e -> switch (e) {
            case Expr.Call call -> new Expr.Call(renumber.apply(call.function()), call.args(), call.results());
            case Expr.CallRef call -> new Expr.CallRef(call.typeIndex(), renumber.apply(call.function()), call.args(), call.results());
            case Expr.TailCall call when call.function() >= 0 -> new Expr.TailCall(call.kind(), call.typeIndex(),
                    renumber.apply(call.function()), call.args(), call.index(), call.claimed());
            default -> e;
        }))).toList();
        TableDef t = m.table() == null ? null
                : new TableDef(m.table().size(), m.table().entries().stream().map(x -> x < 0 ? x : renumber.apply(x)).toList());
        FuzzModule out = m.withFunctions(fs).withTable(t).withExportedFunctions(m.exportedFunctions().stream().map(renumber).toList());
        List<Invocation> calls = c.invocations().stream().map(i -> new Invocation(renumber.apply(i.function()), i.args())).toList();
        return new FuzzCase(out, calls);
    }

    /** Without global {@code g}, when no code touches it and it is not exported; null otherwise. */
    private static FuzzCase withoutGlobal(FuzzCase c, int g) {
        FuzzModule m = c.module();
        if (m.exportedGlobals().contains(g) || ModuleUses.of(m).usedGlobals().contains(g)) return null;
        UnaryOperator<Integer> renumber = x -> x > g ? x - 1 : x;
        List<GlobalDef> gs = new ArrayList<>(m.globals());
        gs.remove(g);
        List<FuzzFunction> fs = m.functions().stream().map(fn -> fn.withBody(ExprTree.map(fn.body(), e -> switch (e) {
            case Expr.GlobalGet x -> new Expr.GlobalGet(renumber.apply(x.index()), x.type());
            case Expr.GlobalSet x -> new Expr.GlobalSet(renumber.apply(x.index()), x.value());
            case Expr.FuelGuard x -> new Expr.FuelGuard(x.call(), renumber.apply(x.fuelGlobal()));
            default -> e;
        }))).toList();
        int fuel = m.fuelGlobal() == g ? -1 : m.fuelGlobal() < 0 ? -1 : renumber.apply(m.fuelGlobal());
        FuzzModule out = new FuzzModule(m.types(), fs, gs, m.memory(), m.table(), fuel, m.exportedFunctions(),
                m.exportedGlobals().stream().map(renumber).toList(), m.exportMemory(), m.tags());
        return new FuzzCase(out, c.invocations());
    }

    /** Function {@code f} reduced to returning zeros; null when it is that already. */
    private FuzzCase emptied(FuzzCase c, int f) {
        FuzzFunction fn = c.module().functions().get(f);
        List<Expr> results = fn.sig().results().stream().map(t -> (Expr) new Expr.Const(t, 0)).toList();
        Body empty = new Body(List.of(), List.of(), results);
        if (ExprTree.size(fn.body()) <= ExprTree.size(empty)) return null;
        return withFunction(c, f, fn.withBody(empty));
    }

    private Stream<FuzzCase> trees(FuzzCase c, int f) {
        FuzzFunction fn = c.module().functions().get(f);
        return exprs.body(fn.body()).map(b -> withFunction(c, f, fn.withBody(b)));
    }

    private static FuzzCase withFunction(FuzzCase c, int f, FuzzFunction fn) {
        List<FuzzFunction> fs = new ArrayList<>(c.module().functions());
        fs.set(f, fn);
        return new FuzzCase(c.module().withFunctions(fs), c.invocations());
    }

    private static Stream<FuzzCase> smallerTablesAndMemory(FuzzCase c) {
        FuzzModule m = c.module();
        List<FuzzCase> out = new ArrayList<>();
        if (m.table() != null) {
            if (!ModuleUses.of(m).callsIndirectly()) out.add(new FuzzCase(m.withTable(null), c.invocations()));
            for (int i = 0; i < m.table().size(); i++) {
                if (m.table().entries().get(i) < 0) continue;
                List<Integer> es = new ArrayList<>(m.table().entries());
                es.set(i, -1);
                out.add(new FuzzCase(m.withTable(new TableDef(m.table().size(), es)), c.invocations()));
            }
        }
        if (m.memory() != null) {
            for (int i = 0; i < m.memory().data().size(); i++) {
                FuzzCase without = withoutDataSegment(c, i);
                if (without != null) out.add(without);
            }
        }
        return out.stream();
    }

    /** Without data segment {@code d}, when no code names it (later segments renumbered); null otherwise. */
    private static FuzzCase withoutDataSegment(FuzzCase c, int d) {
        FuzzModule m = c.module();
        if (ModuleUses.of(m).usedDataSegments().contains(d)) return null;
        List<MemoryDef.DataSegment> ds = new ArrayList<>(m.memory().data());
        ds.remove(d);
        UnaryOperator<Integer> renumber = x -> x > d ? x - 1 : x;
        List<FuzzFunction> fs = m.functions().stream().map(fn -> fn.withBody(ExprTree.map(fn.body(), e -> switch (e) {
            case Expr.MemoryInit i -> new Expr.MemoryInit(renumber.apply(i.segment()), i.dest(), i.source(), i.length(), i.memory());
            case Expr.DataDrop x -> new Expr.DataDrop(renumber.apply(x.segment()));
            default -> e;
        }))).toList();
        return new FuzzCase(m.withFunctions(fs).withMemory(m.memory().withData(ds)),
                c.invocations());
    }

    private static Stream<FuzzCase> fewerExports(FuzzCase c) {
        FuzzModule m = c.module();
        List<FuzzCase> out = new ArrayList<>();
        for (int f : m.exportedFunctions()) {
            if (c.invocations().stream().anyMatch(i -> i.function() == f)) continue;
            out.add(new FuzzCase(m.withExportedFunctions(m.exportedFunctions().stream().filter(x -> x != f).toList()), c.invocations()));
        }
        for (int g : m.exportedGlobals()) {
            out.add(new FuzzCase(new FuzzModule(m.types(), m.functions(), m.globals(), m.memory(), m.table(), m.fuelGlobal(),
                    m.exportedFunctions(), m.exportedGlobals().stream().filter(x -> x != g).toList(), m.exportMemory(), m.tags()), c.invocations()));
        }
        if (m.exportMemory()) {
            out.add(new FuzzCase(new FuzzModule(m.types(), m.functions(), m.globals(), m.memory(), m.table(), m.fuelGlobal(),
                    m.exportedFunctions(), m.exportedGlobals(), false, m.tags()), c.invocations()));
        }
        return out.stream();
    }

    private static Stream<FuzzCase> zeroArguments(FuzzCase c) {
        List<FuzzCase> out = new ArrayList<>();
        for (int k = 0; k < c.invocations().size(); k++) {
            Invocation inv = c.invocations().get(k);
            for (int a = 0; a < inv.args().size(); a++) {
                if (inv.args().get(a) == 0) continue;
                List<Long> args = new ArrayList<>(inv.args());
                args.set(a, 0L);
                List<Invocation> calls = new ArrayList<>(c.invocations());
                calls.set(k, new Invocation(inv.function(), args));
                out.add(new FuzzCase(c.module(), calls));
            }
        }
        return out.stream();
    }
}
