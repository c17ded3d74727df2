package dev.kiln.backend.x64;

import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.RuntimeHelper;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.MachineCode;

import java.util.List;

import static dev.kiln.backend.x64.MemoryOperand.mem;

/**
 * The two pieces of native code the runtime needs besides compiled functions; they translate
 * between the C convention Java calls with and kiln's internal convention.
 *
 * <p><b>Entry trampoline</b> (one per function type), {@code int entry(vmctx, fn, argbuf, limit)}:
 * <pre>
 *   push rbp; mov rbp, rsp; push rbx, r12, r13, r14, r15
 *   push state.ENTRY_SP, state.ENTRY_FP, vmctx.STACK_LIMIT      ; restored on the way out (nesting)
 *   push argbuf; push vmctx                                     ; rsp = rbp - 80, 16-byte aligned
 *   state.ENTRY_SP = rsp; state.ENTRY_FP = rbp; vmctx.STACK_LIMIT = limit; state.TRAP_CODE = 0
 *   r15 = vmctx; r14 = vmctx.MEMORY_BASE                        ; the pinned registers
 *   load the arguments from argbuf (16 bytes each) into their registers and stack places; call fn
 *   store the result(s) into argbuf; eax = 0                    ; fn popped its stack arguments
 * exit:                                                         ; the trap routine joins here
 *   pop vmctx, argbuf; restore STACK_LIMIT, ENTRY_FP, ENTRY_SP; pop r15..rbx, rbp; ret
 * </pre>
 * <p><b>Trap routine</b> {@code kiln_trap}, called from kiln code with the trap code in ESI (R15
 * is the running instance's VMContext): stores the code (0 keeps one the runtime already stored),
 * records the return address and each caller's along the RBP chain up to the trampoline's frame
 * into state.FRAMES, then restores rsp from state.ENTRY_SP and runs the trampoline's exit sequence,
 * so the trampoline returns the trap code to Java. With a Wasm exception pending (code THROW) it
 * first asks the runtime for a handler (helper FIND_HANDLER with the return address and rbp): when a frame below the trampoline has an exception dispatch for its call site, it sets rbp
 * to that frame's and jumps to the dispatch instead. No Java frame is ever skipped: a trap unwinds
 * only to the innermost trampoline.
 */
final class X64RuntimeStubs {
    private static final int SAVED_BYTES = 80; // rbp-relative: 5 callee-saved, 3 saved fields, argbuf, vmctx

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
        asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.RDI, VmContextLayout.STACK_LIMIT));
        asm.push(Gpr.RAX);
        asm.push(Gpr.RDX);
        asm.push(Gpr.RDI);
        asm.mov(Width.QWORD, mem(Gpr.R11, ExecutionStateLayout.ENTRY_SP), Gpr.RSP);
        asm.mov(Width.QWORD, mem(Gpr.R11, ExecutionStateLayout.ENTRY_FP), Gpr.RBP);
        asm.mov(Width.QWORD, mem(Gpr.RDI, VmContextLayout.STACK_LIMIT), Gpr.RCX);
        asm.mov(Width.DWORD, mem(Gpr.R11, ExecutionStateLayout.TRAP_CODE), 0);
        asm.mov(Width.QWORD, X64Function.VMCTX, Gpr.RDI);
        asm.mov(Width.QWORD, X64Function.MEMBASE, mem(Gpr.RDI, VmContextLayout.MEMORY_BASE));

        ArgumentPlaces.Parameters places = X64CallingConvention.parameters(t);
        if (places.stackBytes() > 0) asm.alu(AluOp.SUB, Width.QWORD, Gpr.RSP, places.stackBytes());
        asm.mov(Width.QWORD, Gpr.RAX, Gpr.RSI); // the function
        asm.mov(Width.QWORD, Gpr.R10, Gpr.RDX); // the argument buffer
        for (int i = 0; i < places.count(); i++) {
            MemoryOperand src = mem(Gpr.R10, ArgumentPlaces.bufferOffset(i));
            ValType p = t.param(i);
            ArgumentPlaces.Place place = places.place(i);
            if (place.onStack()) {
                MemoryOperand dst = mem(Gpr.RSP, place.stackOffset());
                if (p == ValType.V128) {
                    asm.movups(X64Function.FSCRATCH, src);
                    asm.movups(dst, X64Function.FSCRATCH);
                } else {
                    asm.mov(p == ValType.I32 ? Width.DWORD : Width.QWORD, Gpr.R11, src); // an i32 zero-extended
                    asm.mov(Width.QWORD, dst, Gpr.R11);
                }
            } else if (X64RegisterFile.isXmm(place.register())) {
                Xmm x = X64RegisterFile.xmm(place.register());
                if (p == ValType.V128) asm.movups(x, src);
                else if (p == ValType.F32) asm.movss(x, src);
                else asm.movsd(x, src);
            } else {
                Gpr g = X64RegisterFile.gpr(place.register());
                asm.mov(p == ValType.I32 ? Width.DWORD : Width.QWORD, g, src); // i32 zero-extended
            }
        }
        asm.call(Gpr.RAX);
        asm.mov(Width.QWORD, Gpr.R10, mem(Gpr.RBP, -72)); // argbuf
        if (ArgumentPlaces.usesReturnArea(t)) {
            asm.mov(Width.QWORD, Gpr.R11, mem(Gpr.RBP, -80)); // vmctx
            asm.mov(Width.QWORD, Gpr.R11, mem(Gpr.R11, VmContextLayout.STATE));
            for (int i = 0; i < t.resultCount(); i++) {
                asm.movups(X64Function.FSCRATCH, mem(Gpr.R11, ExecutionStateLayout.returnSlot(i)));
                asm.movups(mem(Gpr.R10, ArgumentPlaces.bufferOffset(i)), X64Function.FSCRATCH);
            }
        } else if (t.resultCount() == 1) {
            ValType r = t.result(0);
            if (r == ValType.V128) asm.movups(mem(Gpr.R10, 0), X64CallingConvention.FLOAT_RESULT);
            else if (X64RegisterFile.isFloat(r)) asm.movsd(mem(Gpr.R10, 0), X64CallingConvention.FLOAT_RESULT);
            else asm.mov(Width.QWORD, mem(Gpr.R10, 0), X64CallingConvention.INT_RESULT);
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
        asm.mov(Width.QWORD, mem(Gpr.RDI, VmContextLayout.STACK_LIMIT), Gpr.RCX);
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

    /**
     * {@code mov r15, [rsp]; mov rbp, [rsp+16]; lea rsp, [rsp+24]; mov r14, [r15 + MEMORY_BASE]; ret}:
     * see {@link Backend#instanceReturn}.
     */
    static MachineCode instanceReturn() {
        X64Assembler asm = new X64Assembler(false);
        asm.mov(Width.QWORD, X64Function.VMCTX, mem(Gpr.RSP, 0));
        asm.mov(Width.QWORD, Gpr.RBP, mem(Gpr.RSP, 16));
        asm.lea(Width.QWORD, Gpr.RSP, mem(Gpr.RSP, 24));
        asm.mov(Width.QWORD, X64Function.MEMBASE, mem(X64Function.VMCTX, VmContextLayout.MEMORY_BASE));
        asm.ret();
        return asm.finish().toMachineCode(-1, Backend.INSTANCE_RETURN_SYMBOL, List.of(), 0);
    }

    static MachineCode trapRoutine() {
        X64Assembler asm = new X64Assembler(false);
        Gpr state = Gpr.R11;
        asm.mov(Width.QWORD, state, mem(X64Function.VMCTX, VmContextLayout.STATE));
        Label keep = asm.newLabel();
        asm.test(Width.DWORD, Gpr.RSI, Gpr.RSI);
        asm.jcc(Condition.E, keep);
        asm.mov(Width.DWORD, mem(state, ExecutionStateLayout.TRAP_CODE), Gpr.RSI);
        asm.bind(keep);
        // a Wasm exception: the runtime looks for a frame with a dispatch for it before anything unwinds
        Label noHandler = asm.newLabel();
        asm.alu(AluOp.CMP, Width.DWORD, mem(state, ExecutionStateLayout.TRAP_CODE), ExecutionStateLayout.THROW);
        asm.jcc(Condition.NE, noHandler);
        asm.mov(Width.QWORD, Gpr.R12, Gpr.RSP);           // kept by the C convention
        asm.mov(Width.QWORD, Gpr.RDI, X64Function.VMCTX);
        asm.mov(Width.QWORD, Gpr.RSI, mem(Gpr.RSP, 0));    // the return address into the code that threw
        asm.mov(Width.QWORD, Gpr.RDX, Gpr.RBP);
        asm.mov(Width.DWORD, Gpr.R9, RuntimeHelper.FIND_HANDLER.ordinal());
        asm.alu(AluOp.AND, Width.QWORD, Gpr.RSP, -16);
        asm.call(mem(X64Function.VMCTX, VmContextLayout.helper(RuntimeHelper.FIND_HANDLER)));
        asm.mov(Width.QWORD, Gpr.RSP, Gpr.R12);
        asm.mov(Width.QWORD, state, mem(X64Function.VMCTX, VmContextLayout.STATE));
        asm.test(Width.QWORD, Gpr.RAX, Gpr.RAX);
        asm.jcc(Condition.E, noHandler);
        asm.mov(Width.QWORD, Gpr.RBP, mem(state, ExecutionStateLayout.HANDLER_FP));
        asm.jmp(Gpr.RAX);                                 // the dispatch restores rsp and the pinned registers
        asm.bind(noHandler);
        // frames: the return address into the trapping function, then each caller's
        asm.alu(AluOp.XOR, Width.DWORD, Gpr.RCX, Gpr.RCX);
        asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.RSP, 0));
        asm.mov(Width.QWORD, mem(state, Gpr.RCX, 8, ExecutionStateLayout.FRAMES), Gpr.RAX);
        asm.alu(AluOp.ADD, Width.DWORD, Gpr.RCX, 1);
        asm.mov(Width.QWORD, Gpr.RDX, Gpr.RBP);
        Label walk = asm.newLabel(), counted = asm.newLabel(), done = asm.newLabel();
        asm.bind(walk);
        asm.alu(AluOp.CMP, Width.QWORD, Gpr.RDX, mem(state, ExecutionStateLayout.ENTRY_FP));
        asm.jcc(Condition.E, done);
        asm.test(Width.QWORD, Gpr.RDX, Gpr.RDX);
        asm.jcc(Condition.E, done);
        asm.alu(AluOp.CMP, Width.DWORD, Gpr.RCX, ExecutionStateLayout.MAX_FRAMES);
        asm.jcc(Condition.AE, counted);                  // past the recorded frames: only counted
        asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.RDX, 8));
        asm.mov(Width.QWORD, mem(state, Gpr.RCX, 8, ExecutionStateLayout.FRAMES), Gpr.RAX);
        asm.bind(counted);
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
