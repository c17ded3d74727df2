package dev.kiln.backend.aarch64;

/**
 * Materialises an arbitrary 32- or 64-bit constant in a general register with a short sequence:
 * one MOVZ, MOVN or ORR (bitmask immediate) when possible, else ORR + MOVK when that gives two
 * instructions, else MOVZ or MOVN (whichever leaves fewer halfwords to patch) followed by MOVKs.
 * At most four instructions.
 */
final class MoveImmediate {
    private MoveImmediate() {
    }

    static void emit(InstructionSink out, GeneralRegister rd, long value) {
        if (rd.isStackPointer()) {
            throw new IllegalArgumentException("mov: cannot move an immediate to " + rd
                    + " directly; build it in a scratch register and mov sp, xN");
        }
        int width = rd.width();
        long v = width == 32 ? value & 0xFFFF_FFFFL : value;
        int halves = width / 16;
        GeneralRegister zr = rd.is64() ? GeneralRegister.XZR : GeneralRegister.WZR;

        int zeroHalves = 0;
        int onesHalves = 0;
        for (int i = 0; i < halves; i++) {
            int h = halfword(v, i);
            if (h == 0) zeroHalves++;
            if (h == 0xFFFF) onesHalves++;
        }
        int movzLength = Math.max(1, halves - zeroHalves);
        int movnLength = Math.max(1, halves - onesHalves);
        if (movzLength == 1 || movnLength == 1) {
            wideSequence(out, rd, v, halves, movnLength < movzLength);
            return;
        }
        if (LogicalImmediate.isLogicalImmediate(v, width)) {
            LogicalOp.ORR.immediate(out, rd, zr, v);
            return;
        }
        if (Math.min(movzLength, movnLength) > 2) {
            for (int i = 0; i < halves; i++) {
                for (int fill : fills(v, halves)) {
                    long candidate = (v & ~(0xFFFFL << (16 * i))) | ((long) fill << (16 * i));
                    if (LogicalImmediate.isLogicalImmediate(candidate, width)) {
                        LogicalOp.ORR.immediate(out, rd, zr, candidate);
                        MoveWideOp.MOVK.emit(out, rd, halfword(v, i), 16 * i);
                        return;
                    }
                }
            }
        }
        wideSequence(out, rd, v, halves, movnLength < movzLength);
    }

    /** Candidate contents for one replaced halfword: 0, 0xffff and every halfword of the value. */
    private static int[] fills(long v, int halves) {
        int[] fills = new int[halves + 2];
        fills[0] = 0;
        fills[1] = 0xFFFF;
        for (int i = 0; i < halves; i++) {
            fills[i + 2] = halfword(v, i);
        }
        return fills;
    }

    private static void wideSequence(InstructionSink out, GeneralRegister rd, long v, int halves, boolean inverted) {
        int background = inverted ? 0xFFFF : 0;
        boolean first = true;
        for (int i = 0; i < halves; i++) {
            int h = halfword(v, i);
            if (h == background) continue;
            if (first) {
                if (inverted) {
                    MoveWideOp.MOVN.emit(out, rd, ~h & 0xFFFF, 16 * i);
                } else {
                    MoveWideOp.MOVZ.emit(out, rd, h, 16 * i);
                }
                first = false;
            } else {
                MoveWideOp.MOVK.emit(out, rd, h, 16 * i);
            }
        }
        if (first) {
            // every halfword equals the background: v is 0 (MOVZ #0) or all ones (MOVN #0)
            (inverted ? MoveWideOp.MOVN : MoveWideOp.MOVZ).emit(out, rd, 0, 0);
        }
    }

    private static int halfword(long v, int i) {
        return (int) (v >>> (16 * i)) & 0xFFFF;
    }
}
