package dev.kiln.backend.x64;

import dev.kiln.backend.MachineFunction;
import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.GcLowering;
import dev.kiln.ir.Instruction;
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
 * The x86-64 parts of calls ({@link MachineFunction} sequences them): finding the callee (a
 * function of this module by symbol; an import through its funcref descriptor in the VMContext's
 * function array; call_indirect through the table element's descriptor after the spec's checks:
 * bounds, null, canonical type id), taking the results, and the runtime helpers, which are called
 * through the VMContext's helper table with the C convention and check the execution state's trap
 * code afterwards when they may trap.
 */
final class X64CallLowering {
    private X64CallLowering() {
    }

    static void lower(X64Function fn, Instruction i) {
        RuntimeHelper h = RuntimeHelper.of(i.op);
        if (h == null) throw new IllegalStateException("not a runtime helper's instruction: " + i.op);
        helper(fn, i, h, i.args(), h.immediates(i));
    }

    /**
     * Emits what finds the callee of {@code i}: nothing for a function of this module; for an import,
     * call_indirect or call_ref the callee's funcref descriptor in RAX (for call_indirect after the
     * spec's checks, for call_ref after the null check), taken before the argument moves clobber anything. Returns true for the latter.
     */
    static boolean loadDescriptor(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        int funcIndex = (int) i.imm;
        if (i.op == Opcode.CALL_REF) { // a typed reference: validation proved the type, only null is left
            asm.mov(Width.QWORD, Gpr.RAX, fn.iop(i.arg(MachineFunction.argumentCount(i))));
            asm.test(Width.QWORD, Gpr.RAX, Gpr.RAX);
            asm.jcc(Condition.E, fn.trap(TrapKind.NULL_FUNCTION_REFERENCE, i.wasmOffset));
            return true;
        }
        if (i.op == Opcode.CALL_INDIRECT) {
            asm.mov(fn.is64BitTable((int) i.imm2()) ? Width.QWORD : Width.DWORD, Gpr.RAX, fn.iop(i.arg(MachineFunction.argumentCount(i))));
            X64MemoryLowering.tableRecord(fn, X64Function.SCRATCH, (int) i.imm2());
            asm.alu(AluOp.CMP, Width.QWORD, Gpr.RAX, mem(X64Function.SCRATCH, VmContextLayout.TABLE_SIZE));
            asm.jcc(Condition.AE, fn.trap(TrapKind.UNDEFINED_ELEMENT, i.wasmOffset));
            asm.mov(Width.QWORD, X64Function.SCRATCH, mem(X64Function.SCRATCH, VmContextLayout.TABLE_BASE));
            asm.mov(Width.QWORD, Gpr.RAX, mem(X64Function.SCRATCH, Gpr.RAX, 8, 0));
            asm.test(Width.QWORD, Gpr.RAX, Gpr.RAX);
            asm.jcc(Condition.E, fn.trap(TrapKind.UNINITIALIZED_ELEMENT, i.wasmOffset));
            asm.mov(Width.QWORD, X64Function.SCRATCH, mem(X64Function.VMCTX, VmContextLayout.TYPE_IDS));
            asm.mov(Width.DWORD, X64Function.SCRATCH, mem(X64Function.SCRATCH, 4 * funcIndex));
            asm.alu(AluOp.CMP, Width.DWORD, X64Function.SCRATCH, mem(Gpr.RAX, VmContextLayout.FUNC_TYPE_ID));
            Label mismatch = fn.trap(TrapKind.INDIRECT_CALL_TYPE_MISMATCH, i.wasmOffset);
            if (GcLowering.mayCallSubtypes(fn.module)) {
                Label subtype = asm.newLabel("subtype");
                Label typed = asm.newLabel("typed");
                asm.jcc(Condition.NE, subtype);
                asm.bind(typed);
                fn.outOfLine(() -> subtypeCheck(fn, subtype, typed, mismatch, funcIndex));
            } else {
                asm.jcc(Condition.NE, mismatch);
            }
            return true;
        }
        if (fn.module.isImportedFunction(funcIndex)) {
            asm.mov(Width.QWORD, Gpr.RAX, mem(X64Function.VMCTX, VmContextLayout.FUNCTIONS));
            asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.RAX, 8 * funcIndex));
            return true;
        }
        return false;
    }

    /** Registers call_indirect's slow path saves: any may hold a value or an argument by then (RAX: the descriptor). */
    private static final Gpr[] SAVED = {Gpr.RAX, Gpr.RCX, Gpr.RDX, Gpr.RSI, Gpr.RDI, Gpr.R8, Gpr.R9, Gpr.R10};
    private static final int XMM_BYTES = 16 * 16;

    /**
     * call_indirect's slow path: the callee's type id differs from the expected one, but the callee's
     * type may be a declared subtype ({@link RuntimeHelper#FUNC_SUBTYPE} asks the runtime). Every
     * caller-saved register is kept (8 pushes and 256 bytes keep RSP 16-aligned for the call).
     */
    private static void subtypeCheck(X64Function fn, Label subtype, Label typed, Label mismatch, int typeIndex) {
        X64Assembler asm = fn.asm;
        asm.bind(subtype);
        for (Gpr g : SAVED) asm.push(g);
        asm.alu(AluOp.SUB, Width.QWORD, Gpr.RSP, XMM_BYTES);
        for (int k = 0; k < 16; k++) asm.vecStore(VecOp.MOVDQU_STORE, mem(Gpr.RSP, 16 * k), Xmm.values()[k]);
        asm.mov(Width.QWORD, Gpr.RSI, Gpr.RAX);
        asm.mov(Width.QWORD, Gpr.RDX, typeIndex);
        asm.mov(Width.DWORD, Gpr.R9, RuntimeHelper.FUNC_SUBTYPE.ordinal());
        asm.mov(Width.QWORD, Gpr.RDI, X64Function.VMCTX);
        asm.call(mem(X64Function.VMCTX, VmContextLayout.helper(RuntimeHelper.FUNC_SUBTYPE)));
        asm.mov(Width.QWORD, X64Function.SCRATCH, Gpr.RAX);
        for (int k = 0; k < 16; k++) asm.vec(VecOp.MOVDQU, Xmm.values()[k], mem(Gpr.RSP, 16 * k));
        asm.alu(AluOp.ADD, Width.QWORD, Gpr.RSP, XMM_BYTES);
        for (int k = SAVED.length - 1; k >= 0; k--) asm.pop(SAVED[k]);
        asm.test(Width.QWORD, X64Function.SCRATCH, X64Function.SCRATCH);
        asm.jcc(Condition.E, mismatch);
        asm.jmp(typed);
    }

    static void takeResults(X64Function fn, Instruction i, FuncType t) {
        X64Assembler asm = fn.asm;
        if (ArgumentPlaces.usesReturnArea(t)) {
            asm.mov(Width.QWORD, Gpr.RDX, mem(X64Function.VMCTX, VmContextLayout.STATE));
            for (int k = 0; k < i.resultCount(); k++) {
                int r = i.result(k);
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
        } else if (i.resultCount() == 1 && fn.location(i.result()) != Location.NONE) {
            if (X64RegisterFile.isFloat(t.result(0))) fn.fput(i.result(), X64CallingConvention.FLOAT_RESULT);
            else fn.iput(i.result(), X64CallingConvention.INT_RESULT); // an i32 comes back zero-extended (the convention)
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
        fn.callSite(fn.callHelper(h), i.wasmOffset);
        if (h.mayTrap) fn.checkTrapAfterCall(i.wasmOffset);
        if (i.resultCount() == 1 && fn.location(i.result()) != Location.NONE) {
            if (fn.type(i.result()) == ValType.I32) asm.mov(Width.DWORD, Gpr.RAX, Gpr.RAX); // a 32-bit result: the low half
            fn.iput(i.result(), Gpr.RAX);
        }
    }
}
