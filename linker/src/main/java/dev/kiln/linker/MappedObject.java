package dev.kiln.linker;

import dev.kiln.ir.code.Target;
import dev.kiln.ir.code.TrapSite;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static dev.kiln.linker.ElfConstants.*;

/**
 * A cache object in the mapped format ({@link LinkedFormat}), opened without reading it whole: the
 * file is mapped read-only, the ELF header, the section headers and the metadata header are checked
 * (their SHA-256), and nothing is done per function. A function's index row and trap sites are read
 * when first asked for, after their 64 KiB metadata block's digest is checked: every read of metadata
 * is checked, and nothing is hashed up front (a 30 MB module has 7 MB of it). The text is mapped
 * executable by {@link #mapText}, straight from the file: with {@code lazy}, every block stays
 * inaccessible until the guard-page handler has checked its digest (the first instruction fetched
 * from it, or the first read of a constant in it), so a damaged block never runs.
 */
public final class MappedObject {
    private final Path path;
    private final MemorySegment file;
    private final long metaAt;
    private final long textAt;
    private final long textSize;
    private final int functionCount;
    private final int compiledCount;
    private final int textBlocks;
    private final int metaBlocks;
    private final long indexStart;
    private final long trapsStart;
    private final long codeEnd;
    private final BuildIdentity identity;
    private final long metaEnd;
    private final boolean[] metaChecked;
    private final Map<Integer, List<TrapSite>> traps = new ConcurrentHashMap<>();

    private MappedObject(Path path, MemorySegment file, long metaAt, long metaSize, long textAt, long textSize, byte[] head)
            throws CorruptObjectException {
        this.path = path;
        this.file = file;
        this.metaAt = metaAt;
        this.textAt = textAt;
        this.textSize = textSize;
        this.compiledCount = (int) LinkedFormat.u32(head, 12);
        this.functionCount = (int) LinkedFormat.u32(head, 116);
        this.textBlocks = (int) LinkedFormat.u32(head, 120);
        this.metaBlocks = (int) LinkedFormat.u32(head, 124);
        this.indexStart = LinkedFormat.u32(head, 128);
        this.trapsStart = LinkedFormat.u32(head, 132);
        this.codeEnd = LinkedFormat.u32(head, 136);
        this.metaEnd = metaSize;
        if (functionCount < 0 || compiledCount < 0 || compiledCount > functionCount) throw corrupt("bad function counts", 116);
        if ((long) textBlocks * BlockHash.BLOCK != textSize || codeEnd > textSize) throw corrupt(".text size disagrees with its blocks", 120);
        if (trapsStart != indexStart + (long) functionCount * LinkedFormat.ROW || trapsStart > metaSize) throw corrupt("bad index bounds", 128);
        if ((metaSize - indexStart + BlockHash.BLOCK - 1) / BlockHash.BLOCK != metaBlocks) throw corrupt("metadata blocks disagree with its size", 124);
        int machine = (head[112] & 0xff) | (head[113] & 0xff) << 8;
        Target target = MetaSection.targetOf(machine, (int) metaAt + 112);
        int[] pos = {LinkedFormat.FIXED};
        String buildId = utf8(head, pos, "build id");
        String options = utf8(head, pos, "options");
        try {
            this.identity = new BuildIdentity(Arrays.copyOfRange(head, LinkedFormat.MODULE_HASH, LinkedFormat.MODULE_HASH + 32),
                    buildId, target, options);
        } catch (IllegalArgumentException e) {
            throw corrupt("identity is invalid: " + e.getMessage(), 80);
        }
        this.metaChecked = new boolean[metaBlocks];
    }

    private CorruptObjectException corrupt(String problem, long metaOffset) {
        return new CorruptObjectException(".kiln.meta: " + problem, metaAt + metaOffset);
    }

    private static String utf8(byte[] head, int[] pos, String what) throws CorruptObjectException {
        if (pos[0] + 4 > head.length) throw new CorruptObjectException(".kiln.meta: " + what + " runs past the header");
        int n = (int) LinkedFormat.u32(head, pos[0]);
        if (n < 0 || pos[0] + 4 + n > head.length) throw new CorruptObjectException(".kiln.meta: " + what + " runs past the header");
        String s = new String(head, pos[0] + 4, n, StandardCharsets.UTF_8);
        pos[0] += 4 + n;
        return s;
    }

    /**
     * The format version of the object at {@code path} (1: relocatable, read whole by {@link ElfReader};
     * 2: this format), read from its section headers; -1 when it is no kiln object.
     */
    static int formatVersion(FileChannel in) throws IOException {
        long size = in.size();
        if (size < EHDR_SIZE + (long) SECTION_COUNT * SHDR_SIZE) return -1;
        ByteBuffer h = ByteBuffer.allocate(EHDR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        in.read(h, 0);
        long shoff = h.getLong(40);
        if (shoff < EHDR_SIZE || shoff > size - (long) SECTION_COUNT * SHDR_SIZE) return -1;
        ByteBuffer meta = ByteBuffer.allocate(SHDR_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        in.read(meta, shoff + (long) KILN_META * SHDR_SIZE);
        long at = meta.getLong(24);
        if (at < 0 || at > size - 12) return -1;
        ByteBuffer v = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
        in.read(v, at + 8);
        return v.getInt(0);
    }

    /** Maps and checks the object at {@code path}. */
    public static MappedObject open(Path path) throws IOException, CorruptObjectException {
        MemorySegment file;
        try (FileChannel in = RegularFiles.open(path)) {
            file = in.map(FileChannel.MapMode.READ_ONLY, 0, in.size(), Arena.ofAuto());
        }
        long size = file.byteSize();
        if (size < EHDR_SIZE) throw new CorruptObjectException("file is " + size + " bytes, shorter than an ELF64 header", 0);
        byte[] eh = file.asSlice(0, EHDR_SIZE).toArray(ValueLayout.JAVA_BYTE);
        for (int i = 0; i < MAGIC.length; i++) if (eh[i] != MAGIC[i]) throw new CorruptObjectException("not an ELF file (bad magic)", i);
        ByteBuffer b = ByteBuffer.wrap(eh).order(ByteOrder.LITTLE_ENDIAN);
        if (eh[EI_CLASS] != ELFCLASS64 || eh[EI_DATA] != ELFDATA2LSB || b.getShort(16) != ET_REL) {
            throw new CorruptObjectException("not a little-endian ELF64 relocatable object", EI_CLASS);
        }
        long shoff = b.getLong(40);
        if ((b.getShort(60) & 0xffff) != SECTION_COUNT || (b.getShort(58) & 0xffff) != SHDR_SIZE) {
            throw new CorruptObjectException("unexpected section header table shape", 58);
        }
        long shBytes = (long) SECTION_COUNT * SHDR_SIZE;
        if (shoff < EHDR_SIZE || shoff + shBytes != size) throw new CorruptObjectException("section header table is not at the end of the file (truncated?)", 40);
        byte[] sh = file.asSlice(shoff, shBytes).toArray(ValueLayout.JAVA_BYTE);
        ByteBuffer s = ByteBuffer.wrap(sh).order(ByteOrder.LITTLE_ENDIAN);
        long textAt = s.getLong(TEXT * SHDR_SIZE + 24), textSize = s.getLong(TEXT * SHDR_SIZE + 32);
        long metaAt = s.getLong(KILN_META * SHDR_SIZE + 24), metaSize = s.getLong(KILN_META * SHDR_SIZE + 32);
        if (textAt != LinkedFormat.TEXT_ALIGNMENT || textSize <= 0 || textSize % BlockHash.BLOCK != 0 || textAt + textSize > shoff) {
            throw new CorruptObjectException(".text is not where the mapped format puts it", shoff + TEXT * SHDR_SIZE + 24);
        }
        if (metaAt < textAt + textSize || metaSize < LinkedFormat.FIXED || metaAt + metaSize > shoff) {
            throw new CorruptObjectException(".kiln.meta lies outside the file", shoff + KILN_META * SHDR_SIZE + 24);
        }
        byte[] fixed = file.asSlice(metaAt, LinkedFormat.FIXED).toArray(ValueLayout.JAVA_BYTE);
        if (!Arrays.equals(Arrays.copyOf(fixed, 8), MetaSection.MAGIC)) throw new CorruptObjectException(".kiln.meta does not start with KILNMETA", metaAt);
        long version = LinkedFormat.u32(fixed, 8);
        if (version != LinkedFormat.VERSION) {
            throw new CorruptObjectException(".kiln.meta format version " + version + " is not the mapped format " + LinkedFormat.VERSION, metaAt + 8);
        }
        long indexStart = LinkedFormat.u32(fixed, 128);
        if (indexStart < LinkedFormat.FIXED || indexStart > metaSize) throw new CorruptObjectException(".kiln.meta index start is out of bounds", metaAt + 128);
        byte[] head = file.asSlice(metaAt, indexStart).toArray(ValueLayout.JAVA_BYTE);
        byte[] expected = Arrays.copyOfRange(head, LinkedFormat.HEADER_DIGEST, LinkedFormat.HEADER_DIGEST + 32);
        if (!MessageDigest.isEqual(expected, LinkedFormat.headerDigest(eh, sh, head))) {
            throw new CorruptObjectException("header digest mismatch: the object's headers changed after it was written", metaAt + LinkedFormat.HEADER_DIGEST);
        }
        if ((b.getShort(18) & 0xffff) != ((head[112] & 0xff) | (head[113] & 0xff) << 8)) {
            throw new CorruptObjectException(".kiln.meta target machine differs from e_machine", metaAt + 112);
        }
        return new MappedObject(path, file, metaAt, metaSize, textAt, textSize, head);
    }

    public Path path() {
        return path;
    }

    public BuildIdentity identity() {
        return identity;
    }

    public Target target() {
        return identity.target();
    }

    /** WebAssembly functions the index covers (compiled or not). */
    public int functionCount() {
        return functionCount;
    }

    /** Functions the object has code for. */
    public int compiledCount() {
        return compiledCount;
    }

    /** Bytes of .text (a multiple of {@link BlockHash#BLOCK}). */
    public long textSize() {
        return textSize;
    }

    /** Where the code (functions and stubs) ends in .text; filler follows. */
    public long textEnd() {
        return codeEnd;
    }

    /** The file offset of .text. */
    public long textFileOffset() {
        return textAt;
    }

    /** The file offset of the metadata the block digests cover (the function rows, then the trap tables). */
    public long metadataFileOffset() {
        return metaAt + indexStart;
    }

    /** Bytes of metadata the block digests cover (from {@link #metadataFileOffset()}). */
    public long metadataSize() {
        return metaEnd - indexStart;
    }

    /** Native address of the digest of text block 0 (the next blocks' follow, 8 bytes each) in the mapped file. */
    public long textDigestsAddress() {
        return file.address() + metaAt + digestsStart();
    }

    private long digestsStart() {
        return indexStart - 8L * (textBlocks + metaBlocks);
    }

    /** The digest text block {@code k} must have. */
    public long textDigest(int k) {
        return file.get(ValueLayout.JAVA_LONG_UNALIGNED, metaAt + digestsStart() + 8L * k);
    }

    private long row(int f, int field) {
        if (f < 0 || f >= functionCount) throw new IndexOutOfBoundsException("function " + f);
        long at = indexStart + (long) f * LinkedFormat.ROW;
        checkMeta(at, LinkedFormat.ROW);
        return file.get(ValueLayout.JAVA_INT_UNALIGNED, metaAt + at + 4L * field) & 0xFFFF_FFFFL;
    }

    /** Checks the metadata blocks covering {@code [at, at+length)} of .kiln.meta (offsets from the index start on). */
    private void checkMeta(long at, long length) {
        int first = (int) ((at - indexStart) / BlockHash.BLOCK);
        int last = (int) ((at + length - 1 - indexStart) / BlockHash.BLOCK);
        for (int k = first; k <= last; k++) {
            if (metaChecked[k]) continue;
            synchronized (this) {
                if (metaChecked[k]) continue;
                long from = indexStart + (long) k * BlockHash.BLOCK;
                long len = Math.min(BlockHash.BLOCK, metaEnd - from);
                long expected = file.get(ValueLayout.JAVA_LONG_UNALIGNED, metaAt + digestsStart() + 8L * (textBlocks + k));
                if (BlockHash.of(file, metaAt + from, len, textBlocks + k) != expected) {
                    throw new DamagedObjectException(path, "metadata block " + k + " of " + path + " is damaged");
                }
                metaChecked[k] = true;
            }
        }
    }

    /** True when the object has code for function {@code f}. */
    public boolean hasCode(int f) {
        return f >= 0 && f < functionCount && row(f, 0) != 0xFFFF_FFFFL;
    }

    /** The .text offset of {@code f}'s code (which it must have). */
    public int textOffset(int f) {
        long o = row(f, 0);
        long size = row(f, 1);
        if (o == 0xFFFF_FFFFL) throw new IllegalArgumentException("the object has no code for function " + f);
        if (o + size > codeEnd) throw new DamagedObjectException(path, "function " + f + " lies outside the code of " + path);
        return (int) o;
    }

    public int codeSize(int f) {
        return (int) row(f, 1);
    }

    public int frameSize(int f) {
        return (int) row(f, 2);
    }

    /**
     * Checks the metadata of {@code f} (which has code): the blocks holding its index row and its trap
     * table. The runtime calls it when it binds {@code f}, before the function can first run from Java
     * or the interpreter; a damaged block throws {@link DamagedObjectException}, and nothing else of the
     * metadata is hashed (the rest is checked when first read, as every read is).
     */
    public void checkFunction(int f) {
        long[] range = trapTable(f);
        if (range[1] > range[0]) checkMeta(range[0], range[1] - range[0]);
    }

    /** Where {@code f}'s trap table lies in .kiln.meta: {@code {start, end}}, its index row checked. */
    private long[] trapTable(int f) {
        long start = trapsStart + row(f, 3);
        long end = metaEnd;
        for (int g = f + 1; g < functionCount; g++) {
            if (row(g, 0) != 0xFFFF_FFFFL) {
                end = trapsStart + row(g, 3);
                break;
            }
        }
        if (start > end || end > metaEnd) throw new DamagedObjectException(path, "trap table of function " + f + " is out of bounds in " + path);
        return new long[] {start, end};
    }

    /** The trap sites and call sites of {@code f}, read on first use. */
    public List<TrapSite> trapSites(int f) {
        List<TrapSite> t = traps.get(f);
        if (t != null) return t;
        long[] range = trapTable(f);
        long start = range[0], end = range[1];
        checkMeta(start, Math.max(1, end - start));
        byte[] bytes = file.asSlice(metaAt + start, end - start).toArray(ValueLayout.JAVA_BYTE);
        try {
            t = List.copyOf(LinkedFormat.decodeTraps(bytes, 0, codeSize(f), f, functionCount));
        } catch (CorruptObjectException e) {
            throw new DamagedObjectException(path, e.getMessage() + " in " + path);
        }
        traps.put(f, t);
        return t;
    }

    /** The function whose code holds .text offset {@code offset}, or -1 (a stub, filler, outside). */
    public int functionAt(long offset) {
        if (offset < 0 || offset >= codeEnd) return -1;
        int lo = 0, hi = functionCount - 1, found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int probe = mid;
            while (probe >= lo && row(probe, 0) == 0xFFFF_FFFFL) probe--;
            if (probe < lo) {
                lo = mid + 1;
                continue;
            }
            long o = row(probe, 0);
            if (o <= offset) {
                found = probe;
                lo = mid + 1;
            } else {
                hi = probe - 1;
            }
        }
        if (found < 0 || offset >= row(found, 0) + row(found, 1)) return -1;
        return found;
    }

    /** Copies the whole .text into {@code into} (at least {@link #textSize()} bytes), checking every block. */
    public void copyText(byte[] into) {
        MemorySegment.copy(file, ValueLayout.JAVA_BYTE, textAt, into, 0, (int) textSize);
        for (int k = 0; k < textBlocks; k++) {
            if (BlockHash.of(into, k * BlockHash.BLOCK, BlockHash.BLOCK, k) != textDigest(k)) {
                throw new DamagedObjectException(path, "text block " + k + " of " + path + " is damaged");
            }
        }
    }

    /**
     * Checks every text block by reading the file (not through a mapping, so nothing of it becomes
     * resident); throws {@link DamagedObjectException} at the first damaged one.
     */
    public void checkAllText() throws IOException {
        try (FileChannel in = RegularFiles.open(path)) {
            ByteBuffer buf = ByteBuffer.allocate(BlockHash.BLOCK);
            for (int k = 0; k < textBlocks; k++) {
                buf.clear();
                while (buf.hasRemaining()) {
                    if (in.read(buf, textAt + (long) k * BlockHash.BLOCK + buf.position()) < 0) {
                        throw new DamagedObjectException(path, path + " was truncated");
                    }
                }
                if (BlockHash.of(buf.array(), 0, BlockHash.BLOCK, k) != textDigest(k)) {
                    throw new DamagedObjectException(path, "text block " + k + " of " + path + " is damaged");
                }
            }
        }
    }

    /**
     * Checks every metadata block; throws {@link DamagedObjectException} at the first damaged one
     * ({@code kiln cache verify}, and before an object is stored). A run does not: it checks a function's
     * blocks when it binds it ({@link #checkFunction}) and any other block when first read.
     */
    public void checkAllMetadata() throws IOException {
        if (metaEnd <= indexStart) return;
        // read through the file, not the mapping: a 7 MB metadata section costs half the CPU this way (no page
        // faults of a fresh mapping), and nothing of it becomes resident that the run will not read
        try (FileChannel in = RegularFiles.open(path)) {
            ByteBuffer buf = ByteBuffer.allocate(BlockHash.BLOCK);
            for (int k = 0; k < metaBlocks; k++) {
                long from = indexStart + (long) k * BlockHash.BLOCK;
                int len = (int) Math.min(BlockHash.BLOCK, metaEnd - from);
                buf.clear().limit(len);
                while (buf.hasRemaining()) {
                    if (in.read(buf, metaAt + from + buf.position()) < 0) throw new DamagedObjectException(path, path + " was truncated");
                }
                long expected = file.get(ValueLayout.JAVA_LONG_UNALIGNED, metaAt + digestsStart() + 8L * (textBlocks + k));
                if (BlockHash.of(buf.array(), 0, len, textBlocks + k) != expected) {
                    throw new DamagedObjectException(path, "metadata block " + k + " of " + path + " is damaged");
                }
                synchronized (this) {
                    metaChecked[k] = true; // reading it through the mapping later hashes it no more
                }
            }
        }
    }

    /**
     * Maps .text from the file, private, at a fresh address: readable and executable when
     * {@code lazy} is false (check the blocks first with {@link #checkAllText}), else inaccessible
     * until each block is checked and opened (the guard-page handler does it). Returns the address.
     */
    public long mapText(boolean lazy) {
        return PosixMemory.mmapFile(path, textAt, textSize,
                lazy ? PosixMemory.PROT_NONE : PosixMemory.PROT_READ | PosixMemory.PROT_EXEC);
    }

    /** Unmaps the text {@link #mapText} mapped at {@code base}: nothing may run in it any more. */
    public void unmapText(long base) {
        PosixMemory.munmap(base, textSize);
    }

    @Override
    public String toString() {
        return "MappedObject[" + path + ", " + compiledCount + " of " + functionCount + " functions]";
    }
}
