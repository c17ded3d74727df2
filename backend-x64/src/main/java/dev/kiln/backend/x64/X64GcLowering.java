package dev.kiln.backend.x64;

import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.GcLowering;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.RuntimeHelper;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.regalloc.Location;

import static dev.kiln.backend.x64.MemoryOperand.mem;

/**
 * GC instructions on x86-64 ({@link GcLowering} says which are inline). Reference words are
 * {@code dev.kiln.interpreter.gc.GcRefs}'s: an i31 is {@code value << 1 | 1}. The others call the
 * GC helper with their operands in the execution state's return area.
 */
final class X64GcLowering {
    private X64GcLowering() {
    }

    static void lower(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        switch (i.op) {
            case ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY -> { // the same word
                Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
                asm.mov(Width.QWORD, d, fn.iop(i.args[0]));
                fn.iput(i.result(), d);
            }
            case REF_EQ -> {
                X64IntegerLowering.compareInto(fn, i.args[0], i.args[1], Width.QWORD);
                X64IntegerLowering.setFlagResult(fn, i.result(), Condition.E);
            }
            case REF_I31 -> { // (v & 0x7fffffff) << 1 | 1: the i32 is zero-extended, so a 32-bit shift drops bit 31
                Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
                asm.mov(Width.DWORD, d, fn.iop(i.args[0]));
                asm.lea(Width.DWORD, d, mem(d, d, 1, 1));
                fn.iput(i.result(), d);
            }
            case I31_GET_S, I31_GET_U -> {
                Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
                asm.mov(Width.QWORD, d, fn.iop(i.args[0]));
                asm.test(Width.QWORD, d, d);
                asm.jcc(Condition.E, fn.trap(TrapKind.NULL_I31_REFERENCE, i.wasmOffset));
                // bits 1..31 hold the value, bit 31 its sign: a 32-bit arithmetic or logical shift by one
                asm.shift(i.op == Opcode.I31_GET_S ? ShiftOp.SAR : ShiftOp.SHR, Width.DWORD, d, 1);
                fn.iput(i.result(), d);
            }
            default -> helper(fn, i);
        }
    }

    /**
     * The GC helper: operands into the return area's slots (registers first, then values in slots
     * through RAX, which no operand occupies any more by then), then
     * {@code helper(vmctx, opcode, imm, imm2, nargs | nres << 32, GC)}; the result from slot 0.
     */
    private static void helper(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        Gpr state = X64Function.SCRATCH;
        asm.mov(Width.QWORD, state, mem(X64Function.VMCTX, VmContextLayout.STATE));
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < i.args.length; k++) {
                int v = i.args[k];
                ValType t = fn.type(v);
                boolean inRegister = fn.inRegister(v);
                if (inRegister != (pass == 0)) continue;
                MemoryOperand slot = mem(state, ExecutionStateLayout.returnSlot(k));
                if (t == ValType.V128) {
                    asm.vecStore(VecOp.MOVDQU_STORE, slot, fn.vget(v, X64Function.FSCRATCH));
                } else if (X64RegisterFile.isFloat(t)) {
                    fn.fmov(X64Function.FSCRATCH, v);
                    fn.storeVector(t, slot, X64Function.FSCRATCH);
                } else {
                    asm.mov(Width.QWORD, slot, fn.iget(v, Gpr.RAX));
                }
            }
        }
        int nres = i.results.length;
        asm.mov(Width.QWORD, Gpr.RSI, i.op.ordinal());
        asm.mov(Width.QWORD, Gpr.RDX, i.imm);
        asm.mov(Width.QWORD, Gpr.RCX, i.imm2);
        asm.mov(Width.QWORD, Gpr.R8, (long) nres << 32 | i.args.length);
        asm.mov(Width.DWORD, Gpr.R9, RuntimeHelper.GC.ordinal());
        asm.mov(Width.QWORD, Gpr.RDI, X64Function.VMCTX);
        asm.call(mem(X64Function.VMCTX, VmContextLayout.helper(RuntimeHelper.GC)));
        fn.callSite(asm.offset(), i.wasmOffset);
        fn.checkTrapAfterCall(i.wasmOffset);
        if (nres == 0 || fn.location(i.result()) == Location.NONE) return;
        int r = i.result();
        ValType t = fn.type(r);
        asm.mov(Width.QWORD, state, mem(X64Function.VMCTX, VmContextLayout.STATE));
        MemoryOperand slot = mem(state, ExecutionStateLayout.returnSlot(0));
        if (X64RegisterFile.isFloat(t)) {
            Xmm d = fn.fdst(r, X64Function.FSCRATCH);
            fn.loadVector(t == ValType.F32 ? ValType.F64 : t, d, slot);
            fn.fput(r, d);
        } else {
            Gpr d = fn.idst(r, Gpr.RAX);
            asm.mov(t == ValType.I32 ? Width.DWORD : Width.QWORD, d, slot);
            fn.iput(r, d);
        }
    }
}
