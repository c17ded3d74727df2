package dev.kiln.backend.aarch64;

import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.MachineCode;

import java.util.List;

import static dev.kiln.backend.aarch64.GeneralRegister.*;
import static dev.kiln.backend.aarch64.VectorRegister.*;

/**
 * The two pieces of native code the runtime needs besides compiled functions.
 *
 * <p><b>Entry trampoline</b> (one per function type), {@code int entry(vmctx, fn, argbuf, limit)}:
 * <pre>
 *   stp x29, x30, [sp, #-16]!; mov x29, sp
 *   save x19-x28 and d8-d15                                  ; [x29-16 .. x29-144]
 *   save state.ENTRY_SP, ENTRY_FP, STACK_LIMIT, argbuf, vmctx  ; [x29-160 .. x29-192]; sp = x29 - 192
 *   state.ENTRY_SP = sp; state.ENTRY_FP = x29; state.STACK_LIMIT = limit; state.TRAP_CODE = 0
 *   load the arguments from argbuf into AAPCS64 registers and stack slots; blr fn
 *   store the result(s) into argbuf; w0 = 0
 * exit:                                                      ; the trap routine joins here
 *   restore STACK_LIMIT, ENTRY_FP, ENTRY_SP; restore d15..d8, x28..x19; ldp x29, x30; ret
 * </pre>
 * <p><b>Trap routine</b> {@code kiln_trap(vmctx, code)}: stores the code (0 keeps one the runtime
 * already stored), records its return address (x30) and each caller's along the frame-record
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
        asm.ldr(X9, Address.offset(X16, ExecutionStateLayout.STACK_LIMIT));
        asm.stp(X9, X2, Address.preIndex(SP, -16));
        asm.str(X0, Address.preIndex(SP, -16));
        asm.mov(X9, SP);
        asm.str(X9, Address.offset(X16, ExecutionStateLayout.ENTRY_SP));
        asm.str(FP, Address.offset(X16, ExecutionStateLayout.ENTRY_FP));
        asm.str(X3, Address.offset(X16, ExecutionStateLayout.STACK_LIMIT));
        asm.str(WZR, Address.offset(X16, ExecutionStateLayout.TRAP_CODE));

        ArgumentPlaces.Place[] places = A64CallingConvention.parameters(t);
        int stackSlots = ArgumentPlaces.stackSlots(places);
        int stackBytes = (8 * stackSlots + 15) & ~15;
        if (stackBytes > 0) {
            if (AddSubOp.isImmediateEncodable(stackBytes)) {
                asm.sub(SP, SP, stackBytes);
            } else {
                asm.mov(X9, stackBytes);
                asm.sub(SP, SP, X9);
            }
        }
        asm.mov(X17, X1); // the function
        asm.mov(X9, X2);  // the argument buffer
        for (int i = 0; i < places.length; i++) {
            Address src = Address.offset(X9, 8L * i);
            ValType p = t.param(i);
            if (places[i].onStack()) {
                asm.ldr(p == ValType.I32 ? W10 : X10, src); // an i32 zero-extended
                asm.str(X10, Address.offset(SP, 8L * places[i].stackIndex()));
            } else if (A64RegisterFile.isVector(places[i].register())) {
                VectorRegister v = A64RegisterFile.fpr(places[i].register());
                asm.ldr(p == ValType.F32 ? v.s() : v.d(), src);
            } else {
                GeneralRegister g = A64RegisterFile.gpr(places[i].register());
                asm.ldr(p == ValType.I32 ? g.w() : g, src);
            }
        }
        asm.blr(X17);
        asm.ldr(X9, Address.offset(FP, SAVED_LIMIT_ARGBUF + 8)); // argbuf
        if (ArgumentPlaces.usesReturnArea(t)) {
            asm.ldr(X10, Address.offset(FP, SAVED_VMCTX));
            asm.ldr(X10, Address.offset(X10, VmContextLayout.STATE));
            for (int i = 0; i < t.resultCount(); i++) {
                asm.ldr(X11, Address.offset(X10, ExecutionStateLayout.RETURN_AREA + 8L * i));
                asm.str(X11, Address.offset(X9, 8L * i));
            }
        } else if (t.resultCount() == 1) {
            if (A64RegisterFile.isFloat(t.result(0))) asm.str(D0, Address.base(X9));
            else asm.str(X0, Address.base(X9));
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
        asm.str(X9, Address.offset(X16, ExecutionStateLayout.STACK_LIMIT));
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

    static MachineCode trapRoutine() {
        A64Assembler asm = new A64Assembler(false);
        GeneralRegister state = X16, frames = X11, count = X9, frame = X10;
        asm.ldr(state, Address.offset(X0, VmContextLayout.STATE));
        Label keep = asm.newLabel();
        asm.cbz(W1, keep);
        asm.str(W1, Address.offset(state, ExecutionStateLayout.TRAP_CODE));
        asm.bind(keep);
        // frames: the return address into the trapping function, then each caller's
        asm.mov(frames, ExecutionStateLayout.FRAMES);
        asm.add(frames, state, frames);
        asm.str(LR, Address.base(frames));
        asm.mov(count, 1);
        asm.mov(frame, FP);
        Label walk = asm.newLabel(), done = asm.newLabel();
        asm.bind(walk);
        asm.ldr(X12, Address.offset(state, ExecutionStateLayout.ENTRY_FP));
        asm.cmp(frame, X12);
        asm.b(Condition.EQ, done);
        asm.cbz(frame, done);
        asm.cmp(count, ExecutionStateLayout.MAX_FRAMES);
        asm.b(Condition.HS, done);
        asm.ldr(X12, Address.offset(frame, 8));
        asm.str(X12, Address.index(frames, count, 3));
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
