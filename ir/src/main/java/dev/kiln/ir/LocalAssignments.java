package dev.kiln.ir;

import dev.kiln.frontend.FunctionBody;
import dev.kiln.frontend.InstructionReader;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.WasmReader;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Pre-scan for SSA construction: for every block, loop and if of a function (numbered in order of
 * appearance), the locals assigned anywhere inside it. Only those locals can differ between the
 * edges that meet at the construct's merge point or loop header, so only they become block
 * parameters there. One pass, no recursion.
 */
final class LocalAssignments {
    private LocalAssignments() {
    }

    static int[][] scan(Module m, FunctionBody body) {
        List<int[]> sets = new ArrayList<>();
        List<BitSet> open = new ArrayList<>();
        List<Integer> openIndex = new ArrayList<>();
        InstructionReader in = new InstructionReader(new WasmReader(m.bytes(), body.codeStart(), body.codeEnd()));
        while (!in.atEnd()) {
            Opcode op = in.next();
            switch (op) {
                case BLOCK, LOOP, IF -> {
                    openIndex.add(sets.size());
                    sets.add(null);
                    open.add(new BitSet());
                }
                case LOCAL_SET, LOCAL_TEE -> {
                    if (!open.isEmpty()) open.get(open.size() - 1).set(in.index());
                }
                case END -> {
                    if (!open.isEmpty()) {
                        BitSet done = open.remove(open.size() - 1);
                        int idx = openIndex.remove(openIndex.size() - 1);
                        sets.set(idx, done.stream().toArray());
                        if (!open.isEmpty()) open.get(open.size() - 1).or(done);
                    }
                }
                default -> { }
            }
        }
        return sets.toArray(new int[0][]);
    }
}
