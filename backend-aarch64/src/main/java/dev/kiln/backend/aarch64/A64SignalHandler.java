package dev.kiln.backend.aarch64;

import dev.kiln.ir.TrapKind;
import dev.kiln.ir.code.CodeRangeWord;
import dev.kiln.ir.code.MachineCode;

import java.util.List;

import static dev.kiln.backend.aarch64.GeneralRegister.*;

/**
 * The SIGSEGV/SIGBUS handler of guard pages on AArch64 Linux, {@code void handler(int sig, siginfo_t
 * *info, ucontext_t *uc)} (see {@link dev.kiln.ir.code.Backend#signalHandler}):
 * <pre>
 *   x9 = uc.pc; for each range of the code-range table (one word each, {@link CodeRangeWord}): if x9 - start &lt;u length, redirect:
 *       uc.x30 = x9; uc.x1 = out-of-bounds code; uc.pc = trap routine; ret
 *   otherwise: branch to the previous action's handler with the same arguments, or, when that was
 *   SIG_DFL or SIG_IGN, reset the disposition to SIG_DFL (rt_sigaction) and return, so the fault
 *   repeats and ends the process as it would have without kiln.
 * </pre>
 * The redirect makes the interrupted code call the trap routine from the faulting instruction (as a
 * {@code bl} there would: x30 is the return address every kiln frame has already saved).
 */
final class A64SignalHandler {
    /** The kernel's ucontext on arm64: uc_mcontext (16-aligned) at 176: fault_address, regs[31], sp, pc. */
    private static final int REGS = 184, PC = REGS + 8 * 31 + 8;
    private static final int SYS_RT_SIGACTION = 134;

    private A64SignalHandler() {
    }

    static MachineCode handler(long codeRanges, long previous, long trapRoutine) {
        A64Assembler asm = new A64Assembler(false);
        Label loop = asm.newLabel(), next = asm.newLabel(), chain = asm.newLabel(), fallback = asm.newLabel();
        asm.ldr(X9, Address.offset(X2, PC));
        asm.ldrLiteral(X10, codeRanges);
        asm.ldr(X11, Address.base(X10));
        asm.add(X12, X10, 8);
        asm.bind(loop);
        asm.cbz(X11, chain);
        // one load of the entry's word: x14 = start, x13 = length; x9 lies in it when x9 - start <u length
        asm.ldr(X13, Address.base(X12));
        asm.lsr(X14, X13, CodeRangeWord.LENGTH_BITS);
        asm.lsl(X14, X14, CodeRangeWord.PAGE_SHIFT);
        asm.ubfiz(X13, X13, CodeRangeWord.PAGE_SHIFT, CodeRangeWord.LENGTH_BITS);
        asm.sub(X15, X9, X14);
        asm.cmp(X15, X13);
        asm.b(Condition.HS, next);
        asm.str(X9, Address.offset(X2, REGS + 8 * 30));
        asm.mov(X13, TrapKind.OUT_OF_BOUNDS_MEMORY.code);
        asm.str(X13, Address.offset(X2, REGS + 8));
        asm.ldrLiteral(X13, trapRoutine);
        asm.str(X13, Address.offset(X2, PC));
        asm.ret();
        asm.bind(next);
        asm.add(X12, X12, 8);
        asm.sub(X11, X11, 1);
        asm.b(loop);
        asm.bind(chain);
        asm.ldrLiteral(X10, previous);
        asm.ldr(X16, Address.base(X10)); // sa_handler / sa_sigaction
        asm.cmp(X16, 1);
        asm.b(Condition.LS, fallback);
        asm.br(X16);
        asm.bind(fallback); // rt_sigaction(sig, {SIG_DFL}, NULL, 8)
        asm.sub(SP, SP, 32);
        asm.stp(XZR, XZR, Address.base(SP));
        asm.stp(XZR, XZR, Address.offset(SP, 16));
        asm.mov(X1, SP);
        asm.mov(X2, 0);
        asm.mov(X3, 8);
        asm.mov(X8, SYS_RT_SIGACTION);
        asm.emit(0xD4000001, () -> "svc\t#0x0");
        asm.add(SP, SP, 32);
        asm.ret();
        return asm.finish().toMachineCode(-1, "kiln_signal_handler", List.of(), 0);
    }
}
