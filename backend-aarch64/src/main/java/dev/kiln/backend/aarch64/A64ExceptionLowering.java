package dev.kiln.backend.aarch64;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.RuntimeHelper;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.regalloc.Location;

import static dev.kiln.backend.aarch64.GeneralRegister.FP;
import static dev.kiln.backend.aarch64.GeneralRegister.SP;

/**
 * The AArch64 steps of exception handling, as {@code X64ExceptionLowering} (docs/design-changes.md,
 * "Exceptions in native code"): a throw's payload goes to the return area before the THROW helper,
 * an exception dispatch restores SP from x29 and the pinned registers from the frame and asks the
 * runtime clause by clause, a landing block's {@code catch} reads the payload back.
 */
final class A64ExceptionLowering {
    private A64ExceptionLowering() {
    }

    static void raise(A64Function fn, Instruction thrown, Label failed) {
        A64Assembler asm = fn.asm;
        RuntimeHelper h;
        if (thrown.op == Opcode.THROW) {
            FuncType tag = fn.module.tagFuncType((int) thrown.imm);
            asm.ldr(A64Function.SCRATCH2, Address.offset(A64Function.VMCTX, VmContextLayout.STATE));
            for (int k = 0; k < thrown.argCount(); k++) {
                ValType t = tag.param(k);
                A64Register r = A64RegisterFile.isFloat(t) ? A64Function.spillView(fn.fget(thrown.arg(k), A64Function.FSCRATCH), t)
                        : fn.iget(thrown.arg(k), A64Function.SCRATCH);
                asm.str(r, Address.offset(A64Function.SCRATCH2, ExecutionStateLayout.returnSlot(k))); // < 16 KiB: encodable
            }
            asm.mov(GeneralRegister.X1, thrown.imm);
            h = RuntimeHelper.THROW;
        } else {
            GeneralRegister ref = fn.iget(thrown.arg(0), A64Function.SCRATCH);
            asm.mov(GeneralRegister.X1, ref);
            h = RuntimeHelper.THROW_REF;
        }
        fn.callSite(callHelper(fn, h), thrown.wasmOffset);
        asm.ldr(A64Function.SCRATCH, Address.offset(A64Function.VMCTX, VmContextLayout.STATE));
        asm.ldr(A64Function.SCRATCH.w(), Address.offset(A64Function.SCRATCH, ExecutionStateLayout.TRAP_CODE));
        asm.cmp(A64Function.SCRATCH.w(), ExecutionStateLayout.THROW);
        asm.b(Condition.NE, failed);
    }

    /** SP = x29 - the frame's size below it; X19 from the frame, X20 from it. */
    static void enterDispatch(A64Function fn) {
        A64Assembler asm = fn.asm;
        int below = fn.frame.below;
        if (AddSubOp.isImmediateEncodable(below)) {
            asm.sub(SP, FP, below);
        } else {
            asm.mov(A64Function.SCRATCH, below);
            asm.sub(SP, FP, A64Function.SCRATCH);
        }
        asm.ldr(A64Function.VMCTX, Address.offset(FP, fn.frame.vmContextOffset()));
        asm.ldr(A64Function.MEMBASE, Address.offset(A64Function.VMCTX, VmContextLayout.MEMORY_BASE));
    }

    static void clause(A64Function fn, int tag, boolean withExnref, Label landing) {
        A64Assembler asm = fn.asm;
        asm.mov(GeneralRegister.X1, tag);
        asm.mov(GeneralRegister.X2, withExnref ? 1 : 0);
        callHelper(fn, RuntimeHelper.CATCH);
        asm.cbnz(GeneralRegister.X0, landing);
    }

    static void takeCaught(A64Function fn, Instruction caught) {
        A64Assembler asm = fn.asm;
        asm.ldr(A64Function.SCRATCH2, Address.offset(A64Function.VMCTX, VmContextLayout.STATE));
        for (int k = 0; k < caught.resultCount(); k++) {
            int r = caught.result(k);
            if (fn.location(r) == Location.NONE) continue;
            ValType t = fn.type(r);
            Address src = Address.offset(A64Function.SCRATCH2, ExecutionStateLayout.returnSlot(k));
            if (A64RegisterFile.isFloat(t)) {
                VectorRegister d = fn.fdst(r, A64Function.FSCRATCH);
                asm.ldr(A64Function.spillView(d, t), src);
                fn.fput(r, d);
            } else {
                GeneralRegister d = fn.idst(r, A64Function.SCRATCH);
                asm.ldr(d, src);
                fn.iput(r, d);
            }
        }
    }

    /** {@code helper(x0 = vmctx, x1, x2, ...)} with the helper's id in w5; returns the offset of the return address. */
    private static int callHelper(A64Function fn, RuntimeHelper h) {
        A64Assembler asm = fn.asm;
        asm.mov(GeneralRegister.W5, h.ordinal());
        asm.mov(GeneralRegister.X0, A64Function.VMCTX);
        asm.ldr(A64Function.SCRATCH, Address.offset(A64Function.VMCTX, VmContextLayout.helper(h)));
        return fn.call(() -> asm.blr(A64Function.SCRATCH));
    }
}
