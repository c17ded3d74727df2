package dev.kiln.backend.aarch64;

import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.MachineCode;

import java.util.List;

import static dev.kiln.backend.aarch64.GeneralRegister.*;

/**
 * The small pieces of code that let native code and the interpreter call each other (tiering),
 * generated at run time with addresses baked in (in the literal pool), never cached. They use only
 * X16/X17 (AAPCS64's intra-procedure-call scratch registers) and X9 (a temporary), so the
 * arguments in X0-X7/V0-V7 and on the stack pass through untouched.
 */
final class A64TierStubs {
    /** Where call stubs and adapter thunks leave the index for the interpreter entry: not an argument register. */
    static final GeneralRegister INDEX = W9;

    private A64TierStubs() {
    }

    /** Bytes between consecutive call stubs of {@link #callStubs}. */
    static final int CALL_STUB_STRIDE = 32;

    /**
     * The call stubs of functions {@code first .. first+count-1}, one every {@link #CALL_STUB_STRIDE}
     * bytes, each {@code movz/movk w9, #index; ldr x16, slot; ldr x16, [x16]; br x16} followed by
     * the address of the function's slot ({@code slotsBase + 8 * index}) as an 8-byte literal of
     * its own (no shared pool, so the stubs stay evenly spaced).
     */
    static MachineCode callStubs(int first, int count, long slotsBase) {
        A64Assembler asm = new A64Assembler(false);
        for (int k = 0; k < count; k++) {
            int f = first + k;
            asm.movz(INDEX, f & 0xFFFF, 0);
            asm.movk(INDEX, f >>> 16, 16);
            Label slot = asm.newLabel();
            asm.ldr(X16, slot);
            asm.ldr(X16, Address.base(X16));
            asm.br(X16);
            asm.nop();
            asm.bind(slot);
            long address = slotsBase + 8L * f;
            asm.data32((int) address);
            asm.data32((int) (address >>> 32));
        }
        AssembledCode code = asm.finish();
        if (code.code().length != CALL_STUB_STRIDE * count) throw new IllegalStateException("call stubs are not evenly spaced");
        return code.toMachineCode(-1, "kiln_call_stubs", List.of(), 0);
    }

    /** {@code mov w9, #index; ldr x16, =adapter; br x16}: how native code calls a host function. */
    static MachineCode adapterThunk(String symbol, int index, long adapterAddress) {
        A64Assembler asm = new A64Assembler(false);
        asm.mov(INDEX, index & 0xFFFF_FFFFL);
        asm.ldrLiteral(X16, adapterAddress);
        asm.br(X16);
        return asm.finish().toMachineCode(-1, symbol, List.of(), 0);
    }

    /**
     * <pre>
     *   stp x29, x30, [sp, #-16]!; mov x29, sp; sub sp, sp, #bytes; str x0, [x29, #-8] (vmctx)
     *   store each argument (registers, or the caller's stack slots) at [sp + 8i]; i32 zero-extended
     *   upcall(x0 = vmctx, w1 = w9 (index), x2 = sp); cbnz w0, trapped
     *   load the single result from [sp] into x0 or d0; mov sp, x29; ldp x29, x30, [sp], #16; ret
     * trapped: x0 = vmctx, w1 = 0 (keep the code the runtime stored); call kiln_trap, which unwinds
     * </pre>
     */
    static MachineCode interpreterEntry(FuncType t, String symbol, long upcallAddress) {
        A64Assembler asm = new A64Assembler(false);
        asm.stp(FP, LR, Address.preIndex(SP, -16));
        asm.mov(FP, SP);
        int slots = Math.max(1, Math.max(t.paramCount(), t.resultCount()));
        int bytes = (8 * slots + 8 + 15) & ~15;
        if (AddSubOp.isImmediateEncodable(bytes)) {
            asm.sub(SP, SP, bytes);
        } else {
            asm.mov(X16, bytes);
            asm.sub(SP, SP, X16);
        }
        asm.str(X0, Address.offset(FP, -8));
        ArgumentPlaces.Place[] places = A64CallingConvention.parameters(t);
        for (int i = 0; i < places.length; i++) {
            Address dst = Address.offset(SP, 8L * i); // below 8 KiB: always encodable
            ValType p = t.param(i);
            if (places[i].onStack()) {
                asm.ldr(p == ValType.I32 ? W16 : X16, Address.offset(FP, A64Frame.incomingOffset(places[i].stackIndex())));
                asm.str(X16, dst);
            } else if (A64RegisterFile.isVector(places[i].register())) {
                asm.str(A64RegisterFile.fpr(places[i].register()), dst);
            } else {
                GeneralRegister g = A64RegisterFile.gpr(places[i].register());
                if (p == ValType.I32) {
                    asm.mov(W16, g.w()); // AAPCS64 leaves the upper half of a 32-bit argument unspecified
                    asm.str(X16, dst);
                } else {
                    asm.str(g, dst);
                }
            }
        }
        asm.mov(W1, INDEX);
        asm.mov(X2, SP);
        asm.ldrLiteral(X16, upcallAddress);
        asm.blr(X16);
        Label trapped = asm.newLabel();
        asm.cbnz(W0, trapped);
        if (t.resultCount() == 1) {
            if (A64RegisterFile.isFloat(t.result(0))) asm.ldr(VectorRegister.D0, Address.base(SP));
            else asm.ldr(X0, Address.base(SP));
        }
        asm.mov(SP, FP);
        asm.ldp(FP, LR, Address.postIndex(SP, 16));
        asm.ret();
        asm.bind(trapped);
        asm.ldr(X0, Address.offset(FP, -8));
        asm.mov(W1, 0);
        asm.ldrLiteralAddress(X16, Backend.TRAP_SYMBOL, 0);
        asm.blr(X16);
        return asm.finish().toMachineCode(-1, symbol, List.of(), 0);
    }
}
