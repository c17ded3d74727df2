package dev.kiln.backend.x64;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeature;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.RelocationModel;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.code.Target;
import dev.kiln.ir.pass.Preparation;
import dev.kiln.regalloc.Allocation;
import dev.kiln.regalloc.LinearScan;

/**
 * The x86-64 (SysV) backend for one CPU level: IR, optimised, allocated over
 * {@link X64RegisterFile}, then lowered, using the instruction-set extensions of its level only.
 */
public final class X64Backend implements Backend {
    private static final java.util.Map<CpuFeatures, X64Backend> BY_LEVEL = new java.util.concurrent.ConcurrentHashMap<>();
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

    /** SIMD needs SSE4.1: every level but the x86-64 baseline. */
    @Override
    public boolean compilesSimd() {
        return cpu.has(CpuFeature.SSE4_1);
    }

    @Override
    public MachineCode compile(ValidatedModule module, SymbolNames symbols, int funcIndex, CodeOptions options, boolean listing) {
        IrFunction f = Preparation.forBackend(module, funcIndex, options);
        Allocation a = allocate(f);
        return new X64Function(module.module(), symbols, f, a, listing, cpu).compile(funcIndex, symbols.of(funcIndex));
    }

    @Override
    public MachineCode compile(ValidatedModule module, SymbolNames symbols, IrFunction prepared, String symbol) {
        return new X64Function(module.module(), symbols, prepared, allocate(prepared), false, cpu).compile(prepared.index, symbol);
    }

    /** The allocation the backend uses: constants used only as immediates get no location. */
    public static Allocation allocate(IrFunction f) {
        return LinearScan.allocate(f, X64RegisterFile.INSTANCE, X64Immediates.immediateOnly(f));
    }

    @Override
    public java.util.function.IntFunction<String> allocationNames(IrFunction f) {
        Allocation a = allocate(f);
        return v -> {
            int l = a.location(v);
            if (l == dev.kiln.regalloc.Location.NONE) return "v" + v;
            if (dev.kiln.regalloc.Location.isSlot(l)) return "v" + v + "@slot" + dev.kiln.regalloc.Location.slotIndex(l);
            return "v" + v + "@" + (X64RegisterFile.isXmm(l) ? X64RegisterFile.xmm(l).name() : X64RegisterFile.gpr(l).name()).toLowerCase();
        };
    }

    @Override
    public MachineCode entryTrampoline(FuncType type, String symbol) {
        return X64RuntimeStubs.entryTrampoline(type, symbol);
    }

    @Override
    public MachineCode trapRoutine() {
        return X64RuntimeStubs.trapRoutine();
    }

    @Override
    public MachineCode instanceReturn() {
        return X64RuntimeStubs.instanceReturn();
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
}
