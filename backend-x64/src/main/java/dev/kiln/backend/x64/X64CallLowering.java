package dev.kiln.backend.x64;

import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.CallSignatures;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.RuntimeHelper;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.regalloc.Location;
import dev.kiln.regalloc.ParallelMoves;

import java.util.ArrayList;
import java.util.List;

import static dev.kiln.backend.x64.MemoryOperand.mem;

/**
 * Calls. A function of the same module is called directly by symbol; an imported one through its
 * funcref descriptor in the VMContext's function array (code address and callee VMContext);
 * call_indirect through the table element's descriptor after the spec's checks (bounds,
 * null, canonical type id). Runtime helpers are called through the VMContext's helper table.
 * Calls that can end in the runtime (imports, indirect calls, trapping helpers) check the
 * execution state's trap code afterwards.
 */
final class X64CallLowering {
    private X64CallLowering() {
    }

    /** Outgoing stack slots the function needs for its calls' stack arguments. */
    static int maxOutgoingSlots(Module m, IrFunction f) {
        return CallSignatures.max(m, f, t -> ArgumentPlaces.stackSlots(X64CallingConvention.parameters(t)));
    }

    static void lower(X64Function fn, Instruction i) {
        switch (i.op) {
            case CALL -> call(fn, i, CallSignatures.of(fn.module, i), i.args.length, false);
            case CALL_INDIRECT -> call(fn, i, CallSignatures.of(fn.module, i), i.args.length - 1, true);
            default -> {
                RuntimeHelper h = RuntimeHelper.of(i.op);
                if (h == null) throw new IllegalStateException("not a call: " + i.op);
                helper(fn, i, h, i.args, h.immediates(i));
            }
        }
    }

    private static void call(X64Function fn, Instruction i, FuncType t, int argCount, boolean indirect) {
        X64Assembler asm = fn.asm;
        int funcIndex = (int) i.imm;
        boolean imported = !indirect && fn.module.isImportedFunction(funcIndex);
        if (indirect) {
            // RAX = the element's descriptor, checked; taken before the argument moves clobber anything
            asm.mov(Width.DWORD, Gpr.RAX, fn.iop(i.args[argCount]));
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
        } else if (imported) {
            asm.mov(Width.QWORD, Gpr.RAX, mem(X64Function.VMCTX, VmContextLayout.FUNCTIONS));
            asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.RAX, 8 * funcIndex));
        }
        passArguments(fn, i, t, argCount);
        if (indirect || imported) {
            asm.mov(Width.QWORD, Gpr.RDI, mem(Gpr.RAX, VmContextLayout.FUNC_VMCTX));
            asm.call(mem(Gpr.RAX, VmContextLayout.FUNC_CODE));
            fn.callSite(i.wasmOffset);
            fn.checkTrapAfterCall(i.wasmOffset);
        } else {
            asm.mov(Width.QWORD, Gpr.RDI, X64Function.VMCTX);
            asm.call(fn.symbols.of(funcIndex));
            fn.callSite(i.wasmOffset);
        }
        takeResults(fn, i, t);
    }

    /** Stack arguments first (they read only locations), then the register arguments as one parallel move. */
    private static void passArguments(X64Function fn, Instruction i, FuncType t, int argCount) {
        X64Assembler asm = fn.asm;
        ArgumentPlaces.Place[] places = X64CallingConvention.parameters(t);
        for (int k = 0; k < argCount; k++) {
            if (!places[k].onStack()) continue;
            MemoryOperand dst = fn.frame.outgoing(places[k].stackIndex());
            int v = i.args[k];
            if (fn.inRegister(v)) {
                if (X64RegisterFile.isFloat(t.param(k))) asm.movsd(dst, (Xmm) fn.fop(v));
                else asm.mov(Width.QWORD, dst, (Gpr) fn.iop(v));
            } else {
                asm.mov(Width.QWORD, X64Function.SCRATCH, fn.slot(v));
                asm.mov(Width.QWORD, dst, X64Function.SCRATCH);
            }
        }
        List<ParallelMoves.Move> moves = new ArrayList<>();
        for (int k = 0; k < argCount; k++) {
            if (places[k].onStack()) continue;
            moves.add(new ParallelMoves.Move(fn.location(i.args[k]), places[k].register(), t.param(k)));
        }
        fn.parallelMove(moves);
    }

    private static void takeResults(X64Function fn, Instruction i, FuncType t) {
        X64Assembler asm = fn.asm;
        if (ArgumentPlaces.usesReturnArea(t)) {
            asm.mov(Width.QWORD, Gpr.RDX, mem(X64Function.VMCTX, VmContextLayout.STATE));
            for (int k = 0; k < i.results.length; k++) {
                int r = i.results[k];
                if (fn.location(r) == Location.NONE) continue;
                MemoryOperand src = mem(Gpr.RDX, ExecutionStateLayout.RETURN_AREA + 8 * k);
                if (X64RegisterFile.isFloat(t.result(k))) {
                    Xmm d = fn.fdst(r, X64Function.FSCRATCH);
                    asm.movsd(d, src);
                    fn.fput(r, d);
                } else {
                    Gpr d = fn.idst(r, Gpr.RAX);
                    asm.mov(Width.QWORD, d, src);
                    fn.iput(r, d);
                }
            }
        } else if (i.results.length == 1 && fn.location(i.result()) != Location.NONE) {
            if (X64RegisterFile.isFloat(t.result(0))) fn.fput(i.result(), Xmm.XMM0);
            else {
                if (t.result(0) == ValType.I32) asm.mov(Width.DWORD, Gpr.RAX, Gpr.RAX);
                fn.iput(i.result(), Gpr.RAX);
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
