package dev.kiln.backend.x64;

import dev.kiln.backend.TailLaunchArea;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.regalloc.ArgumentPlaces;

import java.util.List;

import static dev.kiln.backend.x64.MemoryOperand.mem;

/**
 * The small pieces of code that let native code and the interpreter call each other (tiering).
 * They are generated at run time with addresses baked in, never cached.
 */
final class X64TierStubs {
    private X64TierStubs() {
    }

    /** Bytes per call stub: 18 of code, padded to 8-byte alignment. */
    static final int CALL_STUB_STRIDE = 24;

    /**
     * {@code mov eax, index; movabs r11, slot; jmp [r11]} for each function, every
     * {@link #CALL_STUB_STRIDE} bytes, assembled in one go (a module may have thousands).
     * RAX and R11 carry no argument in kiln's internal convention.
     */
    static MachineCode callStubs(int first, int count, long slotsBase) {
        X64Assembler asm = new X64Assembler(false);
        for (int k = 0; k < count; k++) {
            int f = first + k;
            asm.mov(Width.DWORD, Gpr.RAX, f & 0xFFFF_FFFFL);
            asm.movabs(Gpr.R11, slotsBase + 8L * f);
            asm.jmp(mem(Gpr.R11, 0));
            asm.align(8);
        }
        AssembledCode code = asm.finish();
        if (code.code().length != CALL_STUB_STRIDE * count) throw new IllegalStateException("call stubs are not evenly spaced");
        return code.toMachineCode(-1, "kiln_call_stubs", List.of(), 0);
    }

    /** {@code mov eax, index; mov r11, [r15+SLOTS]; jmp [r11+8*index]}: 16 bytes, position independent. */
    static MachineCode slotStub(int funcIndex) {
        X64Assembler asm = new X64Assembler(false);
        asm.mov(Width.DWORD, Gpr.RAX, funcIndex & 0xFFFF_FFFFL);
        asm.mov(Width.QWORD, Gpr.R11, mem(X64Function.VMCTX, VmContextLayout.SLOTS));
        asm.jmp(mem(Gpr.R11, 8 * funcIndex));
        return asm.finish().toMachineCode(funcIndex, "kiln_slot_stub_" + funcIndex, List.of(), 0);
    }

    /** {@code mov eax, index; movabs r11, adapter; jmp r11}. */
    static MachineCode adapterThunk(String symbol, int index, long adapterAddress) {
        X64Assembler asm = new X64Assembler(false);
        asm.mov(Width.DWORD, Gpr.RAX, index & 0xFFFF_FFFFL);
        asm.movabs(Gpr.R11, adapterAddress);
        asm.jmp(Gpr.R11);
        return asm.finish().toMachineCode(-1, symbol, List.of(), 0);
    }

    /**
     * The adapter from kiln's internal convention to a buffered Java upcall (C convention), for
     * functions of type {@code t}; EAX holds the function's index or host handle, R15 the VMContext:
     * <pre>
     *   push rbp; mov rbp, rsp; push r9; push r10; sub rsp, buffer   ; 16 bytes per value
     *   store each argument (registers, or the caller's stack places) at [rsp + 16i]; i32 zero-extended
     *   upcall(rdi = r15, esi = eax, rdx = rsp); test eax, eax; jnz failed
     *   load the single result from [rsp] into rax or xmm0; restore r9, r10; leave; ret n    ; pops the stack arguments
     * failed: eax == 2 (a tail call left to the adapter): restore r9, r10; rax = state; r11d = n; jmp [rax + LAUNCHER]
     * trapped: esi = 0 (keep the code the runtime stored); call kiln_trap
     * </pre>
     * The upcall preserves RBX, R12-R15 (the C convention), so the pinned registers survive it; R9 and
     * R10, which kiln's convention keeps too ({@link X64CallingConvention#KEPT_FROM_C}), the adapter keeps.
     */
    static MachineCode interpreterEntry(FuncType t, String symbol, long upcallAddress) {
        X64Assembler asm = new X64Assembler(false);
        asm.push(Gpr.RBP);
        asm.mov(Width.QWORD, Gpr.RBP, Gpr.RSP);
        X64CallingConvention.saveKeptFromC(asm);
        int values = Math.max(1, Math.max(t.paramCount(), t.resultCount()));
        asm.alu(AluOp.SUB, Width.QWORD, Gpr.RSP, ArgumentPlaces.bufferBytes(values)); // keeps rsp 16-byte aligned
        ArgumentPlaces.Parameters places = X64CallingConvention.parameters(t);
        for (int i = 0; i < places.count(); i++) {
            MemoryOperand dst = mem(Gpr.RSP, ArgumentPlaces.bufferOffset(i));
            ValType p = t.param(i);
            ArgumentPlaces.Place place = places.place(i);
            if (place.onStack()) {
                MemoryOperand src = mem(Gpr.RBP, 16 + place.stackOffset());
                if (p == ValType.V128) {
                    asm.movups(X64Function.FSCRATCH, src);
                    asm.movups(dst, X64Function.FSCRATCH);
                } else {
                    asm.mov(p == ValType.I32 ? Width.DWORD : Width.QWORD, Gpr.R11, src);
                    asm.mov(Width.QWORD, dst, Gpr.R11);
                }
            } else if (X64RegisterFile.isXmm(place.register())) {
                Xmm x = X64RegisterFile.xmm(place.register());
                if (p == ValType.V128) asm.movups(dst, x);
                else asm.movsd(dst, x);
            } else {
                Gpr g = X64RegisterFile.gpr(place.register());
                if (p == ValType.I32) asm.mov(Width.DWORD, g, g);
                asm.mov(Width.QWORD, dst, g);
            }
        }
        asm.mov(Width.QWORD, Gpr.RDI, X64Function.VMCTX);
        asm.mov(Width.DWORD, Gpr.RSI, Gpr.RAX);
        asm.mov(Width.QWORD, Gpr.RDX, Gpr.RSP);
        asm.movabs(Gpr.R11, upcallAddress);
        asm.call(Gpr.R11);
        Label failed = asm.newLabel();
        asm.test(Width.DWORD, Gpr.RAX, Gpr.RAX);
        asm.jcc(Condition.NE, failed);
        if (t.resultCount() == 1) {
            ValType r = t.result(0);
            if (r == ValType.V128) asm.movups(X64CallingConvention.FLOAT_RESULT, mem(Gpr.RSP, 0));
            else if (X64RegisterFile.isFloat(r)) asm.movsd(X64CallingConvention.FLOAT_RESULT, mem(Gpr.RSP, 0));
            else asm.mov(r == ValType.I32 ? Width.DWORD : Width.QWORD, X64CallingConvention.INT_RESULT, mem(Gpr.RSP, 0));
        }
        restoreKeptFromC(asm);
        asm.leave();
        asm.ret(places.stackBytes());
        asm.bind(failed);
        Label trapped = asm.newLabel();
        asm.alu(AluOp.CMP, Width.DWORD, Gpr.RAX, TAIL_CALL);
        asm.jcc(Condition.NE, trapped);
        // the interpreted function ended in a tail call left to this adapter: the launcher makes it
        restoreKeptFromC(asm);
        asm.mov(Width.QWORD, Gpr.RAX, mem(X64Function.VMCTX, VmContextLayout.STATE)); // RAX: free, the launcher loads the descriptor
        asm.mov(Width.DWORD, Gpr.R11, places.stackBytes());
        asm.jmp(mem(Gpr.RAX, TailLaunchArea.LAUNCHER));
        asm.bind(trapped);
        asm.alu(AluOp.XOR, Width.DWORD, Gpr.RSI, Gpr.RSI);
        asm.call(Backend.TRAP_SYMBOL);
        return asm.finish().toMachineCode(-1, symbol, List.of(), 0);
    }

    /** R9 and R10 back from the adapter's frame record ([rbp-8], [rbp-16]), rsp left as it is. */
    private static void restoreKeptFromC(X64Assembler asm) {
        for (int k = 0; k < X64CallingConvention.KEPT_FROM_C.length; k++) {
            asm.mov(Width.QWORD, X64CallingConvention.KEPT_FROM_C[k], mem(Gpr.RBP, -8 * (k + 1)));
        }
    }

    /** What an adapter's upcall returns when the callee left a tail call to it (0: returned, 1: trapped). */
    static final int TAIL_CALL = 2;

    static final TailLaunchArea LAUNCH_AREA = new TailLaunchArea(X64CallingConvention.CONVENTION);

    /**
     * The tail-call launcher (see {@link Backend#tailLauncher}), entered with rbp = the adapter's
     * frame, R11 = its incoming stack-argument bytes M, R15 = the pinned VMContext:
     * <pre>
     *   r8 = state; rax = descriptor; r11 = rbp + 16 + M (top); rdi = [rbp+8] (return); rsi = [rbp] (caller's rbp)
     *   another instance and rdi != the instance-return stub: record {r15, -, rsi, rdi} at [top-32, top),
     *       rsi = top-16, rdi = the stub, top -= 32
     *   rcx = N; r11 = top - N; rsp = r11 - 8; copy the N bytes of the stack image to [r11 ..), highest first
     *   [rsp] = rdi; rbp = rsi; enter the descriptor's instance; load the argument registers (r8 last); jmp [rax+FUNC_CODE]
     * </pre>
     * The argument registers serve as scratch until they are loaded last; R11/RAX carry no argument;
     * R9 and R10 are callee-saved (the adapter restored them) and stay untouched.
     */
    static MachineCode tailLauncher() {
        X64Assembler asm = new X64Assembler(false);
        Gpr state = Gpr.R8, top = Gpr.R11, ret = Gpr.RDI, callerFp = Gpr.RSI, n = Gpr.RCX, tmp = Gpr.RDX;
        asm.mov(Width.QWORD, state, mem(X64Function.VMCTX, VmContextLayout.STATE));
        asm.mov(Width.QWORD, Gpr.RAX, mem(state, TailLaunchArea.DESCRIPTOR));
        asm.lea(Width.QWORD, top, mem(Gpr.RBP, top, 1, 16));
        asm.mov(Width.QWORD, ret, mem(Gpr.RBP, 8));
        asm.mov(Width.QWORD, callerFp, mem(Gpr.RBP, 0));
        Label plain = asm.newLabel();
        asm.alu(AluOp.CMP, Width.QWORD, X64Function.VMCTX, mem(Gpr.RAX, VmContextLayout.FUNC_VMCTX));
        asm.jcc(Condition.E, plain);
        asm.mov(Width.QWORD, tmp, mem(X64Function.VMCTX, VmContextLayout.INSTANCE_RETURN));
        asm.alu(AluOp.CMP, Width.QWORD, ret, tmp);
        asm.jcc(Condition.E, plain);
        asm.mov(Width.QWORD, mem(top, -8), ret);
        asm.mov(Width.QWORD, mem(top, -16), callerFp);
        asm.mov(Width.QWORD, mem(top, -Backend.INSTANCE_RECORD_BYTES), X64Function.VMCTX);
        asm.lea(Width.QWORD, callerFp, mem(top, -16));
        asm.mov(Width.QWORD, ret, tmp);
        asm.alu(AluOp.SUB, Width.QWORD, top, Backend.INSTANCE_RECORD_BYTES);
        asm.bind(plain);
        asm.mov(Width.QWORD, n, mem(state, TailLaunchArea.STACK_BYTES));
        asm.alu(AluOp.SUB, Width.QWORD, top, n);
        asm.lea(Width.QWORD, Gpr.RSP, mem(top, -8));
        Label copied = asm.newLabel(), copy = asm.newLabel();
        asm.test(Width.QWORD, n, n);
        asm.jcc(Condition.E, copied);
        asm.bind(copy);
        asm.alu(AluOp.SUB, Width.QWORD, n, 8);
        asm.mov(Width.QWORD, tmp, mem(state, n, 1, LAUNCH_AREA.stackImage()));
        asm.mov(Width.QWORD, mem(top, n, 1, 0), tmp);
        asm.jcc(Condition.NE, copy);
        asm.bind(copied);
        asm.mov(Width.QWORD, mem(Gpr.RSP, 0), ret);
        asm.mov(Width.QWORD, Gpr.RBP, callerFp);
        asm.mov(Width.QWORD, tmp, mem(X64Function.VMCTX, VmContextLayout.STACK_LIMIT));
        asm.mov(Width.QWORD, X64Function.VMCTX, mem(Gpr.RAX, VmContextLayout.FUNC_VMCTX));
        asm.mov(Width.QWORD, mem(X64Function.VMCTX, VmContextLayout.STACK_LIMIT), tmp);
        asm.mov(Width.QWORD, X64Function.MEMBASE, mem(X64Function.VMCTX, VmContextLayout.MEMORY_BASE));
        for (int k = 0; k < X64CallingConvention.FLOAT_ARGS.length; k++) {
            asm.movups(X64CallingConvention.FLOAT_ARGS[k], mem(state, LAUNCH_AREA.vectorArgs() + 16 * k));
        }
        int last = X64CallingConvention.INT_ARGS.length - 1;
        if (X64CallingConvention.INT_ARGS[last] != state) throw new IllegalStateException("the launcher's state register is loaded last");
        for (int k = 0; k <= last; k++) {
            asm.mov(Width.QWORD, X64CallingConvention.INT_ARGS[k], mem(state, TailLaunchArea.INT_ARGS + 8 * k));
        }
        asm.jmp(mem(Gpr.RAX, VmContextLayout.FUNC_CODE));
        return asm.finish().toMachineCode(-1, "kiln_tail_launcher", List.of(), 0);
    }
}
