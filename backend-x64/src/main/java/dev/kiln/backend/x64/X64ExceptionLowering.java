package dev.kiln.backend.x64;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.RuntimeHelper;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.regalloc.Location;

import static dev.kiln.backend.x64.MemoryOperand.mem;

/**
 * The x86-64 steps of exception handling (docs/design-changes.md, "Exceptions in native code"): a
 * throw hands its payload to the runtime through the return area, an exception dispatch restores
 * its frame and asks the runtime clause by clause whether the exception matches, and a landing
 * block's {@code catch} takes the payload back from the return area. Nothing of this runs unless
 * an exception is thrown.
 */
final class X64ExceptionLowering {
    private X64ExceptionLowering() {
    }

    /** throw: the payload into the return area, then the THROW helper; throw_ref: the THROW_REF helper. */
    static void raise(X64Function fn, Instruction thrown, Label failed) {
        X64Assembler asm = fn.asm;
        RuntimeHelper h;
        if (thrown.op == Opcode.THROW) {
            FuncType tag = fn.module.tagFuncType((int) thrown.imm);
            asm.mov(Width.QWORD, X64Function.SCRATCH, mem(X64Function.VMCTX, VmContextLayout.STATE));
            for (int k = 0; k < thrown.argCount(); k++) store(fn, ExecutionStateLayout.returnSlot(k), thrown.arg(k), tag.param(k));
            asm.mov(Width.QWORD, Gpr.RSI, thrown.imm);
            h = RuntimeHelper.THROW;
        } else {
            int ref = thrown.arg(0);
            if (fn.location(ref) == Location.NONE) X64IntegerLowering.materialize(asm, Gpr.RSI, fn.constant(ref));
            else asm.mov(Width.QWORD, Gpr.RSI, fn.iop(ref));
            h = RuntimeHelper.THROW_REF;
        }
        fn.callSite(fn.callHelper(h), thrown.wasmOffset);
        asm.mov(Width.QWORD, X64Function.SCRATCH, mem(X64Function.VMCTX, VmContextLayout.STATE));
        asm.alu(AluOp.CMP, Width.DWORD, mem(X64Function.SCRATCH, ExecutionStateLayout.TRAP_CODE), ExecutionStateLayout.THROW);
        asm.jcc(Condition.NE, failed);
    }

    /** One payload value into the return-area slot at {@code offset} of the state in R11 (only XMM15 as scratch: every GPR may hold a later value). */
    private static void store(X64Function fn, int offset, int v, ValType t) {
        X64Assembler asm = fn.asm;
        MemoryOperand dst = mem(X64Function.SCRATCH, offset);
        if (X64RegisterFile.isFloat(t)) {
            Xmm x = t == ValType.V128 ? fn.vget(v, X64Function.FSCRATCH) : fn.fget(v, X64Function.FSCRATCH);
            fn.storeVector(t, dst, x);
            return;
        }
        int l = fn.location(v);
        if (Location.isRegister(l)) {
            asm.mov(Width.QWORD, dst, X64RegisterFile.gpr(l));
        } else if (Location.isSlot(l)) {
            asm.movsd(X64Function.FSCRATCH, fn.slotAt(l, t));
            asm.movsd(dst, X64Function.FSCRATCH);
        } else {
            long bits = fn.constant(v);
            if (t == ValType.I32) bits &= 0xFFFF_FFFFL;
            asm.mov(Width.DWORD, dst, (int) bits);
            asm.mov(Width.DWORD, mem(X64Function.SCRATCH, offset + 4), (int) (bits >>> 32));
        }
    }

    /**
     * The start of an exception dispatch: rbp is this frame's (set by the handler search, or already
     * so after a throw in this function); rsp goes back to the frame's bottom, R15 and R14 to this
     * instance's (the frame keeps its VMContext).
     */
    static void enterDispatch(X64Function fn) {
        X64Assembler asm = fn.asm;
        asm.lea(Width.QWORD, Gpr.RSP, mem(Gpr.RBP, -fn.frame.bytesBelowFramePointer()));
        asm.mov(Width.QWORD, X64Function.VMCTX, fn.frame.vmContextSlot());
        asm.mov(Width.QWORD, X64Function.MEMBASE, mem(X64Function.VMCTX, VmContextLayout.MEMORY_BASE));
    }

    /** {@code CATCH(tag, withExnref)}; jumps to {@code landing} when it matched. */
    static void clause(X64Function fn, int tag, boolean withExnref, Label landing) {
        X64Assembler asm = fn.asm;
        asm.mov(Width.QWORD, Gpr.RSI, tag);
        asm.mov(Width.DWORD, Gpr.RDX, withExnref ? 1 : 0);
        fn.callHelper(RuntimeHelper.CATCH);
        asm.test(Width.DWORD, Gpr.RAX, Gpr.RAX);
        asm.jcc(Condition.NE, landing);
    }

    /** A landing block's catch: each result from its return-area slot. */
    static void takeCaught(X64Function fn, Instruction caught) {
        X64Assembler asm = fn.asm;
        asm.mov(Width.QWORD, X64Function.SCRATCH, mem(X64Function.VMCTX, VmContextLayout.STATE));
        for (int k = 0; k < caught.resultCount(); k++) {
            int r = caught.result(k);
            int l = fn.location(r);
            if (l == Location.NONE) continue;
            ValType t = fn.type(r);
            MemoryOperand src = mem(X64Function.SCRATCH, ExecutionStateLayout.returnSlot(k));
            if (X64RegisterFile.isFloat(t)) {
                Xmm d = fn.fdst(r, X64Function.FSCRATCH);
                fn.loadVector(t == ValType.F32 ? ValType.F64 : t, d, src);
                fn.fput(r, d);
            } else if (Location.isRegister(l)) {
                asm.mov(Width.QWORD, X64RegisterFile.gpr(l), src);
            } else {
                asm.movsd(X64Function.FSCRATCH, src);
                asm.movsd(fn.slotAt(l, t), X64Function.FSCRATCH);
            }
        }
    }
}
