package dev.kiln.backend.x64;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Terminator;
import dev.kiln.frontend.Opcode;

import java.util.ArrayList;
import java.util.List;

/**
 * The x86-64 terminators the shared driver leaves to the ISA: branches (fused with an integer or
 * float comparison that only feeds them) and br_table through a jump table.
 */
final class X64ControlLowering {
    private X64ControlLowering() {
    }

    /** True when a comparison feeding only a branch is folded into it (the flags it sets decide the branch). */
    static boolean fusesWithBranch(Opcode op) {
        if (X64IntegerLowering.condition(op) != null) return true;
        return switch (op) {
            case F32_LT, F32_GT, F32_LE, F32_GE, F64_LT, F64_GT, F64_LE, F64_GE, I32_EQZ, I64_EQZ -> true;
            default -> false;
        };
    }

    /** A two-way branch: on the fused comparison's flags, or on the condition value being nonzero. */
    static void branch(X64Function fn, Terminator.Branch br, Instruction fused, BasicBlock t, BasicBlock f, BasicBlock next) {
        X64Assembler asm = fn.asm;
        Condition taken = fused != null ? fusedCondition(fn, fused) : testCondition(fn, br.condition);
        if (t == next) {
            asm.jcc(taken.invert(), fn.block(f));
        } else {
            asm.jcc(taken, fn.block(t));
            if (f != next) asm.jmp(fn.block(f));
        }
    }

    /** br_table: a bounds check to the default, then an indirect jump through a table of rel32 offsets. */
    static void tableSwitch(X64Function fn, Terminator.Switch s) {
        X64Assembler asm = fn.asm;
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

    static Condition testCondition(X64Function fn, int cond) {
        fn.asm.alu(AluOp.CMP, Width.DWORD, fn.iop(cond), 0);
        return Condition.NE;
    }

    /** Sets the flags for the fused comparison {@code cmp}; returns the condition under which it holds. */
    static Condition fusedCondition(X64Function fn, Instruction cmp) {
        Condition c = X64IntegerLowering.condition(cmp.op);
        if (c != null) {
            X64IntegerLowering.compareInto(fn, cmp.arg(0), cmp.arg(1), X64IntegerLowering.width(cmp.op));
            return c;
        }
        return switch (cmp.op) {
            case I32_EQZ, I64_EQZ -> {
                fn.asm.alu(AluOp.CMP, X64IntegerLowering.width(cmp.op), fn.iop(cmp.arg(0)), 0);
                yield Condition.E;
            }
            default -> X64FloatLowering.compareFlags(fn, cmp.op, cmp.arg(0), cmp.arg(1));
        };
    }
}
