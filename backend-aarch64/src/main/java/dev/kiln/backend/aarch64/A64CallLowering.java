package dev.kiln.backend.aarch64;

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

import static dev.kiln.backend.aarch64.A64Function.SCRATCH;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH2;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH3;
import static dev.kiln.backend.aarch64.A64Function.VMCTX;
import static dev.kiln.backend.aarch64.GeneralRegister.SP;
import static dev.kiln.backend.aarch64.GeneralRegister.X0;

/**
 * Calls. A function of the same module is called directly by symbol ({@code bl}, R_AARCH64_CALL26);
 * an imported one through its funcref descriptor in the VMContext's function array (code address
 * and callee VMContext); call_indirect through the table element's descriptor after the spec's
 * checks (bounds, null, canonical type id). The descriptor is held in X15 while the arguments
 * move. Runtime helpers are called through the VMContext's helper table. Calls that can end in
 * the runtime (imports, indirect calls, trapping helpers) check the execution state's trap code
 * afterwards.
 */
final class A64CallLowering {
    private A64CallLowering() {
    }

    /** Outgoing stack slots the function needs for its calls' stack arguments. */
    static int maxOutgoingSlots(Module m, IrFunction f) {
        return CallSignatures.max(m, f, t -> ArgumentPlaces.stackSlots(A64CallingConvention.parameters(t)));
    }

    static void lower(A64Function fn, Instruction i) {
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

    private static void call(A64Function fn, Instruction i, FuncType t, int argCount, boolean indirect) {
        A64Assembler asm = fn.asm;
        int funcIndex = (int) i.imm;
        boolean imported = !indirect && fn.module.isImportedFunction(funcIndex);
        GeneralRegister descriptor = SCRATCH3;
        if (indirect) {
            // X15 = the element's descriptor, checked; taken before the argument moves clobber anything
            A64MemoryLowering.tableRecord(fn, SCRATCH, (int) i.imm2, SCRATCH2);
            GeneralRegister index = fn.iget(i.args[argCount], SCRATCH2); // zero-extended
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
            asm.b(Condition.NE, fn.trap(TrapKind.INDIRECT_CALL_TYPE_MISMATCH, i.wasmOffset));
        } else if (imported) {
            asm.ldr(descriptor, Address.offset(VMCTX, VmContextLayout.FUNCTIONS));
            asm.ldr(descriptor, fn.field(descriptor, 8L * funcIndex, 8, SCRATCH));
        }
        passArguments(fn, i, t, argCount);
        int returnOffset;
        if (indirect || imported) {
            asm.ldr(X0, Address.offset(descriptor, VmContextLayout.FUNC_VMCTX));
            asm.ldr(SCRATCH, Address.offset(descriptor, VmContextLayout.FUNC_CODE));
            returnOffset = fn.call(() -> asm.blr(SCRATCH));
            fn.callSite(returnOffset, i.wasmOffset);
            fn.checkTrapAfterCall(i.wasmOffset);
        } else {
            asm.mov(X0, VMCTX);
            returnOffset = fn.call(() -> asm.bl(fn.symbols.of(funcIndex)));
            fn.callSite(returnOffset, i.wasmOffset);
        }
        takeResults(fn, i, t);
    }

    /** Stack arguments first (they read only locations), then the register arguments as one parallel move. */
    private static void passArguments(A64Function fn, Instruction i, FuncType t, int argCount) {
        A64Assembler asm = fn.asm;
        ArgumentPlaces.Place[] places = A64CallingConvention.parameters(t);
        for (int k = 0; k < argCount; k++) {
            if (!places[k].onStack()) continue;
            int v = i.args[k];
            A64Register r = A64RegisterFile.isFloat(t.param(k)) ? fn.fget(v, A64Function.FSCRATCH).d() : fn.iget(v, SCRATCH2);
            asm.str(r, fn.field(SP, A64Frame.outgoingOffset(places[k].stackIndex()), 8, SCRATCH));
        }
        List<ParallelMoves.Move> moves = new ArrayList<>();
        for (int k = 0; k < argCount; k++) {
            if (places[k].onStack()) continue;
            moves.add(new ParallelMoves.Move(fn.location(i.args[k]), places[k].register(), t.param(k)));
        }
        fn.parallelMove(moves);
    }

    private static void takeResults(A64Function fn, Instruction i, FuncType t) {
        A64Assembler asm = fn.asm;
        if (ArgumentPlaces.usesReturnArea(t)) {
            asm.ldr(SCRATCH2, Address.offset(VMCTX, VmContextLayout.STATE));
            for (int k = 0; k < i.results.length; k++) {
                int r = i.results[k];
                if (fn.location(r) == Location.NONE) continue;
                Address src = Address.offset(SCRATCH2, ExecutionStateLayout.RETURN_AREA + 8L * k); // < 8 KiB
                if (A64RegisterFile.isFloat(t.result(k))) {
                    VectorRegister d = fn.fdst(r, A64Function.FSCRATCH);
                    asm.ldr(d.d(), src);
                    fn.fput(r, d);
                } else {
                    GeneralRegister d = fn.idst(r, SCRATCH);
                    asm.ldr(d, src);
                    fn.iput(r, d);
                }
            }
        } else if (i.results.length == 1 && fn.location(i.result()) != Location.NONE) {
            if (A64RegisterFile.isFloat(t.result(0))) {
                fn.fput(i.result(), VectorRegister.D0);
            } else {
                // AAPCS64 leaves the upper half of a 32-bit result unspecified (host functions): zero-extend
                if (t.result(0) == ValType.I32) asm.mov(GeneralRegister.W0, GeneralRegister.W0);
                fn.iput(i.result(), X0);
            }
        }
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
        if (i.results.length == 1 && fn.location(i.result()) != Location.NONE) {
            asm.mov(GeneralRegister.W0, GeneralRegister.W0); // helpers with results return i32
            fn.iput(i.result(), X0);
        }
    }
}
