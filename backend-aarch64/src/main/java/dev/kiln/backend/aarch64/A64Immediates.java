package dev.kiln.backend.aarch64;

import dev.kiln.frontend.Immediate;
import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.regalloc.ImmediateConstants;

import java.util.Map;

/**
 * Constants that need no register. An integer constant qualifies when every use encodes it: as
 * the immediate of add/sub (imm12, negated if need be), of and/orr/eor (bitmask immediates), of a
 * shift or rotate, of cmp/cmn, as a memory address (folded with the offset), or as a stored value
 * that one instruction materialises (zero is stored from the zero register). Float constants
 * qualify when every use reads them through {@link A64Function#fget}, which then materialises them
 * (FMOV immediate, the zero register or the literal pool): everything but edges, returns and calls.
 * This mirrors where {@link A64IntegerLowering}, {@link A64MemoryLowering} and
 * {@link A64ControlLowering} use immediates; where a lowering does not, {@link A64Function#iget}
 * materialises the constant in a scratch register, so the choice here affects only speed.
 */
final class A64Immediates {
    private A64Immediates() {
    }

    static boolean[] immediateOnly(IrFunction f) {
        return ImmediateConstants.immediateOnly(f, ENCODINGS);
    }

    private static final ImmediateConstants.Encodings ENCODINGS = new ImmediateConstants.Encodings() {
        @Override
        public boolean floatOperand(Instruction use) {
            return floatUse(use);
        }

        @Override
        public boolean integerOperand(Instruction use, int position, long value, Map<Integer, Long> constants) {
            return immediateUse(use, position, value, constants);
        }
    };

    /** Uses that read a float operand through fget (which can materialise a constant). */
    private static boolean floatUse(Instruction i) {
        return switch (i.op) {
            case CALL, CALL_INDIRECT, CALL_REF -> false;
            default -> !i.op.isSimd();
        };
    }

    private static boolean immediateUse(Instruction i, int position, long value, Map<Integer, Long> constants) {
        Opcode op = i.op;
        String m = op.mnemonic;
        if (op.isSimd()) { // SIMD: a constant shift count is an immediate; a memory address is folded with the offset
            if (op.immediate == Immediate.MEMARG || op.immediate == Immediate.MEMARG_LANE) return position == 0;
            String name = m.substring(m.indexOf('.') + 1);
            return position == 1 && (name.equals("shl") || name.equals("shr_s") || name.equals("shr_u"));
        }
        if (op.immediate == Immediate.MEMARG) {
            if (position == 0) return true; // address + offset in one mov
            return op.resultCount() == 0 && position == 1 && (m.startsWith("i32.store") || m.startsWith("i64.store"))
                    && singleInstruction(value, op.memoryBytes, m.startsWith("i64"));
        }
        if (!(m.startsWith("i32.") || m.startsWith("i64.")) || i.argCount() != 2) return false;
        boolean w64 = m.startsWith("i64");
        Integer other = position == 0 ? i.arg(1) : null;
        boolean otherIsConstant = other != null && constants.containsKey(other);
        return switch (m.substring(4)) {
            case "add" -> A64IntegerLowering.addSubEncodable(value, w64) && (position == 1 || !otherIsConstant);
            case "and", "or", "xor" -> A64IntegerLowering.logicalEncodable(value, w64) && (position == 1 || !otherIsConstant);
            case "sub", "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u" ->
                    position == 1 && A64IntegerLowering.addSubEncodable(value, w64);
            case "shl", "shr_s", "shr_u", "rotl", "rotr" -> position == 1;
            default -> false;
        };
    }

    /** True when the stored part of {@code value} is zero or one MOVZ/MOVN/ORR away. */
    static boolean singleInstruction(long value, int bytes, boolean w64) {
        long v = bytes == 8 ? value : value & ((1L << (8 * bytes)) - 1);
        if (v == 0) return true;
        int width = w64 && bytes == 8 ? 64 : 32;
        if (width == 32) v &= 0xFFFF_FFFFL;
        int halves = width / 16, zero = 0, ones = 0;
        for (int h = 0; h < halves; h++) {
            int x = (int) (v >>> (16 * h)) & 0xFFFF;
            if (x == 0) zero++;
            if (x == 0xFFFF) ones++;
        }
        return halves - zero <= 1 || halves - ones <= 1 || LogicalImmediate.isLogicalImmediate(v, width);
    }
}
