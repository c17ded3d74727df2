package dev.kiln.linker;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static org.junit.jupiter.api.Assertions.*;

/** C calls through the shared shape: fewer arguments than six, int results, errno, pointers, missing symbols. */
class CFunctionTest {
    @Test
    void aPointerArgumentAndALongResult() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocateFrom("kiln");
            assertEquals(4, CFunction.libc("strlen", CFunction.Kind.PLAIN).call(s.address()));
            assertEquals(4, CFunction.libc("strlen", CFunction.Kind.CRITICAL).call(s.address()));
        }
    }

    @Test
    void anIntResultIsTheLow32BitsAndIntArgumentsTheirLow32() {
        CFunction abs = CFunction.libc("abs", CFunction.Kind.PLAIN);
        assertEquals(5, abs.callInt(-5));
        assertEquals(5, abs.callInt(0xFFFF_FFFF_FFFF_FFFBL), "the callee reads an int parameter's low 32 bits");
        assertEquals(7, abs.callInt(0x1234_5678_0000_0007L));
    }

    @Test
    void errnoIsCaptured() {
        CFunction close = CFunction.libc("close", CFunction.Kind.ERRNO);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment capture = arena.allocate(CFunction.CAPTURE);
            assertEquals(-1, (int) close.call(capture, -1));
            assertEquals(9 /* EBADF */, CFunction.errno(capture));
        }
        assertThrows(IllegalStateException.class, () -> close.call(-1), "an errno function needs its capture segment");
    }

    @Test
    void functionsOfOneKindShareOneDowncallHandle() {
        // a handle bound to each function's address made the JVM spin method-handle classes per function
        CFunction strlen = CFunction.libc("strlen", CFunction.Kind.PLAIN), abs = CFunction.libc("abs", CFunction.Kind.PLAIN);
        assertSame(strlen.handle(), abs.handle());
        assertNotSame(strlen.handle(), CFunction.libc("abs", CFunction.Kind.CRITICAL).handle());
        assertSame(CFunction.libc("close", CFunction.Kind.ERRNO).handle(), CFunction.libc("open", CFunction.Kind.ERRNO).handle());
        assertEquals(5, abs.callInt(-5), "and each still calls its own function");
    }

    @Test
    void missingSymbolsAndTooManyArguments() {
        assertThrows(UnsupportedOperationException.class, () -> CFunction.libc("kiln_no_such_function", CFunction.Kind.PLAIN));
        assertThrows(IllegalArgumentException.class, () -> CFunction.libc("abs", CFunction.Kind.PLAIN).call(1, 2, 3, 4, 5, 6, 7));
    }
}
