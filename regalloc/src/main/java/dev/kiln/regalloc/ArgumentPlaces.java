package dev.kiln.regalloc;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;

import java.util.function.Predicate;

/**
 * Where a call's parameters go under the C calling conventions kiln's backends use (SysV x86-64,
 * AAPCS64): in order, integer and reference parameters take the next integer argument register,
 * float parameters the next float argument register, and a parameter whose registers have run out
 * takes the next 8-byte stack slot. One result comes back in a register; several go through the
 * execution state's return area. The backends supply the registers.
 */
public final class ArgumentPlaces {
    /** One parameter's place: a register number (the target's own) or a stack slot index. */
    public record Place(int register, int stackIndex) {
        public boolean onStack() {
            return stackIndex >= 0;
        }
    }

    private ArgumentPlaces() {
    }

    /** The places of {@code t}'s parameters, given the argument registers in order and which types go in float registers. */
    public static Place[] of(FuncType t, int[] intRegisters, int[] floatRegisters, Predicate<ValType> inFloatRegister) {
        Place[] out = new Place[t.paramCount()];
        int ints = 0, floats = 0, stack = 0;
        for (int i = 0; i < out.length; i++) {
            if (inFloatRegister.test(t.param(i))) {
                out[i] = floats < floatRegisters.length ? new Place(floatRegisters[floats++], -1) : new Place(-1, stack++);
            } else {
                out[i] = ints < intRegisters.length ? new Place(intRegisters[ints++], -1) : new Place(-1, stack++);
            }
        }
        return out;
    }

    /** Stack slots the parameters at {@code places} need. */
    public static int stackSlots(Place[] places) {
        int n = 0;
        for (Place p : places) if (p.onStack()) n++;
        return n;
    }

    /** True when {@code t}'s results travel through the return area rather than a register. */
    public static boolean usesReturnArea(FuncType t) {
        return t.resultCount() > 1;
    }
}
