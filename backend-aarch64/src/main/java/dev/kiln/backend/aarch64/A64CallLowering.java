package dev.kiln.backend.aarch64;

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

import static dev.kiln.backend.aarch64.A64Function.SCRATCH;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH2;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH3;
import static dev.kiln.backend.aarch64.A64Function.VMCTX;
import static dev.kiln.backend.aarch64.GeneralRegister.X0;

/**
 * The AArch64 parts of calls ({@link MachineFunction} sequences them): finding the callee (a
 * function of this module by symbol, {@code bl} with R_AARCH64_CALL26; an import through its
 * funcref descriptor in the VMContext's function array; call_indirect through the table element's
 * descriptor after the spec's checks: bounds, null, canonical type id; the descriptor is held in
 * X15), taking the results, and the runtime helpers, which are called through the VMContext's
 * helper table with the C convention and check the execution state's trap code afterwards when
 * they may trap.
 */
final class A64CallLowering {
    private A64CallLowering() {
    }

    static void lower(A64Function fn, Instruction i) {
        RuntimeHelper h = RuntimeHelper.of(i.op);
        if (h == null) throw new IllegalStateException("not a runtime helper's instruction: " + i.op);
        helper(fn, i, h, i.args(), h.immediates(i));
    }

    /**
     * Emits what finds the callee of {@code i}: nothing for a function of this module; for an import,
     * call_indirect or call_ref the callee's funcref descriptor in X15 (for call_indirect after the
     * spec's checks, for call_ref after the null check), taken before the argument moves clobber anything. Returns true for the latter.
     */
    static boolean loadDescriptor(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        int funcIndex = (int) i.imm;
        GeneralRegister descriptor = SCRATCH3;
        if (i.op == Opcode.CALL_REF) { // a typed reference: validation proved the type, only null is left
            GeneralRegister ref = fn.iget(i.arg(MachineFunction.argumentCount(i)), descriptor);
            if (!ref.equals(descriptor)) asm.mov(descriptor, ref);
            asm.cbz(descriptor, fn.trap(TrapKind.NULL_FUNCTION_REFERENCE, i.wasmOffset));
            return true;
        }
        if (i.op == Opcode.CALL_INDIRECT) {
            A64MemoryLowering.tableRecord(fn, SCRATCH, (int) i.imm2(), SCRATCH2);
            GeneralRegister index = fn.iget(i.arg(MachineFunction.argumentCount(i)), SCRATCH2); // zero-extended
            asm.ldr(descriptor, Address.offset(SCRATCH, VmContextLayout.TABLE_SIZE));
            asm.cmp(index, descriptor);
            asm.b(Condition.HS, fn.trap(TrapKind.UNDEFINED_ELEMENT, i.wasmOffset));
            asm.ldr(SCRATCH, Address.offset(SCRATCH, VmContextLayout.TABLE_BASE));
            asm.ldr(descriptor, Address.index(SCRATCH, index, 3));
            asm.cbz(descriptor, fn.trap(TrapKind.UNINITIALIZED_ELEMENT, i.wasmOffset));
            asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.TYPE_IDS));
            asm.ldr(SCRATCH.w(), fn.field(SCRATCH, 4L * funcIndex, 4, SCRATCH2));
            asm.ldr(SCRATCH2.w(), Address.offset(descriptor, VmContextLayout.FUNC_TYPE_ID));
            asm.cmp(SCRATCH.w(), SCRATCH2.w());
            Label mismatch = fn.trap(TrapKind.INDIRECT_CALL_TYPE_MISMATCH, i.wasmOffset);
            if (GcLowering.mayCallSubtypes(fn.module)) {
                Label subtype = asm.newLabel();
                Label typed = asm.newLabel();
                asm.b(Condition.NE, subtype);
                asm.bind(typed);
                fn.outOfLine(() -> subtypeCheck(fn, subtype, typed, mismatch, funcIndex));
            } else {
                asm.b(Condition.NE, mismatch);
            }
            return true;
        }
        if (fn.module.isImportedFunction(funcIndex)) {
            asm.ldr(descriptor, Address.offset(VMCTX, VmContextLayout.FUNCTIONS));
            asm.ldr(descriptor, fn.field(descriptor, 8L * funcIndex, 8, SCRATCH));
            return true;
        }
        return false;
    }

    static void takeResults(A64Function fn, Instruction i, FuncType t) {
        A64Assembler asm = fn.asm;
        if (ArgumentPlaces.usesReturnArea(t)) {
            asm.ldr(SCRATCH2, Address.offset(VMCTX, VmContextLayout.STATE));
            for (int k = 0; k < i.resultCount(); k++) {
                int r = i.result(k);
                if (fn.location(r) == Location.NONE) continue;
                Address src = Address.offset(SCRATCH2, ExecutionStateLayout.returnSlot(k)); // < 16 KiB
                if (A64RegisterFile.isFloat(t.result(k))) {
                    VectorRegister d = fn.fdst(r, A64Function.FSCRATCH);
                    asm.ldr(A64Function.spillView(d, t.result(k)), src);
                    fn.fput(r, d);
                } else {
                    GeneralRegister d = fn.idst(r, SCRATCH);
                    asm.ldr(d, src);
                    fn.iput(r, d);
                }
            }
        } else if (i.resultCount() == 1 && fn.location(i.result()) != Location.NONE) {
            if (A64RegisterFile.isFloat(t.result(0))) {
                fn.fput(i.result(), A64Function.view(A64CallingConvention.FLOAT_RESULT, t.result(0)));
            } else {
                fn.iput(i.result(), A64CallingConvention.INT_RESULT); // an i32 comes back zero-extended (the convention)
            }
        }
    }

    /** x0..x15 (x15: the descriptor) and q0..q31 (whole: calls keep only the low halves of v8..v15). */
    private static final int SAVED_BYTES = 16 * 8 + 32 * 16;

    /**
     * call_indirect's slow path: the callee's type id differs from the expected one, but its type may
     * be a declared subtype ({@link RuntimeHelper#FUNC_SUBTYPE} asks the runtime); every register
     * that may hold a value or an argument is kept.
     */
    private static void subtypeCheck(A64Function fn, Label subtype, Label typed, Label mismatch, int typeIndex) {
        A64Assembler asm = fn.asm;
        asm.bind(subtype);
        asm.sub(GeneralRegister.SP, GeneralRegister.SP, SAVED_BYTES);
        for (int k = 0; k < 8; k++) asm.stp(GeneralRegister.x(2 * k), GeneralRegister.x(2 * k + 1), Address.offset(GeneralRegister.SP, 16 * k));
        for (int k = 0; k < 16; k++) asm.stp(VectorRegister.d(2 * k).q(), VectorRegister.d(2 * k + 1).q(), Address.offset(GeneralRegister.SP, 128 + 32 * k));
        asm.mov(GeneralRegister.X1, SCRATCH3);
        asm.mov(GeneralRegister.X2, typeIndex);
        asm.mov(GeneralRegister.W5, RuntimeHelper.FUNC_SUBTYPE.ordinal());
        asm.mov(X0, VMCTX);
        asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.helper(RuntimeHelper.FUNC_SUBTYPE)));
        fn.call(() -> asm.blr(SCRATCH));
        asm.mov(SCRATCH2, X0);
        for (int k = 0; k < 16; k++) asm.ldp(VectorRegister.d(2 * k).q(), VectorRegister.d(2 * k + 1).q(), Address.offset(GeneralRegister.SP, 128 + 32 * k));
        for (int k = 0; k < 8; k++) asm.ldp(GeneralRegister.x(2 * k), GeneralRegister.x(2 * k + 1), Address.offset(GeneralRegister.SP, 16 * k));
        asm.add(GeneralRegister.SP, GeneralRegister.SP, SAVED_BYTES);
        asm.cbz(SCRATCH2, mismatch);
        asm.b(typed);
    }

    /** {@code long helper(vmctx, a, b, c, d, id)}: immediates first, then the instruction's operands; x5 = the helper's ordinal. */
    private static void helper(A64Function fn, Instruction i, RuntimeHelper h, int[] operands, long... immediates) {
        A64Assembler asm = fn.asm;
        GeneralRegister[] regs = {GeneralRegister.X1, GeneralRegister.X2, GeneralRegister.X3, GeneralRegister.X4};
        List<ParallelMoves.Move> moves = new ArrayList<>();
        int k = immediates.length;
        for (int j = 0; j < operands.length; j++, k++) {
            moves.add(new ParallelMoves.Move(fn.location(operands[j]), A64RegisterFile.number(regs[k]), fn.type(operands[j])));
        }
        fn.parallelMove(moves);
        for (int j = 0; j < immediates.length; j++) asm.mov(regs[j], immediates[j]);
        asm.mov(GeneralRegister.W5, h.ordinal()); // the helper's id, for runtimes with one entry point for all helpers
        asm.mov(X0, VMCTX);
        asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.helper(h)));
        int returnOffset = fn.call(() -> asm.blr(SCRATCH));
        fn.callSite(returnOffset, i.wasmOffset);
        if (h.mayTrap) fn.checkTrapAfterCall(i.wasmOffset);
        if (i.resultCount() == 1 && fn.location(i.result()) != Location.NONE) {
            if (fn.type(i.result()) == ValType.I32) asm.mov(GeneralRegister.W0, GeneralRegister.W0); // a 32-bit result: the low half
            fn.iput(i.result(), X0);
        }
    }
}
