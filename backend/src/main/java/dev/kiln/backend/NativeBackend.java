package dev.kiln.backend;

import dev.kiln.frontend.Module;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.pass.CallSplitting;
import dev.kiln.ir.pass.LoopSplitting;
import dev.kiln.ir.pass.Preparation;
import dev.kiln.regalloc.Allocation;
import dev.kiln.regalloc.Rematerialisation;
import dev.kiln.regalloc.SplitRegisters;
import dev.kiln.regalloc.Location;
import dev.kiln.regalloc.RegisterFile;


import java.util.function.IntFunction;

/**
 * What every native backend does the same way: prepare a function's IR, allocate it over the
 * target's register file (constants the lowering encodes get no location), and lower it with the
 * target's {@link MachineFunction}.
 */
public abstract class NativeBackend implements Backend {
    /** The target's internal calling convention (where arguments and results go). */
    protected abstract CallingConvention convention();

    /** The target's allocatable registers. */
    protected abstract RegisterFile registerFile();

    /** For each value of {@code f}: true when it is a constant every use encodes (no location needed). */
    protected abstract boolean[] immediateOnly(IrFunction f);

    /** The target's lowering of one allocated function. */
    protected abstract MachineFunction<?> function(Module module, SymbolNames symbols, IrFunction f, Allocation a, CodeOptions options,
                                                   boolean listing);

    /** The assembler name of allocator register {@code register}. */
    protected abstract String registerName(int register);

    /**
     * The allocation the backend uses, after live ranges are split at the loops and after the calls
     * where the target's registers may run short ({@link LoopSplitting}, {@link CallSplitting}), with
     * the constants it would keep in stack slots recomputed at their uses ({@link Rematerialisation};
     * {@code f} is changed).
     */
    public final Allocation allocate(IrFunction f) {
        LoopSplitting.Registers registers = splitRegisters();
        new LoopSplitting(registers).run(f);
        new CallSplitting(registers).run(f);
        return Rematerialisation.allocate(f, registerFile(), new Rematerialisation.Inputs() {
            @Override
            public boolean[] unallocated(IrFunction g) {
                return immediateOnly(g);
            }

            @Override
            public int[] preferred(IrFunction g) {
                return RegisterHints.of(g, convention());
            }
        });
    }

    /** The target's registers as loop splitting counts them. */
    private LoopSplitting.Registers splitRegisters() {
        return SplitRegisters.of(registerFile());
    }

    @Override
    public final MachineCode compile(ValidatedModule module, SymbolNames symbols, int funcIndex, CodeOptions options, boolean listing) {
        IrFunction f = Preparation.forBackend(module, funcIndex, options);
        Allocation a = allocate(f);
        return function(module.module(), symbols, f, a, options, listing).compile(funcIndex, symbols.of(funcIndex));
    }

    @Override
    public final MachineCode compile(ValidatedModule module, SymbolNames symbols, IrFunction prepared, String symbol, CodeOptions options) {
        Allocation a = allocate(prepared);
        return function(module.module(), symbols, prepared, a, options, false).compile(prepared.index, symbol);
    }

    @Override
    public final IntFunction<String> allocationNames(IrFunction f) {
        Allocation a = allocate(f);
        return v -> {
            int l = a.location(v);
            if (l == Location.NONE) return "v" + v;
            if (Location.isSlot(l)) return "v" + v + "@slot" + Location.slotIndex(l);
            return "v" + v + "@" + registerName(l);
        };
    }
}
