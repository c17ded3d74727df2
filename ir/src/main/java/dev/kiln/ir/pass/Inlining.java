package dev.kiln.ir.pass;

import dev.kiln.frontend.FunctionBody;
import dev.kiln.frontend.InstructionReader;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.WasmReader;
import dev.kiln.ir.BackEdges;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.CallSignatures;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrBuilder;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Inlining in native code: a {@code call} to a function defined in the same module whose prepared
 * IR is small ({@link #MAX_CALLEE_INSTRUCTIONS}, or {@link #MAX_SINGLE_SITE_INSTRUCTIONS} for a
 * function called from one place only and never named otherwise) and has no loop is replaced by a
 * copy of the callee's blocks. A one-block callee is spliced into the calling block; a larger one is
 * laid out between the calling block and a new block that takes the call's results as parameters,
 * so the layout's back-edges (loops, fuel and interruption points) stay as they were.
 *
 * <p>The copies keep where they came from ({@link InlineSites}): a trap or a call inside inlined
 * code reports the inlined frames as the interpreter would. The callee may trap; it may call or
 * throw only at its only call site (a wrapper around a call copied to each of its callers grew
 * SQLite's code by a sixth and ran no faster: docs/design-changes.md). Calls in copied code are
 * inlined in turn (up to {@link #MAX_DEPTH} deep, never into a copy of the same function). A callee that calls or throws is not inlined at a call in a try region (its calls
 * would need the caller's handlers), nor one with a try region or a tail call of its own. No callee
 * with a loop: its interruption checks would be the caller's. Not when fuel is metered (the callee's
 * entry consumes a unit). The caller grows by at most {@link #MIN_GROWTH_CAP} instructions or its
 * own size, and builds the IR of at most one callee per {@link #INSTRUCTIONS_PER_BUILD} of its own
 * instructions.
 */
public final class Inlining {
    /** The largest callee inlined (instructions of its prepared IR, terminators included). */
    static final int MAX_CALLEE_INSTRUCTIONS = 40;
    /** The largest callee inlined when the call is its only one in the module and nothing else names it. */
    static final int MAX_SINGLE_SITE_INSTRUCTIONS = 200;
    /** The most inlined frames around a copied instruction. */
    public static final int MAX_DEPTH = 4;
    /**
     * The most instructions inlining adds to one caller: this many, or as many as the caller has
     * (a cap that bites in the middle of a long caller would make compile time and code size jump
     * where the caller grows past it).
     */
    static final int MIN_GROWTH_CAP = 2_000;
    /** Callees whose body has more Wasm instructions than twice their IR cap are not even built. */
    private static final int WASM_INSTRUCTIONS_PER_IR = 2;
    /**
     * Callees built per instruction of the caller (and {@link #MIN_BUILDS} at least): building the IR
     * of callees that turn out not to qualify then costs at most a few times what the caller itself
     * costs, however many distinct small functions it calls.
     */
    private static final int INSTRUCTIONS_PER_BUILD = 16;
    private static final int MIN_BUILDS = 4;

    private final ValidatedModule module;
    /** Each callee looked at, by function index: what inlining needs to know of it, or null when it cannot be inlined. */
    private final Map<Integer, Callee> callees = new HashMap<>();
    /** How many more callees {@link #callee} may build for the function being inlined into. */
    private int builds;

    /** A callee that may be inlined: its prepared IR, and whether it calls or throws. */
    private record Callee(IrFunction ir, boolean calls) {
    }

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
                if (call.op != Opcode.CALL || call.wasmOffset == -1) continue;
                if (grown >= cap) break;
                int index = (int) call.imm;
                if (index == f.index || f.inlineSites.depth(call.wasmOffset) >= MAX_DEPTH
                        || f.inlineSites.inlinedFrom(call.wasmOffset, index)) continue;
                Callee callee = callee(index);
                if (callee == null || grown + callee.ir.instructionCount() > cap) continue;
                boolean guarded = k == b.instructions.size() - 1 && b.terminator instanceof Terminator.Guarded;
                if (guarded && callee.calls) continue;
                grown += callee.ir.instructionCount();
                changed = true;
                if (callee.ir.blocks.size() == 1 && callee.ir.entry().terminator instanceof Terminator.Return) {
                    splice(f, b, k, callee.ir, renames);
                    k--; // the copy's own calls come next
                } else {
                    expand(f, bi, k, callee.ir);
                    break; // the rest of the block moved to the continuation, visited after the copied blocks
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

    /** What inlining needs to know of function {@code index} when a call to it can be inlined, else null. */
    private Callee callee(int index) {
        if (index < module.module().importedFunctionCount()) return null;
        if (callees.containsKey(index)) return callees.get(index);
        if (builds == 0) return null;
        boolean onlySite = module.directCallSites(index) == 1 && !module.isDeclaredFunctionRef(index);
        int cap = onlySite ? MAX_SINGLE_SITE_INSTRUCTIONS : MAX_CALLEE_INSTRUCTIONS;
        Callee c = null;
        if (module.functionInfo(index).instructionCount() <= WASM_INSTRUCTIONS_PER_IR * cap && mayQualify(index)) {
            builds--;
            IrFunction g = IrBuilder.build(module, index);
            Optimizer.optimize(g);
            boolean calls = callsOrThrows(g);
            if (g.instructionCount() <= cap && canBeCopied(g) && BackEdges.headers(g).isEmpty() && (onlySite || !calls)) c = new Callee(g, calls);
        }
        callees.put(index, c);
        return c;
    }

    /**
     * False when the Wasm body of function {@code index} has an instruction that keeps its IR from
     * qualifying (a loop, a try region, a tail call): read without building the IR.
     */
    private boolean mayQualify(int index) {
        FunctionBody body = module.module().body(index);
        InstructionReader in = new InstructionReader(new WasmReader(module.module().bytes(), body.codeStart(), body.codeEnd()));
        while (!in.atEnd()) {
            switch (in.next()) {
                case LOOP, TRY, TRY_TABLE, DELEGATE, RETHROW, RETURN_CALL, RETURN_CALL_INDIRECT, RETURN_CALL_REF -> {
                    return false;
                }
                default -> {
                }
            }
        }
        return true;
    }

    /**
     * True when the blocks of {@code g} can be copied into another function: they end in jumps,
     * branches, br_tables, returns, traps, or throws without handlers here, and no instruction
     * takes a caught exception.
     */
    static boolean canBeCopied(IrFunction g) {
        for (BasicBlock b : g.blocks) {
            for (Instruction i : b.instructions) if (i.op == Opcode.CATCH) return false;
            boolean copied = switch (b.terminator) {
                case Terminator.Jump j -> true;
                case Terminator.Branch br -> true;
                case Terminator.Switch s -> true;
                case Terminator.Return r -> true;
                case Terminator.Trap t -> true;
                case Terminator.Throw t -> t.handlers.length == 0;
                default -> false;
            };
            if (!copied) return false;
        }
        return true;
    }

    /** True when {@code g} calls or throws: inlined at a call in a try region, that would need the caller's handlers. */
    private static boolean callsOrThrows(IrFunction g) {
        for (BasicBlock b : g.blocks) {
            if (b.terminator instanceof Terminator.Throw) return true;
            for (Instruction i : b.instructions) if (CallSignatures.isCall(i.op)) return true;
        }
        return false;
    }

    /**
     * Replaces the call at {@code b.instructions[k]} by the one block of {@code callee}, which returns.
     * The call's results are renamed to the returned values.
     */
    private static void splice(IrFunction f, BasicBlock b, int k, IrFunction callee, List<int[]> renames) {
        Instruction call = b.instructions.get(k);
        int[] map = valueMap(f, callee, call);
        BasicBlock body = callee.entry();
        List<Instruction> copied = new ArrayList<>(body.instructions.size());
        for (Instruction i : body.instructions) copied.add(copy(f, callee, i, map, call.wasmOffset));
        b.instructions.remove(k);
        b.instructions.addAll(k, copied);
        int[] returned = ((Terminator.Return) body.terminator).values;
        for (int r = 0; r < returned.length; r++) renames.add(new int[] {call.result(r), map[returned[r]]});
        if (k + copied.size() == b.instructions.size()) unguard(b);
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
            for (Instruction i : cb.instructions) nb.instructions.add(copy(f, callee, i, map, call.wasmOffset));
            nb.terminator = copy(f, callee, cb.terminator, map, copies, cont, call.wasmOffset);
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

    /** A copy of {@code callee}'s instruction {@code i} for a call at location {@code callLocation} of {@code f}. */
    private static Instruction copy(IrFunction f, IrFunction callee, Instruction i, int[] map, int callLocation) {
        return new Instruction(i.op, mapped(i.args(), map), mapped(i.results(), map), i.imm, i.imm2(),
                f.inlineSites.inline(callee.index, callee.inlineSites, i.wasmOffset, callLocation));
    }

    private static Terminator copy(IrFunction f, IrFunction callee, Terminator t, int[] map, Map<Integer, BasicBlock> copies,
                                   BasicBlock cont, int callLocation) {
        return switch (t) {
            case Terminator.Trap trap -> new Terminator.Trap(trap.kind,
                    f.inlineSites.inline(callee.index, callee.inlineSites, trap.wasmOffset, callLocation));
            case Terminator.Throw th -> new Terminator.Throw(copy(f, callee, th.instruction, map, callLocation), th.handlers);
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
