package dev.kiln.tests.fuzz.wasm;

import dev.kiln.tests.fuzz.wasm.Expr.*;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps generated programs deterministic under the spec's NaN rules. A float produced by
 * arithmetic may be any NaN the spec allows (canonical or arithmetic, either sign), so engines
 * legitimately differ in its bits. Such a value may be returned (results compare any NaN equal),
 * but must not reach anything that exposes its bits exactly: a local, global or memory (later
 * read and reinterpreted), a call argument, a block input, a loop's back-edge values,
 * {@code copysign} or {@code reinterpret}. {@link #enforce} wraps every such value in
 * {@link Canon}, which keeps only whether it is NaN and its quiet bit (the spec makes the quiet
 * bit of every arithmetic NaN result 1, so that much is checked). Values from constants,
 * variables, memory, integer conversions and bit-preserving operations of such values are exact
 * already.
 *
 * <p>A vector's bits can be observed by almost any SIMD instruction (integer lanes, shuffles,
 * extraction), so vectors are kept exact at the source instead: every SIMD operation that may
 * put an arithmetic NaN into float lanes is wrapped in {@link VCanon}, and everything made of exact
 * vectors is exact.
 */
public final class NanDeterminism {
    private NanDeterminism() {
    }

    /** Whether a single-valued float expression has deterministic bits. */
    public static boolean exact(Expr e) {
        return switch (e) {
            case Const c -> true;
            case LocalGet g -> true;
            case GlobalGet g -> true;
            case Load l -> true;
            case Canon c -> true;
            case GcRead g -> true; // a field or element, stored exactly
            case Simd s -> true; // a float extracted from a vector, which is exact (VCanon)
            case LocalTee t -> exact(t.value());
            case Select s -> exact(s.first()) && exact(s.second());
            case Numeric n -> switch (n.op().nanBits) {
                case NEVER_NAN -> true;
                case PROPAGATES, OBSERVES -> n.operands().stream().allMatch(NanDeterminism::exact);
                case ARITHMETIC -> !n.op().result.isFloat();
            };
            default -> false;
        };
    }

    public static FuzzModule enforce(FuzzModule m) {
        List<FuzzFunction> fs = new ArrayList<>();
        for (FuzzFunction f : m.functions()) fs.add(f.withBody(enforce(f.body())));
        return m.withFunctions(fs);
    }

    public static Body enforce(Body b) {
        return new Body(b.statements().stream().map(NanDeterminism::enforce).toList(), b.spill(),
                b.results().stream().map(NanDeterminism::enforce).toList());
    }

    public static Expr enforce(Expr e) {
        if (e instanceof VCanon v) return new VCanon(enforceChildren(v.value()), v.laneBits());
        Expr done = enforceChildren(e);
        if (done instanceof Simd s && s.op().floatLaneBits() != 0) return new VCanon(done, s.op().floatLaneBits());
        return done;
    }

    private static Expr enforceChildren(Expr e) {
        List<Expr> kids = ExprTree.children(e);
        if (kids.isEmpty()) return e;
        int sinks = sinkPrefix(e);
        List<Expr> fixed = new ArrayList<>(kids.size());
        boolean changed = false;
        for (int i = 0; i < kids.size(); i++) {
            Expr k = enforce(kids.get(i));
            if (i < sinks) k = exactly(k);
            changed |= k != kids.get(i);
            fixed.add(k);
        }
        return changed ? ExprTree.withChildren(e, fixed) : e;
    }

    /** {@code e} if its bits are deterministic, else {@code e} canonicalised. */
    private static Expr exactly(Expr e) {
        List<NumType> ts = e.types();
        boolean hasFloat = ts.stream().anyMatch(NumType::isFloat);
        if (!hasFloat) return e;
        if (ts.size() != 1) throw new IllegalStateException("a multi-value expression with floats where bits are observed: " + e);
        return exact(e) ? e : new Canon(e);
    }

    /** How many of the node's first children flow somewhere their bits are observed. */
    private static int sinkPrefix(Expr e) {
        return switch (e) {
            case LocalSet s -> 1;
            case LocalTee t -> 1;
            case GlobalSet s -> 1;
            case Store s -> 2;
            case GcNew g -> g.values().size();
            case GcWrite g -> g.operands().size();
            case Call c -> c.args().size();
            case CallIndirect c -> c.args().size();
            case CallRef c -> c.args().size();
            case TailCall c -> c.args().size();
            case Throw t -> t.args().size(); // a payload goes to handlers' locals and blocks
            case TryTable t -> t.inputs().size();
            case BackEdge b -> b.values().size();
            case Block b -> b.inputs().size();
            case Loop l -> l.inputs().size();
            case If i -> i.inputs().size();
            case Numeric n -> n.op().nanBits == NumericOp.NanBits.OBSERVES ? n.operands().size() : 0;
            default -> 0;
        };
    }
}
