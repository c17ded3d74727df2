package dev.kiln.regalloc;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.abi.ExecutionStateLayout;

import java.util.function.Predicate;

/**
 * Where kiln's internal calling convention puts a signature's parameters and results (the same
 * rule on every target; the backends supply the registers). In order, integer and reference
 * parameters take the next integer argument register, f32/f64/v128 parameters the next vector
 * argument register, and a parameter whose registers have run out takes the next stack place: 8
 * bytes at the next multiple of 8, a v128 16 bytes at the next multiple of 16, counted from the
 * lowest address of the stack-argument area. The area's size is rounded up to 16 bytes, and the
 * callee pops it when it returns (so a tail call can replace a frame whatever the argument
 * counts). One result comes back in the first integer or vector result register; several go
 * through the execution state's return area, one 16-byte slot each.
 *
 * <p>Buffers that carry a signature's values between native code and Java (the entry
 * trampoline's argument buffer, the upcall buffers of adapters) use {@link #bufferOffset}: one
 * 16-byte slot per value, a v128 filling it, any other value in its low 8 bytes (an i32 or f32
 * in the low 4 of those, zero-extended).
 */
public final class ArgumentPlaces {
    /** Bytes per value in argument buffers and return-area slots. */
    public static final int VALUE_SLOT_BYTES = ExecutionStateLayout.RETURN_SLOT_BYTES;

    /** One parameter's place: a register number (the target's own), or a byte offset in the stack-argument area. */
    public record Place(int register, int stackOffset) {
        public boolean onStack() {
            return stackOffset >= 0;
        }
    }

    /** The places of a signature's parameters and the size of its stack-argument area (a multiple of 16). */
    public record Parameters(Place[] places, int stackBytes) {
        public Place place(int i) {
            return places[i];
        }

        public int count() {
            return places.length;
        }
    }

    private ArgumentPlaces() {
    }

    /** The places of {@code t}'s parameters, given the argument registers in order and which types go in vector registers. */
    public static Parameters of(FuncType t, int[] intRegisters, int[] floatRegisters, Predicate<ValType> inFloatRegister) {
        Place[] out = new Place[t.paramCount()];
        int ints = 0, floats = 0, stack = 0;
        for (int i = 0; i < out.length; i++) {
            ValType p = t.param(i);
            boolean vector = inFloatRegister.test(p);
            if (vector && floats < floatRegisters.length) {
                out[i] = new Place(floatRegisters[floats++], -1);
            } else if (!vector && ints < intRegisters.length) {
                out[i] = new Place(intRegisters[ints++], -1);
            } else {
                int size = stackBytes(p);
                stack = (stack + size - 1) / size * size;
                out[i] = new Place(-1, stack);
                stack += size;
            }
        }
        return new Parameters(out, align16(stack));
    }

    /** Bytes a parameter of type {@code t} takes in the stack-argument area (and its alignment). */
    public static int stackBytes(ValType t) {
        return t == ValType.V128 ? 16 : 8;
    }

    /** True when {@code t}'s results travel through the return area rather than a register. */
    public static boolean usesReturnArea(FuncType t) {
        return t.resultCount() > 1;
    }

    /** Offset of value {@code i} in an argument or upcall buffer. */
    public static int bufferOffset(int i) {
        return VALUE_SLOT_BYTES * i;
    }

    /** Bytes of a buffer for {@code count} values. */
    public static int bufferBytes(int count) {
        return VALUE_SLOT_BYTES * count;
    }

    public static int align16(int bytes) {
        return (bytes + 15) & ~15;
    }
}
