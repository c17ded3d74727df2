package dev.kiln.backend.aarch64;

import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.RuntimeHelper;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.MachineCode;

import java.util.List;

import static dev.kiln.backend.aarch64.GeneralRegister.*;
import static dev.kiln.backend.aarch64.VectorRegister.*;

/**
 * The two pieces of native code the runtime needs besides compiled functions; they translate
 * between the C convention (AAPCS64) Java calls with and kiln's internal convention.
 *
 * <p><b>Entry trampoline</b> (one per function type), {@code int entry(vmctx, fn, argbuf, limit)}:
 * <pre>
 *   stp x29, x30, [sp, #-16]!; mov x29, sp
 *   save x19-x28 and d8-d15                                  ; [x29-16 .. x29-144]
 *   save state.ENTRY_SP, ENTRY_FP, vmctx.STACK_LIMIT, argbuf, vmctx  ; [x29-160 .. x29-192]; sp = x29 - 192
 *   state.ENTRY_SP = sp; state.ENTRY_FP = x29; vmctx.STACK_LIMIT = limit; state.TRAP_CODE = 0
 *   x19 = vmctx; x20 = vmctx.MEMORY_BASE                     ; the pinned registers
 *   load the arguments from argbuf (16 bytes each) into their registers and stack places; blr fn
 *   store the result(s) into argbuf; w0 = 0                  ; fn popped its stack arguments
 * exit:                                                      ; the trap routine joins here
 *   restore STACK_LIMIT, ENTRY_FP, ENTRY_SP; restore d15..d8, x28..x19; ldp x29, x30; ret
 * </pre>
 * <p><b>Trap routine</b> {@code kiln_trap}, called from kiln code with the trap code in W1 (X19 is
 * the running instance's VMContext): stores the code (0 keeps one the runtime already stored), records its return address (x30) and each caller's along the frame-record
 * chain ({@code [x29]} = caller's x29, {@code [x29+8]} = return address) up to the trampoline's
 * frame into state.FRAMES, then restores sp from state.ENTRY_SP and runs the trampoline's exit
 * sequence, so the trampoline returns the trap code to Java. No Java frame is ever skipped: a trap
 * unwinds only to the innermost trampoline.
 */
final class A64RuntimeStubs {
    /** Bytes below the trampoline's frame record: x19-x28, d8-d15, three state fields, argbuf, vmctx (padded). */
    static final int SAVED_BYTES = 192;
    private static final int SAVED_STATE_SP_FP = -160;
    private static final int SAVED_LIMIT_ARGBUF = -176;
    private static final int SAVED_VMCTX = -192;
    private static final A64Register[][] SAVED_PAIRS = {
            {X19, X20}, {X21, X22}, {X23, X24}, {X25, X26}, {X27, X28}, {D8, D9}, {D10, D11}, {D12, D13}, {D14, D15}};

    private A64RuntimeStubs() {
    }

    static MachineCode entryTrampoline(FuncType t, String symbol) {
        A64Assembler asm = new A64Assembler(false);
        asm.stp(FP, LR, Address.preIndex(SP, -16));
        asm.mov(FP, SP);
        for (A64Register[] pair : SAVED_PAIRS) asm.stp(pair[0], pair[1], Address.preIndex(SP, -16));
        asm.ldr(X16, Address.offset(X0, VmContextLayout.STATE));
        asm.ldr(X9, Address.offset(X16, ExecutionStateLayout.ENTRY_SP));
        asm.ldr(X10, Address.offset(X16, ExecutionStateLayout.ENTRY_FP));
        asm.stp(X9, X10, Address.preIndex(SP, -16));
        asm.ldr(X9, Address.offset(X0, VmContextLayout.STACK_LIMIT));
        asm.stp(X9, X2, Address.preIndex(SP, -16));
        asm.str(X0, Address.preIndex(SP, -16));
        asm.mov(X9, SP);
        asm.str(X9, Address.offset(X16, ExecutionStateLayout.ENTRY_SP));
        asm.str(FP, Address.offset(X16, ExecutionStateLayout.ENTRY_FP));
        asm.str(X3, Address.offset(X0, VmContextLayout.STACK_LIMIT));
        asm.str(WZR, Address.offset(X16, ExecutionStateLayout.TRAP_CODE));
        asm.mov(A64Function.VMCTX, X0);
        asm.ldr(A64Function.MEMBASE, Address.offset(X0, VmContextLayout.MEMORY_BASE));

        ArgumentPlaces.Parameters places = A64CallingConvention.parameters(t);
        A64Function.reserveOutgoing(asm, places.stackBytes());
        asm.mov(X17, X1); // the function
        asm.mov(X9, X2);  // the argument buffer
        for (int i = 0; i < places.count(); i++) { // offsets below 16 KiB: encodable for every access size
            Address src = Address.offset(X9, ArgumentPlaces.bufferOffset(i));
            ValType p = t.param(i);
            ArgumentPlaces.Place place = places.place(i);
            if (place.onStack()) {
                A64Register temp = p == ValType.V128 ? D31.q() : p == ValType.I32 ? W11 : X11; // an i32 zero-extended
                asm.ldr(temp, src);
                asm.str(temp == W11 ? X11 : temp, Address.offset(SP, place.stackOffset()));
            } else if (A64RegisterFile.isVector(place.register())) {
                VectorRegister v = A64RegisterFile.fpr(place.register());
                asm.ldr(A64Function.view(v, p), src);
            } else {
                GeneralRegister g = A64RegisterFile.gpr(place.register());
                asm.ldr(p == ValType.I32 ? g.w() : g, src);
            }
        }
        asm.blr(X17);
        asm.ldr(X9, Address.offset(FP, SAVED_LIMIT_ARGBUF + 8)); // argbuf
        if (ArgumentPlaces.usesReturnArea(t)) {
            asm.ldr(X10, Address.offset(FP, SAVED_VMCTX));
            asm.ldr(X10, Address.offset(X10, VmContextLayout.STATE));
            for (int i = 0; i < t.resultCount(); i++) {
                asm.ldr(D31.q(), Address.offset(X10, ExecutionStateLayout.returnSlot(i)));
                asm.str(D31.q(), Address.offset(X9, ArgumentPlaces.bufferOffset(i)));
            }
        } else if (t.resultCount() == 1) {
            ValType r = t.result(0);
            if (A64RegisterFile.isFloat(r)) asm.str(A64Function.spillView(A64CallingConvention.FLOAT_RESULT, r), Address.base(X9));
            else asm.str(A64CallingConvention.INT_RESULT, Address.base(X9));
        }
        asm.mov(W0, 0);
        asm.sub(SP, FP, SAVED_BYTES);
        exitSequence(asm);
        return asm.finish().toMachineCode(-1, symbol, List.of(), 0);
    }

    /** With sp = x29 - 192 of a trampoline and w0 = the result code: restore and return to Java. */
    private static void exitSequence(A64Assembler asm) {
        asm.ldr(X1, Address.offset(FP, SAVED_VMCTX));
        asm.ldr(X16, Address.offset(X1, VmContextLayout.STATE));
        asm.ldr(X9, Address.offset(FP, SAVED_LIMIT_ARGBUF));
        asm.str(X9, Address.offset(X1, VmContextLayout.STACK_LIMIT));
        asm.ldp(X9, X10, Address.offset(FP, SAVED_STATE_SP_FP));
        asm.str(X9, Address.offset(X16, ExecutionStateLayout.ENTRY_SP));
        asm.str(X10, Address.offset(X16, ExecutionStateLayout.ENTRY_FP));
        for (int k = SAVED_PAIRS.length - 1; k >= 0; k--) {
            asm.ldp(SAVED_PAIRS[k][0], SAVED_PAIRS[k][1], Address.offset(FP, -16 * (k + 1)));
        }
        asm.mov(SP, FP);
        asm.ldp(FP, LR, Address.postIndex(SP, 16));
        asm.ret();
    }

    /** {@code long probe()}: the caller's stack pointer (a call does not move sp on AArch64). */
    static MachineCode stackPointerProbe() {
        A64Assembler asm = new A64Assembler(false);
        asm.mov(X0, SP);
        asm.ret();
        return asm.finish().toMachineCode(-1, "kiln_stack_pointer", List.of(), 0);
    }

    /**
     * {@code ldr x19, [sp]; ldp x29, x30, [sp, #16]; add sp, sp, #32; ldr x20, [x19, #MEMORY_BASE];
     * ret}: see {@link Backend#instanceReturn}.
     */
    static MachineCode instanceReturn() {
        A64Assembler asm = new A64Assembler(false);
        asm.ldr(A64Function.VMCTX, Address.base(SP));
        asm.ldp(FP, LR, Address.offset(SP, 16));
        asm.add(SP, SP, Backend.INSTANCE_RECORD_BYTES);
        asm.ldr(A64Function.MEMBASE, Address.offset(A64Function.VMCTX, VmContextLayout.MEMORY_BASE));
        asm.ret();
        return asm.finish().toMachineCode(-1, Backend.INSTANCE_RETURN_SYMBOL, List.of(), 0);
    }

    static MachineCode trapRoutine() {
        A64Assembler asm = new A64Assembler(false);
        GeneralRegister state = X16, frames = X11, count = X9, frame = X10;
        asm.ldr(state, Address.offset(A64Function.VMCTX, VmContextLayout.STATE));
        Label keep = asm.newLabel();
        asm.cbz(W1, keep);
        asm.str(W1, Address.offset(state, ExecutionStateLayout.TRAP_CODE));
        asm.bind(keep);
        // a Wasm exception: the runtime looks for a frame with a dispatch for it before anything unwinds
        Label noHandler = asm.newLabel();
        asm.ldr(W12, Address.offset(state, ExecutionStateLayout.TRAP_CODE));
        asm.cmp(W12, ExecutionStateLayout.THROW);
        asm.b(Condition.NE, noHandler);
        asm.mov(X21, LR);                                 // kept by the C convention
        asm.mov(X0, A64Function.VMCTX);
        asm.mov(X1, LR);                                  // the return address into the code that threw
        asm.mov(X2, FP);
        asm.mov(W5, RuntimeHelper.FIND_HANDLER.ordinal());
        asm.ldr(X16, Address.offset(A64Function.VMCTX, VmContextLayout.helper(RuntimeHelper.FIND_HANDLER)));
        asm.blr(X16);
        asm.mov(LR, X21);
        asm.ldr(state, Address.offset(A64Function.VMCTX, VmContextLayout.STATE));
        asm.cbz(X0, noHandler);
        asm.ldr(FP, Address.offset(state, ExecutionStateLayout.HANDLER_FP));
        asm.br(X0);                                       // the dispatch restores SP and the pinned registers
        asm.bind(noHandler);
        // frames: the return address into the trapping function, then each caller's
        asm.mov(frames, ExecutionStateLayout.FRAMES);
        asm.add(frames, state, frames);
        asm.str(LR, Address.base(frames));
        asm.mov(count, 1);
        asm.mov(frame, FP);
        Label walk = asm.newLabel(), counted = asm.newLabel(), done = asm.newLabel();
        asm.bind(walk);
        asm.ldr(X12, Address.offset(state, ExecutionStateLayout.ENTRY_FP));
        asm.cmp(frame, X12);
        asm.b(Condition.EQ, done);
        asm.cbz(frame, done);
        asm.cmp(count, ExecutionStateLayout.MAX_FRAMES);
        asm.b(Condition.HS, counted);                    // past the recorded frames: only counted
        asm.ldr(X12, Address.offset(frame, 8));
        asm.str(X12, Address.index(frames, count, 3));
        asm.bind(counted);
        asm.add(count, count, 1);
        asm.ldr(frame, Address.base(frame));
        asm.b(walk);
        asm.bind(done);
        asm.str(count, Address.offset(state, ExecutionStateLayout.FRAME_COUNT));
        asm.ldr(W0, Address.offset(state, ExecutionStateLayout.TRAP_CODE));
        asm.ldr(X9, Address.offset(state, ExecutionStateLayout.ENTRY_SP));
        asm.mov(SP, X9);
        asm.add(FP, SP, SAVED_BYTES); // the trampoline's frame
        exitSequence(asm);
        return asm.finish().toMachineCode(-1, Backend.TRAP_SYMBOL, List.of(), 0);
    }
}
