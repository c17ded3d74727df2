package dev.kiln.linker;

import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import dev.kiln.ir.code.RelocationModel;
import dev.kiln.ir.code.TrapSite;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.ToIntFunction;

import static dev.kiln.linker.ElfConstants.*;

/**
 * Writes a cache object in the mapped format ({@link LinkedFormat}): one {@code .text} holding every
 * function the object has, in index order, with the calls between them already resolved (PC-relative,
 * so the text is mapped from the file as it is, anywhere, and shared); a position-independent stub
 * for each function the object calls but has no code for (it jumps through the module's slot array,
 * found through the VMContext); compact metadata; a digest per 64 KiB block of text and metadata.
 *
 * <p>A {@code base} object's text is kept as it is, at the start: an object written back after the
 * auto tier compiled more functions appends them (and new stubs), so the old functions' resolved calls
 * stay right.
 */
public final class LinkedObjectWriter {
    /** What the writer needs to know about the module's functions and the target's code. */
    public record Linking(RelocationModel model, ToIntFunction<String> functionOfSymbol, IntFunction<String> symbolOf,
                          IntFunction<MachineCode> slotStub, byte filler) {
        public Linking {
            Objects.requireNonNull(model, "model");
            Objects.requireNonNull(functionOfSymbol, "functionOfSymbol");
            Objects.requireNonNull(symbolOf, "symbolOf");
            Objects.requireNonNull(slotStub, "slotStub");
        }
    }

    private LinkedObjectWriter() {
    }

    /** An object of {@code functions} (every one with a function index below {@code functionCount}). */
    public static byte[] write(BuildIdentity identity, int functionCount, List<MachineCode> functions, Linking linking) {
        return write(identity, functionCount, functions, linking, null);
    }

    /**
     * An object of {@code base}'s functions (when not null; its text kept byte for byte) and {@code functions}
     * (which must not repeat one of base's).
     */
    public static byte[] write(BuildIdentity identity, int functionCount, List<MachineCode> functions, Linking linking,
                               MappedObject base) {
        Objects.requireNonNull(identity, "identity");
        if (base != null && base.functionCount() != functionCount) {
            throw new IllegalArgumentException("the base object has " + base.functionCount() + " functions, not " + functionCount);
        }
        int[] textOffset = new int[functionCount];
        int[] size = new int[functionCount];
        int[] frame = new int[functionCount];
        List<List<TrapSite>> traps = new ArrayList<>(Collections.nCopies(functionCount, List.<TrapSite>of()));
        Arrays.fill(textOffset, -1);
        MachineCode[] fresh = new MachineCode[functionCount];
        for (MachineCode m : functions) {
            int f = m.funcIndex();
            if (f < 0 || f >= functionCount) throw new IllegalArgumentException("function index " + f + " outside 0.." + (functionCount - 1));
            if (fresh[f] != null || base != null && base.hasCode(f)) throw new IllegalArgumentException("function " + f + " twice");
            if (m.target() != identity.target()) throw new IllegalArgumentException("function " + f + " is " + m.target() + " code");
            fresh[f] = m;
        }

        // layout: the base's text, then the new functions in index order
        long at = 0;
        if (base != null) {
            at = base.textEnd();
            for (int f = 0; f < functionCount; f++) {
                if (!base.hasCode(f)) continue;
                textOffset[f] = base.textOffset(f);
                size[f] = base.codeSize(f);
                frame[f] = base.frameSize(f);
                traps.set(f, base.trapSites(f));
            }
        }
        for (int f = 0; f < functionCount; f++) {
            if (fresh[f] == null) continue;
            at = alignUp(at, FUNCTION_ALIGNMENT);
            textOffset[f] = (int) at;
            size[f] = fresh[f].code().length;
            frame[f] = fresh[f].frameSize();
            traps.set(f, fresh[f].trapSites());
            at += size[f];
            if (at > Integer.MAX_VALUE / 2) throw new IllegalArgumentException(".text would exceed 1 GiB");
        }
        // stubs for functions called but without code, after the functions
        int[] stubOffset = new int[functionCount];
        Arrays.fill(stubOffset, -1);
        List<MachineCode> stubs = new ArrayList<>();
        List<Integer> stubAt = new ArrayList<>();
        for (MachineCode m : functions) {
            for (Relocation r : m.relocations()) {
                int callee = linking.functionOfSymbol().applyAsInt(r.symbol());
                if (callee < 0) {
                    throw new IllegalArgumentException("function " + m.funcIndex() + " refers to '" + r.symbol()
                            + "', which is not a function of the module (cached code reaches the runtime through the VMContext)");
                }
                if (!linking.model().isPositionIndependent(r.type())) {
                    throw new IllegalArgumentException("function " + m.funcIndex() + " has an absolute relocation ("
                            + linking.model().name(r.type()) + ") against '" + r.symbol() + "'");
                }
                if (textOffset[callee] < 0 && stubOffset[callee] < 0) {
                    MachineCode stub = linking.slotStub().apply(callee);
                    at = alignUp(at, FUNCTION_ALIGNMENT);
                    stubOffset[callee] = (int) at;
                    stubs.add(stub);
                    stubAt.add((int) at);
                    at += stub.code().length;
                }
            }
        }
        long textSize = alignUp(Math.max(at, 1), BlockHash.BLOCK);

        byte[] text = new byte[(int) textSize];
        Arrays.fill(text, linking.filler());
        if (base != null) base.copyText(text);
        for (int f = 0; f < functionCount; f++) {
            MachineCode m = fresh[f];
            if (m == null) continue;
            byte[] code = m.code().clone();
            for (Relocation r : m.relocations()) {
                int callee = linking.functionOfSymbol().applyAsInt(r.symbol());
                long target = textOffset[callee] >= 0 ? textOffset[callee] : stubOffset[callee];
                try {
                    linking.model().apply(code, r.offset(), r.type(), target, r.addend(), textOffset[f] + (long) r.offset());
                } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
                    throw new IllegalArgumentException("cannot resolve " + linking.model().name(r.type()) + " against '"
                            + r.symbol() + "' in function " + f + ": " + e.getMessage(), e);
                }
            }
            System.arraycopy(code, 0, text, textOffset[f], code.length);
        }
        for (int k = 0; k < stubs.size(); k++) {
            byte[] code = stubs.get(k).code();
            System.arraycopy(code, 0, text, stubAt.get(k), code.length);
        }

        // symbols: the .text section symbol, then one STT_FUNC per function with code
        LittleEndianOutput strtab = new LittleEndianOutput().u8(0);
        LittleEndianOutput symtab = new LittleEndianOutput();
        symtab.u32(0).u8(0).u8(0).u16(0).u64(0).u64(0);
        symtab.u32(0).u8(stInfo(STB_LOCAL, STT_SECTION)).u8(STV_DEFAULT).u16(TEXT).u64(0).u64(0);
        for (int f = 0; f < functionCount; f++) {
            if (textOffset[f] < 0) continue;
            int name = strtab.size();
            strtab.bytes(LittleEndianOutput.encodeUtf8(linking.symbolOf().apply(f), "symbol")).u8(0);
            symtab.u32(name).u8(stInfo(STB_GLOBAL, STT_FUNC)).u8(STV_DEFAULT).u16(TEXT).u64(textOffset[f]).u64(size[f]);
        }

        byte[] meta = LinkedFormat.encodeMeta(identity, functionCount, text, textOffset, size, frame, traps);

        LittleEndianOutput shstrtab = new LittleEndianOutput().u8(0);
        int[] sectionNames = new int[SECTION_COUNT];
        for (int s = 1; s < SECTION_COUNT; s++) {
            sectionNames[s] = shstrtab.size();
            shstrtab.bytes(LittleEndianOutput.encodeUtf8(SECTION_NAMES[s], "section")).u8(0);
        }
        long[] offset = new long[SECTION_COUNT];
        long[] sz = new long[SECTION_COUNT];
        offset[TEXT] = LinkedFormat.TEXT_ALIGNMENT;
        sz[TEXT] = textSize;
        long pos = offset[TEXT] + textSize;
        offset[RELA_TEXT] = pos;
        offset[SYMTAB] = pos = alignUp(pos, 8);
        sz[SYMTAB] = symtab.size();
        offset[STRTAB] = pos = pos + symtab.size();
        sz[STRTAB] = strtab.size();
        offset[KILN_META] = pos = alignUp(pos + strtab.size(), 8);
        sz[KILN_META] = meta.length;
        offset[NOTE_GNU_STACK] = pos = pos + meta.length;
        offset[SHSTRTAB] = pos;
        sz[SHSTRTAB] = shstrtab.size();
        long shoff = alignUp(pos + shstrtab.size(), 8);
        long fileSize = shoff + (long) SECTION_COUNT * SHDR_SIZE;
        if (fileSize > Integer.MAX_VALUE - 16) throw new IllegalArgumentException("the object would exceed 2 GiB");

        byte[] file = new byte[(int) fileSize];
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        ElfWriter.putHeader(b, identity, shoff, SECTION_COUNT);
        System.arraycopy(text, 0, file, (int) offset[TEXT], text.length);
        b.put((int) offset[SYMTAB], symtab.toByteArray());
        b.put((int) offset[STRTAB], strtab.toByteArray());
        b.put((int) offset[KILN_META], meta);
        b.put((int) offset[SHSTRTAB], shstrtab.toByteArray());
        header(b, shoff, TEXT, sectionNames[TEXT], SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, offset[TEXT], sz[TEXT], 0, 0, LinkedFormat.TEXT_ALIGNMENT, 0);
        header(b, shoff, RELA_TEXT, sectionNames[RELA_TEXT], SHT_RELA, SHF_INFO_LINK, offset[RELA_TEXT], 0, SYMTAB, TEXT, 8, RELA_SIZE);
        header(b, shoff, SYMTAB, sectionNames[SYMTAB], SHT_SYMTAB, 0, offset[SYMTAB], sz[SYMTAB], STRTAB, FIRST_GLOBAL_SYMBOL, 8, SYM_SIZE);
        header(b, shoff, STRTAB, sectionNames[STRTAB], SHT_STRTAB, 0, offset[STRTAB], sz[STRTAB], 0, 0, 1, 0);
        header(b, shoff, KILN_META, sectionNames[KILN_META], SHT_PROGBITS, 0, offset[KILN_META], sz[KILN_META], 0, 0, 8, 0);
        header(b, shoff, NOTE_GNU_STACK, sectionNames[NOTE_GNU_STACK], SHT_PROGBITS, 0, offset[NOTE_GNU_STACK], 0, 0, 0, 1, 0);
        header(b, shoff, SHSTRTAB, sectionNames[SHSTRTAB], SHT_STRTAB, 0, offset[SHSTRTAB], sz[SHSTRTAB], 0, 0, 1, 0);
        LinkedFormat.seal(file, (int) offset[KILN_META], (int) shoff);
        return file;
    }

    private static void header(ByteBuffer b, long shoff, int index, int name, int type, long flags, long offset,
                               long size, int link, int info, long align, long entsize) {
        int at = (int) (shoff + (long) index * SHDR_SIZE);
        b.putInt(at, name).putInt(at + 4, type).putLong(at + 8, flags).putLong(at + 16, 0).putLong(at + 24, offset)
                .putLong(at + 32, size).putInt(at + 40, link).putInt(at + 44, info).putLong(at + 48, align)
                .putLong(at + 56, entsize);
    }
}
