package dev.kiln.backend.aarch64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static dev.kiln.backend.aarch64.GeneralRegister.*;
import static dev.kiln.backend.aarch64.VectorRegister.*;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Operands the architecture cannot encode, or would encode as something else, are rejected with an
 * {@link IllegalArgumentException} that says why: SP where register 31 means the zero register and
 * vice versa, mixed widths, immediates out of range, unpredictable writebacks.
 */
class OperandValidationTest {
    private final A64Assembler a = new A64Assembler();

    private static void rejects(Executable e, String messagePart) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(messagePart), () -> "message '" + x.getMessage() + "' lacks '" + messagePart + "'");
    }

    @Test
    void register31HasNoNumber() {
        rejects(() -> GeneralRegister.x(31), "SP or XZR");
        rejects(() -> GeneralRegister.w(-1), "0-30");
        rejects(() -> VectorRegister.of(32, VectorShape.D), "0-31");
        assertEquals("sp", SP.name());
        assertEquals("xzr", XZR.name());
        assertEquals(WSP, SP.w());
        assertEquals(XZR, WZR.x());
        assertTrue(SP != XZR && SP.number() == XZR.number());
    }

    @Test
    void stackPointerAndZeroRegisterAreNotInterchangeable() {
        rejects(() -> a.add(X0, XZR, 1), "encodes register 31 as sp");
        rejects(() -> a.adds(SP, X0, 1), "encodes register 31 as xzr");
        rejects(() -> a.add(X0, X1, SP), "encodes register 31 as xzr");
        rejects(() -> a.add(X0, X1, SP, Shift.LSL, 2), "encodes register 31 as xzr");
        rejects(() -> a.and(X0, SP, X1), "encodes register 31 as xzr");
        rejects(() -> a.ands(SP, X0, 0xFF), "encodes register 31 as xzr");
        rejects(() -> a.orr(X0, SP, 0xFF), "encodes register 31 as xzr");
        rejects(() -> a.mul(X0, SP, X1), "encodes register 31 as xzr");
        rejects(() -> a.cbz(SP, a.newLabel()), "encodes register 31 as xzr");
        rejects(() -> a.ldr(SP, Address.base(X0)), "encodes register 31 as xzr");
        rejects(() -> Address.base(XZR), "encodes register 31 as sp");
        rejects(() -> Address.index(X0, SP), "encodes register 31 as xzr");
        rejects(() -> a.mov(SP, 5), "sp");
        assertDoesNotThrow(() -> a.and(SP, X0, 0xFFFFFFFFFFFFFFF0L));
        assertDoesNotThrow(() -> a.add(SP, SP, X1));
        assertDoesNotThrow(() -> a.cmp(SP, X1));
        assertDoesNotThrow(() -> a.str(XZR, Address.base(SP)));
    }

    @Test
    void widthsMustAgree() {
        rejects(() -> a.add(X0, W1, 1), "mix 32- and 64-bit");
        rejects(() -> a.orr(W0, W1, X2), "mix 32- and 64-bit");
        rejects(() -> a.smull(X0, X1, W2), "must be a 32-bit (W) register");
        rejects(() -> a.smulh(W0, W1, W2), "64-bit");
        rejects(() -> a.rev32(W0, W1), "64-bit");
        rejects(() -> a.sxtw(W0, W1), "64-bit");
        rejects(() -> Address.base(W1), "X register or SP");
        rejects(() -> a.ldrsw(W0, Address.base(X1)), "X register");
        rejects(() -> a.br(W0), "64-bit");
        rejects(() -> a.fadd(D0, S1, D2), "mix S and D");
        rejects(() -> a.fcvt(D0, D1), "between S and D");
        rejects(() -> a.fmov(W0, D0), "W with S and X with D");
        rejects(() -> a.fsqrt(VectorRegister.of(0, VectorShape.Q), D1), "S or D");
        rejects(() -> a.umov(X0, D1.lane(VectorShape.B, 0)), "W");
        rejects(() -> a.ins(D1.lane(VectorShape.D, 1), W0), "X");
        rejects(() -> a.cnt(D0.as(VectorShape.V4H), D0.as(VectorShape.V4H)), "8B or two 16B");
        rejects(() -> a.addv(D0.s(), D0.v8b()), "element size");
        rejects(() -> a.ldr(D0.v8b(), Address.base(X0)), "arrangement");
        rejects(() -> a.ldp(X0, W1, Address.base(SP)), "X register");
    }

    @Test
    void immediatesMustFit() {
        rejects(() -> a.add(X0, X1, 4097), "not 0..4095");
        rejects(() -> a.sub(X0, X1, -1), "not 0..4095");
        rejects(() -> a.add(X0, X1, 1L << 24), "not 0..4095");
        rejects(() -> a.and(X0, X1, 0), "bitmask immediate");
        rejects(() -> a.orr(W0, W1, 0xFFFFFFFFL), "bitmask immediate");
        rejects(() -> a.logical(LogicalOp.BIC, X0, X1, 1), "no immediate form");
        rejects(() -> a.lsl(X0, X1, 64), "0..63");
        rejects(() -> a.lsl(W0, W1, 32), "0..31");
        rejects(() -> a.add(X0, X1, X2, Shift.ROR, 1), "ROR");
        rejects(() -> a.add(X0, X1, X2, Extend.UXTW, 5), "0..4");
        rejects(() -> a.movz(W0, 1, 32), "shift 32");
        rejects(() -> a.movz(X0, 0x10000, 0), "0..65535");
        rejects(() -> a.ubfx(X0, X1, 60, 8), "does not fit 64 bits");
        rejects(() -> a.ccmp(X0, 32, 0, Condition.EQ), "0..31");
        rejects(() -> a.ccmp(X0, X1, 16, Condition.EQ), "0..15");
        rejects(() -> a.brk(0x10000), "0..65535");
        rejects(() -> a.tbz(W0, 32, a.newLabel()), "0..31");
        rejects(() -> a.fmov(D0, 0.1), "8-bit floating-point immediate");
        rejects(() -> a.fmov(S0, 1.0000001), "8-bit floating-point immediate");
        rejects(() -> a.cset(X0, Condition.AL), "no inverse");
        rejects(() -> a.align(6), "power of two");
        rejects(() -> a.bl(""), "symbol");
        rejects(() -> a.ldrLiteral(VectorRegister.of(0, VectorShape.Q), 1), "4 or 8 bytes");
    }

    @Test
    void addressesMustFitTheAccess() {
        rejects(() -> a.ldr(X0, Address.offset(X1, 8 * 4096)), "does not fit");
        rejects(() -> a.ldr(X0, Address.offset(X1, -257)), "does not fit");
        rejects(() -> a.ldr(X0, Address.unscaled(X1, 256)), "does not fit");
        rejects(() -> a.ldr(X0, Address.preIndex(X1, 256)), "-256..255");
        rejects(() -> a.ldr(X0, Address.index(X1, X2, 2)), "0 or 3");
        rejects(() -> a.ldrb(W0, Address.index(X1, X2, 1)), "must be 0 for a 1-byte access");
        rejects(() -> Address.index(X0, X1, Extend.UXTB, 0), "UXTW, SXTW");
        rejects(() -> a.ldp(X0, X1, Address.offset(SP, 4)), "multiple of 8");
        rejects(() -> a.ldp(X0, X1, Address.offset(SP, 512)), "-64..63");
        rejects(() -> a.ldp(X0, X1, Address.index(SP, X2)), "only offset");
        assertTrue(Address.isOffsetEncodable(32760, 8));
        assertTrue(Address.isOffsetEncodable(-256, 8));
        assertTrue(!Address.isOffsetEncodable(32761, 8));
    }

    @Test
    void unpredictableFormsAreRejected() {
        rejects(() -> a.ldr(X0, Address.preIndex(X0, 8)), "unpredictable");
        rejects(() -> a.str(W3, Address.postIndex(X3, 8)), "unpredictable");
        rejects(() -> a.ldp(X0, X0, Address.base(SP)), "unpredictable");
        rejects(() -> a.stp(X29, X30, Address.preIndex(X29, -16)), "unpredictable");
        rejects(() -> a.bitfield(BitfieldOp.BFM, X0, XZR, 0, 3), "AND");
        assertDoesNotThrow(() -> a.str(XZR, Address.preIndex(SP, -16)));
        assertDoesNotThrow(() -> a.stp(XZR, XZR, Address.preIndex(SP, -16)));
    }
}
