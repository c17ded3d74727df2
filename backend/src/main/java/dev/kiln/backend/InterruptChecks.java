package dev.kiln.backend;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.CallSignatures;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;
import dev.kiln.regalloc.LoweringFacts;

import java.util.ArrayDeque;
import java.util.BitSet;

/**
 * Where native code checks the interrupt flag: at most once per loop iteration and once per call
 * that can recurse, so that every path that can run without end passes a check.
 * <ul>
 *   <li>At the entry only of a function that calls a Wasm function (call, call_indirect, call_ref,
 *       a tail call) on some path from its entry that passes no loop header that checks: recursion
 *       without loops is stopped there. A function without such calls runs in bounded time between
 *       its loop headers' checks (short loops are bounded, {@code ShortLoops}), so the loop or the
 *       call chain that calls it checks for it; one whose calls all come after a check (nqueens'
 *       search loop) recurses only through that check.</li>
 *   <li>At a loop header ({@link LoweringFacts#checksInterruption}), except a header whose block
 *       ends in a jump to another header that checks: every cycle through it passes that one.
 *       Decided in block order against the headers still checking, so two such headers that
 *       jump to each other keep one check.</li>
 * </ul>
 */
final class InterruptChecks {
    private InterruptChecks() {
    }

    /** True when the function's entry checks: it calls a Wasm function before any of the loop {@code headers} that check. */
    static boolean atEntry(IrFunction f, BitSet headers) {
        BitSet seen = new BitSet();
        ArrayDeque<BasicBlock> work = new ArrayDeque<>();
        work.add(f.entry());
        seen.set(f.entry().id);
        while (!work.isEmpty()) {
            BasicBlock b = work.poll();
            if (b.terminator instanceof Terminator.ReturnCall) return true;
            for (Instruction i : b.instructions) if (CallSignatures.isCall(i.op)) return true;
            for (Edge e : b.terminator.edges()) {
                BasicBlock t = e.target;
                if (!headers.get(t.id) && !seen.get(t.id)) {
                    seen.set(t.id);
                    work.add(t);
                }
            }
        }
        return false;
    }

    /** The ids of the loop headers that check. */
    static BitSet headers(IrFunction f, LoweringFacts facts) {
        BitSet checks = new BitSet();
        for (BasicBlock b : f.blocks) if (facts.checksInterruption(b)) checks.set(b.id);
        for (BasicBlock b : f.blocks) {
            if (!checks.get(b.id) || !(b.terminator instanceof Terminator.Jump j)) continue;
            BasicBlock next = j.target.target;
            if (next != b && checks.get(next.id)) checks.clear(b.id);
        }
        return checks;
    }
}
