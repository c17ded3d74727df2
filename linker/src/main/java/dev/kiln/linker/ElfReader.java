package dev.kiln.linker;

import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import dev.kiln.ir.code.RelocationModel;
import dev.kiln.ir.code.Target;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.kiln.linker.ElfConstants.*;

/**
 * Parses and verifies an object written by {@link ElfWriter}. Everything is checked: the ELF header,
 * the section table (bounds, alignment, overlaps, types, flags, links), the string tables, every
 * symbol and relocation index, the {@code .kiln.meta} section and its agreement with the symbols,
 * the {@code .text} layout, and finally the {@link IntegrityDigest}. Any inconsistency is reported as
 * a {@link CorruptObjectException} naming what was wrong and where; nothing is allocated beyond a
 * small multiple of the file's size, whatever the file's fields claim.
 */
public final class ElfReader {
    private ElfReader() {
    }

    private record Section(int index, String name, int type, long flags, long offset, long size, long link, long info,
                           long align, long entsize, int headerAt) {
        long end() {
            return offset + size;
        }
    }

    private record Symbol(int index, String name, int bind, int type, int shndx, long value, long size) {
    }

    /** Whether {@code bytes} start as an ELF file does (an object, not a module: a module starts with a zero byte or text). */
    public static boolean looksLikeElf(byte[] bytes) {
        if (bytes.length < MAGIC.length) return false;
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) return false;
        }
        return true;
    }

    /** Parses and verifies {@code file}. */
    public static KilnObject read(byte[] file) throws CorruptObjectException {
        Objects.requireNonNull(file, "file");
        return new ElfReader.Parse(file).run();
    }

    /**
     * Parses and verifies {@code file} for placement with {@code model}: in addition, every relocation
     * type must be one the model {@linkplain RelocationModel#supports supports}.
     *
     * @throws IllegalArgumentException when the model is for another target than the object
     */
    public static KilnObject read(byte[] file, RelocationModel model) throws CorruptObjectException {
        KilnObject object = read(file);
        if (model.target() != object.target()) {
            throw new IllegalArgumentException("the object is for " + object.target() + " but the relocation model is for "
                    + model.target());
        }
        for (MachineCode m : object.functions()) {
            for (Relocation r : m.relocations()) {
                if (!model.supports(r.type())) {
                    throw new CorruptObjectException("function " + m.funcIndex() + " ('" + m.symbol() + "') has relocation type "
                            + Integer.toUnsignedString(r.type()) + " at code offset " + r.offset() + ", which " + model.target()
                            + " does not support");
                }
            }
        }
        return object;
    }

    /** One parse of one file. */
    private static final class Parse {
        private final byte[] file;
        private Target target;
        private final Section[] sections = new Section[SECTION_COUNT + 1];
        /** SECTION_COUNT, or one more when the object carries its module ({@code .kiln.wasm}). */
        private int sectionCount;
        private final Map<String, Section> byName = new HashMap<>();
        private long shoff;
        private int shstrndx;

        Parse(byte[] file) {
            this.file = file;
        }

        KilnObject run() throws CorruptObjectException {
            header();
            sectionTable();
            Section text = byName.get(".text");
            Section rela = byName.get(".rela.text");
            Section symtab = byName.get(".symtab");
            Section strtab = byName.get(".strtab");
            Section meta = byName.get(".kiln.meta");

            checkStringTable(strtab);
            Symbol[] symbols = symbols(symtab, strtab, text);
            int functionSymbols = 0;
            while (FIRST_GLOBAL_SYMBOL + functionSymbols < symbols.length
                    && symbols[FIRST_GLOBAL_SYMBOL + functionSymbols].type() == STT_FUNC) {
                functionSymbols++;
            }
            MetaSection.Decoded decoded = MetaSection.decode(file, (int) meta.offset(), (int) meta.end(), target.elfMachine);

            // the index rows of compiled functions, in symbol (= .text) order
            MetaSection.Row[] rowOfSymbol = new MetaSection.Row[functionSymbols];
            for (MetaSection.Row r : decoded.rows()) {
                if (!r.compiled()) continue;
                int s = r.symbolIndex() - FIRST_GLOBAL_SYMBOL;
                if (s < 0 || s >= functionSymbols) {
                    throw new CorruptObjectException("function " + r.funcIndex() + " names symbol " + r.symbolIndex()
                            + ", which is not a function symbol", r.fileOffset() + 4);
                }
                if (rowOfSymbol[s] != null) {
                    throw new CorruptObjectException("functions " + rowOfSymbol[s].funcIndex() + " and " + r.funcIndex()
                            + " both name symbol " + r.symbolIndex(), r.fileOffset() + 4);
                }
                Symbol sym = symbols[r.symbolIndex()];
                if (sym.value() != r.textOffset() || sym.size() != r.size()) {
                    throw new CorruptObjectException("function " + r.funcIndex() + " is at .text+" + r.textOffset() + " size "
                            + r.size() + " but its symbol '" + sym.name() + "' says .text+" + sym.value() + " size " + sym.size(),
                            r.fileOffset() + 8);
                }
                rowOfSymbol[s] = r;
            }
            for (int s = 0; s < functionSymbols; s++) {
                if (rowOfSymbol[s] == null) {
                    throw new CorruptObjectException("function symbol '" + symbols[FIRST_GLOBAL_SYMBOL + s].name()
                            + "' has no row in the function index", (int) meta.offset());
                }
            }
            checkTextLayout(text, rowOfSymbol);

            List<List<Relocation>> relocations = relocations(rela, symbols, functionSymbols, rowOfSymbol);

            List<MachineCode> functions = new ArrayList<>(functionSymbols);
            List<FunctionEntry> entries = new ArrayList<>(decoded.rows().size());
            for (MetaSection.Row r : decoded.rows()) {
                entries.add(r.compiled()
                        ? new FunctionEntry(r.funcIndex(), symbols[r.symbolIndex()].name(), (int) r.textOffset(), (int) r.size(), r.frameSize())
                        : FunctionEntry.notCompiled(r.funcIndex()));
            }
            for (int s = 0; s < functionSymbols; s++) {
                MetaSection.Row r = rowOfSymbol[s];
                int from = (int) (text.offset() + r.textOffset());
                byte[] code = Arrays.copyOfRange(file, from, from + (int) r.size());
                functions.add(new MachineCode(target, r.funcIndex(), symbols[FIRST_GLOBAL_SYMBOL + s].name(), code,
                        relocations.get(s), r.trapSites(), r.frameSize(), List.of()));
            }
            List<String> externals = new ArrayList<>();
            for (int i = FIRST_GLOBAL_SYMBOL + functionSymbols; i < symbols.length; i++) externals.add(symbols[i].name());

            int digestAt = (int) meta.offset() + MetaSection.DIGEST_OFFSET;
            if (!IntegrityDigest.verify(file, digestAt)) {
                throw new CorruptObjectException("integrity digest mismatch: the object's bytes changed after it was written", digestAt);
            }
            byte[] module = null;
            Section wasm = byName.get(".kiln.wasm");
            if (wasm != null) {
                module = Arrays.copyOfRange(file, (int) wasm.offset(), (int) wasm.end());
                if (!decoded.identity().hasModuleHash(BuildIdentity.sha256(module))) {
                    throw corrupt(".kiln.wasm is not the module the code was compiled from (its SHA-256 is not the module hash)", wasm.offset());
                }
            }
            return new KilnObject(new KilnMetadata(decoded.formatVersion(), decoded.identity(), entries), functions, externals, module);
        }

        private CorruptObjectException corrupt(String problem, long at) {
            return new CorruptObjectException(problem, at);
        }

        /** Checks the ELF header; sets the target, e_shoff and e_shstrndx. */
        private void header() throws CorruptObjectException {
            if (file.length < EHDR_SIZE) {
                throw corrupt("file is " + file.length + " bytes, shorter than an ELF64 header (" + EHDR_SIZE + ")", 0);
            }
            LittleEndianInput in = new LittleEndianInput(file, "ELF header", 0, EHDR_SIZE);
            for (int i = 0; i < MAGIC.length; i++) {
                if (in.u8("magic") != (MAGIC[i] & 0xff)) throw corrupt("not an ELF file (bad magic)", i);
            }
            expect8(in, ELFCLASS64, "EI_CLASS (ELF64 expected)");
            expect8(in, ELFDATA2LSB, "EI_DATA (little-endian expected)");
            expect8(in, EV_CURRENT, "EI_VERSION");
            expect8(in, ELFOSABI_NONE, "EI_OSABI");
            for (int i = 8; i < EI_NIDENT; i++) expect8(in, 0, "e_ident padding");
            expect16(in, ET_REL, "e_type (ET_REL expected)");
            int machineAt = in.position();
            target = MetaSection.targetOf(in.u16("e_machine"), machineAt);
            in.expectU32(EV_CURRENT, "e_version");
            expect64(in, 0, "e_entry");
            expect64(in, 0, "e_phoff");
            int shoffAt = in.position();
            shoff = in.u64("e_shoff");
            in.expectU32(0, "e_flags");
            expect16(in, EHDR_SIZE, "e_ehsize");
            expect16(in, 0, "e_phentsize");
            expect16(in, 0, "e_phnum");
            expect16(in, SHDR_SIZE, "e_shentsize");
            int shnumAt = in.position();
            sectionCount = in.u16("e_shnum");
            if (sectionCount != SECTION_COUNT && sectionCount != SECTION_COUNT + 1) {
                throw corrupt("e_shnum is " + sectionCount + ", expected " + SECTION_COUNT + " or " + (SECTION_COUNT + 1), shnumAt);
            }
            int shstrndxAt = in.position();
            shstrndx = in.u16("e_shstrndx");
            long tableSize = (long) sectionCount * SHDR_SIZE;
            if (shoff < EHDR_SIZE || shoff > file.length) {
                throw corrupt("e_shoff 0x" + Long.toHexString(shoff) + " is outside the " + file.length
                        + "-byte file (truncated?)", shoffAt);
            }
            if (shoff % 8 != 0) throw corrupt("e_shoff 0x" + Long.toHexString(shoff) + " is not 8-aligned", shoffAt);
            if (shoff + tableSize != file.length) {
                throw corrupt(shoff + tableSize > file.length
                        ? "section header table (" + tableSize + " bytes at 0x" + Long.toHexString(shoff) + ") runs past the end of the " + file.length + "-byte file"
                        : (file.length - shoff - tableSize) + " unexpected bytes after the section header table", shoffAt);
            }
            if (shstrndx == 0 || shstrndx >= sectionCount) throw corrupt("e_shstrndx " + shstrndx + " is not a section", shstrndxAt);
        }

        private void sectionTable() throws CorruptObjectException {
            long[][] raw = new long[sectionCount][];
            for (int i = 0; i < sectionCount; i++) {
                int at = (int) (shoff + (long) i * SHDR_SIZE);
                LittleEndianInput in = new LittleEndianInput(file, "section header " + i, at, at + SHDR_SIZE);
                long[] h = {in.u32("sh_name"), in.u32("sh_type"), in.u64("sh_flags"), in.u64("sh_addr"), in.u64("sh_offset"),
                        in.u64("sh_size"), in.u32("sh_link"), in.u32("sh_info"), in.u64("sh_addralign"), in.u64("sh_entsize")};
                raw[i] = h;
                if (i == 0) {
                    for (long v : h) if (v != 0) throw corrupt("section header 0 is not all zeros", at);
                    continue;
                }
                String what = "section " + i;
                if (h[3] != 0) throw corrupt(what + " has a nonzero sh_addr", at + 16);
                long offset = h[4], size = h[5], align = h[8];
                if (offset < 0 || offset > file.length || size < 0 || size > file.length - offset) {
                    throw corrupt(what + " (offset 0x" + Long.toHexString(offset) + ", size 0x" + Long.toHexString(size)
                            + ") does not lie inside the " + file.length + "-byte file", at + 24);
                }
                if (align != 0 && (align < 0 || Long.bitCount(align) != 1 || align > 4096)) {
                    throw corrupt(what + " has an invalid sh_addralign " + Long.toUnsignedString(align), at + 48);
                }
                if (align > 1 && offset % align != 0) {
                    throw corrupt(what + " at offset 0x" + Long.toHexString(offset) + " is not aligned to " + align, at + 24);
                }
            }
            // section names
            long[] s = raw[shstrndx];
            Section names = new Section(shstrndx, ".shstrtab", (int) s[1], s[2], s[4], s[5], s[6], s[7], s[8], s[9],
                    (int) (shoff + (long) shstrndx * SHDR_SIZE));
            if (names.type() != SHT_STRTAB) throw corrupt("e_shstrndx names a section that is not a string table", names.headerAt() + 4);
            checkStringTable(names);
            for (int i = 1; i < sectionCount; i++) {
                long[] h = raw[i];
                int at = (int) (shoff + (long) i * SHDR_SIZE);
                String name = string(names, h[0], at, "section name");
                Section sec = new Section(i, name, (int) h[1], h[2], h[4], h[5], h[6], h[7], h[8], h[9], at);
                if (!Arrays.asList(SECTION_NAMES).subList(1, sectionCount).contains(name)) {
                    throw corrupt("unexpected section '" + name + "'", at);
                }
                if (byName.put(name, sec) != null) throw corrupt("section '" + name + "' appears twice", at);
                sections[i] = sec;
            }
            if (!sections[shstrndx].name().equals(".shstrtab")) {
                throw corrupt("e_shstrndx names section '" + sections[shstrndx].name() + "', not .shstrtab", names.headerAt());
            }
            int textIndex = byName.get(".text").index();
            int symtabIndex = byName.get(".symtab").index();
            int strtabIndex = byName.get(".strtab").index();
            expectSection(".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, 0, 0, FUNCTION_ALIGNMENT, 0);
            expectSection(".rela.text", SHT_RELA, SHF_INFO_LINK, symtabIndex, textIndex, 8, RELA_SIZE);
            expectSection(".symtab", SHT_SYMTAB, 0, strtabIndex, FIRST_GLOBAL_SYMBOL, 8, SYM_SIZE);
            expectSection(".strtab", SHT_STRTAB, 0, 0, 0, 1, 0);
            expectSection(".kiln.meta", SHT_PROGBITS, 0, 0, 0, 8, 0);
            expectSection(".note.GNU-stack", SHT_PROGBITS, 0, 0, 0, 1, 0);
            expectSection(".shstrtab", SHT_STRTAB, 0, 0, 0, 1, 0);
            if (sectionCount > SECTION_COUNT) expectSection(".kiln.wasm", SHT_PROGBITS, 0, 0, 0, 1, 0);
            if (byName.get(".note.GNU-stack").size() != 0) {
                throw corrupt(".note.GNU-stack is not empty", byName.get(".note.GNU-stack").headerAt() + 32);
            }
            // nothing overlaps: ELF header, sections, section header table
            List<long[]> extents = new ArrayList<>();
            extents.add(new long[]{0, EHDR_SIZE, -1});
            extents.add(new long[]{shoff, shoff + (long) sectionCount * SHDR_SIZE, -2});
            for (int i = 1; i < sectionCount; i++) {
                if (sections[i].size() > 0) extents.add(new long[]{sections[i].offset(), sections[i].end(), i});
            }
            extents.sort((a, b) -> Long.compare(a[0], b[0]));
            for (int i = 1; i < extents.size(); i++) {
                if (extents.get(i)[0] < extents.get(i - 1)[1]) {
                    throw corrupt(describe(extents.get(i)[2]) + " overlaps " + describe(extents.get(i - 1)[2]), extents.get(i)[0]);
                }
            }
        }

        private String describe(long extent) {
            return extent == -1 ? "the ELF header" : extent == -2 ? "the section header table" : "section '" + sections[(int) extent].name() + "'";
        }

        private void expectSection(String name, int type, long flags, long link, long info, long align, long entsize)
                throws CorruptObjectException {
            Section s = byName.get(name);
            if (s == null) throw corrupt("section '" + name + "' is missing", 0);
            int at = s.headerAt();
            if (s.type() != type) throw corrupt("section '" + name + "' has sh_type " + Integer.toUnsignedString(s.type()) + ", expected " + type, at + 4);
            if (s.flags() != flags) throw corrupt("section '" + name + "' has sh_flags 0x" + Long.toHexString(s.flags()) + ", expected 0x" + Long.toHexString(flags), at + 8);
            if (s.link() != link) throw corrupt("section '" + name + "' has sh_link " + s.link() + ", expected " + link, at + 40);
            if (s.info() != info) throw corrupt("section '" + name + "' has sh_info " + s.info() + ", expected " + info, at + 44);
            if (s.align() != align) throw corrupt("section '" + name + "' has sh_addralign " + s.align() + ", expected " + align, at + 48);
            if (s.entsize() != entsize) throw corrupt("section '" + name + "' has sh_entsize " + s.entsize() + ", expected " + entsize, at + 56);
            if (entsize != 0 && s.size() % entsize != 0) {
                throw corrupt("section '" + name + "' size " + s.size() + " is not a multiple of its entry size " + entsize, at + 32);
            }
        }

        private void checkStringTable(Section s) throws CorruptObjectException {
            if (s.size() == 0 || file[(int) s.offset()] != 0 || file[(int) s.end() - 1] != 0) {
                throw corrupt("string table '" + s.name() + "' does not start and end with NUL", s.size() == 0 ? s.headerAt() + 32 : s.offset());
            }
        }

        private String string(Section table, long index, long referencedAt, String what) throws CorruptObjectException {
            if (index >= table.size()) {
                throw corrupt(what + " index " + index + " is past the end of " + table.name() + " (" + table.size() + " bytes)", referencedAt);
            }
            int from = (int) (table.offset() + index);
            int end = from;
            while (file[end] != 0) end++; // terminates: the table ends with NUL
            return LittleEndianInput.decodeUtf8(file, from, end - from, what);
        }

        private Symbol[] symbols(Section symtab, Section strtab, Section text) throws CorruptObjectException {
            int count = (int) (symtab.size() / SYM_SIZE);
            if (count < FIRST_GLOBAL_SYMBOL) throw corrupt(".symtab has " + count + " symbols, fewer than " + FIRST_GLOBAL_SYMBOL, symtab.headerAt() + 32);
            Symbol[] out = new Symbol[count];
            Map<String, Integer> names = new HashMap<>();
            boolean seenUndefined = false;
            for (int i = 0; i < count; i++) {
                int at = (int) (symtab.offset() + (long) i * SYM_SIZE);
                LittleEndianInput in = new LittleEndianInput(file, "symbol " + i, at, at + SYM_SIZE);
                long nameIndex = in.u32("st_name");
                int info = in.u8("st_info");
                int other = in.u8("st_other");
                int shndx = in.u16("st_shndx");
                long value = in.u64("st_value");
                long size = in.u64("st_size");
                int bind = info >>> 4, type = info & 0xf;
                if (i == 0) {
                    if (nameIndex != 0 || info != 0 || other != 0 || shndx != 0 || value != 0 || size != 0) {
                        throw corrupt("symbol 0 is not the null symbol", at);
                    }
                    out[i] = new Symbol(0, "", 0, 0, 0, 0, 0);
                    continue;
                }
                if (other != STV_DEFAULT) throw corrupt("symbol " + i + " has st_other " + other, at + 5);
                if (i == TEXT_SECTION_SYMBOL) {
                    if (nameIndex != 0 || bind != STB_LOCAL || type != STT_SECTION || shndx != text.index() || value != 0 || size != 0) {
                        throw corrupt("symbol 1 is not the section symbol of .text", at);
                    }
                    out[i] = new Symbol(i, "", bind, type, shndx, 0, 0);
                    continue;
                }
                String name = string(strtab, nameIndex, at, "symbol " + i + " name");
                if (name.isEmpty()) throw corrupt("symbol " + i + " has an empty name", at);
                Integer earlier = names.putIfAbsent(name, i);
                if (earlier != null) throw corrupt("symbols " + earlier + " and " + i + " are both named '" + name + "'", at);
                if (bind != STB_GLOBAL) throw corrupt("symbol " + i + " ('" + name + "') is not global", at + 4);
                if (type == STT_FUNC && !seenUndefined) {
                    if (shndx != text.index()) throw corrupt("function symbol " + i + " ('" + name + "') is not in .text", at + 6);
                    if (value < 0 || size < 0 || value > text.size() || size > text.size() - value) {
                        throw corrupt("function symbol " + i + " ('" + name + "') [0x" + Long.toHexString(value) + ", +0x"
                                + Long.toHexString(size) + ") lies outside .text (0x" + Long.toHexString(text.size()) + " bytes)", at + 8);
                    }
                } else if (type == STT_NOTYPE) {
                    seenUndefined = true;
                    if (shndx != SHN_UNDEF || value != 0 || size != 0) {
                        throw corrupt("external symbol " + i + " ('" + name + "') is not a plain undefined symbol", at + 6);
                    }
                } else {
                    throw corrupt("symbol " + i + " ('" + name + "') has unexpected type " + type + (type == STT_FUNC ? " after the external symbols" : ""), at + 4);
                }
                out[i] = new Symbol(i, name, bind, type, shndx, value, size);
            }
            return out;
        }

        /** .text offsets and sizes are exactly the writer's layout, with zero padding between functions. */
        private void checkTextLayout(Section text, MetaSection.Row[] rows) throws CorruptObjectException {
            long expected = 0;
            for (MetaSection.Row r : rows) {
                long at = alignUp(expected, FUNCTION_ALIGNMENT);
                for (long p = expected; p < at; p++) {
                    if (file[(int) (text.offset() + p)] != 0) throw corrupt("nonzero padding in .text at .text+0x" + Long.toHexString(p), text.offset() + p);
                }
                if (r.textOffset() != at) {
                    throw corrupt("function " + r.funcIndex() + " is at .text+0x" + Long.toHexString(r.textOffset())
                            + ", expected .text+0x" + Long.toHexString(at), r.fileOffset() + 8);
                }
                expected = at + r.size();
            }
            if (expected != text.size()) {
                throw corrupt(".text is " + text.size() + " bytes but its functions end at " + expected, text.headerAt() + 32);
            }
        }

        private List<List<Relocation>> relocations(Section rela, Symbol[] symbols, int functionSymbols, MetaSection.Row[] rows)
                throws CorruptObjectException {
            List<List<Relocation>> out = new ArrayList<>(functionSymbols);
            for (int s = 0; s < functionSymbols; s++) out.add(new ArrayList<>());
            boolean[] referenced = new boolean[symbols.length];
            int count = (int) (rela.size() / RELA_SIZE);
            int function = 0;
            for (int i = 0; i < count; i++) {
                int at = (int) (rela.offset() + (long) i * RELA_SIZE);
                LittleEndianInput in = new LittleEndianInput(file, "relocation " + i, at, at + RELA_SIZE);
                long offset = in.u64("r_offset");
                long info = in.u64("r_info");
                long addend = in.u64("r_addend");
                long symbol = info >>> 32;
                int type = (int) info;
                if (symbol < FIRST_GLOBAL_SYMBOL || symbol >= symbols.length) {
                    throw corrupt("relocation " + i + " refers to symbol " + symbol + ", not a function or external symbol", at + 8);
                }
                // relocations come function by function, in .text order
                while (function < functionSymbols && offset >= rows[function].textOffset() + rows[function].size()) function++;
                if (offset < 0 || function >= functionSymbols || offset < rows[function].textOffset()) {
                    throw corrupt("relocation " + i + " at .text+0x" + Long.toHexString(offset)
                            + " is not inside a function (or out of order)", at);
                }
                referenced[(int) symbol] = true;
                out.get(function).add(new Relocation((int) (offset - rows[function].textOffset()), type, symbols[(int) symbol].name(), addend));
            }
            for (int i = FIRST_GLOBAL_SYMBOL + functionSymbols; i < symbols.length; i++) {
                if (!referenced[i]) {
                    throw corrupt("external symbol " + i + " ('" + symbols[i].name() + "') is not used by any relocation",
                            byName.get(".symtab").offset() + (long) i * SYM_SIZE);
                }
            }
            for (int s = 0; s < functionSymbols; s++) out.set(s, List.copyOf(out.get(s)));
            return out;
        }

        private static void expect8(LittleEndianInput in, int expected, String what) throws CorruptObjectException {
            int at = in.position();
            int v = in.u8(what);
            if (v != expected) throw new CorruptObjectException(what + " is " + v + ", expected " + expected, at);
        }

        private static void expect16(LittleEndianInput in, int expected, String what) throws CorruptObjectException {
            int at = in.position();
            int v = in.u16(what);
            if (v != expected) throw new CorruptObjectException(what + " is " + v + ", expected " + expected, at);
        }

        private static void expect64(LittleEndianInput in, long expected, String what) throws CorruptObjectException {
            int at = in.position();
            long v = in.u64(what);
            if (v != expected) throw new CorruptObjectException(what + " is 0x" + Long.toHexString(v) + ", expected " + expected, at);
        }
    }
}
