package dev.kiln.backend.aarch64;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.IrBuilder;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.RelocationModel;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.code.Target;
import dev.kiln.ir.pass.EdgeSplitting;
import dev.kiln.ir.pass.Optimizer;
import dev.kiln.regalloc.Allocation;
import dev.kiln.regalloc.LinearScan;
import dev.kiln.regalloc.Location;

import java.util.function.IntFunction;

/** The AArch64 (AAPCS64) backend: IR, optimised, allocated over {@link A64RegisterFile}, then lowered. */
public final class A64Backend implements Backend {
    public static final A64Backend INSTANCE = new A64Backend();

    private A64Backend() {
    }

    @Override
    public Target target() {
        return Target.AARCH64;
    }

    @Override
    public RelocationModel relocationModel() {
        return A64RelocationModel.INSTANCE;
    }

    @Override
    public MachineCode compile(ValidatedModule module, SymbolNames symbols, int funcIndex, boolean listing) {
        IrFunction f = IrBuilder.build(module, funcIndex);
        Optimizer.optimize(f);
        new EdgeSplitting().run(f);
        Allocation a = allocate(f);
        return new A64Function(module.module(), symbols, f, a, listing).compile(funcIndex);
    }

    /** The allocation the backend uses: constants encoded where they are used get no location. */
    public static Allocation allocate(IrFunction f) {
        return LinearScan.allocate(f, A64RegisterFile.INSTANCE, A64Immediates.immediateOnly(f));
    }

    @Override
    public IntFunction<String> allocationNames(IrFunction f) {
        Allocation a = allocate(f);
        return v -> {
            int l = a.location(v);
            if (l == Location.NONE) return "v" + v;
            if (Location.isSlot(l)) return "v" + v + "@slot" + Location.slotIndex(l);
            return "v" + v + "@" + (A64RegisterFile.isVector(l) ? "v" + (l - A64RegisterFile.V_BASE) : "x" + l);
        };
    }

    @Override
    public MachineCode entryTrampoline(FuncType type, String symbol) {
        return A64RuntimeStubs.entryTrampoline(type, symbol);
    }

    @Override
    public MachineCode trapRoutine() {
        return A64RuntimeStubs.trapRoutine();
    }
}
