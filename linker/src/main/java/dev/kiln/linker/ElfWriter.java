package dev.kiln.linker;

import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import dev.kiln.ir.code.TrapSite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static dev.kiln.linker.ElfConstants.*;

/**
 * Writes a little-endian ELF64 relocatable object (ET_REL) holding a module's native code, for the
 * target of its {@link BuildIdentity}. The object has, in this order:
 * <ul>
 *   <li>{@code .text}: the functions, each 16-byte aligned, in the order given (zero padding between);</li>
 *   <li>{@code .rela.text}: one SHT_RELA entry per {@link Relocation}, function by function;</li>
 *   <li>{@code .symtab}: the local STT_SECTION symbol of .text, then a global STT_FUNC symbol per function
 *       (value = .text offset, size = code length), then a global STT_NOTYPE undefined symbol per external
 *       name that relocations refer to (a relocation whose symbol is a function of this object refers to
 *       that function's symbol);</li>
 *   <li>{@code .strtab}, {@code .kiln.meta} ({@link MetaSection}), an empty {@code .note.GNU-stack} (the
 *       code needs no executable stack) and {@code .shstrtab};</li>
 *   <li>optionally {@code .kiln.wasm}: the bytes of the module the code was compiled from, whose SHA-256
 *       is the identity's module hash;</li>
 *   <li>the section header table, last in the file.</li>
 * </ul>
 * The file is sealed with an {@link IntegrityDigest} over all of its bytes.
 */
public final class ElfWriter {
    private ElfWriter() {
    }

    /**
     * Writes the object.
     *
     * @param identity      what the code was built from (its target is the object's machine)
     * @param functionCount number of WebAssembly functions in the module (the function index covers them all)
     * @param functions     the compiled functions, with unique function indices below {@code functionCount} and
     *                      unique, non-empty symbols without NUL characters
     * @throws IllegalArgumentException when the input breaks one of those rules, a relocation or trap site lies
     *                                  outside its function, or the object would exceed 2 GiB
     */
    public static byte[] write(BuildIdentity identity, int functionCount, List<MachineCode> functions) {
        return write(identity, functionCount, functions, null);
    }

    /**
     * Writes the object with the module's bytes in a {@code .kiln.wasm} section (none when {@code module}
     * is null), so that the object alone can be run.
     *
     * @throws IllegalArgumentException also when the module's SHA-256 is not the identity's module hash
     */
    public static byte[] write(BuildIdentity identity, int functionCount, List<MachineCode> functions, byte[] module) {
        Objects.requireNonNull(identity, "identity");
        if (module != null && !identity.hasModuleHash(BuildIdentity.sha256(module))) {
            throw new IllegalArgumentException("the module bytes are not those the identity's module hash names");
        }
        Objects.requireNonNull(functions, "functions");
        if (functionCount < 0) throw new IllegalArgumentException("negative function count " + functionCount);
        validate(identity, functionCount, functions);

        // .text layout
        int n = functions.size();
        long[] textOffsets = new long[n];
        long textSize = 0;
        for (int i = 0; i < n; i++) {
            textOffsets[i] = alignUp(textSize, FUNCTION_ALIGNMENT);
            textSize = textOffsets[i] + functions.get(i).code().length;
            if (textSize > Integer.MAX_VALUE) throw new IllegalArgumentException(".text would exceed 2 GiB");
        }

        // symbols: null, .text section symbol, functions, externals
        Map<String, Integer> symbolIndex = new HashMap<>();
        int[] functionSymbols = new int[n];
        for (int i = 0; i < n; i++) {
            functionSymbols[i] = FIRST_GLOBAL_SYMBOL + i;
            symbolIndex.put(functions.get(i).symbol(), functionSymbols[i]);
        }
        Map<String, Integer> externals = new LinkedHashMap<>();
        for (MachineCode m : functions) {
            for (Relocation r : m.relocations()) {
                if (!symbolIndex.containsKey(r.symbol()) && !externals.containsKey(r.symbol())) {
                    externals.put(r.symbol(), FIRST_GLOBAL_SYMBOL + n + externals.size());
                }
            }
        }
        symbolIndex.putAll(externals);

        LittleEndianOutput strtab = new LittleEndianOutput().u8(0);
        LittleEndianOutput symtab = new LittleEndianOutput();
        symbol(symtab, 0, 0, 0, 0, 0);
        symbol(symtab, 0, stInfo(STB_LOCAL, STT_SECTION), TEXT, 0, 0);
        for (int i = 0; i < n; i++) {
            int name = string(strtab, functions.get(i).symbol());
            symbol(symtab, name, stInfo(STB_GLOBAL, STT_FUNC), TEXT, textOffsets[i], functions.get(i).code().length);
        }
        for (String external : externals.keySet()) {
            symbol(symtab, string(strtab, external), stInfo(STB_GLOBAL, STT_NOTYPE), SHN_UNDEF, 0, 0);
        }

        LittleEndianOutput rela = new LittleEndianOutput();
        for (int i = 0; i < n; i++) {
            for (Relocation r : functions.get(i).relocations()) {
                rela.u64(textOffsets[i] + r.offset()).u64(rInfo(symbolIndex.get(r.symbol()), r.type())).u64(r.addend());
            }
        }

        byte[] meta = MetaSection.encode(identity, functionCount, functions, textOffsets, functionSymbols);

        int sectionCount = module == null ? SECTION_COUNT : SECTION_COUNT + 1;
        LittleEndianOutput shstrtab = new LittleEndianOutput().u8(0);
        int[] sectionNames = new int[sectionCount];
        for (int s = 1; s < sectionCount; s++) sectionNames[s] = string(shstrtab, SECTION_NAMES[s]);

        // file layout
        long[] offset = new long[sectionCount];
        long[] size = new long[sectionCount];
        long at = EHDR_SIZE;
        offset[TEXT] = at = alignUp(at, FUNCTION_ALIGNMENT);
        size[TEXT] = textSize;
        offset[RELA_TEXT] = at = alignUp(at + textSize, 8);
        size[RELA_TEXT] = rela.size();
        offset[SYMTAB] = at = alignUp(at + rela.size(), 8);
        size[SYMTAB] = symtab.size();
        offset[STRTAB] = at = at + symtab.size();
        size[STRTAB] = strtab.size();
        offset[KILN_META] = at = alignUp(at + strtab.size(), 8);
        size[KILN_META] = meta.length;
        offset[NOTE_GNU_STACK] = at = at + meta.length;
        offset[SHSTRTAB] = at;
        size[SHSTRTAB] = shstrtab.size();
        at += shstrtab.size();
        if (module != null) {
            offset[KILN_WASM] = at;
            size[KILN_WASM] = module.length;
            at += module.length;
        }
        long shoff = alignUp(at, 8);
        long fileSize = shoff + (long) sectionCount * SHDR_SIZE;
        if (fileSize > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("the object would exceed 2 GiB");

        byte[] file = new byte[(int) fileSize];
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        putHeader(b, identity, shoff, sectionCount);

        int textAt = (int) offset[TEXT];
        for (int i = 0; i < n; i++) {
            byte[] code = functions.get(i).code();
            System.arraycopy(code, 0, file, textAt + (int) textOffsets[i], code.length);
        }
        b.put((int) offset[RELA_TEXT], rela.toByteArray());
        b.put((int) offset[SYMTAB], symtab.toByteArray());
        b.put((int) offset[STRTAB], strtab.toByteArray());
        b.put((int) offset[KILN_META], meta);
        b.put((int) offset[SHSTRTAB], shstrtab.toByteArray());
        if (module != null) b.put((int) offset[KILN_WASM], module);

        int firstGlobal = FIRST_GLOBAL_SYMBOL;
        sectionHeader(b, shoff, TEXT, sectionNames[TEXT], SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, offset[TEXT], size[TEXT], 0, 0, FUNCTION_ALIGNMENT, 0);
        sectionHeader(b, shoff, RELA_TEXT, sectionNames[RELA_TEXT], SHT_RELA, SHF_INFO_LINK, offset[RELA_TEXT], size[RELA_TEXT], SYMTAB, TEXT, 8, RELA_SIZE);
        sectionHeader(b, shoff, SYMTAB, sectionNames[SYMTAB], SHT_SYMTAB, 0, offset[SYMTAB], size[SYMTAB], STRTAB, firstGlobal, 8, SYM_SIZE);
        sectionHeader(b, shoff, STRTAB, sectionNames[STRTAB], SHT_STRTAB, 0, offset[STRTAB], size[STRTAB], 0, 0, 1, 0);
        sectionHeader(b, shoff, KILN_META, sectionNames[KILN_META], SHT_PROGBITS, 0, offset[KILN_META], size[KILN_META], 0, 0, 8, 0);
        sectionHeader(b, shoff, NOTE_GNU_STACK, sectionNames[NOTE_GNU_STACK], SHT_PROGBITS, 0, offset[NOTE_GNU_STACK], 0, 0, 0, 1, 0);
        sectionHeader(b, shoff, SHSTRTAB, sectionNames[SHSTRTAB], SHT_STRTAB, 0, offset[SHSTRTAB], size[SHSTRTAB], 0, 0, 1, 0);
        if (module != null) {
            sectionHeader(b, shoff, KILN_WASM, sectionNames[KILN_WASM], SHT_PROGBITS, 0, offset[KILN_WASM], size[KILN_WASM], 0, 0, 1, 0);
        }

        IntegrityDigest.seal(file, (int) offset[KILN_META] + MetaSection.DIGEST_OFFSET);
        return file;
    }

    private static void validate(BuildIdentity identity, int functionCount, List<MachineCode> functions) {
        Map<Integer, String> indices = new HashMap<>();
        Map<String, Integer> symbols = new HashMap<>();
        for (MachineCode m : functions) {
            Objects.requireNonNull(m, "function");
            String who = "function " + m.funcIndex() + " ('" + m.symbol() + "')";
            if (m.target() != identity.target()) {
                throw new IllegalArgumentException(who + " is " + m.target() + " code, but the object is for " + identity.target());
            }
            if (m.funcIndex() < 0 || m.funcIndex() >= functionCount) {
                throw new IllegalArgumentException(who + ": function index outside 0.." + (functionCount - 1));
            }
            String previous = indices.putIfAbsent(m.funcIndex(), m.symbol());
            if (previous != null) {
                throw new IllegalArgumentException("duplicate function index " + m.funcIndex() + " (symbols '" + previous
                        + "' and '" + m.symbol() + "')");
            }
            checkSymbolName(m.symbol(), "symbol of function " + m.funcIndex());
            Integer other = symbols.putIfAbsent(m.symbol(), m.funcIndex());
            if (other != null) {
                throw new IllegalArgumentException("duplicate symbol '" + m.symbol() + "' (functions " + other + " and "
                        + m.funcIndex() + ")");
            }
            Objects.requireNonNull(m.code(), who + " code");
            if (m.frameSize() < 0) throw new IllegalArgumentException(who + " has negative frame size " + m.frameSize());
            for (Relocation r : m.relocations()) {
                if (r.offset() < 0 || r.offset() >= m.code().length) {
                    throw new IllegalArgumentException(who + ": relocation at offset " + r.offset() + " is outside its "
                            + m.code().length + " bytes");
                }
                checkSymbolName(r.symbol(), who + " relocation symbol");
            }
            for (TrapSite t : m.trapSites()) {
                if (t.codeOffset() < 0 || t.codeOffset() > m.code().length) {
                    throw new IllegalArgumentException(who + ": trap site at code offset " + t.codeOffset()
                            + " is outside its " + m.code().length + " bytes");
                }
                if (t.wasmOffset() < 0) throw new IllegalArgumentException(who + ": negative trap wasm offset " + t.wasmOffset());
            }
        }
        if ((long) functionCount * MetaSection.INDEX_ROW_SIZE > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("function count " + functionCount + " is too large for one object");
        }
    }

    private static void checkSymbolName(String name, String what) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException(what + " is empty");
        if (name.indexOf('\0') >= 0) throw new IllegalArgumentException(what + " '" + name.replace("\0", "\\0") + "' contains NUL");
        LittleEndianOutput.encodeUtf8(name, what);
    }

    private static int string(LittleEndianOutput table, String s) {
        int at = table.size();
        table.bytes(LittleEndianOutput.encodeUtf8(s, "symbol")).u8(0);
        return at;
    }

    private static void symbol(LittleEndianOutput symtab, int name, int info, int shndx, long value, long size) {
        symtab.u32(name).u8(info).u8(STV_DEFAULT).u16(shndx).u64(value).u64(size);
    }

    private static void sectionHeader(ByteBuffer b, long shoff, int index, int name, int type, long flags, long offset,
                                      long size, int link, int info, long align, long entsize) {
        int at = (int) (shoff + (long) index * SHDR_SIZE);
        b.putInt(at, name).putInt(at + 4, type).putLong(at + 8, flags).putLong(at + 16, 0).putLong(at + 24, offset)
                .putLong(at + 32, size).putInt(at + 40, link).putInt(at + 44, info).putLong(at + 48, align)
                .putLong(at + 56, entsize);
    }

    /** The ELF header of a relocatable object of {@code identity}'s machine whose section headers start at {@code shoff}. */
    static void putHeader(ByteBuffer b, BuildIdentity identity, long shoff, int sectionCount) {
        b.put(0, MAGIC);
        b.put(EI_CLASS, (byte) ELFCLASS64).put(EI_DATA, (byte) ELFDATA2LSB).put(EI_VERSION, (byte) EV_CURRENT)
                .put(EI_OSABI, (byte) ELFOSABI_NONE);
        b.putShort(16, (short) ET_REL).putShort(18, (short) identity.target().elfMachine).putInt(20, EV_CURRENT)
                .putLong(24, 0).putLong(32, 0).putLong(40, shoff).putInt(48, 0).putShort(52, (short) EHDR_SIZE)
                .putShort(54, (short) 0).putShort(56, (short) 0).putShort(58, (short) SHDR_SIZE)
                .putShort(60, (short) sectionCount).putShort(62, (short) SHSTRTAB);
    }
}
