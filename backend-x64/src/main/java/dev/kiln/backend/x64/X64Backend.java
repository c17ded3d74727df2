package dev.kiln.backend.x64;

import dev.kiln.backend.CallingConvention;
import dev.kiln.backend.MachineFunction;
import dev.kiln.backend.NativeBackend;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Module;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeature;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.RelocationModel;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.code.Target;
import dev.kiln.regalloc.Allocation;
import dev.kiln.regalloc.RegisterFile;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The x86-64 backend for one CPU level: IR, optimised, allocated over {@link X64RegisterFile}, then
 * lowered by {@link X64Function} under kiln's internal calling convention, using the instruction-set
 * extensions of its level only; the C convention (SysV) only at the Java boundary (entry
 * trampolines, adapters).
 */
public final class X64Backend extends NativeBackend {
    private static final Map<CpuFeatures, X64Backend> BY_LEVEL = new ConcurrentHashMap<>();
    /** The backend for x86-64-v3 (AVX2), which kiln's own tests use where the level does not matter. */
    public static final X64Backend INSTANCE = forCpu(CpuFeatures.X86_64_V3);

    private final CpuFeatures cpu;

    private X64Backend(CpuFeatures cpu) {
        if (cpu.target() != Target.X86_64) throw new IllegalArgumentException(cpu + " is not an x86-64 level");
        this.cpu = cpu;
    }

    /** The backend for code that may use the extensions of {@code cpu}. */
    public static X64Backend forCpu(CpuFeatures cpu) {
        return BY_LEVEL.computeIfAbsent(cpu, X64Backend::new);
    }

    @Override
    public Target target() {
        return Target.X86_64;
    }

    @Override
    public CpuFeatures cpu() {
        return cpu;
    }

    @Override
    public RelocationModel relocationModel() {
        return X64RelocationModel.INSTANCE;
    }

    /** Exception handling: throw sites, exception dispatches and the trap routine's handler search. */
    @Override
    public boolean lowersExceptions() {
        return true;
    }

    /** SIMD needs SSE4.1: every level but the x86-64 baseline. */
    @Override
    public boolean compilesSimd() {
        return cpu.has(CpuFeature.SSE4_1);
    }

    @Override
    protected CallingConvention convention() {
        return X64CallingConvention.CONVENTION;
    }

    @Override
    protected RegisterFile registerFile() {
        return X64RegisterFile.INSTANCE;
    }

    @Override
    protected boolean[] immediateOnly(IrFunction f) {
        return X64Immediates.immediateOnly(f);
    }

    @Override
    protected MachineFunction<?> function(Module module, SymbolNames symbols, IrFunction f, Allocation a, CodeOptions options,
                                          boolean listing) {
        return new X64Function(module, symbols, f, a, options, listing, cpu);
    }

    @Override
    protected String registerName(int register) {
        return (X64RegisterFile.isXmm(register) ? X64RegisterFile.xmm(register).name() : X64RegisterFile.gpr(register).name()).toLowerCase();
    }

    @Override
    public MachineCode entryTrampoline(FuncType type, String symbol) {
        return X64RuntimeStubs.entryTrampoline(type, symbol);
    }

    @Override
    public MachineCode trapRoutine() {
        return X64RuntimeStubs.trapRoutine();
    }

    /** Return address, rbp and a register or slot per value kept over a call, 16-aligned (the VMContext and memory base stay pinned). */
    @Override
    public int frameBytes(int liveAcrossCall) {
        return (int) Math.min(Integer.MAX_VALUE - 15, (16 + 8L * liveAcrossCall + 15) & ~15L);
    }

    @Override
    public MachineCode stackPointerProbe() {
        return X64RuntimeStubs.stackPointerProbe();
    }

    @Override
    public MachineCode instanceReturn() {
        return X64RuntimeStubs.instanceReturn();
    }

    @Override
    public MachineCode tailLauncher() {
        return X64TierStubs.tailLauncher();
    }

    @Override
    public int[] tailLaunchOffsets(FuncType t) {
        return X64TierStubs.LAUNCH_AREA.offsets(t);
    }

    @Override
    public MachineCode slotStub(int funcIndex) {
        return X64TierStubs.slotStub(funcIndex);
    }

    /** {@code int3}. */
    @Override
    public byte textFiller() {
        return (byte) 0xCC;
    }

    @Override
    public MachineCode callStubs(int first, int count, long slotsBase) {
        return X64TierStubs.callStubs(first, count, slotsBase);
    }

    @Override
    public int callStubStride() {
        return X64TierStubs.CALL_STUB_STRIDE;
    }

    @Override
    public MachineCode adapterThunk(String symbol, int index, long adapterAddress) {
        return X64TierStubs.adapterThunk(symbol, index, adapterAddress);
    }

    @Override
    public MachineCode interpreterEntry(FuncType type, String symbol, long upcallAddress) {
        return X64TierStubs.interpreterEntry(type, symbol, upcallAddress);
    }

    @Override
    public MachineCode signalHandler(long codeRanges, long lazyTexts, long previous, long trapRoutine) {
        return X64SignalHandler.handler(codeRanges, lazyTexts, previous, trapRoutine);
    }

    @Override
    public boolean checksLazyText() {
        return true;
    }

    @Override
    public MachineCode signalHandler(long codeRanges, long previous, long trapRoutine) {
        return X64SignalHandler.handler(codeRanges, previous, trapRoutine);
    }
}
