package dev.kiln.linker;

import dev.kiln.ir.code.InlinedCall;
import dev.kiln.ir.code.TrapSite;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The byte format of a mapped cache object (format version {@value #VERSION}; {@link LinkedObjectWriter}
 * writes it, {@link MappedObject} reads it). The ELF file has the same sections as a relocatable kiln
 * object, but {@code .text} starts at file offset {@value #TEXT_ALIGNMENT}, its size is a multiple of
 * {@link BlockHash#BLOCK}, and {@code .rela.text} is empty: calls between the object's functions are
 * resolved, and everything else is reached through the VMContext. Its {@code .kiln.meta}
 * (integers little-endian):
 * <pre>
 *   0   8   magic "KILNMETA"
 *   8   u32 format version 3
 *   12  u32 number of functions with code
 *   16  32  whole-file digest ({@link IntegrityDigest}: SHA-256 of the file with this field zero; checked by
 *           {@code kiln cache verify}, not when the object is loaded)
 *   48  32  header digest: SHA-256 of the ELF header, the section header table and .kiln.meta up to the
 *           function index, with both digest fields zero (checked at every load)
 *   80  32  module hash
 *   112 u16 e_machine, u16 0
 *   116 u32 function count N
 *   120 u32 text blocks TB, u32 metadata blocks MB
 *   128 u32 index start I, u32 trap stream start T (offsets in .kiln.meta)
 *   136 u32 end of code in .text (the rest is filler up to the block boundary), u32 0
 *   144 u32 length + UTF-8 build id, u32 length + UTF-8 options, zeros to a multiple of 8
 *       TB u64: {@link BlockHash} of each 64 KiB block of .text (block k with seed k)
 *       MB u64: {@link BlockHash} of each 64 KiB block of .kiln.meta from I on (block k with seed TB + k)
 *   I   N rows of 4 u32: .text offset (0xFFFFFFFF: no code), size, frame size, offset of its traps from T
 *   T   per function with code: LEB128 count, then per site LEB128 zigzag(code offset - previous),
 *       LEB128 trap kind code (0: a call's return address; TrapSite.DISPATCH_BASE + offset: one with an exception dispatch), LEB128 zigzag(wasm offset - previous),
 *       LEB128 number K of inlined frames around the site, then K pairs (innermost first) of LEB128 function index, LEB128 the call's wasm offset in its caller
 * </pre>
 * Version 2 had no inlined frames.
 * Loading reads the headers only; a function's row and traps are read (and their metadata block
 * checked) when first needed, a text block is checked before it first runs.
 */
public final class LinkedFormat {
    public static final int VERSION = 3;
    /** File offset of .text: aligned for mapping it on any page size. */
    public static final int TEXT_ALIGNMENT = BlockHash.BLOCK;
    static final int WHOLE_DIGEST = 16;
    static final int HEADER_DIGEST = 48;
    static final int MODULE_HASH = 80;
    static final int FIXED = 144;
    static final int ROW = 16;
    static final int NO_CODE = -1;

    private LinkedFormat() {
    }

    static byte[] encodeMeta(BuildIdentity identity, int n, byte[] text, int[] textOffset, int[] size, int[] frame,
                             List<List<TrapSite>> traps) {
        int textBlocks = text.length / BlockHash.BLOCK;
        LittleEndianOutput stream = new LittleEndianOutput();
        int[] trapOffset = new int[n];
        int compiled = 0;
        long codeEnd = 0;
        for (int f = 0; f < n; f++) {
            if (textOffset[f] < 0) continue;
            compiled++;
            codeEnd = Math.max(codeEnd, (long) textOffset[f] + size[f]);
            trapOffset[f] = stream.size();
            List<TrapSite> sites = traps.get(f);
            leb(stream, sites.size());
            long prevCode = 0, prevWasm = 0;
            for (TrapSite t : sites) {
                leb(stream, zigzag(t.codeOffset() - prevCode));
                leb(stream, t.kindField());
                leb(stream, zigzag(t.wasmOffset() - prevWasm));
                leb(stream, t.inlined().size());
                for (InlinedCall c : t.inlined()) {
                    leb(stream, c.funcIndex());
                    leb(stream, c.callOffset());
                }
                prevCode = t.codeOffset();
                prevWasm = t.wasmOffset();
            }
        }
        LittleEndianOutput head = new LittleEndianOutput();
        byte[] build = identity.buildId().getBytes(StandardCharsets.UTF_8);
        byte[] options = identity.options().getBytes(StandardCharsets.UTF_8);
        int headerBytes = FIXED + 8 + build.length + options.length;
        headerBytes = (headerBytes + 7) & ~7;
        int indexBytes = n * ROW;
        int tail = indexBytes + stream.size();
        int metaBlocks = (tail + BlockHash.BLOCK - 1) / BlockHash.BLOCK;
        int indexStart = headerBytes + 8 * (textBlocks + metaBlocks);
        int trapsStart = indexStart + indexBytes;

        head.bytes(MetaSection.MAGIC).u32(VERSION).u32(compiled).bytes(new byte[32]).bytes(new byte[32]).bytes(identity.moduleHash());
        head.u16(identity.target().elfMachine).u16(0).u32(n).u32(textBlocks).u32(metaBlocks).u32(indexStart).u32(trapsStart)
                .u32(codeEnd).u32(0);
        head.utf8(identity.buildId(), "build id").utf8(identity.options(), "options").padTo(8);
        for (int k = 0; k < textBlocks; k++) head.u64(BlockHash.of(text, k * BlockHash.BLOCK, BlockHash.BLOCK, k));
        LittleEndianOutput rest = new LittleEndianOutput();
        for (int f = 0; f < n; f++) {
            if (textOffset[f] < 0) rest.u32(0xFFFFFFFFL).u32(0).u32(0).u32(0);
            else rest.u32(textOffset[f]).u32(size[f]).u32(frame[f]).u32(trapOffset[f]);
        }
        rest.bytes(stream.toByteArray());
        byte[] tailBytes = rest.toByteArray();
        for (int k = 0; k < metaBlocks; k++) {
            int from = k * BlockHash.BLOCK;
            head.u64(BlockHash.of(tailBytes, from, Math.min(BlockHash.BLOCK, tailBytes.length - from), textBlocks + k));
        }
        if (head.size() != indexStart) throw new IllegalStateException("metadata header is " + head.size() + " bytes, expected " + indexStart);
        head.bytes(tailBytes);
        return head.toByteArray();
    }

    /** Writes the header digest, then the whole-file digest, into the meta section at {@code metaAt}. */
    static void seal(byte[] file, int metaAt, int shoff) {
        int indexStart = (int) u32(file, metaAt + 128);
        byte[] d = headerDigest(file, metaAt, indexStart, shoff, file.length - shoff);
        System.arraycopy(d, 0, file, metaAt + HEADER_DIGEST, 32);
        IntegrityDigest.seal(file, metaAt + WHOLE_DIGEST);
    }

    /** SHA-256 of the ELF header, the section headers and meta[0, indexStart) with both digests as zeros. */
    static byte[] headerDigest(byte[] header64, byte[] sectionHeaders, byte[] metaHead) {
        MessageDigest sha = BuildIdentity.newSha256();
        sha.update(header64);
        sha.update(sectionHeaders);
        sha.update(metaHead, 0, WHOLE_DIGEST);
        sha.update(new byte[64]);
        sha.update(metaHead, HEADER_DIGEST + 32, metaHead.length - HEADER_DIGEST - 32);
        return sha.digest();
    }

    private static byte[] headerDigest(byte[] file, int metaAt, int indexStart, int shoff, int shBytes) {
        return headerDigest(Arrays.copyOfRange(file, 0, 64), Arrays.copyOfRange(file, shoff, shoff + shBytes),
                Arrays.copyOfRange(file, metaAt, metaAt + indexStart));
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private static void leb(LittleEndianOutput out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.u8((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.u8((int) v);
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    /** Decodes one function's trap stream at {@code at} of {@code bytes}; checks each site against {@code size}. */
    static List<TrapSite> decodeTraps(byte[] bytes, int at, int size, int funcIndex, int functionCount) throws CorruptObjectException {
        int[] pos = {at};
        long count = readLeb(bytes, pos);
        if (count > (bytes.length - pos[0]) / 4 + 1) throw new CorruptObjectException("function " + funcIndex + " claims " + count + " trap sites");
        List<TrapSite> out = new ArrayList<>((int) count);
        long code = 0, wasm = 0;
        for (long i = 0; i < count; i++) {
            code += unzigzag(readLeb(bytes, pos));
            long kindCode = readLeb(bytes, pos);
            wasm += unzigzag(readLeb(bytes, pos));
            if (code < 0 || code > size || wasm < 0 || wasm > Integer.MAX_VALUE) {
                throw new CorruptObjectException("function " + funcIndex + " has a trap site outside its code (offset " + code + ")");
            }
            TrapSite site = TrapSite.decode((int) code, kindCode, (int) wasm);
            if (site == null) throw new CorruptObjectException("function " + funcIndex + " has a trap site of unknown kind " + kindCode);
            if (site.dispatchOffset() > size) {
                throw new CorruptObjectException("function " + funcIndex + " has an exception dispatch outside its code (offset " + site.dispatchOffset() + ")");
            }
            long inlinedCount = readLeb(bytes, pos);
            if (inlinedCount > (bytes.length - pos[0]) / 2) throw new CorruptObjectException("function " + funcIndex + " claims " + inlinedCount + " inlined frames");
            List<InlinedCall> inlined = new ArrayList<>((int) inlinedCount);
            for (long k = 0; k < inlinedCount; k++) {
                long callee = readLeb(bytes, pos);
                long callOffset = readLeb(bytes, pos);
                if (callee >= functionCount || callOffset > Integer.MAX_VALUE) {
                    throw new CorruptObjectException("function " + funcIndex + " has a trap site in inlined function " + callee
                            + " at offset " + callOffset + ", outside the module");
                }
                inlined.add(new InlinedCall((int) callee, (int) callOffset));
            }
            out.add(site.withInlined(inlined));
        }
        return out;
    }

    private static long readLeb(byte[] b, int[] pos) throws CorruptObjectException {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (pos[0] >= b.length) throw new CorruptObjectException("trap table runs past the end of .kiln.meta");
            int x = b[pos[0]++] & 0xff;
            v |= (long) (x & 0x7f) << shift;
            if ((x & 0x80) == 0) return v;
        }
        throw new CorruptObjectException("malformed LEB128 in the trap table");
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }
}
