package dev.kiln.runtime.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.runtime.ProcessExit;
import org.junit.jupiter.api.Test;

/** {@code proc_exit}, {@code proc_raise}, {@code sched_yield}. */
class ProcessControlTest {
    private static TestGuest guest() {
        return new TestGuest(WasiConfig.builder(), new byte[0]);
    }

    @Test
    void procExitThrowsProcessExitWithTheCode() {
        try (TestGuest g = guest()) {
            assertEquals(0, assertThrows(ProcessExit.class, () -> g.invoke("proc_exit", 0)).code());
            assertEquals(33, assertThrows(ProcessExit.class, () -> g.invoke("proc_exit", 33)).code());
            assertEquals(125, assertThrows(ProcessExit.class, () -> g.invoke("proc_exit", 125)).code());
        }
    }

    @Test
    void procExitWithStatus126OrMoreTrapsAsWasmtime() {
        try (TestGuest g = guest()) {
            for (long status : new long[] {126, 200, 255, -1}) {
                TrapException t = assertThrows(TrapException.class, () -> g.invoke("proc_exit", status));
                assertEquals(TrapKind.HOST_ERROR, t.kind);
            }
        }
    }

    @Test
    void procExitNeedsNoMemory() {
        try (WasiPreview1 wasi = new WasiPreview1(WasiConfig.builder().build())) {
            var exit = wasi.hostFunctions().stream().filter(f -> f.name().equals("proc_exit")).findFirst().orElseThrow();
            assertEquals(3, assertThrows(ProcessExit.class, () -> exit.implementation().call(TestGuest.callerOf(null), new long[] {3})).code());
        }
    }

    @Test
    void procRaiseIsNotSupported() {
        try (TestGuest g = guest()) {
            assertEquals(Errno.ENOTSUP, g.call("proc_raise", 2));
            assertThrows(TrapException.class, () -> g.invoke("proc_raise", 31), "not a signal");
        }
    }

    @Test
    void schedYield() {
        try (TestGuest g = guest()) {
            g.ok("sched_yield");
        }
    }
}
