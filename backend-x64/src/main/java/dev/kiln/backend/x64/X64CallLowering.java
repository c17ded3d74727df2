package dev.kiln.backend.x64;

import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.CallSignatures;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.RuntimeHelper;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.ir.code.Backend;
import dev.kiln.regalloc.Location;
import dev.kiln.regalloc.ParallelMoves;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.backend.x64.MemoryOperand.mem;

/**
 * Calls, under the internal calling convention ({@link X64CallingConvention}). A function of the
 * same module is called directly by symbol; an imported one through its funcref descriptor in the
 * VMContext's function array (code address and callee VMContext); call_indirect through the table
 * element's descriptor after the spec's checks (bounds, null, canonical type id). A call through a
 * descriptor may enter another instance: it copies the stack limit into the callee's VMContext,
 * switches R15/R14 to the callee's, and afterwards takes the caller's back from its frame. The
 * callee pops the stack arguments, so the caller re-reserves its outgoing area after the call.
 * Runtime helpers are called through the VMContext's helper table with the C convention. Calls
 * that can end in the runtime (imports, indirect calls, trapping helpers) check the execution
 * state's trap code afterwards.
 */
final class X64CallLowering {
    private X64CallLowering() {
    }

    /** Bytes of outgoing stack-argument area the function needs for its calls. */
    static int outgoingBytes(Module m, IrFunction f) {
        return CallSignatures.max(m, f, t -> X64CallingConvention.parameters(t).stackBytes());
    }

    static void lower(X64Function fn, Instruction i) {
        switch (i.op) {
            case CALL, CALL_INDIRECT -> call(fn, i);
            default -> {
                RuntimeHelper h = RuntimeHelper.of(i.op);
                if (h == null) throw new IllegalStateException("not a call: " + i.op);
                helper(fn, i, h, i.args, h.immediates(i));
            }
        }
    }

    /** The number of {@code i}'s operands that are call arguments (call_indirect's last is the table index). */
    private static int argumentCount(Instruction i) {
        return i.op == Opcode.CALL_INDIRECT ? i.args.length - 1 : i.args.length;
    }

    /**
     * Emits what finds the callee of {@code i}: nothing for a function of this module; for an import
     * or call_indirect the callee's funcref descriptor in RAX (for call_indirect after the spec's
     * checks), taken before the argument moves clobber anything. Returns true for the latter.
     */
    private static boolean loadDescriptor(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        int funcIndex = (int) i.imm;
        if (i.op == Opcode.CALL_INDIRECT) {
            asm.mov(Width.DWORD, Gpr.RAX, fn.iop(i.args[argumentCount(i)]));
            X64MemoryLowering.tableRecord(fn, X64Function.SCRATCH, (int) i.imm2);
            asm.alu(AluOp.CMP, Width.QWORD, Gpr.RAX, mem(X64Function.SCRATCH, VmContextLayout.TABLE_SIZE));
            asm.jcc(Condition.AE, fn.trap(TrapKind.UNDEFINED_ELEMENT, i.wasmOffset));
            asm.mov(Width.QWORD, X64Function.SCRATCH, mem(X64Function.SCRATCH, VmContextLayout.TABLE_BASE));
            asm.mov(Width.QWORD, Gpr.RAX, mem(X64Function.SCRATCH, Gpr.RAX, 8, 0));
            asm.test(Width.QWORD, Gpr.RAX, Gpr.RAX);
            asm.jcc(Condition.E, fn.trap(TrapKind.UNINITIALIZED_ELEMENT, i.wasmOffset));
            asm.mov(Width.QWORD, X64Function.SCRATCH, mem(X64Function.VMCTX, VmContextLayout.TYPE_IDS));
            asm.mov(Width.DWORD, X64Function.SCRATCH, mem(X64Function.SCRATCH, 4 * funcIndex));
            asm.alu(AluOp.CMP, Width.DWORD, X64Function.SCRATCH, mem(Gpr.RAX, VmContextLayout.FUNC_TYPE_ID));
            asm.jcc(Condition.NE, fn.trap(TrapKind.INDIRECT_CALL_TYPE_MISMATCH, i.wasmOffset));
            return true;
        }
        if (fn.module.isImportedFunction(funcIndex)) {
            asm.mov(Width.QWORD, Gpr.RAX, mem(X64Function.VMCTX, VmContextLayout.FUNCTIONS));
            asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.RAX, 8 * funcIndex));
            return true;
        }
        return false;
    }

    private static void call(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        FuncType t = CallSignatures.of(fn.module, i);
        boolean viaDescriptor = loadDescriptor(fn, i);
        int stackBytes = passArguments(fn, i, t, argumentCount(i));
        if (viaDescriptor) {
            enterInstance(asm, Gpr.RAX);
            asm.call(mem(Gpr.RAX, VmContextLayout.FUNC_CODE));
            fn.callSite(i.wasmOffset);
            if (stackBytes > 0) asm.alu(AluOp.SUB, Width.QWORD, Gpr.RSP, stackBytes); // the callee popped them
            asm.mov(Width.QWORD, X64Function.VMCTX, fn.frame.vmContextSlot());
            asm.mov(Width.QWORD, X64Function.MEMBASE, mem(X64Function.VMCTX, VmContextLayout.MEMORY_BASE));
            fn.checkTrapAfterCall(i.wasmOffset);
        } else {
            asm.call(fn.symbols.of((int) i.imm));
            fn.callSite(i.wasmOffset);
            if (stackBytes > 0) asm.alu(AluOp.SUB, Width.QWORD, Gpr.RSP, stackBytes);
        }
        takeResults(fn, i, t);
    }

    /**
     * A tail call ({@link dev.kiln.ir.Terminator.ReturnCall}): {@code i} is the call it makes. The
     * arguments are staged as for a call (stack arguments in the outgoing area), then the frame is
     * replaced by the callee's ({@link X64Function#replaceFrame}) and control jumps to the callee,
     * which returns to this function's caller. Through a descriptor whose VMContext is not this
     * instance's, the callee runs under an instance-return record unless this frame already returns
     * to one (then that record already restores the right instance).
     */
    static void tailCall(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        FuncType t = CallSignatures.of(fn.module, i);
        boolean viaDescriptor = loadDescriptor(fn, i);
        int stackBytes = passArguments(fn, i, t, argumentCount(i));
        if (!viaDescriptor) {
            fn.replaceFrame(stackBytes, false);
            asm.jmp(fn.symbols.of((int) i.imm));
            return;
        }
        Label otherInstance = asm.newLabel("other_instance"), newRecord = asm.newLabel("new_record");
        asm.alu(AluOp.CMP, Width.QWORD, X64Function.VMCTX, mem(Gpr.RAX, VmContextLayout.FUNC_VMCTX));
        asm.jcc(Condition.NE, otherInstance);
        fn.replaceFrame(stackBytes, false);
        asm.jmp(mem(Gpr.RAX, VmContextLayout.FUNC_CODE));
        asm.bind(otherInstance);
        asm.lea(Width.QWORD, X64Function.SCRATCH, MemoryOperand.ripSymbol(Backend.INSTANCE_RETURN_SYMBOL));
        asm.alu(AluOp.CMP, Width.QWORD, mem(Gpr.RBP, 8), X64Function.SCRATCH);
        asm.jcc(Condition.NE, newRecord);
        fn.replaceFrame(stackBytes, false);
        enterInstance(asm, Gpr.RAX);
        asm.jmp(mem(Gpr.RAX, VmContextLayout.FUNC_CODE));
        asm.bind(newRecord);
        fn.replaceFrame(stackBytes, true);
        enterInstance(asm, Gpr.RAX);
        asm.jmp(mem(Gpr.RAX, VmContextLayout.FUNC_CODE));
    }

    /**
     * Switches the pinned registers to the instance of the funcref descriptor in {@code descriptor}:
     * the stack limit is copied into its VMContext first (the callee checks against its own).
     * Uses R11; leaves argument registers alone.
     */
    static void enterInstance(X64Assembler asm, Gpr descriptor) {
        asm.mov(Width.QWORD, X64Function.SCRATCH, mem(X64Function.VMCTX, VmContextLayout.STACK_LIMIT));
        asm.mov(Width.QWORD, X64Function.VMCTX, mem(descriptor, VmContextLayout.FUNC_VMCTX));
        asm.mov(Width.QWORD, mem(X64Function.VMCTX, VmContextLayout.STACK_LIMIT), X64Function.SCRATCH);
        asm.mov(Width.QWORD, X64Function.MEMBASE, mem(X64Function.VMCTX, VmContextLayout.MEMORY_BASE));
    }

    /**
     * Stack arguments first (they read only locations), then the register arguments as one
     * parallel move; returns the bytes of stack arguments.
     */
    private static int passArguments(X64Function fn, Instruction i, FuncType t, int argCount) {
        X64Assembler asm = fn.asm;
        ArgumentPlaces.Parameters places = X64CallingConvention.parameters(t);
        for (int k = 0; k < argCount; k++) {
            if (!places.place(k).onStack()) continue;
            MemoryOperand dst = fn.frame.outgoing(places.place(k).stackOffset());
            int v = i.args[k];
            ValType type = t.param(k);
            if (X64RegisterFile.isFloat(type)) {
                fn.storeVector(type, dst, fn.fget(v, X64Function.FSCRATCH));
            } else {
                asm.mov(Width.QWORD, dst, fn.iget(v, X64Function.SCRATCH));
            }
        }
        List<ParallelMoves.Move> moves = new ArrayList<>();
        for (int k = 0; k < argCount; k++) {
            if (places.place(k).onStack()) continue;
            moves.add(new ParallelMoves.Move(fn.location(i.args[k]), places.place(k).register(), t.param(k)));
        }
        fn.parallelMove(moves);
        return places.stackBytes();
    }

    private static void takeResults(X64Function fn, Instruction i, FuncType t) {
        X64Assembler asm = fn.asm;
        if (ArgumentPlaces.usesReturnArea(t)) {
            asm.mov(Width.QWORD, Gpr.RDX, mem(X64Function.VMCTX, VmContextLayout.STATE));
            for (int k = 0; k < i.results.length; k++) {
                int r = i.results[k];
                if (fn.location(r) == Location.NONE) continue;
                MemoryOperand src = mem(Gpr.RDX, ExecutionStateLayout.returnSlot(k));
                if (X64RegisterFile.isFloat(t.result(k))) {
                    Xmm d = fn.fdst(r, X64Function.FSCRATCH);
                    fn.loadVector(t.result(k) == ValType.F32 ? ValType.F64 : t.result(k), d, src);
                    fn.fput(r, d);
                } else {
                    Gpr d = fn.idst(r, Gpr.RAX);
                    asm.mov(Width.QWORD, d, src);
                    fn.iput(r, d);
                }
            }
        } else if (i.results.length == 1 && fn.location(i.result()) != Location.NONE) {
            if (X64RegisterFile.isFloat(t.result(0))) fn.fput(i.result(), X64CallingConvention.FLOAT_RESULT);
            else {
                if (t.result(0) == ValType.I32) asm.mov(Width.DWORD, Gpr.RAX, Gpr.RAX);
                fn.iput(i.result(), X64CallingConvention.INT_RESULT);
            }
        }
    }

    /** {@code long helper(vmctx, a, b, c, d)}: immediates first, then the instruction's operands. */
    private static void helper(X64Function fn, Instruction i, RuntimeHelper h, int[] operands, long... immediates) {
        X64Assembler asm = fn.asm;
        Gpr[] regs = {Gpr.RSI, Gpr.RDX, Gpr.RCX, Gpr.R8};
        List<ParallelMoves.Move> moves = new ArrayList<>();
        int k = immediates.length;
        for (int j = 0; j < operands.length; j++, k++) {
            moves.add(new ParallelMoves.Move(fn.location(operands[j]), X64RegisterFile.number(regs[k]), fn.type(operands[j])));
        }
        fn.parallelMove(moves);
        for (int j = 0; j < immediates.length; j++) asm.mov(Width.QWORD, regs[j], immediates[j]);
        asm.mov(Width.DWORD, Gpr.R9, h.ordinal());
        asm.mov(Width.QWORD, Gpr.RDI, X64Function.VMCTX);
        asm.call(mem(X64Function.VMCTX, VmContextLayout.helper(h)));
        fn.callSite(i.wasmOffset);
        if (h.mayTrap) fn.checkTrapAfterCall(i.wasmOffset);
        if (i.results.length == 1 && fn.location(i.result()) != Location.NONE) {
            asm.mov(Width.DWORD, Gpr.RAX, Gpr.RAX); // helpers with results return i32
            fn.iput(i.result(), Gpr.RAX);
        }
    }
}
