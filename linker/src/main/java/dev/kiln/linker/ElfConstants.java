package dev.kiln.linker;

/**
 * The numbers of the ELF64 format that kiln objects use, in one place (System V gABI). Only the
 * subset {@link ElfWriter} writes and {@link ElfReader} accepts is here; relocation type numbers are
 * not: they belong to each backend's {@link dev.kiln.ir.code.RelocationModel}.
 */
final class ElfConstants {
    private ElfConstants() {
    }

    // e_ident
    static final byte[] MAGIC = {0x7f, 'E', 'L', 'F'};
    static final int EI_NIDENT = 16;
    static final int EI_CLASS = 4;
    static final int EI_DATA = 5;
    static final int EI_VERSION = 6;
    static final int EI_OSABI = 7;
    static final int ELFCLASS64 = 2;
    static final int ELFDATA2LSB = 1;
    static final int EV_CURRENT = 1;
    static final int ELFOSABI_NONE = 0;

    // ELF header
    static final int ET_REL = 1;
    static final int EHDR_SIZE = 64;
    static final int SHDR_SIZE = 64;

    // Section header fields
    static final int SHN_UNDEF = 0;
    static final int SHT_NULL = 0;
    static final int SHT_PROGBITS = 1;
    static final int SHT_SYMTAB = 2;
    static final int SHT_STRTAB = 3;
    static final int SHT_RELA = 4;
    static final long SHF_ALLOC = 0x2;
    static final long SHF_EXECINSTR = 0x4;
    static final long SHF_INFO_LINK = 0x40;

    // Symbols
    static final int SYM_SIZE = 24;
    static final int STB_LOCAL = 0;
    static final int STB_GLOBAL = 1;
    static final int STT_NOTYPE = 0;
    static final int STT_FUNC = 2;
    static final int STT_SECTION = 3;
    static final int STV_DEFAULT = 0;

    // Relocations with addend
    static final int RELA_SIZE = 24;

    /** Packs st_info from binding and type. */
    static int stInfo(int bind, int type) {
        return (bind << 4) | (type & 0xf);
    }

    /** Packs r_info from symbol index and relocation type. */
    static long rInfo(int symbol, int type) {
        return ((long) symbol << 32) | (type & 0xffffffffL);
    }

    // kiln's section layout: the writer emits exactly these sections, in this order.
    static final int TEXT = 1;
    static final int RELA_TEXT = 2;
    static final int SYMTAB = 3;
    static final int STRTAB = 4;
    static final int KILN_META = 5;
    static final int NOTE_GNU_STACK = 6;
    static final int SHSTRTAB = 7;
    static final int SECTION_COUNT = 8;
    /**
     * The optional last section: the WebAssembly module the code was compiled from (objects written
     * for {@code kiln run app.o} and {@code Engine.precompile}; cache entries leave it out).
     */
    static final int KILN_WASM = 8;
    static final String[] SECTION_NAMES = {
            "", ".text", ".rela.text", ".symtab", ".strtab", ".kiln.meta", ".note.GNU-stack", ".shstrtab", ".kiln.wasm"};

    /** Alignment of each function in .text (and of .text itself). */
    static final int FUNCTION_ALIGNMENT = 16;

    /** The symbol index of the local STT_SECTION symbol for .text; function symbols follow it. */
    static final int TEXT_SECTION_SYMBOL = 1;
    static final int FIRST_GLOBAL_SYMBOL = 2;

    static long alignUp(long value, long alignment) {
        return (value + alignment - 1) & -alignment;
    }
}
