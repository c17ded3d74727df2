package dev.kiln.backend.x64;

import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.MachineCode;

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
     * RAX carries no argument in kiln's ABI; R11 is neither an argument nor callee-saved.
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

    /** {@code mov eax, index; movabs r11, adapter; jmp r11}. */
    static MachineCode adapterThunk(String symbol, int index, long adapterAddress) {
        X64Assembler asm = new X64Assembler(false);
        asm.mov(Width.DWORD, Gpr.RAX, index & 0xFFFF_FFFFL);
        asm.movabs(Gpr.R11, adapterAddress);
        asm.jmp(Gpr.R11);
        return asm.finish().toMachineCode(-1, symbol, List.of(), 0);
    }

    /**
     * <pre>
     *   push rbp; mov rbp, rsp; push rdi (vmctx at [rbp-8]); sub rsp, buffer
     *   store each argument (registers, or the caller's stack slots) at [rsp + 8i]
     *   upcall(vmctx, eax = index, rsp); test eax, eax; jnz trapped
     *   load the single result from [rsp] into rax or xmm0; leave; ret
     * trapped: rdi = vmctx, esi = 0 (keep the code the runtime stored); call kiln_trap
     * </pre>
     */
    static MachineCode interpreterEntry(FuncType t, String symbol, long upcallAddress) {
        X64Assembler asm = new X64Assembler(false);
        asm.push(Gpr.RBP);
        asm.mov(Width.QWORD, Gpr.RBP, Gpr.RSP);
        asm.push(Gpr.RDI);
        int slots = Math.max(1, Math.max(t.paramCount(), t.resultCount()));
        int bytes = ((8 * slots + 15) & ~15) + 8; // rsp is 8 mod 16 after the push: the upcall needs it 16-byte aligned
        asm.alu(AluOp.SUB, Width.QWORD, Gpr.RSP, bytes);
        ArgumentPlaces.Place[] places = X64CallingConvention.parameters(t);
        for (int i = 0; i < places.length; i++) {
            var dst = mem(Gpr.RSP, 8 * i);
            ValType p = t.param(i);
            if (places[i].onStack()) {
                asm.mov(Width.QWORD, Gpr.R11, mem(Gpr.RBP, 16 + 8 * places[i].stackIndex()));
                asm.mov(Width.QWORD, dst, Gpr.R11);
            } else if (X64RegisterFile.isXmm(places[i].register())) {
                asm.movsd(dst, X64RegisterFile.xmm(places[i].register()));
            } else {
                Gpr g = X64RegisterFile.gpr(places[i].register());
                if (p == ValType.I32) asm.mov(Width.DWORD, g, g);
                asm.mov(Width.QWORD, dst, g);
            }
        }
        asm.mov(Width.DWORD, Gpr.RSI, Gpr.RAX);
        asm.mov(Width.QWORD, Gpr.RDX, Gpr.RSP);
        asm.movabs(Gpr.R11, upcallAddress);
        asm.call(Gpr.R11);
        Label trapped = asm.newLabel();
        asm.test(Width.DWORD, Gpr.RAX, Gpr.RAX);
        asm.jcc(Condition.NE, trapped);
        if (t.resultCount() == 1) {
            if (X64RegisterFile.isFloat(t.result(0))) asm.movsd(Xmm.XMM0, mem(Gpr.RSP, 0));
            else asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.RSP, 0));
        }
        asm.mov(Width.QWORD, Gpr.RSP, Gpr.RBP);
        asm.pop(Gpr.RBP);
        asm.ret();
        asm.bind(trapped);
        asm.mov(Width.QWORD, Gpr.RDI, mem(Gpr.RBP, -8));
        asm.alu(AluOp.XOR, Width.DWORD, Gpr.RSI, Gpr.RSI);
        asm.call(Backend.TRAP_SYMBOL);
        return asm.finish().toMachineCode(-1, symbol, List.of(), 0);
    }
}
