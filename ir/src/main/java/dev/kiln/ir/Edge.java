package dev.kiln.ir;

/** A control-flow edge: the target block and the values passed to its parameters. */
public final class Edge {
    public BasicBlock target;
    public int[] args;

    public Edge(BasicBlock target, int[] args) {
        this.target = target;
        this.args = args;
    }

    /** Argument {@code k} (the value passed to the target's parameter k). */
    public int arg(int k) {
        return args[k];
    }

    public int argCount() {
        return args.length;
    }

    public void setArg(int k, int v) {
        args[k] = v;
    }
}
