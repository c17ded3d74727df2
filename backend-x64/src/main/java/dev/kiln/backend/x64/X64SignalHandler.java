package dev.kiln.backend.x64;

import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.code.CodeRangeWord;
import dev.kiln.ir.code.MachineCode;

import java.util.List;

import static dev.kiln.backend.x64.MemoryOperand.mem;

/**
 * The SIGSEGV/SIGBUS handler of guard pages on x86-64 Linux, {@code void handler(int sig, siginfo_t
 * *info, ucontext_t *uc)} (see {@link dev.kiln.ir.code.Backend#signalHandler}):
 * <pre>
 *   rax = uc.rip; for each range of the code-range table (one word each, {@link CodeRangeWord}): if rax - start &lt;u length, redirect:
 *       uc.rsp -= 8; [uc.rsp] = rax; uc.rsi = out-of-bounds code; uc.rip = trap routine; ret
 *   otherwise: tail-jump to the previous action's handler with the same arguments, or, when that
 *   was SIG_DFL or SIG_IGN, reset the disposition to SIG_DFL (rt_sigaction) and return, so the
 *   fault repeats and ends the process as it would have without kiln.
 * </pre>
 * The redirect makes the interrupted code call the trap routine from the faulting instruction: its
 * frame walk then starts at that instruction, a recorded trap site. The word written below the
 * interrupted stack pointer lies in the red zone, which the kernel leaves alone.
 */
final class X64SignalHandler {
    /** glibc's ucontext_t on x86-64 Linux: uc_mcontext.gregs starts at byte 40; REG_RSI=9, REG_RSP=15, REG_RIP=16. */
    private static final int RSI = 40 + 8 * 9, RSP = 40 + 8 * 15, RIP = 40 + 8 * 16;
    private static final int SYS_RT_SIGACTION = 13;

    private X64SignalHandler() {
    }

    static MachineCode handler(long codeRanges, long previous, long trapRoutine) {
        return handler(codeRanges, 0, previous, trapRoutine);
    }

    /** siginfo_t.si_addr. */
    private static final int SI_ADDR = 16;
    private static final int SYS_MPROTECT = 10;

    /**
     * With {@code lazyTexts} (nonzero), first: when the fault address lies in a lazily checked text,
     * check its block (see {@link dev.kiln.ir.code.Backend#signalHandler(long, long, long, long)}):
     * <pre>
     *   k = (addr - start) >> 16; block = start + (k << 16)
     *   mprotect(block, 64 KiB, PROT_READ); h = (k + 1) * C; for each u64 w: h = rotl((h ^ w) * K, 29)
     *   h == digests[k]: mprotect(block, 64 KiB, PROT_READ|PROT_EXEC); return
     *   else: mprotect(block, 64 KiB, PROT_NONE); redirect to the trap routine with DAMAGED_CODE
     * </pre>
     */
    static MachineCode handler(long codeRanges, long lazyTexts, long previous, long trapRoutine) {
        X64Assembler asm = new X64Assembler(false);
        Label loop = asm.newLabel(), next = asm.newLabel(), chain = asm.newLabel(), fallback = asm.newLabel();
        Label codeCheck = asm.newLabel(), redirect = asm.newLabel();
        if (lazyTexts != 0) lazyCheck(asm, lazyTexts, codeCheck, redirect);
        asm.bind(codeCheck);
        asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.RDX, RIP));
        asm.movabs(Gpr.R8, codeRanges);
        asm.mov(Width.QWORD, Gpr.RCX, mem(Gpr.R8, 0));
        asm.lea(Width.QWORD, Gpr.R9, mem(Gpr.R8, 8));
        asm.bind(loop);
        asm.test(Width.QWORD, Gpr.RCX, Gpr.RCX);
        asm.jcc(Condition.E, chain);
        // r8 = rax - start, r10 = length: rax lies in the range when r8 <u r10 (an empty word has length 0)
        decodeRange(asm, Gpr.R9, Gpr.RAX, Gpr.R8);
        asm.alu(AluOp.CMP, Width.QWORD, Gpr.R8, Gpr.R10);
        asm.jcc(Condition.AE, next);
        asm.mov(Width.DWORD, Gpr.RCX, TrapKind.OUT_OF_BOUNDS_MEMORY.code);
        // redirect (rdx = uc, ecx = trap code): the interrupted code calls the trap routine from its pc
        asm.bind(redirect);
        asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.RDX, RIP));
        asm.mov(Width.QWORD, Gpr.R10, mem(Gpr.RDX, RSP));
        asm.alu(AluOp.SUB, Width.QWORD, Gpr.R10, 8);
        asm.mov(Width.QWORD, mem(Gpr.R10, 0), Gpr.RAX);
        asm.mov(Width.QWORD, mem(Gpr.RDX, RSP), Gpr.R10);
        asm.mov(Width.QWORD, mem(Gpr.RDX, RSI), Gpr.RCX);
        asm.movabs(Gpr.R11, trapRoutine);
        asm.mov(Width.QWORD, mem(Gpr.RDX, RIP), Gpr.R11);
        asm.ret();
        asm.bind(next);
        asm.alu(AluOp.ADD, Width.QWORD, Gpr.R9, 8);
        asm.alu(AluOp.SUB, Width.QWORD, Gpr.RCX, 1);
        asm.jmp(loop);
        asm.bind(chain);
        asm.movabs(Gpr.R8, previous);
        asm.mov(Width.QWORD, Gpr.RAX, mem(Gpr.R8, 0)); // sa_handler / sa_sigaction
        asm.alu(AluOp.CMP, Width.QWORD, Gpr.RAX, 1);
        asm.jcc(Condition.BE, fallback);
        asm.jmp(Gpr.RAX);
        asm.bind(fallback); // rt_sigaction(sig, {SIG_DFL}, NULL, 8)
        asm.alu(AluOp.SUB, Width.QWORD, Gpr.RSP, 40);
        asm.alu(AluOp.XOR, Width.DWORD, Gpr.RAX, Gpr.RAX);
        for (int k = 0; k < 32; k += 8) asm.mov(Width.QWORD, mem(Gpr.RSP, k), Gpr.RAX);
        asm.mov(Width.QWORD, Gpr.RSI, Gpr.RSP);
        asm.alu(AluOp.XOR, Width.DWORD, Gpr.RDX, Gpr.RDX);
        asm.mov(Width.DWORD, Gpr.R10, 8);
        asm.mov(Width.DWORD, Gpr.RAX, SYS_RT_SIGACTION);
        asm.emit(FixedInstruction.SYSCALL);
        asm.alu(AluOp.ADD, Width.QWORD, Gpr.RSP, 40);
        asm.ret();
        return asm.finish().toMachineCode(-1, "kiln_signal_handler", List.of(), 0);
    }

    private static void lazyCheck(X64Assembler asm, long lazyTexts, Label notLazy, Label redirect) {
        Label loop = asm.newLabel(), next = asm.newLabel(), hash = asm.newLabel(), damaged = asm.newLabel();
        asm.mov(Width.QWORD, Gpr.R8, mem(Gpr.RSI, SI_ADDR));
        asm.movabs(Gpr.R9, lazyTexts);
        asm.mov(Width.QWORD, Gpr.RCX, mem(Gpr.R9, 0));
        asm.lea(Width.QWORD, Gpr.R9, mem(Gpr.R9, 8));
        asm.bind(loop);
        asm.test(Width.QWORD, Gpr.RCX, Gpr.RCX);
        asm.jcc(Condition.E, notLazy);
        // rax = address - start, r10 = length, r11 = start
        decodeRange(asm, Gpr.R9, Gpr.R8, Gpr.RAX);
        asm.alu(AluOp.CMP, Width.QWORD, Gpr.RAX, Gpr.R10);
        asm.jcc(Condition.AE, next);
        // r10 = block index k, r12 = block address, r13 = expected digest, r14 = uc
        asm.push(Gpr.R12);
        asm.push(Gpr.R13);
        asm.push(Gpr.R14);
        asm.mov(Width.QWORD, Gpr.R14, Gpr.RDX);
        asm.mov(Width.QWORD, Gpr.R10, Gpr.RAX);
        asm.shift(ShiftOp.SHR, Width.QWORD, Gpr.R10, 16);
        asm.mov(Width.QWORD, Gpr.R12, Gpr.R10);
        asm.shift(ShiftOp.SHL, Width.QWORD, Gpr.R12, 16);
        asm.alu(AluOp.ADD, Width.QWORD, Gpr.R12, Gpr.R11);
        asm.mov(Width.QWORD, Gpr.R11, mem(Gpr.R9, 8));
        asm.mov(Width.QWORD, Gpr.R13, mem(Gpr.R11, Gpr.R10, 8));
        mprotect(asm, 1);
        // h = (k + 1) * seed multiplier; h = rotl((h ^ w) * K, 29) over the block's words
        asm.lea(Width.QWORD, Gpr.RAX, mem(Gpr.R10, 1));
        asm.movabs(Gpr.RCX, 0xC2B2AE3D27D4EB4FL);
        asm.imul(Width.QWORD, Gpr.RAX, Gpr.RCX);
        asm.movabs(Gpr.RCX, 0x9E3779B97F4A7C15L);
        asm.mov(Width.QWORD, Gpr.RSI, Gpr.R12);
        asm.mov(Width.DWORD, Gpr.RDX, 64 * 1024 / 8);
        asm.bind(hash);
        asm.alu(AluOp.XOR, Width.QWORD, Gpr.RAX, mem(Gpr.RSI, 0));
        asm.imul(Width.QWORD, Gpr.RAX, Gpr.RCX);
        asm.shift(ShiftOp.ROL, Width.QWORD, Gpr.RAX, 29);
        asm.alu(AluOp.ADD, Width.QWORD, Gpr.RSI, 8);
        asm.alu(AluOp.SUB, Width.DWORD, Gpr.RDX, 1);
        asm.jcc(Condition.NE, hash);
        asm.alu(AluOp.CMP, Width.QWORD, Gpr.RAX, Gpr.R13);
        asm.jcc(Condition.NE, damaged);
        mprotect(asm, 5);
        asm.pop(Gpr.R14);
        asm.pop(Gpr.R13);
        asm.pop(Gpr.R12);
        asm.ret();
        asm.bind(damaged);
        mprotect(asm, 0);
        asm.mov(Width.QWORD, Gpr.RDX, Gpr.R14);
        asm.pop(Gpr.R14);
        asm.pop(Gpr.R13);
        asm.pop(Gpr.R12);
        asm.mov(Width.DWORD, Gpr.RCX, ExecutionStateLayout.DAMAGED_CODE);
        asm.jmp(redirect);
        asm.bind(next);
        asm.lea(Width.QWORD, Gpr.R9, mem(Gpr.R9, 16));
        asm.alu(AluOp.SUB, Width.QWORD, Gpr.RCX, 1);
        asm.jmp(loop);
    }

    /**
     * Reads the {@link CodeRangeWord} at {@code [entry]} with one load: {@code r11} = its start,
     * {@code r10} = its length, {@code offset} = {@code address - start}.
     */
    private static void decodeRange(X64Assembler asm, Gpr entry, Gpr address, Gpr offset) {
        asm.mov(Width.QWORD, Gpr.R10, mem(entry, 0));
        asm.mov(Width.QWORD, Gpr.R11, Gpr.R10);
        asm.shift(ShiftOp.SHR, Width.QWORD, Gpr.R11, CodeRangeWord.LENGTH_BITS);
        asm.shift(ShiftOp.SHL, Width.QWORD, Gpr.R11, CodeRangeWord.PAGE_SHIFT);
        asm.alu(AluOp.AND, Width.QWORD, Gpr.R10, (int) CodeRangeWord.LENGTH_MASK);
        asm.shift(ShiftOp.SHL, Width.QWORD, Gpr.R10, CodeRangeWord.PAGE_SHIFT);
        asm.mov(Width.QWORD, offset, address);
        asm.alu(AluOp.SUB, Width.QWORD, offset, Gpr.R11);
    }

    /** {@code mprotect(r12, 64 KiB, prot)}; clobbers rax, rdi, rsi, rdx, rcx, r11. */
    private static void mprotect(X64Assembler asm, int prot) {
        asm.mov(Width.QWORD, Gpr.RDI, Gpr.R12);
        asm.mov(Width.DWORD, Gpr.RSI, 64 * 1024);
        asm.mov(Width.DWORD, Gpr.RDX, prot);
        asm.mov(Width.DWORD, Gpr.RAX, SYS_MPROTECT);
        asm.emit(FixedInstruction.SYSCALL);
    }
}
