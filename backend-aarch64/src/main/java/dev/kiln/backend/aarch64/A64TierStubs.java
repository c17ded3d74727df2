package dev.kiln.backend.aarch64;

import dev.kiln.backend.TailLaunchArea;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.regalloc.ArgumentPlaces;

import java.util.List;

import static dev.kiln.backend.aarch64.GeneralRegister.*;

/**
 * The small pieces of code that let native code and the interpreter call each other (tiering),
 * generated at run time with addresses baked in (in the literal pool), never cached. They use only
 * X16/X17 (the intra-procedure-call scratch registers) and X9, none of which carries an argument
 * in kiln's internal convention, so the arguments in X0-X7/V0-V7 and on the stack pass through
 * untouched.
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

    /**
     * {@code movz/movk w9, #index; ldr x16, [x19, #SLOTS]; ldr x16, [x16, x9, lsl #3]; br x16}:
     * position independent.
     */
    static MachineCode slotStub(int funcIndex) {
        A64Assembler asm = new A64Assembler(false);
        asm.movz(INDEX, funcIndex & 0xFFFF, 0);
        asm.movk(INDEX, funcIndex >>> 16, 16);
        asm.ldr(X16, Address.offset(X19, VmContextLayout.SLOTS));
        asm.ldr(X16, Address.index(X16, X9, 3));
        asm.br(X16);
        return asm.finish().toMachineCode(funcIndex, "kiln_slot_stub_" + funcIndex, List.of(), 0);
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
     * The adapter from kiln's internal convention to a buffered Java upcall (AAPCS64), for
     * functions of type {@code t}; W9 holds the function's index or host handle, X19 the VMContext:
     * <pre>
     *   stp x29, x30, [sp, #-16]!; mov x29, sp; sub sp, sp, #buffer          ; 16 bytes per value
     *   store each argument (registers, or the caller's stack places) at [sp + 16i]; i32 zero-extended
     *   upcall(x0 = x19, w1 = w9, x2 = sp); cbnz w0, failed
     *   load the single result from [sp] into x0 or v0; mov sp, x29; ldp x29, x30, [sp], #16
     *   add sp, sp, #stack arguments; ret                                     ; pops them
     * failed: w0 == 2 (a tail call left to the adapter): x16 = n; br [state + LAUNCHER]
     * trapped: w1 = 0 (keep the code the runtime stored); call kiln_trap, which unwinds
     * </pre>
     * The upcall preserves X19-X28 (AAPCS64), so the pinned registers survive it.
     */
    static MachineCode interpreterEntry(FuncType t, String symbol, long upcallAddress) {
        A64Assembler asm = new A64Assembler(false);
        asm.stp(FP, LR, Address.preIndex(SP, -16));
        asm.mov(FP, SP);
        int values = Math.max(1, Math.max(t.paramCount(), t.resultCount()));
        A64Function.reserveOutgoing(asm, ArgumentPlaces.bufferBytes(values));
        ArgumentPlaces.Parameters places = A64CallingConvention.parameters(t);
        for (int i = 0; i < places.count(); i++) {
            Address dst = Address.offset(SP, ArgumentPlaces.bufferOffset(i)); // below 16 KiB: always encodable
            ValType p = t.param(i);
            ArgumentPlaces.Place place = places.place(i);
            if (place.onStack()) {
                Address src = Address.offset(FP, A64Frame.incomingOffset(place.stackOffset()));
                if (p == ValType.V128) {
                    asm.ldr(VectorRegister.D31.q(), src);
                    asm.str(VectorRegister.D31.q(), dst);
                } else {
                    asm.ldr(p == ValType.I32 ? W16 : X16, src);
                    asm.str(X16, dst);
                }
            } else if (A64RegisterFile.isVector(place.register())) {
                asm.str(A64Function.spillView(A64RegisterFile.fpr(place.register()), p), dst);
            } else {
                GeneralRegister g = A64RegisterFile.gpr(place.register());
                if (p == ValType.I32) {
                    asm.mov(W16, g.w()); // the upper half of a 32-bit argument is not specified
                    asm.str(X16, dst);
                } else {
                    asm.str(g, dst);
                }
            }
        }
        asm.mov(X0, A64Function.VMCTX);
        asm.mov(W1, INDEX);
        asm.mov(X2, SP);
        asm.ldrLiteral(X16, upcallAddress);
        asm.blr(X16);
        Label failed = asm.newLabel();
        asm.cbnz(W0, failed);
        if (t.resultCount() == 1) {
            ValType r = t.result(0);
            if (A64RegisterFile.isFloat(r)) asm.ldr(A64Function.spillView(A64CallingConvention.FLOAT_RESULT, r), Address.base(SP));
            else asm.ldr(r == ValType.I32 ? W0 : X0, Address.base(SP));
        }
        asm.mov(SP, FP);
        asm.ldp(FP, LR, Address.postIndex(SP, 16));
        A64Function.popIncoming(asm, places.stackBytes());
        asm.ret();
        asm.bind(failed);
        Label trapped = asm.newLabel();
        asm.cmp(W0, TAIL_CALL);
        asm.b(Condition.NE, trapped);
        // the interpreted function ended in a tail call left to this adapter: the launcher makes it
        asm.ldr(X17, Address.offset(A64Function.VMCTX, VmContextLayout.STATE));
        asm.ldr(X17, Address.offset(X17, TailLaunchArea.LAUNCHER));
        asm.mov(X16, places.stackBytes());
        asm.br(X17);
        asm.bind(trapped);
        asm.mov(W1, 0);
        asm.ldrLiteralAddress(X16, Backend.TRAP_SYMBOL, 0);
        asm.blr(X16);
        return asm.finish().toMachineCode(-1, symbol, List.of(), 0);
    }

    /** What an adapter's upcall returns when the callee left a tail call to it (0: returned, 1: trapped). */
    static final int TAIL_CALL = 2;

    static final TailLaunchArea LAUNCH_AREA = new TailLaunchArea(A64CallingConvention.CONVENTION);

    /**
     * The tail-call launcher (see {@link Backend#tailLauncher}), entered with x29 = the adapter's
     * frame, X16 = its incoming stack-argument bytes M, X19 = the pinned VMContext:
     * <pre>
     *   x17 = state; x15 = descriptor; x16 = x29 + 16 + M (top); x1, x30 = [x29] (caller's x29, return)
     *   another instance and x30 != the instance-return stub: record {x19, -, x1, x30} at [top-32, top),
     *       x1 = top-16, x30 = the stub, top -= 32
     *   x3 = N; x16 = top - N; sp = x16; copy the N bytes of the stack image to [x16 ..), highest first
     *   x29 = x1; enter the descriptor's instance; load the argument registers; br [x15+FUNC_CODE]
     * </pre>
     * The argument registers serve as scratch until they are loaded last.
     */
    static MachineCode tailLauncher() {
        A64Assembler asm = new A64Assembler(false);
        GeneralRegister state = X17, top = X16, descriptor = X15, callerFp = X1, tmp = X2, n = X3, image = X4, word = X5;
        asm.ldr(state, Address.offset(A64Function.VMCTX, VmContextLayout.STATE));
        asm.ldr(descriptor, Address.offset(state, TailLaunchArea.DESCRIPTOR));
        asm.add(top, FP, top);
        asm.add(top, top, 16);
        asm.ldp(callerFp, LR, Address.base(FP));
        Label plain = asm.newLabel();
        asm.ldr(tmp, Address.offset(descriptor, VmContextLayout.FUNC_VMCTX));
        asm.cmp(tmp, A64Function.VMCTX);
        asm.b(Condition.EQ, plain);
        asm.ldr(tmp, Address.offset(A64Function.VMCTX, VmContextLayout.INSTANCE_RETURN));
        asm.cmp(LR, tmp);
        asm.b(Condition.EQ, plain);
        asm.str(A64Function.VMCTX, Address.offset(top, -Backend.INSTANCE_RECORD_BYTES));
        asm.str(callerFp, Address.offset(top, -16));
        asm.str(LR, Address.offset(top, -8));
        asm.sub(callerFp, top, 16);
        asm.mov(LR, tmp);
        asm.sub(top, top, Backend.INSTANCE_RECORD_BYTES);
        asm.bind(plain);
        asm.ldr(n, Address.offset(state, TailLaunchArea.STACK_BYTES));
        asm.sub(top, top, n);
        asm.mov(SP, top);
        asm.add(image, state, LAUNCH_AREA.stackImage());
        Label copied = asm.newLabel(), copy = asm.newLabel();
        asm.cbz(n, copied);
        asm.bind(copy);
        asm.sub(n, n, 8);
        asm.ldr(word, Address.index(image, n));
        asm.str(word, Address.index(top, n));
        asm.cbnz(n, copy);
        asm.bind(copied);
        asm.mov(FP, callerFp);
        asm.ldr(tmp, Address.offset(A64Function.VMCTX, VmContextLayout.STACK_LIMIT));
        asm.ldr(A64Function.VMCTX, Address.offset(descriptor, VmContextLayout.FUNC_VMCTX));
        asm.str(tmp, Address.offset(A64Function.VMCTX, VmContextLayout.STACK_LIMIT));
        asm.ldr(A64Function.MEMBASE, Address.offset(A64Function.VMCTX, VmContextLayout.MEMORY_BASE));
        for (int k = 0; k < A64CallingConvention.INT_ARG_COUNT; k++) {
            asm.ldr(GeneralRegister.x(k), Address.offset(state, TailLaunchArea.INT_ARGS + 8 * k));
        }
        for (int k = 0; k < A64CallingConvention.FLOAT_ARG_COUNT; k++) {
            asm.ldr(VectorRegister.d(k).q(), Address.offset(state, LAUNCH_AREA.vectorArgs() + 16 * k));
        }
        asm.ldr(X16, Address.offset(descriptor, VmContextLayout.FUNC_CODE));
        asm.br(X16);
        return asm.finish().toMachineCode(-1, "kiln_tail_launcher", List.of(), 0);
    }
}
