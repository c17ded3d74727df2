package dev.kiln.backend.x64;

import dev.kiln.ir.code.MachineCode;

import java.util.List;

import static dev.kiln.backend.x64.MemoryOperand.mem;

/**
 * The two routines the runtime runs once to learn which instruction-set extensions the CPU has
 * (SysV C calling convention):
 * <pre>
 *   void kiln_cpuid(int leaf, int subleaf, int out[4])   ; out = eax, ebx, ecx, edx of cpuid
 *   void kiln_xgetbv(int xcr, int out[2])                ; out = eax, edx of xgetbv (only when cpuid says OSXSAVE)
 * </pre>
 */
public final class X64CpuId {
    private X64CpuId() {
    }

    public static MachineCode cpuid(String symbol) {
        X64Assembler asm = new X64Assembler(false);
        asm.push(Gpr.RBX); // cpuid writes EBX, which the caller keeps
        asm.mov(Width.QWORD, Gpr.R8, Gpr.RDX);
        asm.mov(Width.DWORD, Gpr.RAX, Gpr.RDI);
        asm.mov(Width.DWORD, Gpr.RCX, Gpr.RSI);
        asm.emit(FixedInstruction.CPUID);
        asm.mov(Width.DWORD, mem(Gpr.R8, 0), Gpr.RAX);
        asm.mov(Width.DWORD, mem(Gpr.R8, 4), Gpr.RBX);
        asm.mov(Width.DWORD, mem(Gpr.R8, 8), Gpr.RCX);
        asm.mov(Width.DWORD, mem(Gpr.R8, 12), Gpr.RDX);
        asm.pop(Gpr.RBX);
        asm.ret();
        return asm.finish().toMachineCode(-1, symbol, List.of(), 0);
    }

    public static MachineCode xgetbv(String symbol) {
        X64Assembler asm = new X64Assembler(false);
        asm.mov(Width.DWORD, Gpr.RCX, Gpr.RDI);
        asm.emit(FixedInstruction.XGETBV);
        asm.mov(Width.DWORD, mem(Gpr.RSI, 0), Gpr.RAX);
        asm.mov(Width.DWORD, mem(Gpr.RSI, 4), Gpr.RDX);
        asm.ret();
        return asm.finish().toMachineCode(-1, symbol, List.of(), 0);
    }
}
