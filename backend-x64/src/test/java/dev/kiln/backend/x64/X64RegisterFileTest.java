package dev.kiln.backend.x64;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Instruction;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Which of RAX, RCX and RDX an instruction's lowering overwrites: SIMD instructions use only R11
 * and the vector temporaries, except shifts by a variable count (ECX, and RAX for i8x16's mask
 * table) and the splat loads of 8 and 16 bits (EAX without AVX2). A value live across vector code
 * may then stay in those three registers (sgemm's row address was spilled when every SIMD
 * instruction claimed all three).
 */
class X64RegisterFileTest {
    private static final long RAX = 1L << Gpr.RAX.encoding(), RCX = 1L << Gpr.RCX.encoding();

    private static long clobbers(Opcode op) {
        return X64RegisterFile.INSTANCE.scratchClobbers(new Instruction(op, new int[0], new int[0], 0, 0, 0));
    }

    @Test
    void vectorCodeLeavesTheScratchRegistersAloneExceptWhereItUsesThem() {
        for (Opcode op : List.of(Opcode.V128_LOAD, Opcode.V128_STORE, Opcode.F32X4_MUL, Opcode.F32X4_ADD, Opcode.F32X4_SPLAT,
                Opcode.I8X16_SHUFFLE, Opcode.I8X16_SWIZZLE, Opcode.I32X4_EXTRACT_LANE, Opcode.I64X2_REPLACE_LANE,
                Opcode.I8X16_BITMASK, Opcode.V128_ANY_TRUE, Opcode.I32X4_ALL_TRUE, Opcode.V128_LOAD8_LANE,
                Opcode.V128_STORE16_LANE, Opcode.V128_LOAD32_SPLAT, Opcode.I32X4_TRUNC_SAT_F32X4_U, Opcode.V128_CONST)) {
            assertEquals(0, clobbers(op), op.mnemonic);
        }
        int shifts = 0;
        for (Opcode op : Opcode.values()) {
            if (!op.isSimd()) continue;
            String m = op.mnemonic;
            if (m.endsWith(".shl") || m.endsWith(".shr_s") || m.endsWith(".shr_u")) {
                assertEquals(RAX | RCX, clobbers(op), m);
                shifts++;
            }
        }
        assertEquals(12, shifts, "four lane sizes, three shifts each");
        assertEquals(RAX, clobbers(Opcode.V128_LOAD8_SPLAT));
        assertEquals(RAX, clobbers(Opcode.V128_LOAD16_SPLAT));
    }
}
