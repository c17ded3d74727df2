package dev.kiln.backend.aarch64;

import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.backend.aarch64.GeneralRegister.*;
import static dev.kiln.backend.aarch64.VectorRegister.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The example of the package documentation, checked against GNU as and objdump. */
class ApiExampleTest {
    private static void example(A64Assembler a) {
        Label skip = a.newLabel();
        a.stp(FP, LR, Address.preIndex(SP, -16));                // prologue
        a.mov(FP, SP);
        a.cbz(W1, skip);                                         // forward reference
        a.bl("memory_grow");                                     // R_AARCH64_CALL26 memory_grow
        a.bind(skip);
        a.movFloat(D1, Double.doubleToRawLongBits(0.1));         // from the literal pool
        a.fadd(D0, D0, D1);
        a.ldp(FP, LR, Address.postIndex(SP, 16));                // epilogue
        a.ret();
    }

    private static final String SOURCE = """
            stp x29, x30, [sp, #-16]!
            mov x29, sp
            cbz w1, 1f
            bl memory_grow
            1: ldr d1, =0x3fb999999999999a
            fadd d0, d0, d1
            ldp x29, x30, [sp], #16
            ret""";

    @Test
    void theDocumentedExampleAssemblesLikeGnuAs() {
        new EncodingCases().add(SOURCE, ApiExampleTest::example).assertAll();
    }

    @Test
    void itsResultBecomesMachineCode() {
        A64Assembler a = new A64Assembler(true);
        example(a);
        AssembledCode code = a.finish();
        assertEquals(List.of(new Relocation(12, 283, "memory_grow", 0)), code.relocations());
        MachineCode machineCode = code.toMachineCode(7, "fib", List.of(), 16);
        assertEquals(Target.AARCH64, machineCode.target());
        assertEquals(40, machineCode.code().length);
        assertEquals(9, machineCode.listing().size());
        assertEquals("     c:\t94000000 \tbl\t0xc\t// R_AARCH64_CALL26 memory_grow", machineCode.listing().get(3));
        assertEquals("    20:\t3fb999999999999a \t.xword\t0x3fb999999999999a", machineCode.listing().get(8));
    }
}
