package dev.kiln.tests.fuzz.wasm;

import dev.kiln.frontend.Opcode;
import dev.kiln.tests.fuzz.wasm.Expr.*;

import java.util.ArrayList;
import java.util.List;

/**
 * What the oracle runs in place of the relaxed instructions whose deterministic-profile result
 * (kiln's) wasmtime does not give ({@link SimdOp#expandedForTheOracle()}): the same result in
 * plain SIMD, by the 3.0 spec's definitions.
 * <ul>
 *   <li>{@code relaxed_madd(a, b, c)} = {@code add(mul(a, b), c)} (unfused: two roundings);
 *       {@code relaxed_nmadd(a, b, c)} = {@code add(mul(neg(a), b), c)};</li>
 *   <li>{@code i16x8.relaxed_dot_i8x16_i7x16_s(a, b)}: the signed byte products of each pair of
 *       lanes added with i16 saturation = {@code add_sat_s(even, odd)} of the i16 products
 *       ({@code extmul_low/high_i8x16_s}) deinterleaved by two shuffles;</li>
 *   <li>{@code i32x4.relaxed_dot_i8x16_i7x16_add_s(a, b, c)} = {@code add(extadd_pairwise_i16x8_s(dot(a, b)), c)}.</li>
 * </ul>
 * Operands used twice go through fresh v128 locals, so each is evaluated once, in order.
 */
public final class RelaxedExpansion {
    private static final long EVEN_LOW = pattern(0, 1, 4, 5, 8, 9, 12, 13), EVEN_HIGH = pattern(16, 17, 20, 21, 24, 25, 28, 29);
    private static final long ODD_LOW = pattern(2, 3, 6, 7, 10, 11, 14, 15), ODD_HIGH = pattern(18, 19, 22, 23, 26, 27, 30, 31);

    private final FuzzFunction fn;
    private final List<NumType> added = new ArrayList<>();

    private RelaxedExpansion(FuzzFunction fn) {
        this.fn = fn;
    }

    /** {@code m} with every such instruction expanded (new locals appended to the functions that need them). */
    public static FuzzModule apply(FuzzModule m) {
        List<FuzzFunction> fs = new ArrayList<>();
        for (FuzzFunction f : m.functions()) {
            RelaxedExpansion x = new RelaxedExpansion(f);
            Body b = ExprTree.map(f.body(), x::expand);
            fs.add(f.withBody(b).withMoreLocals(x.added));
        }
        return m.withFunctions(fs);
    }

    /** Whether {@code m} uses any instruction this expands. */
    public static boolean needed(FuzzModule m) {
        boolean[] found = {false};
        for (FuzzFunction f : m.functions()) {
            ExprTree.forEach(f.body(), e -> found[0] |= e instanceof Simd s && s.op().expandedForTheOracle());
        }
        return found[0];
    }

    private Expr expand(Expr e) {
        if (!(e instanceof Simd s) || !s.op().expandedForTheOracle()) return e;
        List<Expr> o = s.operands();
        return switch (s.op().opcode()) {
            case F32X4_RELAXED_MADD -> op(Opcode.F32X4_ADD, op(Opcode.F32X4_MUL, o.get(0), o.get(1)), o.get(2));
            case F64X2_RELAXED_MADD -> op(Opcode.F64X2_ADD, op(Opcode.F64X2_MUL, o.get(0), o.get(1)), o.get(2));
            case F32X4_RELAXED_NMADD -> op(Opcode.F32X4_ADD, op(Opcode.F32X4_MUL, op(Opcode.F32X4_NEG, o.get(0)), o.get(1)), o.get(2));
            case F64X2_RELAXED_NMADD -> op(Opcode.F64X2_ADD, op(Opcode.F64X2_MUL, op(Opcode.F64X2_NEG, o.get(0)), o.get(1)), o.get(2));
            case I16X8_RELAXED_DOT_I8X16_I7X16_S -> dot(o.get(0), o.get(1));
            case I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S ->
                    op(Opcode.I32X4_ADD, op(Opcode.I32X4_EXTADD_PAIRWISE_I16X8_S, dot(o.get(0), o.get(1))), o.get(2));
            default -> throw new IllegalStateException("no expansion for " + s.op().wat());
        };
    }

    private Expr dot(Expr a, Expr b) {
        int ta = local(), tb = local(), lo = local(), hi = local();
        Expr low = op(Opcode.I16X8_EXTMUL_LOW_I8X16_S, new LocalTee(ta, a), new LocalTee(tb, b));
        Expr high = op(Opcode.I16X8_EXTMUL_HIGH_I8X16_S, get(ta), get(tb));
        Expr even = new Simd(SimdOp.of(Opcode.I8X16_SHUFFLE), List.of(new LocalTee(lo, low), new LocalTee(hi, high)), EVEN_LOW, EVEN_HIGH);
        Expr odd = new Simd(SimdOp.of(Opcode.I8X16_SHUFFLE), List.of(get(lo), get(hi)), ODD_LOW, ODD_HIGH);
        return op(Opcode.I16X8_ADD_SAT_S, even, odd);
    }

    private int local() {
        added.add(NumType.V128);
        return fn.sig().params().size() + fn.locals().size() + added.size() - 1;
    }

    private static Expr get(int local) {
        return new LocalGet(local, NumType.V128);
    }

    private static Expr op(Opcode op, Expr... operands) {
        return new Simd(SimdOp.of(op), List.of(operands), 0, 0);
    }

    private static long pattern(int... lanes) {
        long p = 0;
        for (int k = 0; k < 8; k++) p |= (long) lanes[k] << (8 * k);
        return p;
    }
}
