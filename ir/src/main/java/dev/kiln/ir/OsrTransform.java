package dev.kiln.ir;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * On-stack replacement at a loop header: turns a function into a variant that starts at header
 * {@code H} with the values an interpreter frame holds there. The variant's parameters are H's
 * parameters followed by the other non-constant values live into H, in increasing value order
 * ({@link #entryValues}); constants live into H are recomputed. A new entry block jumps to H; the
 * blocks no longer reachable disappear.
 *
 * <p>A live-in value whose original definition is still reachable from H (inside an outer loop)
 * now has two definitions; SSA form is restored for it the classic way: block parameters at the
 * iterated dominance frontier of its definitions, then renaming along the dominator tree.
 */
public final class OsrTransform {
    private OsrTransform() {
    }

    /** The values an OSR entry at {@code header} takes, in order: H's parameters, then its other non-constant live-ins. */
    public static int[] entryValues(IrFunction f, BasicBlock header) {
        return entryValues(f, header, new BlockLiveness(f));
    }

    /** {@link #entryValues(IrFunction, BasicBlock)} with liveness computed once for several headers. */
    public static int[] entryValues(IrFunction f, BasicBlock header, BlockLiveness liveness) {
        return entryValues(header, liveness, constantDefinitions(f));
    }

    private static int[] entryValues(BasicBlock header, BlockLiveness liveness, Map<Integer, Instruction> constants) {
        List<Integer> out = new ArrayList<>();
        for (int p : header.params) out.add(p);
        for (int v : liveness.liveIn(header)) if (!constants.containsKey(v)) out.add(v);
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Map<Integer, Instruction> constantDefinitions(IrFunction f) {
        Map<Integer, Instruction> out = new HashMap<>();
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                switch (i.op) {
                    case I32_CONST, I64_CONST, F32_CONST, F64_CONST, V128_CONST, REF_NULL -> out.put(i.result(), i);
                    default -> { }
                }
            }
        }
        return out;
    }

    /** True when some predecessor of {@code b} is dominated by it (it heads a loop). */
    public static boolean isLoopHeader(IrFunction f, BasicBlock b) {
        ControlFlowGraph cfg = new ControlFlowGraph(f);
        for (BasicBlock p : cfg.predecessors(b)) if (cfg.isReachable(p) && cfg.dominates(b, p)) return true;
        return false;
    }

    /** Rewrites {@code f} in place into its OSR variant entered at {@code header}. */
    public static void apply(IrFunction f, BasicBlock header) {
        Map<Integer, Instruction> constants = constantDefinitions(f);
        BlockLiveness liveness = new BlockLiveness(f);
        int[] entry = entryValues(header, liveness, constants);
        int[] live = liveness.liveIn(header);

        // the new entry: parameters for the entry values, fresh constants for live-in constants
        ValType[] types = new ValType[entry.length];
        for (int k = 0; k < entry.length; k++) types[k] = f.typeOf(entry[k]);
        BasicBlock e0 = f.newBlock(types);
        Map<Integer, Integer> entryDefinition = new LinkedHashMap<>(); // live-in value -> its definition in e0
        for (int k = header.params.length; k < entry.length; k++) entryDefinition.put(entry[k], e0.params[k]);
        for (int v : live) {
            Instruction c = constants.get(v);
            if (c == null) continue;
            int fresh = f.newValue(f.typeOf(v));
            e0.instructions.add(new Instruction(c.op, new int[0], new int[] {fresh}, c.imm, c.imm2(), c.wasmOffset));
            entryDefinition.put(v, fresh);
        }
        int[] headerArgs = Arrays.copyOf(e0.params, header.params.length);
        e0.terminator = new Terminator.Jump(new Edge(header, headerArgs));
        f.blocks.add(0, e0);
        FuncType old = f.type();
        f.retype(new FuncType(types, old.results()));

        ControlFlowGraph cfg = new ControlFlowGraph(f);
        f.blocks.removeIf(b -> !cfg.isReachable(b));
        ControlFlowGraph reach = new ControlFlowGraph(f);
        repair(f, reach, entryDefinition);
    }

    /** Restores SSA for each live-in value now defined both in the new entry and (maybe) at its original place. */
    private static void repair(IrFunction f, ControlFlowGraph cfg, Map<Integer, Integer> entryDefinition) {
        // where each value is defined in the remaining blocks
        Map<Integer, BasicBlock> defBlock = new HashMap<>();
        for (BasicBlock b : f.blocks) {
            for (int p : b.params) defBlock.put(p, b);
            for (Instruction i : b.instructions) for (int r : i.results()) defBlock.put(r, b);
        }
        Map<BasicBlock, List<BasicBlock>> frontier = dominanceFrontiers(f, cfg);
        // block parameters to insert: block -> (value -> new parameter), in insertion order
        Map<BasicBlock, LinkedHashMap<Integer, Integer>> inserted = new HashMap<>();
        for (int v : entryDefinition.keySet()) {
            BasicBlock original = defBlock.get(v);
            if (original == null) continue; // its definition is gone: the entry definition reaches everything
            Deque<BasicBlock> work = new ArrayDeque<>(List.of(original));
            BitSet done = new BitSet();
            while (!work.isEmpty()) {
                BasicBlock b = work.pop();
                for (BasicBlock d : frontier.getOrDefault(b, List.of())) {
                    if (done.get(d.id)) continue;
                    done.set(d.id);
                    // the defining block (a loop header in its own frontier) needs no merge for v: its own
                    // definition follows any merge there, and a parameter added there would shadow a
                    // parameter definition of v (renaming pushes added parameters last) and never change
                    if (d == original) continue;
                    inserted.computeIfAbsent(d, k -> new LinkedHashMap<>()).put(v, f.newValue(f.typeOf(v)));
                    work.push(d);
                }
            }
        }
        for (Map.Entry<BasicBlock, LinkedHashMap<Integer, Integer>> e : inserted.entrySet()) {
            BasicBlock b = e.getKey();
            int[] params = Arrays.copyOf(b.params, b.params.length + e.getValue().size());
            int k = b.params.length;
            for (int p : e.getValue().values()) params[k++] = p;
            b.params = params;
        }
        rename(f, cfg, entryDefinition, inserted);
    }

    private static Map<BasicBlock, List<BasicBlock>> dominanceFrontiers(IrFunction f, ControlFlowGraph cfg) {
        Map<Integer, BasicBlock> byId = new HashMap<>();
        for (BasicBlock b : f.blocks) byId.put(b.id, b);
        Map<BasicBlock, List<BasicBlock>> df = new HashMap<>();
        for (BasicBlock b : f.blocks) {
            List<BasicBlock> preds = cfg.predecessors(b);
            if (preds.size() < 2) continue;
            for (BasicBlock p : preds) {
                BasicBlock runner = p;
                while (runner != null && runner.id != cfg.immediateDominator(b)) {
                    List<BasicBlock> l = df.computeIfAbsent(runner, k -> new ArrayList<>());
                    if (!l.contains(b)) l.add(b);
                    int up = cfg.immediateDominator(runner);
                    runner = up == runner.id ? null : byId.get(up);
                }
            }
        }
        return df;
    }

    /** Renames every use of the repaired values to the definition that reaches it (dominator-tree walk). */
    private static void rename(IrFunction f, ControlFlowGraph cfg, Map<Integer, Integer> entryDefinition,
                               Map<BasicBlock, LinkedHashMap<Integer, Integer>> inserted) {
        Map<Integer, List<BasicBlock>> children = new HashMap<>();
        for (BasicBlock b : f.blocks) {
            if (b == f.entry()) continue;
            children.computeIfAbsent(cfg.immediateDominator(b), k -> new ArrayList<>()).add(b);
        }
        Map<Integer, Deque<Integer>> stacks = new HashMap<>();
        for (int v : entryDefinition.keySet()) stacks.put(v, new ArrayDeque<>());
        // iterative DFS: (block, phase) where phase 0 = enter, 1 = leave
        Deque<Object[]> work = new ArrayDeque<>();
        work.push(new Object[] {f.entry(), 0, null});
        while (!work.isEmpty()) {
            Object[] item = work.pop();
            BasicBlock b = (BasicBlock) item[0];
            if ((int) item[1] == 1) {
                @SuppressWarnings("unchecked")
                List<Integer> pushed = (List<Integer>) item[2];
                for (int v : pushed) stacks.get(v).pop();
                continue;
            }
            List<Integer> pushed = new ArrayList<>();
            if (b == f.entry()) {
                for (Map.Entry<Integer, Integer> e : entryDefinition.entrySet()) {
                    stacks.get(e.getKey()).push(e.getValue());
                    pushed.add(e.getKey());
                }
            }
            for (int p : b.params) {
                if (stacks.containsKey(p)) {
                    stacks.get(p).push(p);
                    pushed.add(p);
                }
            }
            LinkedHashMap<Integer, Integer> mine = inserted.get(b);
            if (mine != null) {
                for (Map.Entry<Integer, Integer> e : mine.entrySet()) {
                    stacks.get(e.getKey()).push(e.getValue());
                    pushed.add(e.getKey());
                }
            }
            for (Instruction i : b.instructions) {
                for (int k = 0; k < i.argCount(); k++) i.setArg(k, current(stacks, i.arg(k)));
                for (int r : i.results()) {
                    if (stacks.containsKey(r)) {
                        stacks.get(r).push(r);
                        pushed.add(r);
                    }
                }
            }
            switch (b.terminator) {
                case Terminator.Branch br -> br.condition = current(stacks, br.condition);
                case Terminator.Switch s -> s.index = current(stacks, s.index);
                case Terminator.Return r -> {
                    for (int k = 0; k < r.values.length; k++) r.values[k] = current(stacks, r.values[k]);
                }
                case Terminator.ReturnCall rc -> {
                    for (int k = 0; k < rc.call.argCount(); k++) rc.call.setArg(k, current(stacks, rc.call.arg(k)));
                }
                case Terminator.Throw th -> {
                    for (int k = 0; k < th.instruction.argCount(); k++) th.instruction.setArg(k, current(stacks, th.instruction.arg(k)));
                }
                default -> { }
            }
            for (Edge e : b.terminator.edges()) {
                for (int k = 0; k < e.argCount(); k++) e.setArg(k, current(stacks, e.arg(k)));
                LinkedHashMap<Integer, Integer> theirs = inserted.get(e.target);
                if (theirs != null) {
                    int[] args = Arrays.copyOf(e.args, e.argCount() + theirs.size());
                    int k = e.argCount();
                    for (int v : theirs.keySet()) args[k++] = current(stacks, v);
                    e.args = args;
                }
            }
            work.push(new Object[] {b, 1, pushed});
            for (BasicBlock c : children.getOrDefault(b.id, List.of())) work.push(new Object[] {c, 0, null});
        }
    }

    private static int current(Map<Integer, Deque<Integer>> stacks, int v) {
        Deque<Integer> s = stacks.get(v);
        if (s == null) return v;
        Integer top = s.peek();
        if (top == null) throw new IllegalStateException("OSR repair: no definition of v" + v + " reaches a use");
        return top;
    }

}
