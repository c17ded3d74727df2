package dev.kiln.runtime;

import dev.kiln.ir.TrapKind;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a nonzero result of the entry trampoline becomes. */
class NativeBindingTest {
    @Test
    void everyTrapCodeNamesItsKind() {
        for (TrapKind kind : TrapKind.values()) {
            if (TrapKind.fromCode(kind.code) == kind) assertEquals(kind, NativeBinding.trapKind(kind.code));
        }
    }

    @Test
    void anUnknownCodeIsAClearInternalErrorNotATrapWithoutAKind() {
        for (int code : new int[] {-1, 0x7777, Integer.MAX_VALUE}) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> NativeBinding.trapKind(code));
            assertTrue(e.getMessage().contains("returned " + code) && e.getMessage().contains("internal error"), e.getMessage());
        }
    }
}
