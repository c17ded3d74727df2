package dev.kiln.ir.pass;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.ControlFlowGraph;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;

import java.util.Arrays;
import java.util.List;

/**
 * Dead-code elimination: removes blocks that cannot be reached from the entry, then every pure
 * instruction and every block parameter whose value is never needed. Liveness starts at side
 * effects (stores, calls, possible traps) and terminator operands and flows backwards through
 * instruction operands and, for a live block parameter, through the arguments every incoming edge
 * passes for it. A worklist, no recursion.
 */
public final class DeadCodeElimination implements Pass {
    @Override
    public String name() {
        return "dead-code-elimination";
    }

    @Override
    public boolean run(IrFunction f) {
        boolean changed = removeUnreachable(f);
        int n = f.valueCount();
        // where each value is defined: instruction, or parameter (block, index), one array per value
        // and the few parameters apart
        Instruction[] defInst = new Instruction[n];
        int params = 0;
        for (BasicBlock b : f.blocks) params += b.params.length;
        int[] paramOf = new int[n]; // 1 + the parameter's number in paramBlock/paramIndex, 0 for other values
        BasicBlock[] paramBlock = new BasicBlock[params];
        int[] paramIndex = new int[params];
        params = 0;
        for (BasicBlock b : f.blocks) {
            for (int k = 0; k < b.params.length; k++) {
                paramBlock[params] = b;
                paramIndex[params] = k;
                paramOf[b.params[k]] = ++params;
            }
            for (Instruction i : b.instructions) for (int k = 0; k < i.resultCount(); k++) defInst[i.result(k)] = i;
        }
        List<List<Edge>> incoming = BlockParameters.incomingEdges(f);
        boolean[] live = new boolean[n];
        int[] work = new int[Math.max(16, n)];
        int wp = 0;
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                if (!i.isPure()) {
                    for (int kA = 0; kA < i.argCount(); kA++) { int a = i.arg(kA); if (!live[a]) { live[a] = true; work[wp++] = a; } }
                }
            }
            for (int v : b.terminator.operands()) if (!live[v]) { live[v] = true; work[wp++] = v; }
        }
        for (int p : f.entry().params) live[p] = true; // function parameters always stay
        while (wp > 0) {
            int v = work[--wp];
            Instruction i = defInst[v];
            if (i != null) {
                for (int kA = 0; kA < i.argCount(); kA++) { int a = i.arg(kA); if (!live[a]) { live[a] = true; work[wp++] = a; } }
            } else if (paramOf[v] != 0) {
                int k = paramIndex[paramOf[v] - 1];
                for (Edge e : incoming.get(paramBlock[paramOf[v] - 1].id)) {
                    int a = e.arg(k);
                    if (!live[a]) { live[a] = true; work[wp++] = a; }
                }
            }
            if (wp == work.length) work = Arrays.copyOf(work, wp * 2);
        }
        for (BasicBlock b : f.blocks) {
            changed |= b.instructions.removeIf(i -> i.isPure() && !anyLive(i, live));
            if (b == f.entry()) continue;
            boolean[] remove = new boolean[b.params.length];
            boolean any = false;
            for (int k = 0; k < b.params.length; k++) {
                if (!live[b.params[k]]) {
                    remove[k] = true;
                    any = true;
                }
            }
            if (any) {
                BlockParameters.removeParams(b, remove, incoming.get(b.id));
                changed = true;
            }
        }
        return changed;
    }

    private static boolean anyLive(Instruction i, boolean[] live) {
        for (int k = 0; k < i.resultCount(); k++) if (live[i.result(k)]) return true;
        return false;
    }

    private static boolean removeUnreachable(IrFunction f) {
        ControlFlowGraph cfg = new ControlFlowGraph(f);
        return f.blocks.removeIf(b -> !cfg.isReachable(b));
    }
}
