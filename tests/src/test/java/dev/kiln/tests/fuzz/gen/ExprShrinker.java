package dev.kiln.tests.fuzz.gen;

import dev.kiln.tests.fuzz.wasm.Body;
import dev.kiln.tests.fuzz.wasm.Expr;
import dev.kiln.tests.fuzz.wasm.Expr.*;
import dev.kiln.tests.fuzz.wasm.ExprTree;
import dev.kiln.tests.fuzz.wasm.FuncSig;
import dev.kiln.tests.fuzz.wasm.Label;
import dev.kiln.tests.fuzz.wasm.NumType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * One-step simplifications of instruction trees that keep them valid, terminating and smaller:
 * a statement removed; a value replaced by zeros of its types or by one of its children of the
 * same types (unless the child branches to the node's own label); a loop's trip count lowered;
 * a constant set to zero. {@link FuelGuard}, {@link Canon} and {@link VCanon} are never unwrapped, and
 * {@link BackEdge}s only leave with their statements, so termination and NaN determinism hold
 * for every candidate.
 */
final class ExprShrinker {
    /** Labels of blocks made here, numbered apart from the generator's. */
    private static final AtomicInteger NEXT_LABEL = new AtomicInteger(1_000_000);

    Stream<Body> body(Body b) {
        Stream<Body> removals = IntStream.range(0, b.statements().size()).mapToObj(i -> {
            List<Expr> s = new ArrayList<>(b.statements());
            s.remove(i);
            return b.withStatements(s);
        });
        Stream<Body> statements = IntStream.range(0, b.statements().size()).boxed()
                .flatMap(i -> expr(b.statements().get(i)).map(x -> b.withStatements(replace(b.statements(), i, x))));
        Stream<Body> results = IntStream.range(0, b.results().size()).boxed()
                .flatMap(i -> expr(b.results().get(i)).map(x -> b.withResults(replace(b.results(), i, x))));
        return Stream.of(removals, statements, results).flatMap(s -> s);
    }

    Stream<Expr> expr(Expr e) {
        return Stream.of(own(e), inside(e)).flatMap(s -> s);
    }

    /** Replacements of the node itself. */
    private Stream<Expr> own(Expr e) {
        List<Expr> out = new ArrayList<>();
        List<NumType> ts = e.types();
        if (!ts.isEmpty() && !isZero(e)) out.add(zeros(ts));
        if (!(e instanceof FuelGuard) && !(e instanceof Canon) && !(e instanceof VCanon)) {
            List<Label> own = ExprTree.definedLabels(e);
            for (Expr c : ExprTree.children(e)) {
                if (c.types().equals(ts) && own.stream().noneMatch(l -> ExprTree.branchesTo(c, l))) out.add(c);
            }
        }
        // a try_table without its clauses (and handlers): a block
        if (e instanceof TryTable t) out.add(new Block(t.label(), t.sig(), t.inputs(), t.body()));
        if (e instanceof Loop l && l.trips() > 1) out.add(new Loop(l.label(), l.sig(), 1, l.inputs(), l.body()));
        return out.stream();
    }

    /** Candidates with one descendant simplified. */
    private Stream<Expr> inside(Expr e) {
        return switch (e) {
            case Block b -> Stream.of(
                    list(b.inputs()).map(in -> (Expr) new Block(b.label(), b.sig(), in, b.body())),
                    body(b.body()).map(x -> (Expr) new Block(b.label(), b.sig(), b.inputs(), x))).flatMap(s -> s);
            case Loop l -> Stream.of(
                    list(l.inputs()).map(in -> (Expr) new Loop(l.label(), l.sig(), l.trips(), in, l.body())),
                    body(l.body()).map(x -> (Expr) new Loop(l.label(), l.sig(), l.trips(), l.inputs(), x))).flatMap(s -> s);
            case If i -> Stream.of(
                    list(i.inputs()).map(in -> (Expr) new If(i.label(), i.sig(), in, i.condition(), i.then(), i.otherwise())),
                    expr(i.condition()).map(c -> (Expr) new If(i.label(), i.sig(), i.inputs(), c, i.then(), i.otherwise())),
                    body(i.then()).map(x -> (Expr) new If(i.label(), i.sig(), i.inputs(), i.condition(), x, i.otherwise())),
                    body(i.otherwise()).map(x -> (Expr) new If(i.label(), i.sig(), i.inputs(), i.condition(), i.then(), x)))
                    .flatMap(s -> s);
            default -> {
                List<Expr> kids = ExprTree.children(e);
                yield IntStream.range(0, kids.size()).boxed()
                        .flatMap(i -> expr(kids.get(i)).map(x -> ExprTree.withChildren(e, replace(kids, i, x))));
            }
        };
    }

    /** A list of values with one simplified (same types). */
    private Stream<List<Expr>> list(List<Expr> es) {
        return IntStream.range(0, es.size()).boxed().flatMap(i -> expr(es.get(i)).map(x -> replace(es, i, x)));
    }

    private static boolean isZero(Expr e) {
        return e instanceof Const c && c.isZero()
                || e instanceof Block b && b.inputs().isEmpty() && b.body().statements().isEmpty()
                && b.body().results().stream().allMatch(r -> r instanceof Const c && c.isZero());
    }

    /** Zeros of {@code ts}: one constant, or a block of constants for several values. */
    Expr zeros(List<NumType> ts) {
        if (ts.size() == 1) return new Const(ts.get(0), 0);
        Label l = new Label(NEXT_LABEL.getAndIncrement(), Label.Kind.BLOCK, ts, -1);
        return new Block(l, new FuncSig(List.of(), ts), List.of(),
                new Body(List.of(), List.of(), ts.stream().map(t -> (Expr) new Const(t, 0)).toList()));
    }

    private static List<Expr> replace(List<Expr> xs, int i, Expr x) {
        List<Expr> out = new ArrayList<>(xs);
        out.set(i, x);
        return out;
    }
}
