package dev.kiln.ir;

import java.util.Arrays;

/** The last instruction of a basic block: where control goes next. */
public sealed interface Terminator permits Terminator.Jump, Terminator.Branch, Terminator.Switch,
        Terminator.Return, Terminator.ReturnCall, Terminator.Trap, Terminator.Throw, Terminator.Guarded {

    /**
     * The outgoing edges (empty for return and trap). The array is made once per terminator and shared
     * (passes walk edges of every block many times per function): do not change it.
     */
    Edge[] edges();

    /** The edges of a terminator that has none. */
    Edge[] NO_EDGES = new Edge[0];

    /** Every handler's target, in order, after {@code first} when it is not null. */
    private static Edge[] edgesOf(Edge first, Handler[] handlers) {
        int base = first == null ? 0 : 1;
        Edge[] out = new Edge[handlers.length + base];
        if (first != null) out[0] = first;
        for (int i = 0; i < handlers.length; i++) out[base + i] = handlers[i].target();
        return out;
    }

    /** Values the terminator itself reads (not counting edge arguments). */
    int[] operands();

    /** Unconditional jump. */
    final class Jump implements Terminator {
        public final Edge target;
        private final Edge[] all;

        public Jump(Edge target) {
            this.target = target;
            this.all = new Edge[] {target};
        }

        @Override
        public Edge[] edges() {
            return all;
        }

        @Override
        public int[] operands() {
            return new int[0];
        }
    }

    /** Two-way branch on an i32: nonzero goes to {@code ifTrue}. */
    final class Branch implements Terminator {
        public int condition;
        public final Edge ifTrue;
        public final Edge ifFalse;
        private final Edge[] all;

        public Branch(int condition, Edge ifTrue, Edge ifFalse) {
            this.condition = condition;
            this.ifTrue = ifTrue;
            this.ifFalse = ifFalse;
            this.all = new Edge[] {ifTrue, ifFalse};
        }

        @Override
        public Edge[] edges() {
            return all;
        }

        @Override
        public int[] operands() {
            return new int[] {condition};
        }
    }

    /** Multi-way branch (br_table): {@code targets[index]}, or {@code defaultTarget} when out of range. */
    final class Switch implements Terminator {
        public int index;
        public final Edge[] targets;
        public final Edge defaultTarget;

        /** The targets, then the default: made once, so that walking a table of a million edges stays linear. */
        private final Edge[] all;

        public Switch(int index, Edge[] targets, Edge defaultTarget) {
            this.index = index;
            this.targets = targets;
            this.defaultTarget = defaultTarget;
            this.all = Arrays.copyOf(targets, targets.length + 1);
            all[targets.length] = defaultTarget;
        }

        /** Every edge, the default last. */
        @Override
        public Edge[] edges() {
            return all;
        }

        @Override
        public int[] operands() {
            return new int[] {index};
        }
    }

    /** Return from the function with these values. */
    final class Return implements Terminator {
        public int[] values;

        public Return(int[] values) {
            this.values = values;
        }

        @Override
        public Edge[] edges() {
            return NO_EDGES;
        }

        @Override
        public int[] operands() {
            return values;
        }
    }

    /**
     * A tail call (Wasm {@code return_call}, {@code return_call_indirect}, {@code return_call_ref}):
     * {@code call} is the call it makes, a {@code CALL}, {@code CALL_INDIRECT} or {@code CALL_REF}
     * instruction with its arguments and immediates (its results are never defined), and the function
     * returns whatever the callee returns. The callee's frame replaces the caller's, so a chain of tail
     * calls runs in constant stack (docs/design-changes.md, "Tail calls"), and no handler of this
     * function applies to the callee.
     */
    final class ReturnCall implements Terminator {
        public final Instruction call;

        public ReturnCall(Instruction call) {
            this.call = call;
        }

        @Override
        public Edge[] edges() {
            return NO_EDGES;
        }

        @Override
        public int[] operands() {
            return call.args();
        }
    }

    /** An unconditional trap (Wasm {@code unreachable}). */
    final class Trap implements Terminator {
        public final TrapKind kind;
        public final int wasmOffset;

        public Trap(TrapKind kind, int wasmOffset) {
            this.kind = kind;
            this.wasmOffset = wasmOffset;
        }

        @Override
        public Edge[] edges() {
            return NO_EDGES;
        }

        @Override
        public int[] operands() {
            return new int[0];
        }
    }

    /**
     * Where an exception raised at a throw or call goes inside this function: the clauses of the
     * enclosing try_table/try constructs, innermost first. A clause with {@code tag} -1 catches
     * everything. Its target is a landing block that begins with a {@code catch} instruction
     * (defining the payload and, for the _ref forms, the exnref) and is reached only from here.
     * When no clause matches, the exception leaves the function.
     */
    record Handler(int tag, Edge target) {
    }

    /** Raises an exception: {@code throw} (imm = tag, args = payload) or {@code throw_ref} (args = the exnref). */
    final class Throw implements Terminator {
        public final Instruction instruction;
        public final Handler[] handlers;
        private final Edge[] all;

        public Throw(Instruction instruction, Handler[] handlers) {
            this.instruction = instruction;
            this.handlers = handlers;
            this.all = Terminator.edgesOf(null, handlers);
        }

        @Override
        public Edge[] edges() {
            return all;
        }

        @Override
        public int[] operands() {
            return instruction.args();
        }
    }

    /**
     * Ends a block whose last instruction is a call inside a try region: control continues at
     * {@code normal} when the call returns, or at the first matching handler when it raises an
     * exception (the call's results are then undefined, and the landing blocks do not use them).
     */
    final class Guarded implements Terminator {
        public final Edge normal;
        public final Handler[] handlers;
        private final Edge[] all;

        public Guarded(Edge normal, Handler[] handlers) {
            this.normal = normal;
            this.handlers = handlers;
            this.all = Terminator.edgesOf(normal, handlers);
        }

        @Override
        public Edge[] edges() {
            return all;
        }

        @Override
        public int[] operands() {
            return new int[0];
        }
    }
}
