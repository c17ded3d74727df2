package dev.kiln.linker;

import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.RelocationModel;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.function.Consumer;

import static dev.kiln.linker.ObjectSurgery.le;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading back what the writer wrote, and rejecting hostile field values cleanly. */
class ElfReaderTest {
    @Test
    void x86_64ObjectRoundTrips() throws Exception {
        KilnObject o = ElfReader.read(SampleCode.x64Object());
        assertEquals(SampleCode.identity(Target.X86_64), o.identity());
        assertEquals(MetaSection.FORMAT_VERSION, o.metadata().formatVersion());
        assertEquals(5, o.metadata().functionCount());
        assertEquals(3, o.metadata().compiledCount());
        SampleCode.assertSameCode(SampleCode.x64Functions(), o.functions());
        assertEquals(List.of("kiln_helper_table", "kiln_memory_grow"), o.externalSymbols());
        assertEquals("add_plus_one", o.function(3).orElseThrow().symbol());
        assertTrue(o.function(2).isEmpty());
        assertEquals(4, o.functionBySymbol("grow$memory").orElseThrow().funcIndex());
    }

    @Test
    void aarch64ObjectRoundTrips() throws Exception {
        List<MachineCode> functions = SampleCode.a64Functions();
        KilnObject o = ElfReader.read(ElfWriter.write(SampleCode.identity(Target.AARCH64), 3, functions));
        assertEquals(Target.AARCH64, o.target());
        SampleCode.assertSameCode(functions, o.functions());
        assertEquals(List.of("kiln_helper"), o.externalSymbols());
    }

    private static RelocationModel model(Target target, int... supported) {
        return new RelocationModel() {
            public Target target() { return target; }
            public String name(int type) { return "R_" + type; }
            public boolean supports(int type) {
                for (int s : supported) if (s == type) return true;
                return false;
            }
            public void apply(byte[] code, int offset, int type, long s, long a, long p) {
                throw new UnsupportedOperationException();
            }
        };
    }

    @Test
    void readingForAModelChecksRelocationTypes() throws Exception {
        byte[] o = SampleCode.x64Object();
        ElfReader.read(o, model(Target.X86_64, SampleCode.R_X86_64_PLT32, SampleCode.R_X86_64_64));
        var e = assertThrows(CorruptObjectException.class, () -> ElfReader.read(o, model(Target.X86_64, SampleCode.R_X86_64_PLT32)));
        assertTrue(e.getMessage().contains("relocation type 1 at code offset 2, which x86_64 does not support"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ElfReader.read(o, model(Target.AARCH64, 283)));
    }

    /** Patches the sample object, re-seals it, and expects a CorruptObjectException whose message contains {@code expected}. */
    private static void rejected(String expected, Consumer<byte[]> patch) {
        byte[] file = SampleCode.x64Object();
        int digest = ObjectSurgery.digestOffset(file);
        patch.accept(file);
        ObjectSurgery.reseal(file, digest);
        var e = assertThrows(CorruptObjectException.class, () -> ElfReader.read(file));
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }

    @Test
    void hostileHeaderFieldsAreRejected() {
        rejected("not an ELF file", f -> f[1] = 'X');
        rejected("EI_CLASS", f -> f[4] = 1);
        rejected("EI_DATA", f -> f[5] = 2);
        rejected("e_type", f -> le(f).putShort(16, (short) 2));
        rejected("machine 3 is not a kiln target", f -> le(f).putShort(18, (short) 3));
        rejected("e_shnum is 65535", f -> le(f).putShort(60, (short) -1));
        rejected("e_shoff", f -> le(f).putLong(40, Long.MAX_VALUE - 7));
        rejected("e_shoff", f -> le(f).putLong(40, -8));
        rejected("runs past the end", f -> le(f).putLong(40, le(f).getLong(40) + 8));
        rejected("unexpected bytes after the section header table", f -> le(f).putLong(40, le(f).getLong(40) - 8));
        rejected("e_shstrndx 9", f -> le(f).putShort(62, (short) 9));
        rejected("unexpected section 'add'", f -> le(f).putShort(62, (short) ElfConstants.STRTAB));
    }

    @Test
    void hostileSectionHeadersAreRejected() {
        rejected("does not lie inside", f -> le(f).putLong(ObjectSurgery.sectionHeader(f, ElfConstants.SYMTAB) + 32, 1L << 62));
        rejected("does not lie inside", f -> le(f).putLong(ObjectSurgery.sectionHeader(f, ElfConstants.SYMTAB) + 32, -24));
        rejected("does not lie inside", f -> le(f).putLong(ObjectSurgery.sectionHeader(f, ElfConstants.TEXT) + 24, 1L << 40));
        rejected("section name index", f -> le(f).putInt(ObjectSurgery.sectionHeader(f, ElfConstants.TEXT), 1 << 30));
        rejected("section '.rela.text' appears twice", f -> le(f).putInt(ObjectSurgery.sectionHeader(f, ElfConstants.TEXT),
                le(f).getInt(ObjectSurgery.sectionHeader(f, ElfConstants.RELA_TEXT))));
        rejected("sh_link", f -> le(f).putInt(ObjectSurgery.sectionHeader(f, ElfConstants.SYMTAB) + 40, 77));
        rejected("overlaps", f -> le(f).putLong(ObjectSurgery.sectionHeader(f, ElfConstants.STRTAB) + 24,
                ObjectSurgery.sectionOffset(f, ElfConstants.SYMTAB)));
        rejected("sh_addralign", f -> le(f).putLong(ObjectSurgery.sectionHeader(f, ElfConstants.TEXT) + 48, 3));
        rejected("not aligned", f -> le(f).putLong(ObjectSurgery.sectionHeader(f, ElfConstants.SYMTAB) + 24,
                ObjectSurgery.sectionOffset(f, ElfConstants.SYMTAB) + 4));
        rejected("not a multiple of its entry size", f -> le(f).putLong(ObjectSurgery.sectionHeader(f, ElfConstants.SYMTAB) + 32,
                ObjectSurgery.sectionSize(f, ElfConstants.SYMTAB) - 1));
    }

    @Test
    void hostileSymbolsAndRelocationsAreRejected() {
        int sym = 24; // symbol 1, the .text section symbol
        rejected("symbol 1 is not the section symbol", f -> f[ObjectSurgery.sectionOffset(f, ElfConstants.SYMTAB) + sym + 4] = 0x12);
        rejected("symbol 2 name index", f -> le(f).putInt(ObjectSurgery.sectionOffset(f, ElfConstants.SYMTAB) + 48, 1 << 31));
        rejected("lies outside .text", f -> le(f).putLong(ObjectSurgery.sectionOffset(f, ElfConstants.SYMTAB) + 48 + 16, 1L << 40));
        rejected("refers to symbol 4294967295", f -> le(f).putInt(ObjectSurgery.sectionOffset(f, ElfConstants.RELA_TEXT) + 12, -1));
        rejected("not inside a function", f -> le(f).putLong(ObjectSurgery.sectionOffset(f, ElfConstants.RELA_TEXT), 0x28));
        rejected("not inside a function", f -> le(f).putLong(ObjectSurgery.sectionOffset(f, ElfConstants.RELA_TEXT), -1));
        rejected("out of order", f -> le(f).putLong(ObjectSurgery.sectionOffset(f, ElfConstants.RELA_TEXT) + 48, 0));
        rejected("symbols 2 and 3 are both named 'add'", f -> le(f).putInt(ObjectSurgery.sectionOffset(f, ElfConstants.SYMTAB) + 72,
                le(f).getInt(ObjectSurgery.sectionOffset(f, ElfConstants.SYMTAB) + 48)));
        rejected("not valid UTF-8", f -> f[ObjectSurgery.sectionOffset(f, ElfConstants.STRTAB) + 1] = (byte) 0xff);
    }

    @Test
    void hostileMetadataIsRejected() {
        rejected("does not start with KILNMETA", f -> f[ObjectSurgery.metaOffset(f)] = 'k');
        rejected("format version 1 is not supported", f -> le(f).putInt(ObjectSurgery.metaOffset(f) + 8, 1));
        rejected("differs from e_machine", f -> le(f).putShort(ObjectSurgery.metaOffset(f) + 80, (short) 183));
        rejected("function count 4294967295", f -> le(f).putInt(ObjectSurgery.metaOffset(f) + 84, -1));
        rejected("build id length 2147483647", f -> le(f).putInt(ObjectSurgery.metaOffset(f) + 88, Integer.MAX_VALUE));
        // index row of function 1 starts after: header 88, build id 4+11, options 4+5, padding to 4 -> 112
        int row1 = 112 + 24;
        rejected("function 1 has unknown flags", f -> le(f).putInt(ObjectSurgery.metaOffset(f) + row1, 3));
        rejected("names symbol 77", f -> le(f).putInt(ObjectSurgery.metaOffset(f) + row1 + 4, 77));
        rejected("says .text+", f -> le(f).putInt(ObjectSurgery.metaOffset(f) + row1 + 12, 6));
        rejected("trap sites, more than", f -> le(f).putInt(ObjectSurgery.metaOffset(f) + row1 + 20, Integer.MAX_VALUE));
        rejected("is not compiled but has a nonzero index row", f -> le(f).putInt(ObjectSurgery.metaOffset(f) + 112 + 16, 1));
        int trapTable = 112 + 5 * 24;
        rejected("unknown trap kind 99", f -> le(f).putInt(ObjectSurgery.metaOffset(f) + trapTable + 4, 99));
        rejected("past the function's 18 bytes", f -> le(f).putInt(ObjectSurgery.metaOffset(f) + trapTable, 19));
        // the second site (a row of 4 u32) lies in code inlined from function 0: one (function, call offset) pair
        int secondSite = trapTable + 16;
        rejected("inlined frames, more than", f -> le(f).putInt(ObjectSurgery.metaOffset(f) + secondSite + 12, Integer.MAX_VALUE));
        rejected("names inlined function 77", f -> le(f).putInt(ObjectSurgery.metaOffset(f) + secondSite + 16, 77));
    }

    @Test
    void modifiedCodeIsCaughtByTheDigest() {
        byte[] f = SampleCode.x64Object();
        f[ObjectSurgery.sectionOffset(f, ElfConstants.TEXT)] ^= 1;
        var e = assertThrows(CorruptObjectException.class, () -> ElfReader.read(f));
        assertTrue(e.getMessage().startsWith("integrity digest mismatch"), e.getMessage());
        assertEquals(ObjectSurgery.digestOffset(f), e.fileOffset());
    }

    @Test
    void shortFilesAreRejected() {
        for (int n : new int[]{0, 1, 4, 63}) {
            var e = assertThrows(CorruptObjectException.class, () -> ElfReader.read(new byte[n]));
            assertTrue(e.getMessage().contains("shorter than an ELF64 header"), e.getMessage());
        }
    }
}
