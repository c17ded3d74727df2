package dev.kiln.linker;

import dev.kiln.ir.TrapKind;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import dev.kiln.ir.code.Target;
import dev.kiln.ir.code.TrapSite;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The writer refuses input it cannot represent faithfully, with a message that names the problem. */
class ElfWriterTest {
    private static final BuildIdentity X64 = SampleCode.identity(Target.X86_64);

    private static String refused(int count, List<MachineCode> functions) {
        return assertThrows(IllegalArgumentException.class, () -> ElfWriter.write(X64, count, functions)).getMessage();
    }

    private static MachineCode fn(int index, String symbol, byte[] code, List<Relocation> relocs, List<TrapSite> traps) {
        return new MachineCode(Target.X86_64, index, symbol, code, relocs, traps, 0, List.of());
    }

    @Test
    void duplicateSymbolsAreRefused() {
        String m = refused(3, List.of(SampleCode.x64Add(0, "f"), SampleCode.x64Add(2, "f")));
        assertEquals("duplicate symbol 'f' (functions 0 and 2)", m);
    }

    @Test
    void duplicateFunctionIndicesAreRefused() {
        assertTrue(refused(3, List.of(SampleCode.x64Add(1, "a"), SampleCode.x64Add(1, "b"))).contains("duplicate function index 1"));
    }

    @Test
    void functionIndexMustBeInsideTheModule() {
        assertTrue(refused(2, List.of(SampleCode.x64Add(2, "a"))).contains("function index outside 0..1"));
        assertTrue(refused(2, List.of(SampleCode.x64Add(-1, "a"))).contains("function index outside"));
    }

    @Test
    void badSymbolNamesAreRefused() {
        assertTrue(refused(1, List.of(SampleCode.x64Add(0, ""))).contains("is empty"));
        assertTrue(refused(1, List.of(SampleCode.x64Add(0, "a\0b"))).contains("contains NUL"));
        assertTrue(refused(1, List.of(SampleCode.x64Add(0, "a\ud800"))).contains("unpaired surrogate"));
        assertTrue(refused(1, List.of(fn(0, "f", new byte[8], List.of(new Relocation(0, 4, "", 0)), List.of())))
                .contains("relocation symbol is empty"));
    }

    @Test
    void relocationsAndTrapSitesMustLieInsideTheirFunction() {
        assertTrue(refused(1, List.of(fn(0, "f", new byte[8], List.of(new Relocation(8, 4, "g", 0)), List.of())))
                .contains("relocation at offset 8 is outside its 8 bytes"));
        assertTrue(refused(1, List.of(fn(0, "f", new byte[8], List.of(new Relocation(-1, 4, "g", 0)), List.of())))
                .contains("relocation at offset -1"));
        assertTrue(refused(1, List.of(fn(0, "f", new byte[8], List.of(), List.of(new TrapSite(9, TrapKind.UNREACHABLE, 0)))))
                .contains("trap site at code offset 9"));
        assertTrue(refused(1, List.of(fn(0, "f", new byte[8], List.of(), List.of(new TrapSite(1, TrapKind.UNREACHABLE, -5)))))
                .contains("negative trap wasm offset"));
    }

    @Test
    void codeForAnotherTargetIsRefused() {
        assertTrue(refused(1, List.of(SampleCode.a64Add(0, "f"))).contains("is aarch64 code, but the object is for x86_64"));
    }

    @Test
    void negativeFrameSizeAndCountAreRefused() {
        assertTrue(refused(1, List.of(new MachineCode(Target.X86_64, 0, "f", new byte[1], List.of(), List.of(), -8, List.of())))
                .contains("negative frame size"));
        assertThrows(IllegalArgumentException.class, () -> ElfWriter.write(X64, -1, List.of()));
    }

    @Test
    void writingIsDeterministic() {
        assertArrayEquals(SampleCode.x64Object(), SampleCode.x64Object());
    }

    @Test
    void functionsAre16ByteAlignedInTheGivenOrder() throws Exception {
        KilnObject o = ElfReader.read(SampleCode.x64Object());
        List<FunctionEntry> rows = o.metadata().functions();
        assertEquals(5, rows.size());
        assertEquals(FunctionEntry.notCompiled(0), rows.get(0));
        assertEquals(new FunctionEntry(1, "add", 0, 5, 0), rows.get(1));
        assertEquals(FunctionEntry.notCompiled(2), rows.get(2));
        assertEquals(new FunctionEntry(3, "add_plus_one", 16, 17, 8), rows.get(3));
        assertEquals(new FunctionEntry(4, "grow$memory", 48, 18, 16), rows.get(4));
    }
}
