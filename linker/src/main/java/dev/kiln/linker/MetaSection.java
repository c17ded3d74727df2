package dev.kiln.linker;

import dev.kiln.ir.TrapKind;
import dev.kiln.ir.code.InlinedCall;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Target;
import dev.kiln.ir.code.TrapSite;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The byte format of the {@code .kiln.meta} section (all integers little-endian):
 * <pre>
 *   0  8   magic "KILNMETA"
 *   8  u32 format version ({@value #FORMAT_VERSION})
 *  12  u32 reserved, 0
 *  16  32  integrity digest ({@link IntegrityDigest})
 *  48  32  module hash (SHA-256 of the module bytes)
 *  80  u16 e_machine of the target, u16 reserved 0
 *  84  u32 function count N
 *  88  u32 length + UTF-8: compiler build id
 *      u32 length + UTF-8: options
 *      zero padding to a multiple of 4
 *      function index, N rows of 6 u32: flags (bit 0: compiled), symbol index in .symtab,
 *          .text offset, size, frame size, trap count (all 0 for a function without code)
 *      trap table: for each compiled function in index order, its trap count rows of 4 u32:
 *          code offset, trap kind code ({@link TrapKind#code}; 0 a call site, {@link TrapSite#DISPATCH_BASE} + offset one with an exception dispatch), wasm offset,
 *          number K of inlined frames around the site, then K pairs of u32 (innermost first): function index, the call's wasm offset in its caller
 * </pre>
 * Version 1 had rows of 3 u32 (no inlined frames); versions 2 and 3 are the mapped cache object's
 * ({@link LinkedFormat}: a cache lookup tells the two apart by this field), so the next is 4.
 */
final class MetaSection {
    static final int FORMAT_VERSION = 4;
    static final byte[] MAGIC = "KILNMETA".getBytes(StandardCharsets.US_ASCII);
    /** Offset of the integrity digest inside the section. */
    static final int DIGEST_OFFSET = 16;
    static final int INDEX_ROW_SIZE = 24;
    static final int TRAP_ROW_SIZE = 16;
    private static final int INLINED_FRAME_SIZE = 8;
    private static final int FLAG_COMPILED = 1;

    private MetaSection() {
    }

    /** One decoded index row, before it is checked against the symbol table. */
    record Row(int funcIndex, boolean compiled, int symbolIndex, long textOffset, long size, int frameSize,
               List<TrapSite> trapSites, int fileOffset) {
    }

    /** The decoded section. */
    record Decoded(int formatVersion, BuildIdentity identity, List<Row> rows) {
    }

    /**
     * Encodes the section with a zero digest. {@code functions} are in .text order; {@code textOffsets}
     * and {@code symbolIndices} are parallel to them.
     */
    static byte[] encode(BuildIdentity identity, int functionCount, List<MachineCode> functions,
                         long[] textOffsets, int[] symbolIndices) {
        int[] slot = new int[functionCount];
        Arrays.fill(slot, -1);
        for (int i = 0; i < functions.size(); i++) slot[functions.get(i).funcIndex()] = i;

        LittleEndianOutput out = new LittleEndianOutput();
        out.bytes(MAGIC).u32(FORMAT_VERSION).u32(0).bytes(new byte[IntegrityDigest.LENGTH]).bytes(identity.moduleHash());
        out.u16(identity.target().elfMachine).u16(0).u32(functionCount);
        out.utf8(identity.buildId(), "build id").utf8(identity.options(), "options").padTo(4);
        for (int f = 0; f < functionCount; f++) {
            int i = slot[f];
            if (i < 0) {
                out.u32(0).u32(0).u32(0).u32(0).u32(0).u32(0);
            } else {
                MachineCode m = functions.get(i);
                out.u32(FLAG_COMPILED).u32(symbolIndices[i]).u32(textOffsets[i]).u32(m.code().length)
                        .u32(m.frameSize()).u32(m.trapSites().size());
            }
        }
        for (int f = 0; f < functionCount; f++) {
            int i = slot[f];
            if (i < 0) continue;
            for (TrapSite t : functions.get(i).trapSites()) {
                out.u32(t.codeOffset()).u32(t.kindField()).u32(t.wasmOffset()); // 0: a call site; DISPATCH_BASE up: one with handlers
                out.u32(t.inlined().size());
                for (InlinedCall c : t.inlined()) out.u32(c.funcIndex()).u32(c.callOffset());
            }
        }
        return out.toByteArray();
    }

    /** Decodes and checks the section's own consistency; cross-checks with symbols are the reader's. */
    static Decoded decode(byte[] file, int start, int end, int elfMachine) throws CorruptObjectException {
        LittleEndianInput in = new LittleEndianInput(file, ".kiln.meta", start, end);
        int magicAt = in.position();
        byte[] magic = in.bytes(MAGIC.length, "magic");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new CorruptObjectException(".kiln.meta does not start with KILNMETA", magicAt);
        }
        int versionAt = in.position();
        long version = in.u32("format version");
        if (version != FORMAT_VERSION) {
            throw new CorruptObjectException(".kiln.meta format version " + version + " is not supported (this reader knows "
                    + FORMAT_VERSION + ")", versionAt);
        }
        in.expectU32(0, ".kiln.meta reserved word");
        in.bytes(IntegrityDigest.LENGTH, "integrity digest");
        byte[] moduleHash = in.bytes(BuildIdentity.MODULE_HASH_LENGTH, "module hash");
        int machineAt = in.position();
        int machine = in.u16("target machine");
        if (machine != elfMachine) {
            throw new CorruptObjectException(".kiln.meta target machine " + machine + " differs from e_machine " + elfMachine, machineAt);
        }
        Target target = targetOf(machine, machineAt);
        int reservedAt = in.position();
        if (in.u16("reserved") != 0) throw new CorruptObjectException("nonzero .kiln.meta reserved half-word", reservedAt);
        int countAt = in.position();
        long count = in.u32("function count");
        String buildId = in.utf8("build id");
        String options = in.utf8("options");
        in.zeroPadding(4, "padding after options");
        if (count > in.remaining() / INDEX_ROW_SIZE) {
            throw new CorruptObjectException("function count " + count + " needs more than the " + in.remaining()
                    + " bytes left in .kiln.meta", countAt);
        }
        List<Row> partial = new ArrayList<>((int) count);
        long[] trapCounts = new long[(int) count];
        for (int f = 0; f < count; f++) {
            int rowAt = in.position();
            long flags = in.u32("function flags");
            int symbol = in.u32AsInt("symbol index");
            long offset = in.u32("text offset");
            long size = in.u32("function size");
            int frame = in.u32AsInt("frame size");
            long traps = in.u32("trap count");
            if (flags != 0 && flags != FLAG_COMPILED) {
                throw new CorruptObjectException("function " + f + " has unknown flags 0x" + Long.toHexString(flags), rowAt);
            }
            boolean compiled = flags == FLAG_COMPILED;
            if (!compiled && (symbol | offset | size | frame | traps) != 0) {
                throw new CorruptObjectException("function " + f + " is not compiled but has a nonzero index row", rowAt);
            }
            trapCounts[f] = traps;
            partial.add(new Row(f, compiled, symbol, offset, size, frame, List.of(), rowAt));
        }
        List<Row> rows = new ArrayList<>(partial.size());
        for (Row r : partial) {
            long traps = trapCounts[r.funcIndex()];
            if (traps > in.remaining() / TRAP_ROW_SIZE) {
                throw new CorruptObjectException("function " + r.funcIndex() + " has " + traps + " trap sites, more than the "
                        + in.remaining() + " bytes left in .kiln.meta hold", r.fileOffset());
            }
            List<TrapSite> sites = new ArrayList<>((int) traps);
            for (int t = 0; t < traps; t++) {
                int siteAt = in.position();
                long codeOffset = in.u32("trap code offset");
                long kindCode = in.u32("trap kind");
                int wasmOffset = in.u32AsInt("trap wasm offset");
                int inlinedAt = in.position();
                long inlinedCount = in.u32("inlined frame count");
                if (inlinedCount > in.remaining() / INLINED_FRAME_SIZE) {
                    throw new CorruptObjectException("trap site " + t + " of function " + r.funcIndex() + " claims " + inlinedCount
                            + " inlined frames, more than the " + in.remaining() + " bytes left in .kiln.meta hold", inlinedAt);
                }
                List<InlinedCall> inlined = new ArrayList<>((int) inlinedCount);
                for (long k = 0; k < inlinedCount; k++) {
                    int frameAt = in.position();
                    long callee = in.u32("inlined function index");
                    int callOffset = in.u32AsInt("inlined call offset");
                    if (callee >= count) {
                        throw new CorruptObjectException("trap site " + t + " of function " + r.funcIndex() + " names inlined function "
                                + callee + " of " + count, frameAt);
                    }
                    inlined.add(new InlinedCall((int) callee, callOffset));
                }
                if (codeOffset > r.size()) {
                    throw new CorruptObjectException("trap site " + t + " of function " + r.funcIndex() + " at code offset "
                            + codeOffset + " is past the function's " + r.size() + " bytes", siteAt);
                }
                TrapSite site = TrapSite.decode((int) codeOffset, kindCode, wasmOffset); // 0 marks a call site
                if (site == null || site.dispatchOffset() > r.size()) {
                    throw new CorruptObjectException("trap site " + t + " of function " + r.funcIndex() + " has unknown trap kind "
                            + kindCode, siteAt + 4);
                }
                sites.add(site.withInlined(inlined));
            }
            rows.add(new Row(r.funcIndex(), r.compiled(), r.symbolIndex(), r.textOffset(), r.size(), r.frameSize(),
                    List.copyOf(sites), r.fileOffset()));
        }
        in.expectEnd();
        BuildIdentity identity;
        try {
            identity = new BuildIdentity(moduleHash, buildId, target, options);
        } catch (IllegalArgumentException e) {
            throw new CorruptObjectException(".kiln.meta identity is invalid: " + e.getMessage(), start);
        }
        return new Decoded((int) version, identity, rows);
    }

    static Target targetOf(int machine, int at) throws CorruptObjectException {
        for (Target t : Target.values()) {
            if (t.elfMachine == machine) return t;
        }
        throw new CorruptObjectException("machine " + machine + " is not a kiln target", at);
    }
}
