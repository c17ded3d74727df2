package dev.kiln.ir.pass;

import dev.kiln.ir.BackEdges;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Marks where metered code consumes fuel: the entry block (one unit per call) and each loop
 * back-edge ({@link BackEdges}: one unit per iteration), which gets a block of its own, laid out
 * right after its source, so that only the taken edge pays. The interpreter consumes fuel at the
 * same events, so a budget runs out at the same point in every tier. Run after optimisation,
 * before edge splitting, only when fuel is metered.
 */
public final class FuelPoints implements Pass {
    @Override
    public String name() {
        return "fuel-points";
    }

    @Override
    public boolean run(IrFunction f) {
        f.entry().fuelPoint = true;
        Map<Integer, Integer> at = BackEdges.positions(f.blocks);
        List<BasicBlock> layout = new ArrayList<>(f.blocks.size());
        for (int i = 0; i < f.blocks.size(); i++) {
            BasicBlock b = f.blocks.get(i);
            layout.add(b);
            for (Edge e : b.terminator.edges()) {
                if (!BackEdges.isBackEdge(at, i, e.target)) continue;
                BasicBlock point = f.newBlock();
                point.fuelPoint = true;
                point.terminator = new Terminator.Jump(new Edge(e.target, e.args));
                e.target = point;
                e.args = new int[0];
                layout.add(point);
            }
        }
        f.blocks.clear();
        f.blocks.addAll(layout);
        return true;
    }
}
