package dev.kiln.ir.pass;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.BlockLiveness;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntUnaryOperator;

/**
 * Live-range splitting after calls, for the register allocator. When more values live across a
 * call than the registers calls preserve can hold, the allocator keeps them in stack slots, and
 * every use after the call reads the slot. Here a value that lives across a call and is read at
 * least twice before the next call (or the block's end) gets a copy for that stretch: the block is
 * split after the call, the rest becoming a new block (laid out next, so no jump is emitted) whose
 * parameter is the copy, and the uses in the stretch read the copy. The copy lives across no call,
 * so it takes a caller-saved register: one reload after the call instead of one slot read per use.
 * The value itself, its uses after the stretch and the arguments of the block's edges are unchanged.
 *
 * <p>Only where the pressure is real: a block is split after a call when more values of a class
 * live across the call than calls preserve registers of that class. Calls that end their block
 * (a {@code Guarded} call in a try region) are never split after. Runs after
 * {@link LoopSplitting} (which counts the same registers).
 */
public final class CallSplitting implements Pass {
    /** Reads of a value after a call that make a copy worth its move. */
    private static final int MIN_USES = 2;

    private final LoopSplitting.Registers registers;

    public CallSplitting(LoopSplitting.Registers registers) {
        this.registers = registers;
    }

    @Override
    public String name() {
        return "call-splitting";
    }

    @Override
    public boolean run(IrFunction f) {
        boolean any = false;
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions.subList(0, Math.max(0, b.instructions.size() - 1))) {
                if (registers.isCall(i)) { any = true; break; }
            }
            if (any) break;
        }
        if (!any) return false;
        BlockLiveness liveness = new BlockLiveness(f);
        boolean[] constant = new boolean[f.valueCount()];
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) if (isConstant(i.op)) for (int k = 0; k < i.resultCount(); k++) constant[i.result(k)] = true;
        }
        // one use count per value for the whole function, reset through the touched list: a fresh array
        // per block would make the pass quadratic in blocks times values
        int[] uses = new int[f.valueCount()];
        boolean changed = false;
        for (BasicBlock b : new ArrayList<>(f.blocks)) changed |= splitBlock(f, b, liveness.liveOut(b), constant, uses);
        return changed;
    }

    private boolean splitBlock(IrFunction f, BasicBlock b, int[] liveOut, boolean[] constant, int[] uses) {
        List<Instruction> is = b.instructions;
        int n = is.size();
        boolean calls = false;
        for (int k = 0; k < n - 1 && !calls; k++) calls = registers.isCall(is.get(k));
        if (!calls) return false;
        // backward: the values live after each call (with running counts per class, so that each call
        // costs the values of its stretch, not every live value), and the uses of each value in the stretch
        LiveSet live = new LiveSet(f, constant);
        for (int v : liveOut) live.add(v);
        for (int v : b.terminator.operands()) live.add(v);
        for (Edge e : b.terminator.edges()) for (int v : e.args) live.add(v);
        List<Integer> touched = new ArrayList<>();
        for (int v : b.terminator.operands()) countUse(uses, touched, v);
        // split points from the last to the first, each with the values that get a copy
        List<int[]> splits = new ArrayList<>(); // {call index, values...}
        for (int k = n - 1; k >= 0; k--) {
            Instruction i = is.get(k);
            if (registers.isCall(i) && k < n - 1) {
                int[] chosen = choose(f, i, live, uses, touched, constant);
                if (chosen.length > 0) {
                    int[] s = new int[chosen.length + 1];
                    s[0] = k;
                    System.arraycopy(chosen, 0, s, 1, chosen.length);
                    splits.add(s);
                }
                // the stretch before this call starts afresh
                for (int v : touched) uses[v] = 0;
                touched.clear();
            }
            for (int r = 0; r < i.resultCount(); r++) live.remove(i.result(r));
            for (int a = 0; a < i.argCount(); a++) {
                live.add(i.arg(a));
                countUse(uses, touched, i.arg(a));
            }
        }
        for (int v : touched) uses[v] = 0;
        if (splits.isEmpty()) return false;
        // splits are ordered last call first: cut the block from its end, so earlier indices stay valid
        int at = f.blocks.indexOf(b);
        for (int[] s : splits) {
            int k = s[0];
            int[] values = Arrays.copyOfRange(s, 1, s.length);
            ValType[] types = new ValType[values.length];
            for (int j = 0; j < values.length; j++) types[j] = f.typeOf(values[j]);
            BasicBlock rest = f.newBlock(types);
            List<Instruction> moved = new ArrayList<>(is.subList(k + 1, is.size()));
            is.subList(k + 1, is.size()).clear();
            rest.instructions.addAll(moved);
            rest.terminator = b.terminator;
            b.terminator = new Terminator.Jump(new Edge(rest, values));
            f.blocks.add(at + 1, rest);
            // rename the uses in the stretch: up to and including the next call, or to the end with the terminator
            Map<Integer, Integer> renamed = new HashMap<>();
            for (int j = 0; j < values.length; j++) renamed.put(values[j], rest.params[j]);
            IntUnaryOperator to = v -> renamed.getOrDefault(v, v);
            boolean reachedCall = false;
            for (Instruction i : rest.instructions) {
                for (int a = 0; a < i.argCount(); a++) i.setArg(a, to.applyAsInt(i.arg(a)));
                if (registers.isCall(i)) { reachedCall = true; break; }
            }
            if (!reachedCall) renameTerminator(rest, to);
        }
        return true;
    }

    /** The values live across call {@code call} worth a copy after it, when its class is short of preserved registers. */
    private int[] choose(IrFunction f, Instruction call, LiveSet liveAfter, int[] uses, List<Integer> stretch, boolean[] constant) {
        Set<Integer> results = new HashSet<>();
        for (int r = 0; r < call.resultCount(); r++) results.add(call.result(r));
        int ints = liveAfter.ints, floats = liveAfter.floats;
        for (int v : results) {
            if (!liveAfter.contains(v) || constant[v]) continue;
            if (isFloatLike(f.typeOf(v))) floats--; else ints--;
        }
        // a value read in the stretch after the call and live after it; values defined in the stretch
        // are no longer live here (the backward walk removed them at their definition)
        List<Integer> out = new ArrayList<>();
        for (int v : stretch) {
            if (!liveAfter.contains(v) || results.contains(v) || constant[v] || uses[v] < MIN_USES) continue;
            ValType t = f.typeOf(v);
            int across = isFloatLike(t) ? floats : ints;
            if (across > registers.count(t, true)) out.add(v);
        }
        out.sort(null);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /** The live values of a backward walk, with the count of non-constant values per register class. */
    private static final class LiveSet {
        private final IrFunction f;
        private final boolean[] constant;
        private final Set<Integer> values = new HashSet<>();
        int ints, floats;

        LiveSet(IrFunction f, boolean[] constant) {
            this.f = f;
            this.constant = constant;
        }

        boolean contains(int v) {
            return values.contains(v);
        }

        void add(int v) {
            if (values.add(v) && !constant[v]) count(v, 1);
        }

        void remove(int v) {
            if (values.remove(v) && !constant[v]) count(v, -1);
        }

        private void count(int v, int d) {
            if (isFloatLike(f.typeOf(v))) floats += d; else ints += d;
        }
    }

    private static void countUse(int[] uses, List<Integer> touched, int v) {
        if (uses[v]++ == 0) touched.add(v);
    }

    private static void renameTerminator(BasicBlock b, IntUnaryOperator to) {
        switch (b.terminator) {
            case Terminator.Branch br -> br.condition = to.applyAsInt(br.condition);
            case Terminator.Switch s -> s.index = to.applyAsInt(s.index);
            case Terminator.Return r -> {
                for (int k = 0; k < r.values.length; k++) r.values[k] = to.applyAsInt(r.values[k]);
            }
            case Terminator.ReturnCall rc -> {
                for (int k = 0; k < rc.call.argCount(); k++) rc.call.setArg(k, to.applyAsInt(rc.call.arg(k)));
            }
            case Terminator.Throw th -> {
                for (int k = 0; k < th.instruction.argCount(); k++) th.instruction.setArg(k, to.applyAsInt(th.instruction.arg(k)));
            }
            default -> { }
        }
        // edge arguments keep the value: a back edge's identity argument (LoopSplitting) stays one, and a
        // branch's arguments must stay moves that never move (EdgeSplitting)
    }

    private static boolean isConstant(Opcode op) {
        return op == Opcode.I32_CONST || op == Opcode.I64_CONST || op == Opcode.F32_CONST || op == Opcode.F64_CONST
                || op == Opcode.V128_CONST || op == Opcode.REF_NULL || op == Opcode.REF_FUNC;
    }

    private static boolean isFloatLike(ValType t) {
        return t == ValType.F32 || t == ValType.F64 || t == ValType.V128;
    }
}
