package dev.kiln.interpreter;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;

import java.lang.foreign.ValueLayout;

/**
 * Loads and stores the dispatch loop does not make itself: to a memory other than memory 0, to a
 * 64-bit memory (memory64), or with an offset of 2^32 or more. The effective address is computed
 * in 64 bits and checked against the memory's current size without wrapping: an i32 address is
 * zero-extended, an i64 address plus the u64 offset that overflows traps.
 */
final class MultiMemory {
    private static final Opcode[] OPCODES = Opcode.values();

    private MultiMemory() {
    }

    /** MEM_LOAD d addr memory kind offLo offHi (memory: index << 1 | 1 when 64-bit). */
    static void load(long[] r, int[] c, int pc, int fp, InstanceContext ctx) {
        Opcode op = OPCODES[c[pc + 4]];
        int size = width(op);
        long at = address(ctx, c[pc + 3], r[fp + c[pc + 2]], offset(c, pc), size);
        long v = switch (size) {
            case 1 -> op == Opcode.I32_LOAD8_U || op == Opcode.I64_LOAD8_U
                    ? Interpreter.NATIVE.get(ValueLayout.JAVA_BYTE, at) & 0xFF : Interpreter.NATIVE.get(ValueLayout.JAVA_BYTE, at);
            case 2 -> op == Opcode.I32_LOAD16_U || op == Opcode.I64_LOAD16_U
                    ? Interpreter.NATIVE.get(ValueLayout.JAVA_SHORT_UNALIGNED, at) & 0xFFFF
                    : Interpreter.NATIVE.get(ValueLayout.JAVA_SHORT_UNALIGNED, at);
            case 4 -> op == Opcode.I64_LOAD32_U ? Interpreter.NATIVE.get(ValueLayout.JAVA_INT_UNALIGNED, at) & 0xFFFF_FFFFL
                    : Interpreter.NATIVE.get(ValueLayout.JAVA_INT_UNALIGNED, at);
            default -> Interpreter.NATIVE.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
        };
        r[fp + c[pc + 1]] = v;
    }

    /** MEM_STORE v addr memory kind offLo offHi. */
    static void store(long[] r, int[] c, int pc, int fp, InstanceContext ctx) {
        Opcode op = OPCODES[c[pc + 4]];
        int size = width(op);
        long at = address(ctx, c[pc + 3], r[fp + c[pc + 2]], offset(c, pc), size);
        long v = r[fp + c[pc + 1]];
        switch (size) {
            case 1 -> Interpreter.NATIVE.set(ValueLayout.JAVA_BYTE, at, (byte) v);
            case 2 -> Interpreter.NATIVE.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, (short) v);
            case 4 -> Interpreter.NATIVE.set(ValueLayout.JAVA_INT_UNALIGNED, at, (int) v);
            default -> Interpreter.NATIVE.set(ValueLayout.JAVA_LONG_UNALIGNED, at, v);
        }
    }

    private static long offset(int[] c, int pc) {
        return (c[pc + 5] & 0xFFFF_FFFFL) | (long) c[pc + 6] << 32;
    }

    /** The bytes a load or store of {@code op} accesses. */
    static int width(Opcode op) {
        return switch (op) {
            case I32_LOAD8_S, I32_LOAD8_U, I64_LOAD8_S, I64_LOAD8_U, I32_STORE8, I64_STORE8 -> 1;
            case I32_LOAD16_S, I32_LOAD16_U, I64_LOAD16_S, I64_LOAD16_U, I32_STORE16, I64_STORE16 -> 2;
            case I32_LOAD, F32_LOAD, I64_LOAD32_S, I64_LOAD32_U, I32_STORE, F32_STORE, I64_STORE32 -> 4;
            case I64_LOAD, F64_LOAD, I64_STORE, F64_STORE -> 8;
            default -> throw new IllegalStateException("not a scalar load or store: " + op);
        };
    }

    /**
     * The native address of {@code size} bytes at {@code addr + offset} in memory {@code memory}
     * (index << 1 | 1 when 64-bit); traps when any is past its end. The SIMD accesses use it too.
     */
    static long address(InstanceContext ctx, int memory, long addr, long offset, int size) {
        int mem = memory >>> 1;
        long a = (memory & 1) != 0 ? addr : addr & 0xFFFF_FFFFL;
        long ea = a + offset;
        long bytes = ctx.memorySize(mem);
        if (Long.compareUnsigned(ea, a) < 0 || bytes < size || Long.compareUnsigned(ea, bytes - size) > 0) {
            throw new TrapException(TrapKind.OUT_OF_BOUNDS_MEMORY);
        }
        return ctx.memoryAddress(mem) + ea;
    }
}
