package dev.kiln.regalloc;

import dev.kiln.frontend.ValType;
import dev.kiln.ir.Edge;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * Sequentialises a parallel move (all sources read before any destination is written), as needed
 * where an edge binds block parameters. Moves whose destination no other pending move reads go
 * first; a cycle is broken by saving one source in a scratch location of its register class.
 */
public final class ParallelMoves {
    /** One move of a value of {@code type} from {@code from} to {@code to} ({@link Location}s). */
    public record Move(int from, int to, ValType type) {
    }

    /** Supplies the scratch location for breaking cycles in a register class. */
    @FunctionalInterface
    public interface Scratch {
        int locationFor(ValType type);
    }

    private ParallelMoves() {
    }

    /**
     * The moves that bind {@code e}'s target block parameters to its arguments: from each
     * argument's location at the edge ({@code source}) to its parameter's ({@code location}), leaving
     * out parameters with no location (unused). An argument whose home location ({@code location})
     * is its parameter's needs no move, even where it is read from a head register
     * ({@link Allocation#head}): its definition stored it home.
     */
    public static List<Move> forEdge(Edge e, IntUnaryOperator location, IntUnaryOperator source,
                                     IntFunction<ValType> type) {
        List<Move> moves = new ArrayList<>(e.argCount());
        for (int k = 0; k < e.argCount(); k++) {
            int to = location.applyAsInt(e.target.params[k]);
            if (to == Location.NONE || to == location.applyAsInt(e.arg(k))) continue;
            moves.add(new Move(source.applyAsInt(e.arg(k)), to, type.apply(e.arg(k))));
        }
        return moves;
    }

    public static List<Move> sequence(List<Move> parallel, Scratch scratch) {
        List<Move> pending = new ArrayList<>();
        for (Move m : parallel) if (m.from != m.to) pending.add(m);
        List<Move> out = new ArrayList<>(pending.size() + 1);
        while (!pending.isEmpty()) {
            boolean progress = false;
            for (int i = 0; i < pending.size(); i++) {
                Move m = pending.get(i);
                if (!isRead(pending, m.to, i)) {
                    out.add(m);
                    pending.remove(i--);
                    progress = true;
                }
            }
            if (!progress) {
                // every pending destination is read by another move: a cycle. Save one source.
                Move m = pending.get(0);
                int tmp = scratch.locationFor(m.type);
                out.add(new Move(m.from, tmp, m.type));
                for (int i = 0; i < pending.size(); i++) {
                    Move p = pending.get(i);
                    if (p.from == m.from) pending.set(i, new Move(tmp, p.to, p.type));
                }
            }
        }
        return out;
    }

    private static boolean isRead(List<Move> pending, int location, int except) {
        for (int i = 0; i < pending.size(); i++) {
            if (i != except && pending.get(i).from == location) return true;
        }
        return false;
    }
}
