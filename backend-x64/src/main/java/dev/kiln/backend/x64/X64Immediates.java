package dev.kiln.backend.x64;

import dev.kiln.frontend.Immediate;
import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.regalloc.ImmediateConstants;

import java.util.Map;

/**
 * Constants that need no register. Integer constants whose every use encodes them as an
 * immediate (the right operand of an ALU operation, shift, comparison or store, or either operand
 * of a commutative operation, or the address of a scalar load or store whose end is a small
 * displacement, {@link X64MemoryLowering#displacement}); this mirrors exactly where {@link X64IntegerLowering},
 * {@link X64MemoryLowering} and {@link X64ControlLowering} use immediates. Float constants whose
 * every use reads them through {@link X64Function#fop}/{@link X64Function#fget}, which then name
 * the constant pool (everything but edges, calls and reinterpretation). Both are left out of
 * register allocation and never materialised.
 */
final class X64Immediates {
    private X64Immediates() {
    }

    static boolean[] immediateOnly(IrFunction f) {
        return ImmediateConstants.immediateOnly(f, ENCODINGS);
    }

    private static final ImmediateConstants.Encodings ENCODINGS = new ImmediateConstants.Encodings() {
        @Override
        public boolean floatOperand(Instruction use) {
            return poolUse(use);
        }

        @Override
        public boolean integerOperand(Instruction use, int position, long value, Map<Integer, Long> constants) {
            return immediateUse(use, position, value, constants);
        }

        @Override
        public boolean vectorOperand(Instruction use, int position) {
            return X64SimdLowering.readsConstantFromPool(use, position);
        }
    };

    /** Uses that read a float operand through fop/fget (which can name the constant pool). */
    private static boolean poolUse(Instruction i) {
        return switch (i.op) {
            case CALL, CALL_INDIRECT, CALL_REF, I32_REINTERPRET_F32, I64_REINTERPRET_F64 -> false;
            default -> true;
        };
    }

    private static boolean immediateUse(Instruction i, int position, long value, Map<Integer, Long> constants) {
        Opcode op = i.op;
        if (op.isSimd()) return position == 1 && isSimdShift(op); // the lowering encodes a constant count
        boolean fits = op.mnemonic.startsWith("i32") || value == (int) value;
        String m = op.mnemonic;
        if (op.immediate == Immediate.MEMARG && position == 0) return X64MemoryLowering.displacement(i, value) != null;
        if (op.immediate == Immediate.MEMARG && op.resultCount() == 0 && position == 1
                && (m.startsWith("i32.store") || m.startsWith("i64.store"))) {
            return fits; // mov [address], imm32 (sign-extended for a 64-bit store)
        }
        if (!(m.startsWith("i32.") || m.startsWith("i64.")) || i.argCount() != 2) return false;
        String name = m.substring(4);
        return switch (name) {
            case "add", "and", "or", "xor", "mul" ->
                    fits && (position == 1 || !constants.containsKey(i.arg(1)));
            case "sub", "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u" -> fits && position == 1;
            case "shl", "shr_s", "shr_u", "rotl", "rotr" -> position == 1;
            default -> false;
        };
    }

    /** The SIMD lane shifts (shl, shr_s, shr_u of every integer shape): their count is an i32 operand. */
    private static boolean isSimdShift(Opcode op) {
        String m = op.mnemonic;
        return m.endsWith(".shl") || m.endsWith(".shr_s") || m.endsWith(".shr_u");
    }
}
