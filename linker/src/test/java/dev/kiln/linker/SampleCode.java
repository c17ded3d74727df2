package dev.kiln.linker;

import dev.kiln.ir.TrapKind;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import dev.kiln.ir.code.Target;
import dev.kiln.ir.code.InlinedCall;
import dev.kiln.ir.code.TrapSite;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Hand-assembled functions and identities shared by the tests. */
final class SampleCode {
    private SampleCode() {
    }

    static final int R_X86_64_64 = 1;
    static final int R_X86_64_PC32 = 2;
    static final int R_X86_64_PLT32 = 4;
    static final int R_AARCH64_ABS64 = 257;
    static final int R_AARCH64_CALL26 = 283;

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    static BuildIdentity identity(Target target) {
        return BuildIdentity.ofModule("(module)".getBytes(StandardCharsets.UTF_8), "kiln-test-1", target, "opt=2");
    }

    /** int add(int a, int b): mov eax,edi; add eax,esi; ret. */
    static MachineCode x64Add(int funcIndex, String symbol) {
        return new MachineCode(Target.X86_64, funcIndex, symbol, hex("89f801f0c3"), List.of(), List.of(), 0, List.of());
    }

    /**
     * int addOne(int a, int b) { return callee(a, b) + 1; }:
     * sub rsp,8; call callee (PLT32 at 5, addend -4); add eax,1; add rsp,8; ret.
     */
    static MachineCode x64CallPlusOne(int funcIndex, String symbol, String callee) {
        return new MachineCode(Target.X86_64, funcIndex, symbol, hex("4883ec08 e800000000 83c001 4883c408 c3"),
                List.of(new Relocation(5, R_X86_64_PLT32, callee, -4)), List.of(), 8, List.of());
    }

    /** A function with a helper call, an absolute helper reference and two trap sites, one in code inlined from function 0. */
    static MachineCode x64WithHelpers(int funcIndex, String symbol) {
        // movabs rax, helper_table (R_X86_64_64 at 2); call kiln_memory_grow (PLT32 at 11); ud2; ret
        byte[] code = hex("48b80000000000000000 e800000000 0f0b c3");
        return new MachineCode(Target.X86_64, funcIndex, symbol, code,
                List.of(new Relocation(2, R_X86_64_64, "kiln_helper_table", 0),
                        new Relocation(11, R_X86_64_PLT32, "kiln_memory_grow", -4)),
                List.of(new TrapSite(15, TrapKind.UNREACHABLE, 42),
                        new TrapSite(10, TrapKind.OUT_OF_BOUNDS_MEMORY, 17).withInlined(List.of(new InlinedCall(0, 90)))),
                16, List.of());
    }

    /** add w0,w0,w1; ret. */
    static MachineCode a64Add(int funcIndex, String symbol) {
        return new MachineCode(Target.AARCH64, funcIndex, symbol, words(0x0b010000, 0xd65f03c0), List.of(), List.of(), 0, List.of());
    }

    /** stp x29,x30,[sp,#-16]!; mov x29,sp; bl callee (CALL26 at 8); add w0,w0,#1; ldp x29,x30,[sp],#16; ret. */
    static MachineCode a64CallPlusOne(int funcIndex, String symbol, String callee) {
        return new MachineCode(Target.AARCH64, funcIndex, symbol,
                words(0xa9bf7bfd, 0x910003fd, 0x94000000, 0x11000400, 0xa8c17bfd, 0xd65f03c0),
                List.of(new Relocation(8, R_AARCH64_CALL26, callee, 0)),
                List.of(new TrapSite(8, TrapKind.CALL_STACK_EXHAUSTED, 3)), 16, List.of());
    }

    static byte[] words(int... ws) {
        byte[] b = new byte[ws.length * 4];
        for (int i = 0; i < ws.length; i++) {
            for (int k = 0; k < 4; k++) b[i * 4 + k] = (byte) (ws[i] >>> (8 * k));
        }
        return b;
    }

    /** A small x86-64 object: three of five functions compiled, calls within and out of the object. */
    static byte[] x64Object() {
        return ElfWriter.write(identity(Target.X86_64), 5, x64Functions());
    }

    static List<MachineCode> x64Functions() {
        return List.of(x64Add(1, "add"), x64CallPlusOne(3, "add_plus_one", "add"), x64WithHelpers(4, "grow$memory"));
    }

    static List<MachineCode> a64Functions() {
        return List.of(a64Add(0, "add"), a64CallPlusOne(1, "add_plus_one", "add"), a64CallPlusOne(2, "helper_plus_one", "kiln_helper"));
    }

    /** Asserts that {@code actual} is {@code expected} without its listing (listings are not stored). */
    static void assertSameCode(List<MachineCode> expected, List<MachineCode> actual) {
        assertEquals(expected.size(), actual.size(), "function count");
        for (int i = 0; i < expected.size(); i++) {
            MachineCode e = expected.get(i), a = actual.get(i);
            assertEquals(e.target(), a.target(), "target");
            assertEquals(e.funcIndex(), a.funcIndex(), "funcIndex");
            assertEquals(e.symbol(), a.symbol(), "symbol");
            assertArrayEquals(e.code(), a.code(), "code of " + e.symbol());
            assertEquals(e.relocations(), a.relocations(), "relocations of " + e.symbol());
            assertEquals(e.trapSites(), a.trapSites(), "trap sites of " + e.symbol());
            assertEquals(e.frameSize(), a.frameSize(), "frame size of " + e.symbol());
            assertEquals(List.of(), a.listing());
        }
    }
}
