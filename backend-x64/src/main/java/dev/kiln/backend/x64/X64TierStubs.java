package dev.kiln.backend.x64;

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
     *   push rbp; mov rbp, rsp; sub rsp, buffer                     ; 16 bytes per value
     *   store each argument (registers, or the caller's stack places) at [rsp + 16i]; i32 zero-extended
     *   upcall(rdi = r15, esi = eax, rdx = rsp); test eax, eax; jnz trapped
     *   load the single result from [rsp] into rax or xmm0; leave; ret n    ; pops the stack arguments
     * trapped: esi = 0 (keep the code the runtime stored); call kiln_trap
     * </pre>
     * The upcall preserves RBX, R12-R15 (the C convention), so the pinned registers survive it.
     */
    static MachineCode interpreterEntry(FuncType t, String symbol, long upcallAddress) {
        X64Assembler asm = new X64Assembler(false);
        asm.push(Gpr.RBP);
        asm.mov(Width.QWORD, Gpr.RBP, Gpr.RSP);
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
        Label trapped = asm.newLabel();
        asm.test(Width.DWORD, Gpr.RAX, Gpr.RAX);
        asm.jcc(Condition.NE, trapped);
        if (t.resultCount() == 1) {
            ValType r = t.result(0);
            if (r == ValType.V128) asm.movups(X64CallingConvention.FLOAT_RESULT, mem(Gpr.RSP, 0));
            else if (X64RegisterFile.isFloat(r)) asm.movsd(X64CallingConvention.FLOAT_RESULT, mem(Gpr.RSP, 0));
            else asm.mov(r == ValType.I32 ? Width.DWORD : Width.QWORD, X64CallingConvention.INT_RESULT, mem(Gpr.RSP, 0));
        }
        asm.leave();
        asm.ret(places.stackBytes());
        asm.bind(trapped);
        asm.alu(AluOp.XOR, Width.DWORD, Gpr.RSI, Gpr.RSI);
        asm.call(Backend.TRAP_SYMBOL);
        return asm.finish().toMachineCode(-1, symbol, List.of(), 0);
    }
}
