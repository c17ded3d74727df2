package dev.kiln.backend.aarch64;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.RelocationModel;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.code.Target;
import dev.kiln.ir.pass.Preparation;
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
    public CpuFeatures cpu() {
        return CpuFeatures.AARCH64;
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
    public MachineCode compile(ValidatedModule module, SymbolNames symbols, int funcIndex, CodeOptions options, boolean listing) {
        IrFunction f = Preparation.forBackend(module, funcIndex, options);
        Allocation a = allocate(f);
        return new A64Function(module.module(), symbols, f, a, listing).compile(funcIndex, symbols.of(funcIndex));
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
    public MachineCode compile(ValidatedModule module, SymbolNames symbols, IrFunction prepared, String symbol) {
        return new A64Function(module.module(), symbols, prepared, allocate(prepared), false).compile(prepared.index, symbol);
    }

    /**
     * The call stubs of functions {@code first .. first+count-1}, one every {@link #callStubStride()}
     * bytes: each puts the function index in w9 and jumps to the address held in the native word at
     * {@code slotsBase + 8 * index}.
     */
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

    @Override
    public MachineCode instanceReturn() {
        return A64RuntimeStubs.instanceReturn();
    }
}
