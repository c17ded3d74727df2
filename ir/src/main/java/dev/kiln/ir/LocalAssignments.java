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
 * Pre-scan for SSA construction: for every block, loop, if, try_table and try of a function
 * (numbered in order of appearance), the locals assigned anywhere inside it. Only those locals can
 * differ between the edges that meet at the construct's merge point, loop header or catch body,
 * so only they become block parameters there. For a legacy {@code try} it also records what its
 * body's exceptions meet later in the code: its catch clauses' tags (-1 for catch_all), or the
 * label of its {@code delegate}. One pass, no recursion.
 */
final class LocalAssignments {
    /** What the scan found for one construct. {@code delegateLabel} is -1 unless the try ends in delegate. */
    record Construct(int[] assigned, int[] catchTags, long delegateLabel) {
    }

    private LocalAssignments() {
    }

    static Construct[] scan(Module m, FunctionBody body) {
        List<Construct> done = new ArrayList<>();
        List<BitSet> open = new ArrayList<>();
        List<Integer> openIndex = new ArrayList<>();
        List<List<Integer>> openCatches = new ArrayList<>();
        InstructionReader in = new InstructionReader(new WasmReader(m.bytes(), body.codeStart(), body.codeEnd()));
        while (!in.atEnd()) {
            Opcode op = in.next();
            switch (op) {
                case BLOCK, LOOP, IF, TRY, TRY_TABLE -> {
                    openIndex.add(done.size());
                    done.add(null);
                    open.add(new BitSet());
                    openCatches.add(new ArrayList<>());
                }
                case CATCH -> openCatches.get(openCatches.size() - 1).add(in.index());
                case CATCH_ALL -> openCatches.get(openCatches.size() - 1).add(-1);
                case LOCAL_SET, LOCAL_TEE -> {
                    if (!open.isEmpty()) open.get(open.size() - 1).set(in.index());
                }
                case END, DELEGATE -> {
                    if (!open.isEmpty()) {
                        BitSet set = open.remove(open.size() - 1);
                        int idx = openIndex.remove(openIndex.size() - 1);
                        int[] tags = openCatches.remove(openCatches.size() - 1).stream().mapToInt(Integer::intValue).toArray();
                        done.set(idx, new Construct(set.stream().toArray(), tags, op == Opcode.DELEGATE ? in.indexUnsigned() : -1));
                        if (!open.isEmpty()) open.get(open.size() - 1).or(set);
                    }
                }
                default -> { }
            }
        }
        return done.toArray(new Construct[0]);
    }
}
