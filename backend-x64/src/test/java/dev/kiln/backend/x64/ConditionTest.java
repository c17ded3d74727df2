package dev.kiln.backend.x64;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConditionTest {
    @Test
    void codesFollowTheHardwareOrder() {
        assertEquals(0x4, Condition.E.code());
        assertEquals(0x7, Condition.A.code());
        assertEquals(0xC, Condition.L.code());
        assertEquals(0xF, Condition.G.code());
        for (Condition c : Condition.values()) {
            assertEquals(c, Condition.of(c.code()));
        }
    }

    @Test
    void invertIsAnInvolutionToTheOpposite() {
        assertEquals(Condition.NE, Condition.E.invert());
        assertEquals(Condition.GE, Condition.L.invert());
        assertEquals(Condition.BE, Condition.A.invert());
        assertEquals(Condition.NP, Condition.P.invert());
        for (Condition c : Condition.values()) {
            assertEquals(c, c.invert().invert());
            assertNotEquals(c, c.invert());
        }
    }

    @Test
    void commuteSwapsTheOperands() {
        assertEquals(Condition.G, Condition.L.commute());
        assertEquals(Condition.LE, Condition.GE.commute());
        assertEquals(Condition.A, Condition.B.commute());
        assertEquals(Condition.AE, Condition.BE.commute());
        assertEquals(Condition.E, Condition.E.commute());
        assertEquals(Condition.NP, Condition.NP.commute());
        assertThrows(UnsupportedOperationException.class, Condition.S::commute);
        assertThrows(UnsupportedOperationException.class, Condition.O::commute);
    }
}
