package dev.kiln.backend.x64;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/** jqwik generators of random instructions covering every form of {@link X64Assembler}. */
final class RandomInstructions {
    private RandomInstructions() {
    }

    /** What a generated instruction may refer to: a label bound at the start and one bound at the end. */
    record Context(X64Assembler asm, Label start, Label end) {
    }

    /** One generated instruction; the description is what jqwik reports for a failing sample. */
    record Step(String description, Consumer<Context> emit) {
        @Override
        public String toString() {
            return description;
        }
    }

    /** An operand that may need the context (labels, constant pool) to be built. */
    record Operand<T>(String description, Function<Context, T> make) {
        T in(Context c) {
            return make.apply(c);
        }

        @Override
        public String toString() {
            return description;
        }
    }

    static Arbitrary<Gpr> gpr() {
        return Arbitraries.of(Gpr.values());
    }

    static Arbitrary<Xmm> xmm() {
        return Arbitraries.of(Xmm.values());
    }

    static Arbitrary<Width> width() {
        return Arbitraries.of(Width.values());
    }

    static Arbitrary<Width> wideWidth() {
        return Arbitraries.of(Width.WORD, Width.DWORD, Width.QWORD);
    }

    static Arbitrary<Width> intWidth() {
        return Arbitraries.of(Width.DWORD, Width.QWORD);
    }

    /** Integers concentrated around the encoding boundaries, plus anything. */
    static Arbitrary<Integer> int32() {
        return Arbitraries.oneOf(Arbitraries.integers().between(-260, 260),
                Arbitraries.of(127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769, 65535, 65536,
                        Integer.MAX_VALUE, Integer.MIN_VALUE),
                Arbitraries.integers());
    }

    static Arbitrary<Long> int64() {
        return Arbitraries.oneOf(int32().map(i -> (long) i), int32().map(i -> i & 0xFFFFFFFFL), Arbitraries.longs());
    }

    /** {@code value} folded into the range a {@code w} immediate accepts. */
    static int fit(Width w, int value) {
        return switch (w) {
            case BYTE -> (byte) value;
            case WORD -> (short) value;
            default -> value;
        };
    }

    static Arbitrary<Operand<MemoryOperand>> memory() {
        Arbitrary<Gpr> base = Arbitraries.oneOf(gpr(), Arbitraries.just(null));
        Arbitrary<Gpr> index = Arbitraries.oneOf(gpr().filter(g -> g != Gpr.RSP), Arbitraries.just(null));
        Arbitrary<Integer> scale = Arbitraries.of(1, 2, 4, 8);
        Arbitrary<Integer> disp = Arbitraries.oneOf(Arbitraries.just(0), int32());
        Arbitrary<Operand<MemoryOperand>> address = Combinators.combine(base, index, scale, disp).as((b, i, s, d) -> {
            MemoryOperand m = new MemoryOperand.Address(b, i, i == null ? 1 : s, d);
            return new Operand<>(m.toString(), c -> m);
        });
        Arbitrary<Operand<MemoryOperand>> ripLabel = Combinators.combine(Arbitraries.of(true, false),
                Arbitraries.integers().between(-64, 64)).as((early, d) ->
                new Operand<>("rip(" + (early ? "start" : "end") + "+" + d + ")",
                        c -> MemoryOperand.rip(early ? c.start() : c.end(), d)));
        Arbitrary<Operand<MemoryOperand>> ripConstant = Arbitraries.longs().map(v ->
                new Operand<>("rip(constant64 " + v + ")", c -> MemoryOperand.rip(c.asm().constant64(v))));
        Arbitrary<Operand<MemoryOperand>> ripSymbol = Arbitraries.integers().between(-16, 16).map(a ->
                new Operand<>("ripSymbol(sym+" + a + ")", c -> MemoryOperand.ripSymbol("sym", a)));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, address), net.jqwik.api.Tuple.of(1, ripLabel),
                net.jqwik.api.Tuple.of(1, ripConstant), net.jqwik.api.Tuple.of(1, ripSymbol));
    }

    static Arbitrary<Operand<GprOrMemory>> gprOrMemory() {
        return Arbitraries.oneOf(gpr().map(g -> new Operand<GprOrMemory>(g.name(), c -> g)),
                memory().map(m -> new Operand<GprOrMemory>(m.description(), m.make()::apply)));
    }

    static Arbitrary<Operand<XmmOrMemory>> xmmOrMemory() {
        return Arbitraries.oneOf(xmm().map(x -> new Operand<XmmOrMemory>(x.name(), c -> x)),
                memory().map(m -> new Operand<XmmOrMemory>(m.description(), m.make()::apply)));
    }

    private static Step step(String description, Consumer<Context> emit) {
        return new Step(description, emit);
    }

    /** Any instruction. */
    static Arbitrary<Step> instruction() {
        return Arbitraries.oneOf(List.of(moves(), extensions(), arithmetic(), shiftsAndBits(), conditions(),
                control(), sse(), conversions()));
    }

    static Arbitrary<Step> moves() {
        return Arbitraries.oneOf(List.of(
                Combinators.combine(width(), gpr(), gprOrMemory()).as((w, d, s) ->
                        step("mov " + w + " " + d + ", " + s, c -> c.asm().mov(w, d, s.in(c)))),
                Combinators.combine(width(), memory(), gpr()).as((w, d, s) ->
                        step("mov " + w + " " + d + ", " + s, c -> c.asm().mov(w, d.in(c), s))),
                Combinators.combine(width(), gpr(), int64()).as((w, d, v) -> {
                    long imm = w == Width.QWORD ? v : w == Width.DWORD ? (int) (long) v : fit(w, (int) (long) v);
                    return step("mov " + w + " " + d + ", " + imm, c -> c.asm().mov(w, d, imm));
                }),
                Combinators.combine(width(), memory(), int32()).as((w, d, v) ->
                        step("mov " + w + " " + d + ", " + fit(w, v), c -> c.asm().mov(w, d.in(c), fit(w, v)))),
                Combinators.combine(gpr(), int64()).as((d, v) -> step("movabs " + d + ", " + v, c -> c.asm().movabs(d, v))),
                Combinators.combine(wideWidth().filter(w -> w != Width.WORD), gpr(), memory()).as((w, d, m) ->
                        step("lea " + w + " " + d + ", " + m, c -> c.asm().lea(w, d, m.in(c)))),
                gpr().map(r -> step("push " + r, c -> c.asm().push(r))),
                gpr().map(r -> step("pop " + r, c -> c.asm().pop(r))),
                Combinators.combine(width(), gpr(), gpr()).as((w, a, b) ->
                        step("xchg " + w + " " + a + ", " + b, c -> c.asm().xchg(w, a, b)))));
    }

    static Arbitrary<Step> extensions() {
        Arbitrary<Width[]> pair = Arbitraries.of(new Width[] {Width.WORD, Width.BYTE}, new Width[] {Width.DWORD, Width.BYTE},
                new Width[] {Width.QWORD, Width.BYTE}, new Width[] {Width.DWORD, Width.WORD},
                new Width[] {Width.QWORD, Width.WORD}, new Width[] {Width.QWORD, Width.DWORD});
        return Combinators.combine(pair, Arbitraries.of(true, false), gpr(), gprOrMemory()).as((p, signed, d, s) ->
                step((signed ? "movsx " : "movzx ") + p[0] + " " + d + ", " + p[1] + " " + s, c -> {
                    if (signed) {
                        c.asm().movsx(p[0], d, p[1], s.in(c));
                    } else {
                        c.asm().movzx(p[0], d, p[1], s.in(c));
                    }
                }));
    }

    static Arbitrary<Step> arithmetic() {
        Arbitrary<AluOp> alu = Arbitraries.of(AluOp.values());
        return Arbitraries.oneOf(List.of(
                Combinators.combine(alu, width(), gpr(), gprOrMemory()).as((op, w, d, s) ->
                        step(op + " " + w + " " + d + ", " + s, c -> c.asm().alu(op, w, d, s.in(c)))),
                Combinators.combine(alu, width(), memory(), gpr()).as((op, w, d, s) ->
                        step(op + " " + w + " " + d + ", " + s, c -> c.asm().alu(op, w, d.in(c), s))),
                Combinators.combine(alu, width(), gprOrMemory(), int32()).as((op, w, d, v) ->
                        step(op + " " + w + " " + d + ", " + fit(w, v), c -> c.asm().alu(op, w, d.in(c), fit(w, v)))),
                Combinators.combine(width(), gprOrMemory(), gpr()).as((w, a, b) ->
                        step("test " + w + " " + a + ", " + b, c -> c.asm().test(w, a.in(c), b))),
                Combinators.combine(width(), gprOrMemory(), int32()).as((w, a, v) ->
                        step("test " + w + " " + a + ", " + fit(w, v), c -> c.asm().test(w, a.in(c), fit(w, v)))),
                Combinators.combine(Arbitraries.of(UnaryOp.values()), width(), gprOrMemory()).as((op, w, o) ->
                        step(op + " " + w + " " + o, c -> c.asm().unary(op, w, o.in(c)))),
                Combinators.combine(Arbitraries.of(MulDivOp.values()), width(), gprOrMemory()).as((op, w, o) ->
                        step(op + " " + w + " " + o, c -> c.asm().mulDiv(op, w, o.in(c)))),
                Combinators.combine(wideWidth(), gpr(), gprOrMemory()).as((w, d, s) ->
                        step("imul " + w + " " + d + ", " + s, c -> c.asm().imul(w, d, s.in(c)))),
                Combinators.combine(wideWidth(), gpr(), gprOrMemory(), int32()).as((w, d, s, v) ->
                        step("imul " + w + " " + d + ", " + s + ", " + fit(w, v), c -> c.asm().imul(w, d, s.in(c), fit(w, v))))));
    }

    static Arbitrary<Step> shiftsAndBits() {
        Arbitrary<ShiftOp> shift = Arbitraries.of(ShiftOp.values());
        return Arbitraries.oneOf(List.of(
                Combinators.combine(shift, width(), gprOrMemory(), Arbitraries.integers().between(0, 255)).as((op, w, o, n) ->
                        step(op + " " + w + " " + o + ", " + n, c -> c.asm().shift(op, w, o.in(c), n))),
                Combinators.combine(shift, width(), gprOrMemory()).as((op, w, o) ->
                        step(op + " " + w + " " + o + ", cl", c -> c.asm().shiftByCl(op, w, o.in(c)))),
                Combinators.combine(Arbitraries.of(BitCountOp.values()), wideWidth(), gpr(), gprOrMemory()).as((op, w, d, s) ->
                        step(op + " " + w + " " + d + ", " + s, c -> c.asm().bitCount(op, w, d, s.in(c))))));
    }

    static Arbitrary<Step> conditions() {
        Arbitrary<Condition> cond = Arbitraries.of(Condition.values());
        return Arbitraries.oneOf(List.of(
                Combinators.combine(cond, gprOrMemory()).as((cc, o) -> step("set" + cc + " " + o, c -> c.asm().setcc(cc, o.in(c)))),
                Combinators.combine(cond, wideWidth(), gpr(), gprOrMemory()).as((cc, w, d, s) ->
                        step("cmov" + cc + " " + w + " " + d + ", " + s, c -> c.asm().cmov(cc, w, d, s.in(c))))));
    }

    static Arbitrary<Step> control() {
        Arbitrary<Boolean> early = Arbitraries.of(true, false);
        return Arbitraries.oneOf(List.of(
                Combinators.combine(Arbitraries.of(Condition.values()), early).as((cc, e) ->
                        step("j" + cc + (e ? " start" : " end"), c -> c.asm().jcc(cc, e ? c.start() : c.end()))),
                early.map(e -> step("jmp " + (e ? "start" : "end"), c -> c.asm().jmp(e ? c.start() : c.end()))),
                early.map(e -> step("call " + (e ? "start" : "end"), c -> c.asm().call(e ? c.start() : c.end()))),
                Arbitraries.of(Condition.values()).map(cc -> step("j" + cc + " short +0", c -> {
                    Label next = c.asm().newLabel();
                    c.asm().jccShort(cc, next);
                    c.asm().bind(next);
                })),
                Arbitraries.of("f", "memory_grow", "wasm_function_17").map(s -> step("call " + s, c -> c.asm().call(s))),
                Arbitraries.of("g").map(s -> step("jmp " + s, c -> c.asm().jmp(s))),
                gprOrMemory().map(o -> step("call " + o, c -> c.asm().call(o.in(c)))),
                gprOrMemory().map(o -> step("jmp " + o, c -> c.asm().jmp(o.in(c)))),
                Arbitraries.of(FixedInstruction.values()).map(f -> step(f.toString(), c -> c.asm().emit(f))),
                Arbitraries.integers().between(0, 30).map(n -> step("nop " + n, c -> c.asm().nop(n))),
                Arbitraries.of(1, 2, 4, 8, 16, 32).map(n -> step("align " + n, c -> c.asm().align(n)))));
    }

    static Arbitrary<Step> sse() {
        List<SseOp> plain = Arrays.stream(SseOp.values()).filter(o -> o.form() == SseOp.Form.XMM_XMM_OR_MEM).toList();
        return Arbitraries.oneOf(List.of(
                Combinators.combine(Arbitraries.of(plain), xmm(), xmmOrMemory()).as((op, d, s) ->
                        step(op + " " + d + ", " + s, c -> c.asm().sse(op, d, s.in(c)))),
                Combinators.combine(Arbitraries.of(SseOp.ROUNDSS, SseOp.ROUNDSD), xmm(), xmmOrMemory(),
                        Arbitraries.integers().between(0, 255)).as((op, d, s, i) ->
                        step(op + " " + d + ", " + s + ", " + i, c -> c.asm().sse(op, d, s.in(c), i))),
                Combinators.combine(Arbitraries.of(true, false), memory(), xmm()).as((single, m, x) ->
                        step((single ? "movss " : "movsd ") + m + ", " + x, c -> {
                            if (single) {
                                c.asm().movss(m.in(c), x);
                            } else {
                                c.asm().movsd(m.in(c), x);
                            }
                        })),
                Combinators.combine(xmm(), xmm()).as((d, s) -> step("movaps " + d + ", " + s, c -> c.asm().movaps(d, s)))));
    }

    static Arbitrary<Step> conversions() {
        return Arbitraries.oneOf(List.of(
                Combinators.combine(intWidth(), Arbitraries.of(true, false), xmm(), gprOrMemory()).as((w, toXmm, x, o) ->
                        step((toXmm ? "mov " + w + " xmm<-" : "mov " + w + " xmm->") + x + " " + o, c -> {
                            boolean q = w == Width.QWORD;
                            if (toXmm && q) {
                                c.asm().movq(x, o.in(c));
                            } else if (toXmm) {
                                c.asm().movd(x, o.in(c));
                            } else if (q) {
                                c.asm().movq(o.in(c), x);
                            } else {
                                c.asm().movd(o.in(c), x);
                            }
                        })),
                Combinators.combine(intWidth(), Arbitraries.of(true, false), xmm(), gprOrMemory()).as((w, dbl, x, o) ->
                        step((dbl ? "cvtsi2sd " : "cvtsi2ss ") + w + " " + x + ", " + o, c -> {
                            if (dbl) {
                                c.asm().cvtsi2sd(w, x, o.in(c));
                            } else {
                                c.asm().cvtsi2ss(w, x, o.in(c));
                            }
                        })),
                Combinators.combine(intWidth(), Arbitraries.of(true, false), gpr(), xmmOrMemory()).as((w, dbl, r, o) ->
                        step((dbl ? "cvttsd2si " : "cvttss2si ") + w + " " + r + ", " + o, c -> {
                            if (dbl) {
                                c.asm().cvttsd2si(w, r, o.in(c));
                            } else {
                                c.asm().cvttss2si(w, r, o.in(c));
                            }
                        }))));
    }
}
