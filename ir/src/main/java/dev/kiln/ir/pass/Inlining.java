package dev.kiln.ir.pass;

import dev.kiln.frontend.FunctionBody;
import dev.kiln.frontend.InstructionReader;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.WasmReader;
import dev.kiln.ir.BackEdges;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Effects;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrBuilder;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Numerics;
import dev.kiln.ir.Terminator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inlining of small direct callees in native code: a {@code call} to a function defined in the same
 * module whose prepared IR is small ({@link #MAX_CALLEE_INSTRUCTIONS}), has no loop, and can neither
 * trap, call nor throw ({@link #cannotTrapOrCall}) is replaced by a copy of the callee's blocks. A
 * one-block callee is spliced into the calling block; a larger one is laid out between the calling
 * block and a new block that takes the call's results as parameters, so the layout's back-edges
 * (loops, fuel and interruption points) stay as they were.
 *
 * <p>Why only callees that cannot trap or call: a trap or a call inside inlined code would be
 * reported with the caller's frame alone (trap sites carry one function and one Wasm offset, no
 * inline chain), and an exception cannot start in such a callee, so a try_table around the call
 * stays right (the call's {@code Guarded} end becomes a jump to its normal successor). No callee
 * with a loop: its interruption checks would be the caller's. Not when fuel is metered (the
 * callee's entry consumes a unit). Recursion cannot happen (an inlined callee makes no calls).
 * The caller grows by at most {@link #MIN_GROWTH_CAP} instructions or its own size, and builds the IR of at most one
 * callee per {@link #INSTRUCTIONS_PER_BUILD} of its own instructions.
 */
public final class Inlining {
    /** The largest callee inlined (instructions of its prepared IR, terminators included). */
    static final int MAX_CALLEE_INSTRUCTIONS = 40;
    /**
     * The most instructions inlining adds to one caller: this many, or as many as the caller has
     * (a cap that bites in the middle of a long caller would make compile time and code size jump
     * where the caller grows past it).
     */
    static final int MIN_GROWTH_CAP = 2_000;
    /** Callees whose body has more Wasm instructions than this are not even built. */
    private static final int MAX_CALLEE_WASM_INSTRUCTIONS = 2 * MAX_CALLEE_INSTRUCTIONS;
    /**
     * Callees built per instruction of the caller (and {@link #MIN_BUILDS} at least): building the IR
     * of callees that turn out not to qualify then costs at most a few times what the caller itself
     * costs, however many distinct small functions it calls.
     */
    private static final int INSTRUCTIONS_PER_BUILD = 16;
    private static final int MIN_BUILDS = 4;

    private final ValidatedModule module;
    /** Each callee looked at, by function index: its prepared IR when it can be inlined, else null. */
    private final Map<Integer, IrFunction> callees = new HashMap<>();
    /** How many more callees {@link #callee} may build for the function being inlined into. */
    private int builds;

    public Inlining(ValidatedModule module) {
        this.module = module;
    }

    /** Inlines the calls of {@code f} that qualify; true when any was. */
    public boolean run(IrFunction f) {
        List<int[]> renames = new ArrayList<>();
        builds = Math.max(MIN_BUILDS, f.instructionCount() / INSTRUCTIONS_PER_BUILD);
        int cap = Math.max(MIN_GROWTH_CAP, f.instructionCount());
        int grown = 0;
        boolean changed = false;
        for (int bi = 0; bi < f.blocks.size(); bi++) {
            BasicBlock b = f.blocks.get(bi);
            for (int k = 0; k < b.instructions.size(); k++) {
                Instruction call = b.instructions.get(k);
                if (call.op != Opcode.CALL) continue;
                if (grown >= cap) break;
                IrFunction callee = callee((int) call.imm, f.index);
                if (callee == null || grown + callee.instructionCount() > cap) continue;
                grown += callee.instructionCount();
                changed = true;
                if (callee.blocks.size() == 1) {
                    k = splice(f, b, k, callee, renames) - 1;
                } else {
                    expand(f, bi, k, callee);
                    break; // the rest of the block moved to the continuation, visited next but one
                }
            }
        }
        if (!renames.isEmpty()) {
            ValueRenaming renaming = new ValueRenaming(f);
            for (int[] r : renames) renaming.replace(r[0], r[1]);
            renaming.apply(f);
        }
        return changed;
    }

    /** The prepared IR of {@code index} when a call to it from function {@code caller} can be inlined, else null. */
    private IrFunction callee(int index, int caller) {
        if (index == caller || index < module.module().importedFunctionCount()) return null;
        if (callees.containsKey(index)) return callees.get(index);
        if (builds == 0) return null;
        IrFunction g = null;
        if (module.functionInfo(index).instructionCount() <= MAX_CALLEE_WASM_INSTRUCTIONS && mayQualify(index)) {
            builds--;
            g = IrBuilder.build(module, index);
            Optimizer.optimize(g);
            if (g.instructionCount() > MAX_CALLEE_INSTRUCTIONS || !cannotTrapOrCall(g) || !BackEdges.headers(g).isEmpty()) g = null;
        }
        callees.put(index, g);
        return g;
    }

    /**
     * False when the Wasm body of function {@code index} has an instruction that would keep its IR
     * from qualifying ({@link #cannotTrapOrCall}, or a loop): read without building the IR, which most
     * callees (they read memory or call) then never need.
     */
    private boolean mayQualify(int index) {
        FunctionBody body = module.module().body(index);
        InstructionReader in = new InstructionReader(new WasmReader(module.module().bytes(), body.codeStart(), body.codeEnd()));
        while (!in.atEnd()) {
            Opcode op = in.next();
            boolean structured = switch (op) {
                case BLOCK, IF, ELSE, END, BR, BR_IF, BR_TABLE, RETURN, NOP, DROP, LOCAL_GET, LOCAL_SET, LOCAL_TEE -> true;
                default -> false;
            };
            if (!structured && !cannotTrap(op)) return false;
        }
        return true;
    }

    /**
     * True when no instruction of {@code g} can trap, call, throw or touch memory or tables: constants,
     * global reads and writes, {@code select}, scalar arithmetic that cannot trap, SIMD arithmetic,
     * {@code memory.size}; blocks that end in jumps, branches, br_tables and returns.
     */
    static boolean cannotTrapOrCall(IrFunction g) {
        for (BasicBlock b : g.blocks) {
            for (Instruction i : b.instructions) if (!cannotTrap(i.op)) return false;
            if (!(b.terminator instanceof Terminator.Jump || b.terminator instanceof Terminator.Branch
                    || b.terminator instanceof Terminator.Switch || b.terminator instanceof Terminator.Return)) return false;
        }
        return true;
    }

    private static boolean cannotTrap(Opcode op) {
        return switch (op) {
            case I32_CONST, I64_CONST, F32_CONST, F64_CONST, V128_CONST, GLOBAL_GET, GLOBAL_SET, SELECT, SELECT_T, MEMORY_SIZE -> true;
            default -> (Numerics.isScalarNumeric(op) || op.isSimd() && !Effects.addressesMemory(op))
                    && Effects.isPure(op) && !Effects.trapsOnOperandsAlone(op);
        };
    }

    /**
     * Replaces the call at {@code b.instructions[k]} by the one block of {@code callee}; returns the
     * index after the copied instructions. The call's results are renamed to the returned values.
     */
    private static int splice(IrFunction f, BasicBlock b, int k, IrFunction callee, List<int[]> renames) {
        Instruction call = b.instructions.get(k);
        int[] map = valueMap(f, callee, call);
        BasicBlock body = callee.entry();
        List<Instruction> copied = new ArrayList<>(body.instructions.size());
        for (Instruction i : body.instructions) copied.add(copy(i, map, call.wasmOffset));
        b.instructions.remove(k);
        b.instructions.addAll(k, copied);
        int[] returned = ((Terminator.Return) body.terminator).values;
        for (int r = 0; r < returned.length; r++) renames.add(new int[] {call.result(r), map[returned[r]]});
        if (k + copied.size() == b.instructions.size()) unguard(b);
        return k + copied.size();
    }

    /**
     * Replaces the call at {@code b.instructions[k]} (b at layout position {@code bi}) by the blocks
     * of {@code callee}: b keeps what precedes the call and jumps to the copy of the entry; the
     * copies' returns jump to a continuation that defines the call's results as its parameters and
     * holds the rest of b.
     */
    private static void expand(IrFunction f, int bi, int k, IrFunction callee) {
        BasicBlock b = f.blocks.get(bi);
        Instruction call = b.instructions.get(k);
        int[] map = valueMap(f, callee, call);
        BasicBlock cont = f.newBlock();
        cont.params = call.results();
        List<Instruction> rest = b.instructions.subList(k + 1, b.instructions.size());
        cont.instructions.addAll(rest);
        rest.clear();
        b.instructions.remove(k);
        cont.terminator = b.terminator;
        if (cont.instructions.isEmpty()) unguard(cont);

        Map<Integer, BasicBlock> copies = new HashMap<>();
        for (BasicBlock cb : callee.blocks) {
            BasicBlock nb = cb == callee.entry() ? f.newBlock() : f.newBlock(types(callee, cb.params));
            if (cb != callee.entry()) for (int p = 0; p < cb.params.length; p++) map[cb.params[p]] = nb.params[p];
            copies.put(cb.id, nb);
        }
        for (BasicBlock cb : callee.blocks) {
            BasicBlock nb = copies.get(cb.id);
            for (Instruction i : cb.instructions) nb.instructions.add(copy(i, map, call.wasmOffset));
            nb.terminator = copy(cb.terminator, map, copies, cont);
        }
        b.terminator = new Terminator.Jump(new Edge(copies.get(callee.entry().id), new int[0]));
        List<BasicBlock> placed = new ArrayList<>(callee.blocks.size() + 1);
        for (BasicBlock cb : callee.blocks) placed.add(copies.get(cb.id));
        placed.add(cont);
        f.blocks.addAll(bi + 1, placed);
    }

    /** A call that ended a block inside a try region no longer calls: the block goes to its normal successor. */
    private static void unguard(BasicBlock b) {
        if (b.terminator instanceof Terminator.Guarded g) b.terminator = new Terminator.Jump(g.normal);
    }

    /** Callee values to caller values: the entry's parameters are the call's arguments, every other value is new. */
    private static int[] valueMap(IrFunction f, IrFunction callee, Instruction call) {
        int[] map = new int[callee.valueCount()];
        BasicBlock entry = callee.entry();
        for (int p = 0; p < entry.params.length; p++) map[entry.params[p]] = call.arg(p);
        for (BasicBlock cb : callee.blocks) {
            for (Instruction i : cb.instructions) for (int r = 0; r < i.resultCount(); r++) map[i.result(r)] = f.newValue(callee.typeOf(i.result(r)));
        }
        return map;
    }

    private static ValType[] types(IrFunction g, int[] values) {
        ValType[] t = new ValType[values.length];
        for (int k = 0; k < values.length; k++) t[k] = g.typeOf(values[k]);
        return t;
    }

    private static Instruction copy(Instruction i, int[] map, int wasmOffset) {
        return new Instruction(i.op, mapped(i.args(), map), mapped(i.results(), map), i.imm, i.imm2(), wasmOffset);
    }

    private static Terminator copy(Terminator t, int[] map, Map<Integer, BasicBlock> copies, BasicBlock cont) {
        return switch (t) {
            case Terminator.Jump j -> new Terminator.Jump(copy(j.target, map, copies));
            case Terminator.Branch br -> new Terminator.Branch(map[br.condition], copy(br.ifTrue, map, copies), copy(br.ifFalse, map, copies));
            case Terminator.Switch s -> {
                Edge[] targets = new Edge[s.targets.length];
                for (int k = 0; k < targets.length; k++) targets[k] = copy(s.targets[k], map, copies);
                yield new Terminator.Switch(map[s.index], targets, copy(s.defaultTarget, map, copies));
            }
            case Terminator.Return r -> new Terminator.Jump(new Edge(cont, mapped(r.values, map)));
            default -> throw new IllegalStateException("an inlined callee ends a block with " + t.getClass().getSimpleName());
        };
    }

    private static Edge copy(Edge e, int[] map, Map<Integer, BasicBlock> copies) {
        return new Edge(copies.get(e.target.id), mapped(e.args, map));
    }

    private static int[] mapped(int[] values, int[] map) {
        int[] out = new int[values.length];
        for (int k = 0; k < values.length; k++) out[k] = map[values[k]];
        return out;
    }
}
