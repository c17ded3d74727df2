package dev.kiln.ir;

/** A control-flow edge: the target block and the values passed to its parameters. */
public final class Edge {
    public BasicBlock target;
    public int[] args;

    public Edge(BasicBlock target, int[] args) {
        this.target = target;
        this.args = args;
    }
}
