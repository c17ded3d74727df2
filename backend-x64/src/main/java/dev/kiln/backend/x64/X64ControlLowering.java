package dev.kiln.backend.x64;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Terminator;
import dev.kiln.regalloc.ParallelMoves;

import java.util.ArrayList;
import java.util.List;

/**
 * Block terminators: jumps with the parallel move that binds the target's parameters, branches
 * (fused with an integer or float comparison that only feeds them), br_table through a jump
 * table, returns and traps. Edges with arguments leave blocks that end in a jump (the IR's edge
 * splitting sees to that), so their moves never affect another path.
 */
final class X64ControlLowering {
    private X64ControlLowering() {
    }

    /** The block's last instruction when it is a comparison used only by the block's branch. */
    static Instruction fusableCompare(X64Function fn, BasicBlock b) {
        if (!(b.terminator instanceof Terminator.Branch br) || b.instructions.isEmpty()) return null;
        Instruction last = b.instructions.get(b.instructions.size() - 1);
        if (last.results.length != 1 || last.result() != br.condition || fn.uses(br.condition) != 1) return null;
        if (X64IntegerLowering.condition(last.op) != null) return last;
        return switch (last.op) {
            case F32_LT, F32_GT, F32_LE, F32_GE, F64_LT, F64_GT, F64_LE, F64_GE, I32_EQZ, I64_EQZ -> last;
            default -> null;
        };
    }

    static void terminator(X64Function fn, BasicBlock b, BasicBlock next, Instruction fused) {
        X64Assembler asm = fn.asm;
        switch (b.terminator) {
            case Terminator.Jump j -> {
                edgeMoves(fn, j.target);
                if (fn.destination(j.target.target) != next) asm.jmp(fn.block(j.target.target));
            }
            case Terminator.Branch br -> {
                Condition taken = fused != null ? fusedCondition(fn, fused) : testCondition(fn, br.condition);
                BasicBlock t = fn.destination(br.ifTrue.target), f = fn.destination(br.ifFalse.target);
                if (t == next) {
                    asm.jcc(taken.invert(), fn.block(f));
                } else {
                    asm.jcc(taken, fn.block(t));
                    if (f != next) asm.jmp(fn.block(f));
                }
            }
            case Terminator.Switch s -> {
                List<Label> targets = new ArrayList<>();
                for (Edge e : s.targets) targets.add(fn.block(e.target));
                asm.mov(Width.DWORD, Gpr.RAX, fn.iop(s.index));
                asm.alu(AluOp.CMP, Width.DWORD, Gpr.RAX, s.targets.length);
                asm.jcc(Condition.AE, fn.block(s.defaultTarget.target));
                Label table = asm.jumpTable(targets);
                asm.lea(Width.QWORD, X64Function.SCRATCH, MemoryOperand.rip(table));
                asm.movsx(Width.QWORD, Gpr.RAX, Width.DWORD, MemoryOperand.mem(X64Function.SCRATCH, Gpr.RAX, 4, 0));
                asm.alu(AluOp.ADD, Width.QWORD, Gpr.RAX, X64Function.SCRATCH);
                asm.jmp(Gpr.RAX);
            }
            case Terminator.Return r -> fn.returnValues(r.values);
            case Terminator.ReturnCall rc -> X64CallLowering.tailCall(fn, rc.call);
            case Terminator.Trap t -> asm.jmp(fn.trap(t.kind, t.wasmOffset));
        }
    }

    private static Condition testCondition(X64Function fn, int cond) {
        fn.asm.alu(AluOp.CMP, Width.DWORD, fn.iop(cond), 0);
        return Condition.NE;
    }

    private static Condition fusedCondition(X64Function fn, Instruction cmp) {
        Condition c = X64IntegerLowering.condition(cmp.op);
        if (c != null) {
            X64IntegerLowering.compareInto(fn, cmp.args[0], cmp.args[1], X64IntegerLowering.width(cmp.op));
            return c;
        }
        return switch (cmp.op) {
            case I32_EQZ, I64_EQZ -> {
                fn.asm.alu(AluOp.CMP, X64IntegerLowering.width(cmp.op), fn.iop(cmp.args[0]), 0);
                yield Condition.E;
            }
            default -> X64FloatLowering.compareFlags(fn, cmp.op, cmp.args[0], cmp.args[1]);
        };
    }

    private static void edgeMoves(X64Function fn, Edge e) {
        if (e.args.length > 0) fn.parallelMove(ParallelMoves.forEdge(e, fn::location, fn::type));
    }
}
