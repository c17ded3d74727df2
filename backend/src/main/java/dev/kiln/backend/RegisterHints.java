package dev.kiln.backend;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.CallSignatures;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;
import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.regalloc.Location;

import java.util.Arrays;

/**
 * The register each value would best live in under a calling convention, so the allocator can save
 * the moves around calls and returns: a parameter where it arrives, a call's (or tail call's)
 * argument in its argument register, a call's single result and a returned value in the result
 * register. The first hint a value gets wins; a hint the allocator cannot honour costs nothing.
 */
public final class RegisterHints {
    private RegisterHints() {
    }

    /** For each value of {@code f}: its preferred register location, or {@link Location#NONE}. */
    public static int[] of(IrFunction f, CallingConvention convention) {
        int[] hint = new int[f.valueCount()];
        Arrays.fill(hint, Location.NONE);
        ArgumentPlaces.Parameters entry = convention.parameters(f.type());
        for (int k = 0; k < entry.count(); k++) {
            if (!entry.place(k).onStack()) prefer(hint, f.entry().params[k], entry.place(k).register());
        }
        for (BasicBlock b : f.blocks) {
            for (Instruction i : b.instructions) {
                if (CallSignatures.isCall(i.op)) call(f, convention, hint, i);
            }
            switch (b.terminator) {
                case Terminator.Return r when r.values.length == 1 ->
                        prefer(hint, r.values[0], convention.resultRegister(f.typeOf(r.values[0])));
                case Terminator.ReturnCall rc -> call(f, convention, hint, rc.call);
                default -> {
                }
            }
        }
        return hint;
    }

    private static void call(IrFunction f, CallingConvention convention, int[] hint, Instruction call) {
        int n = MachineFunction.argumentCount(call);
        ValType[] params = new ValType[n];
        for (int k = 0; k < n; k++) params[k] = f.typeOf(call.arg(k));
        ArgumentPlaces.Parameters places = convention.parameters(FuncType.of(params));
        for (int k = 0; k < n; k++) {
            if (!places.place(k).onStack()) prefer(hint, call.arg(k), places.place(k).register());
        }
        if (call.resultCount() == 1) prefer(hint, call.result(), convention.resultRegister(f.typeOf(call.result())));
    }

    private static void prefer(int[] hint, int v, int register) {
        if (hint[v] == Location.NONE) hint[v] = Location.register(register);
    }
}
