package dev.kiln.tests.fuzz.wasm;

import dev.kiln.tests.fuzz.wasm.Expr.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Generic structure of {@link Expr} trees: a node's children in evaluation order (block bodies
 * flattened: inputs, condition, then each body's statements and results) and the same node
 * rebuilt with other children of the same shape.
 */
public final class ExprTree {
    private ExprTree() {
    }

    public static List<Expr> children(Expr e) {
        return switch (e) {
            case Const c -> List.of();
            case LocalGet g -> List.of();
            case GlobalGet g -> List.of();
            case MemorySize m -> List.of();
            case Nop n -> List.of();
            case Unreachable u -> List.of();
            case LocalSet s -> List.of(s.value());
            case LocalTee t -> List.of(t.value());
            case GlobalSet s -> List.of(s.value());
            case Numeric n -> n.operands();
            case Simd s -> s.operands();
            case LoadLane l -> List.of(l.address(), l.vector());
            case StoreLane s -> List.of(s.address(), s.vector());
            case VCanon c -> List.of(c.value());
            case Load l -> List.of(l.address());
            case Store s -> List.of(s.address(), s.value());
            case MemoryGrow g -> List.of(g.delta());
            case MemoryFill f -> List.of(f.dest(), f.value(), f.length());
            case MemoryCopy c -> List.of(c.dest(), c.source(), c.length());
            case MemoryInit i -> List.of(i.dest(), i.source(), i.length());
            case DataDrop d -> List.of();
            case Select s -> List.of(s.first(), s.second(), s.condition());
            case Drop d -> List.of(d.value());
            case Block b -> concat(b.inputs(), List.of(), List.of(b.body()));
            case Loop l -> concat(l.inputs(), List.of(), List.of(l.body()));
            case If i -> concat(i.inputs(), List.of(i.condition()), List.of(i.then(), i.otherwise()));
            case Br b -> b.values();
            case BrIf b -> concat(b.values(), List.of(b.condition()), List.of());
            case BrTable b -> concat(b.values(), List.of(b.index()), List.of());
            case BackEdge b -> b.values();
            case Return r -> r.values();
            case Call c -> c.args();
            case CallIndirect c -> concat(c.args(), List.of(c.index()), List.of());
            case CallRef c -> c.args();
            case TailCall c -> c.index() == null ? c.args() : concat(c.args(), List.of(c.index()), List.of());
            case FuelGuard g -> List.of(g.call());
            case Canon c -> List.of(c.value());
            case Throw t -> t.args();
            case ThrowRef t -> List.of(t.exception());
            case GcNew g -> g.values();
            case GcRead g -> g.index();
            case GcWrite g -> g.operands();
            case GcTest g -> List.of();
            case TryTable t -> {
                List<Body> bodies = new ArrayList<>(List.of(t.body()));
                for (Clause c : t.handled()) bodies.add(c.handler());
                yield concat(t.inputs(), List.of(), bodies);
            }
        };
    }

    /** {@code e} with {@code kids} in place of its children (same count and order as {@link #children}). */
    public static Expr withChildren(Expr e, List<Expr> kids) {
        if (kids.size() != children(e).size()) throw new IllegalArgumentException("child count changes for " + e.getClass().getSimpleName());
        Cursor k = new Cursor(kids);
        return switch (e) {
            case Const c -> c;
            case LocalGet g -> g;
            case GlobalGet g -> g;
            case MemorySize m -> m;
            case Nop n -> n;
            case Unreachable u -> u;
            case LocalSet s -> new LocalSet(s.index(), k.next());
            case LocalTee t -> new LocalTee(t.index(), k.next());
            case GlobalSet s -> new GlobalSet(s.index(), k.next());
            case Numeric n -> new Numeric(n.op(), k.take(n.operands().size()));
            case Simd s -> new Simd(s.op(), k.take(s.operands().size()), s.imm(), s.imm2());
            case LoadLane l -> new LoadLane(l.op(), l.alignLog2(), l.offset(), l.lane(), k.next(), k.next(), l.memory());
            case StoreLane s -> new StoreLane(s.op(), s.alignLog2(), s.offset(), s.lane(), k.next(), k.next(), s.memory());
            case VCanon c -> new VCanon(k.next(), c.laneBits());
            case Load l -> new Load(l.op(), l.alignLog2(), l.offset(), k.next(), l.memory());
            case Store s -> new Store(s.op(), s.alignLog2(), s.offset(), k.next(), k.next(), s.memory());
            case MemoryGrow g -> new MemoryGrow(k.next(), g.memory(), g.is64());
            case MemoryFill f -> new MemoryFill(k.next(), k.next(), k.next(), f.memory());
            case MemoryCopy c -> new MemoryCopy(k.next(), k.next(), k.next(), c.destMemory(), c.sourceMemory());
            case MemoryInit i -> new MemoryInit(i.segment(), k.next(), k.next(), k.next(), i.memory());
            case DataDrop d -> d;
            case Select s -> new Select(k.next(), k.next(), k.next(), s.typed());
            case Drop d -> new Drop(k.next());
            case Block b -> new Block(b.label(), b.sig(), k.take(b.inputs().size()), k.body(b.body()));
            case Loop l -> new Loop(l.label(), l.sig(), l.trips(), k.take(l.inputs().size()), k.body(l.body()));
            case If i -> new If(i.label(), i.sig(), k.take(i.inputs().size()), k.next(), k.body(i.then()), k.body(i.otherwise()));
            case Br b -> new Br(b.target(), k.take(b.values().size()), b.claimed());
            case BrIf b -> new BrIf(b.target(), k.take(b.values().size()), k.next());
            case BrTable b -> new BrTable(b.targets(), b.defaultTarget(), k.take(b.values().size()), k.next(), b.claimed());
            case BackEdge b -> new BackEdge(b.loop(), k.take(b.values().size()));
            case Return r -> new Return(k.take(r.values().size()), r.claimed());
            case Call c -> new Call(c.function(), k.take(c.args().size()), c.results());
            case CallIndirect c -> new CallIndirect(c.typeIndex(), k.take(c.args().size()), k.next(), c.results());
            case CallRef c -> new CallRef(c.typeIndex(), c.function(), k.take(c.args().size()), c.results());
            case TailCall c -> new TailCall(c.kind(), c.typeIndex(), c.function(), k.take(c.args().size()),
                    c.index() == null ? null : k.next(), c.claimed());
            case FuelGuard g -> new FuelGuard(k.next(), g.fuelGlobal());
            case Canon c -> new Canon(k.next());
            case Throw t -> new Throw(t.tag(), k.take(t.args().size()), t.claimed());
            case ThrowRef t -> new ThrowRef(k.next(), t.claimed());
            case GcNew g -> new GcNew(g.shape(), g.slot(), k.take(g.values().size()));
            case GcRead g -> new GcRead(g.shape(), g.op(), g.slot(), k.take(g.index().size()));
            case GcWrite g -> new GcWrite(g.shape(), g.op(), g.slot(), g.source(), k.take(g.operands().size()));
            case GcTest g -> g;
            case TryTable t -> {
                List<Expr> inputs = k.take(t.inputs().size());
                Body body = k.body(t.body());
                List<Clause> clauses = new ArrayList<>();
                for (Clause c : t.clauses()) clauses.add(c.handler() == null ? c : new Clause(c.kind(), c.tag(), c.target(), k.body(c.handler())));
                yield new TryTable(t.label(), t.done(), t.sig(), inputs, body, clauses);
            }
        };
    }

    /** The labels a block, loop, if or try_table defines (a try_table's own, its frame's and its landing blocks'). */
    public static List<Label> definedLabels(Expr e) {
        return switch (e) {
            case Block b -> List.of(b.label());
            case Loop l -> List.of(l.label());
            case If i -> List.of(i.label());
            case TryTable t -> {
                List<Label> out = new ArrayList<>(List.of(t.label(), t.done()));
                for (Clause c : t.handled()) out.add(c.target());
                yield out;
            }
            default -> List.of();
        };
    }

    /** Labels a node branches to itself (not its children). */
    public static List<Label> targets(Expr e) {
        return switch (e) {
            case Br b -> List.of(b.target());
            case BrIf b -> List.of(b.target());
            case BackEdge b -> List.of(b.loop());
            case BrTable b -> {
                List<Label> all = new ArrayList<>(b.targets());
                all.add(b.defaultTarget());
                yield all;
            }
            case TryTable t -> t.clauses().stream().map(Clause::target).toList();
            default -> List.of();
        };
    }

    /** Whether anything in {@code e} branches to {@code label}. */
    public static boolean branchesTo(Expr e, Label label) {
        if (targets(e).contains(label)) return true;
        for (Expr c : children(e)) if (branchesTo(c, label)) return true;
        return false;
    }

    /** {@code e} with {@code f} applied bottom-up to every node (children first, then the rebuilt node). */
    public static Expr map(Expr e, UnaryOperator<Expr> f) {
        List<Expr> kids = children(e);
        if (kids.isEmpty()) return f.apply(e);
        List<Expr> mapped = new ArrayList<>(kids.size());
        for (Expr k : kids) mapped.add(map(k, f));
        return f.apply(withChildren(e, mapped));
    }

    public static Body map(Body b, UnaryOperator<Expr> f) {
        return new Body(b.statements().stream().map(s -> map(s, f)).toList(), b.spill(),
                b.results().stream().map(r -> map(r, f)).toList());
    }

    /** Visits {@code e} and everything below it, parents first. */
    public static void forEach(Expr e, Consumer<Expr> visit) {
        visit.accept(e);
        for (Expr c : children(e)) forEach(c, visit);
    }

    /** Visits every node of a body. */
    public static void forEach(Body b, Consumer<Expr> visit) {
        for (Expr s : b.statements()) forEach(s, visit);
        for (Expr r : b.results()) forEach(r, visit);
    }

    /** Number of nodes. */
    public static int size(Body b) {
        int[] n = {0};
        forEach(b, x -> n[0]++);
        return n[0];
    }

    private static List<Expr> concat(List<Expr> first, List<Expr> middle, List<Body> bodies) {
        List<Expr> out = new ArrayList<>(first);
        out.addAll(middle);
        for (Body b : bodies) {
            out.addAll(b.statements());
            out.addAll(b.results());
        }
        return out;
    }

    private static final class Cursor {
        private final List<Expr> kids;
        private int at;

        Cursor(List<Expr> kids) {
            this.kids = kids;
        }

        Expr next() {
            return kids.get(at++);
        }

        List<Expr> take(int n) {
            List<Expr> out = kids.subList(at, at + n);
            at += n;
            return out;
        }

        Body body(Body shape) {
            return new Body(take(shape.statements().size()), shape.spill(), take(shape.results().size()));
        }
    }
}
