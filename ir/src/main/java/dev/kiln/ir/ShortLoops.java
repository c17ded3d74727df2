package dev.kiln.ir;

import dev.kiln.frontend.Opcode;

import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The loop headers whose loop ends by itself within {@link #MAX_TRIPS} iterations of a body that
 * takes bounded time, so native code needs no interruption check there (the enclosing loop's header
 * or the function's entry still checks, at most {@code MAX_TRIPS} iterations later). A short loop:
 * <ul>
 *   <li>is one block (the header), its back edge straight from it or through an empty block that
 *       only it reaches (edge splitting makes those), and no other back edge leads to it;</li>
 *   <li>has only instructions of bounded time: numeric, SIMD, memory accesses, constants, globals,
 *       select (no call, no bulk memory or table operation, no memory.grow, no GC allocation);</li>
 *   <li>continues while {@code p + c1 <u B} (or {@code <=u}), where {@code p} is a parameter of the
 *       header that the back edge passes as {@code p + c2}, with constants {@code c1}, {@code 0 < c2}
 *       and {@code B <= 2^32 - c2}: then {@code p + c1} grows by {@code c2} per iteration without
 *       wrapping while the loop goes on, so it runs at most {@code B / c2 + 1} times, which must not
 *       exceed {@link #MAX_TRIPS}.</li>
 * </ul>
 * Interruption stays prompt: such a loop runs at most 65 536 iterations of straight-line code.
 */
public final class ShortLoops {
    /** The most iterations a loop without a check of its own may run. */
    public static final long MAX_TRIPS = 1 << 16;

    private ShortLoops() {
    }

    /** The ids of the short loops' headers. */
    public static BitSet headers(IrFunction f) {
        Map<Integer, Integer> at = BackEdges.positions(f.blocks);
        Map<Integer, Integer> predecessors = new HashMap<>();
        Map<Integer, Integer> backEdges = new HashMap<>();
        for (int i = 0; i < f.blocks.size(); i++) {
            BasicBlock b = f.blocks.get(i);
            for (Edge e : b.terminator.edges()) {
                predecessors.merge(e.target.id, 1, Integer::sum);
                if (BackEdges.isBackEdge(at, i, e.target)) backEdges.merge(e.target.id, 1, Integer::sum);
            }
        }
        BitSet shortLoops = new BitSet();
        if (backEdges.isEmpty()) return shortLoops;
        // one reference per value, and only when there is a loop: a map entry per instruction made a
        // long straight-line body cost ~100 MB here
        Instruction[] byValue = new Instruction[f.valueCount()];
        for (BasicBlock b : f.blocks) {
            for (Instruction ins : b.instructions) if (ins.resultCount() == 1) byValue[ins.result()] = ins;
        }
        for (BasicBlock h : f.blocks) {
            if (backEdges.getOrDefault(h.id, 0) == 1 && isShort(h, predecessors, byValue)) shortLoops.set(h.id);
        }
        return shortLoops;
    }

    private static boolean isShort(BasicBlock h, Map<Integer, Integer> predecessors, Instruction[] definitions) {
        if (!(h.terminator instanceof Terminator.Branch br)) return false;
        for (Instruction i : h.instructions) if (!boundedTime(i.op)) return false;
        // the one back edge into h is one of the branch's edges (the other leaves the loop: any cycle through
        // it goes through another header, of a loop with more than one block, which checks)
        int[] loopArgs = loopArgs(h, br.ifTrue, predecessors);
        boolean continueOnTrue = loopArgs != null;
        if (loopArgs == null) loopArgs = loopArgs(h, br.ifFalse, predecessors);
        if (loopArgs == null) return false;
        Instruction cond = inBlock(h, definitions[br.condition]);
        if (cond == null || cond.argCount() != 2) return false;
        // the relation under which the loop goes on, as "left op right"
        Opcode op = continueOnTrue ? cond.op : negated(cond.op);
        if (op == null) return false;
        int counted;
        long bound;
        Long right = constant(definitions[cond.arg(1)]);
        Long left = constant(definitions[cond.arg(0)]);
        if (right != null && (op == Opcode.I32_LT_U || op == Opcode.I32_LE_U)) {
            counted = cond.arg(0);
            bound = op == Opcode.I32_LT_U ? right : right + 1;
        } else if (left != null && (op == Opcode.I32_GT_U || op == Opcode.I32_GE_U)) {
            counted = cond.arg(1); // C > x is x < C
            bound = op == Opcode.I32_GT_U ? left : left + 1;
        } else {
            return false;
        }
        // counted = p + c1 (or p), p a parameter of h; the back edge passes p + c2 (c1 may be any constant)
        int p = counted;
        Instruction add = inBlock(h, definitions[counted]);
        if (add != null && add.op == Opcode.I32_ADD && constant(definitions[add.arg(1)]) != null) p = add.arg(0);
        int k = indexOf(h.params, p);
        if (k < 0 || k >= loopArgs.length) return false;
        Instruction step = inBlock(h, definitions[loopArgs[k]]);
        if (step == null || step.op != Opcode.I32_ADD || step.arg(0) != p) return false;
        Long c2 = constant(definitions[step.arg(1)]);
        if (c2 == null || c2 <= 0 || bound > (1L << 32) - c2) return false;
        return bound / c2 + 1 <= MAX_TRIPS;
    }

    /** The arguments the edge passes to {@code h} when it leads straight back, or through an empty block only {@code h} reaches; else null. */
    private static int[] loopArgs(BasicBlock h, Edge e, Map<Integer, Integer> predecessors) {
        if (e.target == h) return e.args;
        BasicBlock s = e.target;
        if (s.params.length != 0 || !s.instructions.isEmpty() || predecessors.getOrDefault(s.id, 0) != 1) return null;
        if (s.terminator instanceof Terminator.Jump j && j.target.target == h) return j.target.args;
        return null;
    }

    private static Instruction inBlock(BasicBlock b, Instruction i) {
        return i != null && b.instructions.contains(i) ? i : null;
    }

    /** An i32 constant's value as an unsigned number, or null. */
    private static Long constant(Instruction i) {
        return i != null && i.op == Opcode.I32_CONST ? i.imm & 0xFFFF_FFFFL : null;
    }

    private static Opcode negated(Opcode op) {
        return switch (op) {
            case I32_LT_U -> Opcode.I32_GE_U;
            case I32_GE_U -> Opcode.I32_LT_U;
            case I32_LE_U -> Opcode.I32_GT_U;
            case I32_GT_U -> Opcode.I32_LE_U;
            default -> null;
        };
    }

    private static int indexOf(int[] values, int v) {
        for (int k = 0; k < values.length; k++) if (values[k] == v) return k;
        return -1;
    }

    /** Instructions whose time does not depend on their operands. */
    private static boolean boundedTime(Opcode op) {
        return Numerics.isScalarNumeric(op) || op.isSimd() || op.isMemoryAccess()
                || List.of(Opcode.I32_CONST, Opcode.I64_CONST, Opcode.F32_CONST, Opcode.F64_CONST, Opcode.V128_CONST,
                        Opcode.GLOBAL_GET, Opcode.GLOBAL_SET, Opcode.SELECT).contains(op);
    }
}
