package dev.kiln.backend.aarch64;

import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Terminator;
import dev.kiln.frontend.Opcode;


import static dev.kiln.backend.aarch64.A64Function.SCRATCH;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH2;

/**
 * The AArch64 terminators the shared driver leaves to the ISA: branches (fused with an integer or
 * float comparison that only feeds them, else CBZ/CBNZ) and br_table through a table of B
 * instructions.
 */
final class A64ControlLowering {
    private A64ControlLowering() {
    }

    /** True when a comparison feeding only a branch is folded into it (the flags it sets decide the branch). */
    static boolean fusesWithBranch(Opcode op) {
        if (A64IntegerLowering.condition(op) != null) return true;
        return switch (op) {
            case F32_EQ, F32_NE, F32_LT, F32_GT, F32_LE, F32_GE, F64_EQ, F64_NE, F64_LT, F64_GT, F64_LE, F64_GE,
                 I32_EQZ, I64_EQZ -> true;
            default -> false;
        };
    }

    /** A two-way branch: on the fused comparison's flags, or CBZ/CBNZ on the condition value. */
    static void branch(A64Function fn, Terminator.Branch br, Instruction fused, BasicBlock t, BasicBlock f, BasicBlock next) {
        A64Assembler asm = fn.asm;
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

    /** br_table: a bounds check to the default, then a branch into a table of B instructions. */
    static void tableSwitch(A64Function fn, Terminator.Switch s) {
        A64Assembler asm = fn.asm;
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

    /** Sets the flags for the fused comparison {@code cmp}; returns the condition under which it holds. */
    static Condition fusedCondition(A64Function fn, Instruction cmp) {
        Condition c = A64IntegerLowering.condition(cmp.op);
        if (c != null) {
            A64IntegerLowering.compareInto(fn, cmp.arg(0), cmp.arg(1), A64IntegerLowering.is64(cmp.op));
            return c;
        }
        return switch (cmp.op) {
            case I32_EQZ, I64_EQZ -> {
                fn.asm.cmp(fn.iget(cmp.arg(0), SCRATCH).view(A64IntegerLowering.is64(cmp.op)), 0);
                yield Condition.EQ;
            }
            default -> A64FloatLowering.compareFlags(fn, cmp.op, cmp.arg(0), cmp.arg(1));
        };
    }
}
