package dev.kiln.interpreter;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.vector.VectorNumerics;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The interpreter's SIMD instructions, kept out of the main dispatch loop so that it stays small
 * enough for HotSpot to compile. A v128 lives in two consecutive frame slots (bits 0-63, then
 * 64-127); operations on values go through {@link VectorNumerics}, memory accesses, on any memory
 * and with 32- or 64-bit addresses, are checked like the scalar ones ({@link MultiMemory#address}:
 * the whole access in bounds, no wrap, else a trap).
 */
final class SimdExecution {
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final Opcode[] OPCODES = Opcode.values();

    private SimdExecution() {
    }

    /** Runs the SIMD instruction at {@code pc} (family {@link Families#SIMD}); returns the next pc. */
    static int run(int op, long[] r, int[] c, int pc, int fp, InstanceContext ctx) {
        switch (op) {
            case Op.V128_SELECT -> {
                boolean first = (int) r[fp + c[pc + 4]] != 0;
                int from = fp + (first ? c[pc + 2] : c[pc + 3]), d = fp + c[pc + 1];
                long lo = r[from], hi = r[from + 1];
                r[d] = lo;
                r[d + 1] = hi;
            }
            case Op.GLOBAL_GET_128 -> {
                long cell = ctx.globalCells()[c[pc + 2]];
                int d = fp + c[pc + 1];
                r[d] = NATIVE.get(I64, cell);
                r[d + 1] = NATIVE.get(I64, cell + 8);
            }
            case Op.GLOBAL_SET_128 -> {
                long cell = ctx.globalCells()[c[pc + 1]];
                int s = fp + c[pc + 2];
                NATIVE.set(I64, cell, r[s]);
                NATIVE.set(I64, cell + 8, r[s + 1]);
            }
            case Op.SIMD -> VectorNumerics.eval(OPCODES[c[pc + 1]], r, fp + c[pc + 2], fp + c[pc + 3], fp + c[pc + 4],
                    fp + c[pc + 5], 0, 0);
            case Op.SIMD_LANE -> VectorNumerics.eval(OPCODES[c[pc + 1]], r, fp + c[pc + 2], fp + c[pc + 3], fp + c[pc + 4],
                    0, c[pc + 5], 0);
            case Op.SIMD_SHUFFLE -> VectorNumerics.eval(Opcode.I8X16_SHUFFLE, r, fp + c[pc + 1], fp + c[pc + 2], fp + c[pc + 3], 0,
                    (c[pc + 4] & 0xFFFF_FFFFL) | (long) c[pc + 5] << 32, (c[pc + 6] & 0xFFFF_FFFFL) | (long) c[pc + 7] << 32);
            case Op.V128_LOAD -> load(OPCODES[c[pc + 1]], r, fp + c[pc + 2],
                    MultiMemory.address(ctx, c[pc + 4], r[fp + c[pc + 3]], offset(c, pc + 5), OPCODES[c[pc + 1]].memoryBytes));
            case Op.V128_LOAD_LANE -> loadLane(OPCODES[c[pc + 1]], r, c, pc, fp, ctx);
            case Op.V128_STORE -> {
                long at = MultiMemory.address(ctx, c[pc + 3], r[fp + c[pc + 1]], offset(c, pc + 4), 16);
                int s = fp + c[pc + 2];
                NATIVE.set(I64, at, r[s]);
                NATIVE.set(I64, at + 8, r[s + 1]);
            }
            case Op.V128_STORE_LANE -> {
                Opcode o = OPCODES[c[pc + 1]];
                long at = MultiMemory.address(ctx, c[pc + 4], r[fp + c[pc + 2]], offset(c, pc + 5), o.memoryBytes);
                int s = fp + c[pc + 3];
                int lane = c[pc + 7];
                int bits = o.memoryBytes * 8, perHalf = 64 / bits;
                long half = lane < perHalf ? r[s] : r[s + 1];
                write(at, o.memoryBytes, half >>> ((lane % perHalf) * bits));
            }
            default -> throw Families.badOpcode(op, pc);
        }
        return pc + Op.length(op);
    }

    /** v128.loadN_lane: the loaded lane goes through replace_lane of the same width, from scratch slots. */
    private static void loadLane(Opcode o, long[] r, int[] c, int pc, int fp, InstanceContext ctx) {
        long at = MultiMemory.address(ctx, c[pc + 5], r[fp + c[pc + 3]], offset(c, pc + 6), o.memoryBytes);
        int v = fp + c[pc + 4];
        long[] t = {r[v], r[v + 1], read(at, o.memoryBytes)};
        VectorNumerics.eval(replaceLane(o.memoryBytes), t, 0, 0, 2, 0, c[pc + 8], 0);
        int d = fp + c[pc + 2];
        r[d] = t[0];
        r[d + 1] = t[1];
    }

    /** The 64-bit offset stored as two words (low, high) at {@code at}. */
    private static long offset(int[] c, int at) {
        return (c[at] & 0xFFFF_FFFFL) | (long) c[at + 1] << 32;
    }

    private static long read(long at, int bytes) {
        return switch (bytes) {
            case 1 -> NATIVE.get(I8, at);
            case 2 -> NATIVE.get(I16, at);
            case 4 -> NATIVE.get(I32, at);
            default -> NATIVE.get(I64, at);
        };
    }

    private static void write(long at, int bytes, long v) {
        switch (bytes) {
            case 1 -> NATIVE.set(I8, at, (byte) v);
            case 2 -> NATIVE.set(I16, at, (short) v);
            case 4 -> NATIVE.set(I32, at, (int) v);
            default -> NATIVE.set(I64, at, v);
        }
    }

    private static Opcode replaceLane(int bytes) {
        return switch (bytes) {
            case 1 -> Opcode.I8X16_REPLACE_LANE;
            case 2 -> Opcode.I16X8_REPLACE_LANE;
            case 4 -> Opcode.I32X4_REPLACE_LANE;
            default -> Opcode.I64X2_REPLACE_LANE;
        };
    }

    /**
     * v128.load and the loads that widen, splat or zero-fill: the bytes read, then the lane
     * operation that shapes them (extend_low, splat), computed in a scratch frame.
     */
    private static void load(Opcode op, long[] r, int d, long at) {
        long lo, hi;
        switch (op) {
            case V128_LOAD -> {
                lo = NATIVE.get(I64, at);
                hi = NATIVE.get(I64, at + 8);
            }
            case V128_LOAD32_ZERO -> {
                lo = NATIVE.get(I32, at) & 0xFFFF_FFFFL;
                hi = 0;
            }
            case V128_LOAD64_ZERO -> {
                lo = NATIVE.get(I64, at);
                hi = 0;
            }
            default -> {
                long[] t = {read(at, op.memoryBytes), 0, 0, 0};
                VectorNumerics.eval(shaping(op), t, 2, 0, 0, 0, 0, 0);
                lo = t[2];
                hi = t[3];
            }
        }
        r[d] = lo;
        r[d + 1] = hi;
    }

    /** The lane operation a widening or splatting load applies to the bytes it reads. */
    private static Opcode shaping(Opcode load) {
        return switch (load) {
            case V128_LOAD8X8_S -> Opcode.I16X8_EXTEND_LOW_I8X16_S;
            case V128_LOAD8X8_U -> Opcode.I16X8_EXTEND_LOW_I8X16_U;
            case V128_LOAD16X4_S -> Opcode.I32X4_EXTEND_LOW_I16X8_S;
            case V128_LOAD16X4_U -> Opcode.I32X4_EXTEND_LOW_I16X8_U;
            case V128_LOAD32X2_S -> Opcode.I64X2_EXTEND_LOW_I32X4_S;
            case V128_LOAD32X2_U -> Opcode.I64X2_EXTEND_LOW_I32X4_U;
            case V128_LOAD8_SPLAT -> Opcode.I8X16_SPLAT;
            case V128_LOAD16_SPLAT -> Opcode.I16X8_SPLAT;
            case V128_LOAD32_SPLAT -> Opcode.I32X4_SPLAT;
            case V128_LOAD64_SPLAT -> Opcode.I64X2_SPLAT;
            default -> throw new IllegalArgumentException("not a widening or splatting v128 load: " + load);
        };
    }
}
