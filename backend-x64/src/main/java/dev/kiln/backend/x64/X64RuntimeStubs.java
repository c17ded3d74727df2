package dev.kiln.backend.x64;

import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.MachineCode;

import java.util.List;

import static dev.kiln.backend.x64.MemoryOperand.mem;

/**
 * The two pieces of native code the runtime needs besides compiled functions.
 *
 * <p><b>Entry trampoline</b> (one per function type), {@code int entry(vmctx, fn, argbuf, limit)}:
 * <pre>
 *   push rbp; mov rbp, rsp; push rbx, r12, r13, r14, r15
 *   push state.ENTRY_SP, state.ENTRY_FP, state.STACK_LIMIT     ; restored on the way out (nesting)
 *   push argbuf; push vmctx                                     ; rsp = rbp - 80, 16-byte aligned
 *   state.ENTRY_SP = rsp; state.ENTRY_FP = rbp; state.STACK_LIMIT = limit; state.TRAP_CODE = 0
 *   load the arguments from argbuf into SysV registers and stack slots; call fn
 *   store the result(s) into argbuf; eax = 0
 * exit:                                                         ; the trap routine joins here
 *   pop vmctx, argbuf; restore STACK_LIMIT, ENTRY_FP, ENTRY_SP; pop r15..rbx, rbp; ret
 * </pre>
 * <p><b>Trap routine</b> {@code kiln_trap(vmctx, code)}: stores the code (0 keeps one the runtime
 * already stored), records the return address and each caller's along the RBP chain up to the
 * trampoline's frame into state.FRAMES, then restores rsp from state.ENTRY_SP and runs the
 * trampoline's exit sequence, so the trampoline returns the trap code to Java. No Java frame is
 * ever skipped: a trap unwinds only to the innermost trampoline.
 */
final class X64RuntimeStubs {
    private static final int SAVED_BYTES = 80; // rbp-relative: 5 callee-saved, 3 state fields, argbuf, vmctx

    private X64RuntimeStubs() {
    }

    static MachineCode entryTrampoline(FuncType t, String symbol) {
        X64Assembler asm = new X64Assembler(false);
        asm.push(Gpr.RBP);
        asm.mov(Width.QWORD, Gpr.RBP, Gpr.RSP);
        for (Gpr g : new Gpr[] {Gpr.RBX, Gpr.R12, Gpr.R13, Gpr.R14, Gpr.R15}) asm.push(g);
        asm.mov(Width.QWORD, Gpr.R11, mem(Gpr.RDI, VmContextLayout.STATE));
        asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.R11, ExecutionStateLayout.ENTRY_SP));
        asm.push(Gpr.RAX);
        asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.R11, ExecutionStateLayout.ENTRY_FP));
        asm.push(Gpr.RAX);
        asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.R11, ExecutionStateLayout.STACK_LIMIT));
        asm.push(Gpr.RAX);
        asm.push(Gpr.RDX);
        asm.push(Gpr.RDI);
        asm.mov(Width.QWORD, mem(Gpr.R11, ExecutionStateLayout.ENTRY_SP), Gpr.RSP);
        asm.mov(Width.QWORD, mem(Gpr.R11, ExecutionStateLayout.ENTRY_FP), Gpr.RBP);
        asm.mov(Width.QWORD, mem(Gpr.R11, ExecutionStateLayout.STACK_LIMIT), Gpr.RCX);
        asm.mov(Width.DWORD, mem(Gpr.R11, ExecutionStateLayout.TRAP_CODE), 0);

        ArgumentPlaces.Place[] places = X64CallingConvention.parameters(t);
        int stackSlots = ArgumentPlaces.stackSlots(places);
        int stackBytes = (8 * stackSlots + 15) & ~15;
        if (stackBytes > 0) asm.alu(AluOp.SUB, Width.QWORD, Gpr.RSP, stackBytes);
        asm.mov(Width.QWORD, Gpr.RAX, Gpr.RSI); // the function
        asm.mov(Width.QWORD, Gpr.R10, Gpr.RDX); // the argument buffer
        for (int i = 0; i < places.length; i++) {
            MemoryOperand src = mem(Gpr.R10, 8 * i);
            ValType p = t.param(i);
            if (places[i].onStack()) {
                asm.mov(Width.QWORD, Gpr.R11, src);
                if (p == ValType.I32) asm.mov(Width.DWORD, Gpr.R11, Gpr.R11);
                asm.mov(Width.QWORD, mem(Gpr.RSP, 8 * places[i].stackIndex()), Gpr.R11);
            } else if (X64RegisterFile.isXmm(places[i].register())) {
                Xmm x = X64RegisterFile.xmm(places[i].register());
                if (p == ValType.F32) asm.movss(x, src);
                else asm.movsd(x, src);
            } else {
                Gpr g = X64RegisterFile.gpr(places[i].register());
                asm.mov(p == ValType.I32 ? Width.DWORD : Width.QWORD, g, src); // i32 zero-extended
            }
        }
        asm.call(Gpr.RAX);
        asm.mov(Width.QWORD, Gpr.R10, mem(Gpr.RBP, -72)); // argbuf
        if (ArgumentPlaces.usesReturnArea(t)) {
            asm.mov(Width.QWORD, Gpr.R11, mem(Gpr.RBP, -80)); // vmctx
            asm.mov(Width.QWORD, Gpr.R11, mem(Gpr.R11, VmContextLayout.STATE));
            for (int i = 0; i < t.resultCount(); i++) {
                asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.R11, ExecutionStateLayout.RETURN_AREA + 8 * i));
                asm.mov(Width.QWORD, mem(Gpr.R10, 8 * i), Gpr.RAX);
            }
        } else if (t.resultCount() == 1) {
            if (X64RegisterFile.isFloat(t.result(0))) asm.movsd(mem(Gpr.R10, 0), Xmm.XMM0);
            else asm.mov(Width.QWORD, mem(Gpr.R10, 0), Gpr.RAX);
        }
        asm.alu(AluOp.XOR, Width.DWORD, Gpr.RAX, Gpr.RAX);
        asm.lea(Width.QWORD, Gpr.RSP, mem(Gpr.RBP, -SAVED_BYTES));
        exitSequence(asm);
        return asm.finish().toMachineCode(-1, symbol, List.of(), 0);
    }

    /** With rsp = rbp - 80 of a trampoline and eax = the result code: restore and return to Java. */
    private static void exitSequence(X64Assembler asm) {
        asm.pop(Gpr.RDI);                                   // vmctx
        asm.pop(Gpr.RDX);                                   // argbuf
        asm.mov(Width.QWORD, Gpr.R11, mem(Gpr.RDI, VmContextLayout.STATE));
        asm.pop(Gpr.RCX);
        asm.mov(Width.QWORD, mem(Gpr.R11, ExecutionStateLayout.STACK_LIMIT), Gpr.RCX);
        asm.pop(Gpr.RCX);
        asm.mov(Width.QWORD, mem(Gpr.R11, ExecutionStateLayout.ENTRY_FP), Gpr.RCX);
        asm.pop(Gpr.RCX);
        asm.mov(Width.QWORD, mem(Gpr.R11, ExecutionStateLayout.ENTRY_SP), Gpr.RCX);
        for (Gpr g : new Gpr[] {Gpr.R15, Gpr.R14, Gpr.R13, Gpr.R12, Gpr.RBX}) asm.pop(g);
        asm.pop(Gpr.RBP);
        asm.ret();
    }

    /** {@code long probe()}: the caller's stack pointer once the call has returned (rsp + 8 inside). */
    static MachineCode stackPointerProbe() {
        X64Assembler asm = new X64Assembler(false);
        asm.lea(Width.QWORD, Gpr.RAX, mem(Gpr.RSP, 8));
        asm.ret();
        return asm.finish().toMachineCode(-1, "kiln_stack_pointer", List.of(), 0);
    }

    static MachineCode trapRoutine() {
        X64Assembler asm = new X64Assembler(false);
        Gpr state = Gpr.R11;
        asm.mov(Width.QWORD, state, mem(Gpr.RDI, VmContextLayout.STATE));
        Label keep = asm.newLabel();
        asm.test(Width.DWORD, Gpr.RSI, Gpr.RSI);
        asm.jcc(Condition.E, keep);
        asm.mov(Width.DWORD, mem(state, ExecutionStateLayout.TRAP_CODE), Gpr.RSI);
        asm.bind(keep);
        // frames: the return address into the trapping function, then each caller's
        asm.alu(AluOp.XOR, Width.DWORD, Gpr.RCX, Gpr.RCX);
        asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.RSP, 0));
        asm.mov(Width.QWORD, mem(state, Gpr.RCX, 8, ExecutionStateLayout.FRAMES), Gpr.RAX);
        asm.alu(AluOp.ADD, Width.DWORD, Gpr.RCX, 1);
        asm.mov(Width.QWORD, Gpr.RDX, Gpr.RBP);
        Label walk = asm.newLabel(), done = asm.newLabel();
        asm.bind(walk);
        asm.alu(AluOp.CMP, Width.QWORD, Gpr.RDX, mem(state, ExecutionStateLayout.ENTRY_FP));
        asm.jcc(Condition.E, done);
        asm.test(Width.QWORD, Gpr.RDX, Gpr.RDX);
        asm.jcc(Condition.E, done);
        asm.alu(AluOp.CMP, Width.DWORD, Gpr.RCX, ExecutionStateLayout.MAX_FRAMES);
        asm.jcc(Condition.AE, done);
        asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.RDX, 8));
        asm.mov(Width.QWORD, mem(state, Gpr.RCX, 8, ExecutionStateLayout.FRAMES), Gpr.RAX);
        asm.alu(AluOp.ADD, Width.DWORD, Gpr.RCX, 1);
        asm.mov(Width.QWORD, Gpr.RDX, mem(Gpr.RDX, 0));
        asm.jmp(walk);
        asm.bind(done);
        asm.mov(Width.QWORD, mem(state, ExecutionStateLayout.FRAME_COUNT), Gpr.RCX);
        asm.mov(Width.DWORD, Gpr.RAX, mem(state, ExecutionStateLayout.TRAP_CODE));
        asm.mov(Width.QWORD, Gpr.RSP, mem(state, ExecutionStateLayout.ENTRY_SP));
        asm.lea(Width.QWORD, Gpr.RBP, mem(Gpr.RSP, SAVED_BYTES)); // the trampoline's frame
        exitSequence(asm);
        return asm.finish().toMachineCode(-1, Backend.TRAP_SYMBOL, List.of(), 0);
    }
}
