package dev.kiln.backend.aarch64;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Terminator;
import dev.kiln.regalloc.ParallelMoves;


import static dev.kiln.backend.aarch64.A64Function.SCRATCH;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH2;

/**
 * Block terminators: jumps with the parallel move that binds the target's parameters, branches
 * (fused with an integer or float comparison that only feeds them, else CBZ/CBNZ), br_table through
 * a table of B instructions, returns and traps. Edges with arguments leave blocks that end in a
 * jump (the IR's edge splitting sees to that), so their moves never affect another path.
 */
final class A64ControlLowering {
    private A64ControlLowering() {
    }

    /** The block's last instruction when it is a comparison used only by the block's branch. */
    static Instruction fusableCompare(A64Function fn, BasicBlock b) {
        if (!(b.terminator instanceof Terminator.Branch br) || b.instructions.isEmpty()) return null;
        Instruction last = b.instructions.get(b.instructions.size() - 1);
        if (last.results.length != 1 || last.result() != br.condition || fn.uses(br.condition) != 1) return null;
        if (A64IntegerLowering.condition(last.op) != null) return last;
        return switch (last.op) {
            case F32_EQ, F32_NE, F32_LT, F32_GT, F32_LE, F32_GE, F64_EQ, F64_NE, F64_LT, F64_GT, F64_LE, F64_GE,
                 I32_EQZ, I64_EQZ -> last;
            default -> null;
        };
    }

    static void terminator(A64Function fn, BasicBlock b, BasicBlock next, Instruction fused) {
        A64Assembler asm = fn.asm;
        switch (b.terminator) {
            case Terminator.Jump j -> {
                edgeMoves(fn, j.target);
                if (fn.destination(j.target.target) != next) asm.b(fn.block(j.target.target));
            }
            case Terminator.Branch br -> {
                BasicBlock t = fn.destination(br.ifTrue.target), f = fn.destination(br.ifFalse.target);
                if (fused != null) {
                    Condition taken = fusedCondition(fn, fused);
                    if (t == next) {
                        asm.b(taken.invert(), fn.block(f));
                    } else {
                        asm.b(taken, fn.block(t));
                        if (f != next) asm.b(fn.block(f));
                    }
                } else {
                    GeneralRegister c = fn.iget(br.condition, SCRATCH).w();
                    if (t == next) {
                        asm.cbz(c, fn.block(f));
                    } else {
                        asm.cbnz(c, fn.block(t));
                        if (f != next) asm.b(fn.block(f));
                    }
                }
            }
            case Terminator.Switch s -> {
                GeneralRegister index = fn.iget(s.index, SCRATCH).w();
                int n = s.targets.length;
                if (AddSubOp.isImmediateEncodable(n)) {
                    asm.cmp(index, n);
                } else {
                    asm.mov(SCRATCH2.w(), n);
                    asm.cmp(index, SCRATCH2.w());
                }
                asm.b(Condition.HS, fn.block(s.defaultTarget.target));
                Label table = asm.newLabel();
                asm.adr(SCRATCH2, table);
                asm.add(SCRATCH2, SCRATCH2, index, Extend.UXTW, 2);
                asm.br(SCRATCH2);
                // one B per target; no island may split the table
                asm.ensureContiguous(4 * n);
                asm.bind(table);
                for (Edge e : s.targets) asm.b(fn.block(e.target));
            }
            case Terminator.Return r -> fn.returnValues(r.values, next == null);
            case Terminator.ReturnCall rc -> A64CallLowering.tailCall(fn, rc.call);
            case Terminator.Trap t -> asm.b(fn.trap(t.kind, t.wasmOffset));
        }
    }

    private static Condition fusedCondition(A64Function fn, Instruction cmp) {
        Condition c = A64IntegerLowering.condition(cmp.op);
        if (c != null) {
            A64IntegerLowering.compareInto(fn, cmp.args[0], cmp.args[1], A64IntegerLowering.is64(cmp.op));
            return c;
        }
        return switch (cmp.op) {
            case I32_EQZ, I64_EQZ -> {
                fn.asm.cmp(fn.iget(cmp.args[0], SCRATCH).view(A64IntegerLowering.is64(cmp.op)), 0);
                yield Condition.EQ;
            }
            default -> A64FloatLowering.compareFlags(fn, cmp.op, cmp.args[0], cmp.args[1]);
        };
    }

    private static void edgeMoves(A64Function fn, Edge e) {
        if (e.args.length > 0) fn.parallelMove(ParallelMoves.forEdge(e, fn::location, fn::type));
    }
}
