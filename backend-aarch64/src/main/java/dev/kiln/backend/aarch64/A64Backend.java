package dev.kiln.backend.aarch64;

import dev.kiln.backend.CallingConvention;
import dev.kiln.backend.MachineFunction;
import dev.kiln.backend.NativeBackend;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Module;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.RelocationModel;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.code.Target;
import dev.kiln.regalloc.Allocation;
import dev.kiln.regalloc.RegisterFile;

/**
 * The AArch64 backend: IR, optimised, allocated over {@link A64RegisterFile}, then lowered by
 * {@link A64Function} under kiln's internal calling convention; the C convention (AAPCS64) only at
 * the Java boundary (entry trampolines, adapters).
 */
public final class A64Backend extends NativeBackend {
    public static final A64Backend INSTANCE = new A64Backend();

    private A64Backend() {
    }

    @Override
    public Target target() {
        return Target.AARCH64;
    }

    @Override
    public CpuFeatures cpu() {
        return CpuFeatures.AARCH64;
    }

    /** Exception handling: throw sites, exception dispatches and the trap routine's handler search. */
    @Override
    public boolean lowersExceptions() {
        return true;
    }

    /** Advanced SIMD is part of every AArch64 CPU. */
    @Override
    public boolean compilesSimd() {
        return true;
    }

    @Override
    public RelocationModel relocationModel() {
        return A64RelocationModel.INSTANCE;
    }

    @Override
    protected CallingConvention convention() {
        return A64CallingConvention.CONVENTION;
    }

    @Override
    protected RegisterFile registerFile() {
        return A64RegisterFile.INSTANCE;
    }

    @Override
    protected boolean[] immediateOnly(IrFunction f) {
        return A64Immediates.immediateOnly(f);
    }

    @Override
    protected MachineFunction<?> function(Module module, SymbolNames symbols, IrFunction f, Allocation a, CodeOptions options,
                                          boolean listing) {
        return new A64Function(module, symbols, f, a, options, listing);
    }

    @Override
    protected String registerName(int register) {
        return A64RegisterFile.isVector(register) ? "v" + (register - A64RegisterFile.V_BASE) : "x" + register;
    }

    /**
     * The call stubs of functions {@code first .. first+count-1}, one every {@link #callStubStride()}
     * bytes: each puts the function index in w9 and jumps to the address held in the native word at
     * {@code slotsBase + 8 * index}.
     */
    @Override
    public MachineCode slotStub(int funcIndex) {
        return A64TierStubs.slotStub(funcIndex);
    }

    /** Zero bytes: {@code udf #0}. */
    @Override
    public byte textFiller() {
        return 0;
    }

    @Override
    public MachineCode callStubs(int first, int count, long slotsBase) {
        return A64TierStubs.callStubs(first, count, slotsBase);
    }

    /** Bytes between consecutive stubs of {@link #callStubs}. */
    @Override
    public int callStubStride() {
        return A64TierStubs.CALL_STUB_STRIDE;
    }

    /** Passes {@code index} (a host function's handle) in w9 to the native-to-Java adapter at {@code adapterAddress}. */
    @Override
    public MachineCode adapterThunk(String symbol, int index, long adapterAddress) {
        return A64TierStubs.adapterThunk(symbol, index, adapterAddress);
    }

    /**
     * The native-to-Java adapter for functions of {@code type} (the interpreter, or a host function),
     * reached from a call stub or an adapter thunk with the index in w9: arguments to a buffer on its
     * stack, {@code int upcall(vmctx, index, buffer)} at {@code upcallAddress}, the result back from
     * the buffer; a nonzero upcall result goes to the trap routine.
     */
    @Override
    public MachineCode tailLauncher() {
        return A64TierStubs.tailLauncher();
    }

    @Override
    public int[] tailLaunchOffsets(FuncType t) {
        return A64TierStubs.LAUNCH_AREA.offsets(t);
    }

    @Override
    public MachineCode interpreterEntry(FuncType type, String symbol, long upcallAddress) {
        return A64TierStubs.interpreterEntry(type, symbol, upcallAddress);
    }

    @Override
    public MachineCode entryTrampoline(FuncType type, String symbol) {
        return A64RuntimeStubs.entryTrampoline(type, symbol);
    }

    @Override
    public MachineCode trapRoutine() {
        return A64RuntimeStubs.trapRoutine();
    }

    /** The frame record (x29, x30) and a register or slot per value kept over a call, 16-aligned (x19/x20 stay pinned). */
    @Override
    public int frameBytes(int liveAcrossCall) {
        return (int) Math.min(Integer.MAX_VALUE - 15, (16 + 8L * liveAcrossCall + 15) & ~15L);
    }

    @Override
    public MachineCode stackPointerProbe() {
        return A64RuntimeStubs.stackPointerProbe();
    }

    @Override
    public MachineCode instanceReturn() {
        return A64RuntimeStubs.instanceReturn();
    }

    @Override
    public MachineCode signalHandler(long codeRanges, long previous, long trapRoutine) {
        return A64SignalHandler.handler(codeRanges, previous, trapRoutine);
    }
}
