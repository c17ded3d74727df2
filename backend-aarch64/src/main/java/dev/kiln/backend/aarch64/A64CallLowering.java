package dev.kiln.backend.aarch64;

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

import static dev.kiln.backend.aarch64.A64Function.SCRATCH;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH2;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH3;
import static dev.kiln.backend.aarch64.A64Function.VMCTX;
import static dev.kiln.backend.aarch64.GeneralRegister.SP;
import static dev.kiln.backend.aarch64.GeneralRegister.X0;

/**
 * Calls, under the internal calling convention ({@link A64CallingConvention}). A function of the
 * same module is called directly by symbol ({@code bl}, R_AARCH64_CALL26); an imported one through
 * its funcref descriptor in the VMContext's function array (code address and callee VMContext);
 * call_indirect through the table element's descriptor after the spec's checks (bounds, null,
 * canonical type id). The descriptor is held in X15 while the arguments move. A call through a
 * descriptor may enter another instance: it copies the stack limit into the callee's VMContext,
 * switches X19/X20 to the callee's, and afterwards takes the caller's back from its frame. The
 * callee pops the stack arguments, so the caller re-reserves its outgoing area after the call.
 * Runtime helpers are called through the VMContext's helper table with the C convention. Calls
 * that can end in the runtime (imports, indirect calls, trapping helpers) check the execution
 * state's trap code afterwards.
 */
final class A64CallLowering {
    private A64CallLowering() {
    }

    /** Bytes of outgoing stack-argument area the function needs for its calls. */
    static int outgoingBytes(Module m, IrFunction f) {
        return CallSignatures.max(m, f, t -> A64CallingConvention.parameters(t).stackBytes());
    }

    static void lower(A64Function fn, Instruction i) {
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
     * or call_indirect the callee's funcref descriptor in X15 (for call_indirect after the spec's
     * checks), taken before the argument moves clobber anything. Returns true for the latter.
     */
    private static boolean loadDescriptor(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        int funcIndex = (int) i.imm;
        GeneralRegister descriptor = SCRATCH3;
        if (i.op == Opcode.CALL_INDIRECT) {
            A64MemoryLowering.tableRecord(fn, SCRATCH, (int) i.imm2, SCRATCH2);
            GeneralRegister index = fn.iget(i.args[argumentCount(i)], SCRATCH2); // zero-extended
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
            return true;
        }
        if (fn.module.isImportedFunction(funcIndex)) {
            asm.ldr(descriptor, Address.offset(VMCTX, VmContextLayout.FUNCTIONS));
            asm.ldr(descriptor, fn.field(descriptor, 8L * funcIndex, 8, SCRATCH));
            return true;
        }
        return false;
    }

    private static void call(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        FuncType t = CallSignatures.of(fn.module, i);
        boolean viaDescriptor = loadDescriptor(fn, i);
        int stackBytes = passArguments(fn, i, t, argumentCount(i));
        int returnOffset;
        if (viaDescriptor) {
            enterInstance(asm, SCRATCH3);
            asm.ldr(SCRATCH, Address.offset(SCRATCH3, VmContextLayout.FUNC_CODE));
            returnOffset = fn.call(() -> asm.blr(SCRATCH));
            fn.callSite(returnOffset, i.wasmOffset);
            A64Function.reserveOutgoing(asm, stackBytes); // the callee popped them
            asm.ldr(VMCTX, Address.offset(GeneralRegister.FP, fn.frame.vmContextOffset()));
            asm.ldr(A64Function.MEMBASE, Address.offset(VMCTX, VmContextLayout.MEMORY_BASE));
            fn.checkTrapAfterCall(i.wasmOffset);
        } else {
            returnOffset = fn.call(() -> asm.bl(fn.symbols.of((int) i.imm)));
            fn.callSite(returnOffset, i.wasmOffset);
            A64Function.reserveOutgoing(asm, stackBytes);
        }
        takeResults(fn, i, t);
    }

    /**
     * A tail call ({@link dev.kiln.ir.Terminator.ReturnCall}): {@code i} is the call it makes. The
     * arguments are staged as for a call (stack arguments in the outgoing area), then the frame is
     * replaced by the callee's ({@link A64Function#replaceFrame}) and control branches to the callee,
     * which returns to this function's caller. Through a descriptor whose VMContext is not this
     * instance's, the callee runs under an instance-return record unless this frame already returns
     * to one (then that record already restores the right instance).
     */
    static void tailCall(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        FuncType t = CallSignatures.of(fn.module, i);
        boolean viaDescriptor = loadDescriptor(fn, i);
        int stackBytes = passArguments(fn, i, t, argumentCount(i));
        if (!viaDescriptor) {
            fn.replaceFrame(stackBytes, false);
            asm.b(fn.symbols.of((int) i.imm));
            return;
        }
        Label otherInstance = asm.newLabel(), newRecord = asm.newLabel();
        asm.ldr(SCRATCH, Address.offset(SCRATCH3, VmContextLayout.FUNC_VMCTX));
        asm.cmp(SCRATCH, VMCTX);
        asm.b(Condition.NE, otherInstance);
        fn.replaceFrame(stackBytes, false);
        jumpThrough(asm, SCRATCH3);
        asm.bind(otherInstance);
        asm.ldrLiteralAddress(SCRATCH, Backend.INSTANCE_RETURN_SYMBOL, 0);
        asm.ldr(SCRATCH2, Address.offset(GeneralRegister.FP, 8));
        asm.cmp(SCRATCH, SCRATCH2);
        asm.b(Condition.NE, newRecord);
        fn.replaceFrame(stackBytes, false);
        enterInstance(asm, SCRATCH3);
        jumpThrough(asm, SCRATCH3);
        asm.bind(newRecord);
        fn.replaceFrame(stackBytes, true);
        enterInstance(asm, SCRATCH3);
        jumpThrough(asm, SCRATCH3);
    }

    /** {@code ldr x16, [descriptor, #FUNC_CODE]; br x16}. */
    private static void jumpThrough(A64Assembler asm, GeneralRegister descriptor) {
        asm.ldr(SCRATCH, Address.offset(descriptor, VmContextLayout.FUNC_CODE));
        asm.br(SCRATCH);
    }

    /**
     * Switches the pinned registers to the instance of the funcref descriptor in {@code descriptor}:
     * the stack limit is copied into its VMContext first (the callee checks against its own).
     * Uses X16; leaves argument registers alone.
     */
    static void enterInstance(A64Assembler asm, GeneralRegister descriptor) {
        asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.STACK_LIMIT));
        asm.ldr(VMCTX, Address.offset(descriptor, VmContextLayout.FUNC_VMCTX));
        asm.str(SCRATCH, Address.offset(VMCTX, VmContextLayout.STACK_LIMIT));
        asm.ldr(A64Function.MEMBASE, Address.offset(VMCTX, VmContextLayout.MEMORY_BASE));
    }

    /**
     * Stack arguments first (they read only locations), then the register arguments as one
     * parallel move; returns the bytes of stack arguments.
     */
    private static int passArguments(A64Function fn, Instruction i, FuncType t, int argCount) {
        A64Assembler asm = fn.asm;
        ArgumentPlaces.Parameters places = A64CallingConvention.parameters(t);
        for (int k = 0; k < argCount; k++) {
            if (!places.place(k).onStack()) continue;
            int v = i.args[k];
            ValType type = t.param(k);
            A64Register r = A64RegisterFile.isFloat(type) ? A64Function.spillView(fn.fget(v, A64Function.FSCRATCH), type)
                    : fn.iget(v, SCRATCH2);
            asm.str(r, fn.field(SP, places.place(k).stackOffset(), type == ValType.V128 ? 16 : 8, SCRATCH));
        }
        List<ParallelMoves.Move> moves = new ArrayList<>();
        for (int k = 0; k < argCount; k++) {
            if (places.place(k).onStack()) continue;
            moves.add(new ParallelMoves.Move(fn.location(i.args[k]), places.place(k).register(), t.param(k)));
        }
        fn.parallelMove(moves);
        return places.stackBytes();
    }

    private static void takeResults(A64Function fn, Instruction i, FuncType t) {
        A64Assembler asm = fn.asm;
        if (ArgumentPlaces.usesReturnArea(t)) {
            asm.ldr(SCRATCH2, Address.offset(VMCTX, VmContextLayout.STATE));
            for (int k = 0; k < i.results.length; k++) {
                int r = i.results[k];
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
        } else if (i.results.length == 1 && fn.location(i.result()) != Location.NONE) {
            if (A64RegisterFile.isFloat(t.result(0))) {
                fn.fput(i.result(), A64Function.view(A64CallingConvention.FLOAT_RESULT, t.result(0)));
            } else {
                if (t.result(0) == ValType.I32) asm.mov(GeneralRegister.W0, GeneralRegister.W0);
                fn.iput(i.result(), A64CallingConvention.INT_RESULT);
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
