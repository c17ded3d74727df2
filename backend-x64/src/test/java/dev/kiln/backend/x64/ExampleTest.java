package dev.kiln.backend.x64;

import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kiln.backend.x64.Gpr.RBX;
import static dev.kiln.backend.x64.Gpr.RDI;
import static dev.kiln.backend.x64.MemoryOperand.rip;
import static dev.kiln.backend.x64.Width.DWORD;
import static dev.kiln.backend.x64.Xmm.XMM0;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The example of the package documentation, with its exact listing. */
class ExampleTest {
    @Test
    void packageDocumentationExample() {
        X64Assembler asm = new X64Assembler(true);
        Label skip = asm.newLabel("skip");
        asm.push(RBX);
        asm.mov(DWORD, RBX, RDI);
        asm.test(DWORD, RBX, RBX);
        asm.jcc(Condition.E, skip);
        asm.call("kiln_helper");
        asm.bind(skip);
        asm.cvtsi2sd(DWORD, XMM0, RBX);
        asm.sse(SseOp.MULSD, XMM0, rip(asm.constant64(Double.doubleToRawLongBits(0.5))));
        asm.pop(RBX);
        asm.ret();
        AssembledCode code = asm.finish();

        assertEquals(List.of(
                "    0: push   rbx",
                "    1: mov    ebx,edi",
                "    3: test   ebx,ebx",
                "    5: je     0x10  ; <skip>",
                "    b: call   0x10  ; R_X86_64_PLT32 kiln_helper-0x4",
                "   10: cvtsi2sd xmm0,ebx",
                "   14: mulsd  xmm0,QWORD PTR [rip+0x4]        # 0x20  ; <const>",
                "   1c: pop    rbx",
                "   1d: ret",
                "   1e: int3",
                "   1f: int3",
                "   20: .quad  0x3fe0000000000000"), code.listing());
        assertEquals(List.of(new Relocation(0xc, X64RelocationModel.R_X86_64_PLT32, "kiln_helper", -4)),
                code.relocations());
        assertEquals(0x20, code.constantPoolOffset());
        Objdump.assertListingMatches(code);

        MachineCode mc = code.toMachineCode(7, "f7", List.of(), 8);
        assertEquals(Target.X86_64, mc.target());
        assertEquals(code.listing(), mc.listing());
        assertEquals(40, mc.code().length);
    }
}
