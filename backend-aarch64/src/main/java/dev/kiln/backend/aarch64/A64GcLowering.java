package dev.kiln.backend.aarch64;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.GcLowering;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.RuntimeHelper;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.regalloc.Location;

import static dev.kiln.backend.aarch64.A64Function.FSCRATCH;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH2;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH3;
import static dev.kiln.backend.aarch64.A64Function.VMCTX;
import static dev.kiln.backend.aarch64.GeneralRegister.X0;

/**
 * GC instructions on AArch64 ({@link GcLowering} says which are inline; the word encoding is
 * {@code dev.kiln.interpreter.gc.GcRefs}'s, an i31 being {@code value << 1 | 1}). The others call
 * the GC helper with their operands in the execution state's return area.
 */
final class A64GcLowering {
    private A64GcLowering() {
    }

    static void lower(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        switch (i.op) {
            case ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY -> fn.iput(i.result(), fn.iget(i.args[0], SCRATCH)); // the same word
            case REF_EQ -> {
                asm.cmp(fn.iget(i.args[0], SCRATCH), fn.iget(i.args[1], SCRATCH2));
                A64IntegerLowering.setFlagResult(fn, i.result(), Condition.EQ);
            }
            case REF_I31 -> { // a 32-bit shift drops bit 31 and zero-extends
                GeneralRegister s = fn.iget(i.args[0], SCRATCH);
                GeneralRegister d = fn.idst(i.result(), SCRATCH);
                asm.lsl(d.w(), s.w(), 1);
                asm.orr(d.w(), d.w(), 1);
                fn.iput(i.result(), d);
            }
            case I31_GET_S, I31_GET_U -> {
                GeneralRegister s = fn.iget(i.args[0], SCRATCH);
                asm.cbz(s, fn.trap(TrapKind.NULL_I31_REFERENCE, i.wasmOffset));
                GeneralRegister d = fn.idst(i.result(), SCRATCH);
                // bits 1..31 hold the value, bit 31 its sign
                if (i.op == Opcode.I31_GET_S) asm.asr(d.w(), s.w(), 1);
                else asm.lsr(d.w(), s.w(), 1);
                fn.iput(i.result(), d);
            }
            default -> helper(fn, i);
        }
    }

    /** The GC helper: operands into the return area's slots, {@code helper(vmctx, opcode, imm, imm2, nargs | nres << 32, GC)}, the result from slot 0. */
    private static void helper(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        GeneralRegister state = SCRATCH2;
        asm.ldr(state, Address.offset(VMCTX, VmContextLayout.STATE));
        for (int k = 0; k < i.args.length; k++) {
            int v = i.args[k];
            ValType t = fn.type(v);
            long offset = ExecutionStateLayout.returnSlot(k);
            if (A64RegisterFile.isFloat(t)) {
                VectorRegister r = fn.fget(v, FSCRATCH);
                asm.str(A64Function.spillView(r, t), fn.field(state, offset, t == ValType.V128 ? 16 : 8, SCRATCH3));
            } else {
                asm.str(fn.iget(v, SCRATCH), fn.field(state, offset, 8, SCRATCH3));
            }
        }
        int nres = i.results.length;
        asm.mov(GeneralRegister.X1, i.op.ordinal());
        asm.mov(GeneralRegister.X2, i.imm);
        asm.mov(GeneralRegister.X3, i.imm2);
        asm.mov(GeneralRegister.X4, (long) nres << 32 | i.args.length);
        asm.mov(GeneralRegister.W5, RuntimeHelper.GC.ordinal());
        asm.mov(X0, VMCTX);
        asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.helper(RuntimeHelper.GC)));
        int returnOffset = fn.call(() -> asm.blr(SCRATCH));
        fn.callSite(returnOffset, i.wasmOffset);
        fn.checkTrapAfterCall(i.wasmOffset);
        if (nres == 0 || fn.location(i.result()) == Location.NONE) return;
        int r = i.result();
        ValType t = fn.type(r);
        asm.ldr(state, Address.offset(VMCTX, VmContextLayout.STATE));
        Address slot = Address.offset(state, ExecutionStateLayout.returnSlot(0));
        if (A64RegisterFile.isFloat(t)) {
            VectorRegister d = fn.fdst(r, FSCRATCH);
            asm.ldr(d, slot);
            fn.fput(r, d);
        } else {
            GeneralRegister d = fn.idst(r, SCRATCH);
            asm.ldr(t == ValType.I32 ? d.w() : d.x(), slot);
            fn.iput(r, d);
        }
    }
}
