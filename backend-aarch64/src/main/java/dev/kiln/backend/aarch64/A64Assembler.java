package dev.kiln.backend.aarch64;

import dev.kiln.ir.code.Relocation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Assembles the A64 code of one function. The instruction methods come from the family interfaces
 * ({@link ArithmeticInstructions}, {@link BitwiseInstructions}, {@link ConditionalInstructions},
 * {@link MemoryInstructions}, {@link FloatingPointInstructions}); this class adds what needs state:
 * labels and branches, references to external symbols (recorded as relocations), the literal pool,
 * and listing.
 *
 * <p><b>Ranges.</b> Forward B.cond/CBZ/CBNZ (±1 MiB) and TBZ/TBNZ (±32 KiB) branches always work:
 * when a label stays unbound long enough for such a branch to go out of range, the assembler
 * emits an <i>island</i> ({@code b over; veneers: b label...; literals; over:}) before it does, and
 * redirects the branch to a veneer. A backward conditional branch out of range is emitted as the
 * inverted branch over a B. LDR (literal) constants go to a pool after the function, or to an
 * island when the function grows past 1 MiB. ADR and LDR to user labels (±1 MiB) and B/BL
 * (±128 MiB) are range-checked: beyond range, {@link #bind} throws {@link IllegalStateException}.
 * Use {@link #ensureContiguous} around code that must not be split (e.g. a jump table).
 *
 * <p><b>Offsets.</b> Code is emitted in final position: {@link #offset()} is the exact offset of
 * the next instruction (it first emits an island if one is due), and a bound {@link Label} keeps
 * its offset.
 *
 * <p><b>Listing.</b> With listing on, every instruction and datum gets a {@link ListingLine} whose
 * text is what {@code aarch64-linux-gnu-objdump -d} prints for it, alias choices included.
 */
public final class A64Assembler implements ArithmeticInstructions, BitwiseInstructions, ConditionalInstructions,
        MemoryInstructions, FloatingPointInstructions, SimdInstructions {
    /** The largest region {@link #ensureContiguous} keeps free of islands: half the reach of {@code B}. */
    public static final int MAX_CONTIGUOUS = 64 << 20;


    private record ListingEntry(int offset, int size, Supplier<String> text, boolean data) {
    }

    private record PendingRelocation(A64RelocationType type, String symbol, long addend) {
    }

    private final boolean listing;
    private final CodeBuffer code = new CodeBuffer();
    private final List<Relocation> relocations = new ArrayList<>();
    private final List<ListingEntry> listingEntries = new ArrayList<>();
    private final Set<Label> referencedUnbound = new LinkedHashSet<>();
    private final LiteralPool pool = new LiteralPool();
    private final IslandPlanner planner = new IslandPlanner();
    private long islandCheckAt = Long.MAX_VALUE;
    private int contiguousUntil;
    private boolean inIsland;
    private boolean finished;
    private int labelCount;
    private PendingRelocation relocationForNext;

    /** An assembler without listing. */
    public A64Assembler() {
        this(false);
    }

    /** An assembler that records a listing when {@code listing} is true. */
    public A64Assembler(boolean listing) {
        this.listing = listing;
    }

    /** True when this assembler records a listing. */
    public boolean isListing() {
        return listing;
    }

    // ------------------------------------------------------------------ emission core

    /**
     * Appends one raw instruction word; {@code listingText} (may be null: {@code .inst 0x...}) gives
     * its listing line. The instruction methods all end here.
     */
    @Override
    public void emit(int word, Supplier<String> listingText) {
        beforeInstruction();
        put(word, listingText);
    }

    /**
     * The offset of the next instruction. If an island is due it is emitted first, so the value
     * stays exact; record trap sites and other positions with it (or with a bound {@link Label}).
     */
    public int offset() {
        beforeInstruction();
        return code.size();
    }

    /**
     * Guarantees that the next {@code bytes} bytes of code are emitted without an island in
     * between (emitting one now if it would otherwise fall inside). For jump tables and other
     * sequences whose layout is assumed. That island serves every short-range reference that would
     * expire inside the region, so a region may hold only instructions whose own references reach
     * past it: a br_table's {@code B} instructions (±128 MiB). Hence the bound {@link #MAX_CONTIGUOUS}
     * (Wasm's usual 7.6 MB function-body limit allows a table of about 31 MB).
     */
    public void ensureContiguous(int bytes) {
        if (bytes < 0 || bytes > MAX_CONTIGUOUS) {
            throw new IllegalArgumentException("contiguous region of " + bytes + " bytes is not supported");
        }
        checkNotFinished();
        if (!inIsland) {
            // islandCheckAt never exceeds the planner's latest start, so below it no island can be due
            // (and the O(pending) purge is skipped: callers may ask before every call instruction)
            if (code.size() + (long) bytes > islandCheckAt) {
                planner.purge();
                if (code.size() + (long) bytes > planner.latestStart(pool)) {
                    emitIsland(false, code.size() + (long) bytes);
                }
                islandCheckAt = planner.latestStart(pool);
            }
            contiguousUntil = Math.max(contiguousUntil, code.size() + bytes);
        }
    }

    private void beforeInstruction() {
        checkNotFinished();
        if (!inIsland && code.size() + 4 > islandCheckAt && code.size() >= contiguousUntil) {
            planner.purge();
            if (code.size() + 4 > planner.latestStart(pool)) {
                emitIsland(false);
            }
            islandCheckAt = planner.latestStart(pool);
        }
    }

    private void checkNotFinished() {
        if (finished) {
            throw new IllegalStateException("the assembler has finished; use a new one");
        }
    }

    private void put(int word, Supplier<String> listingText) {
        int at = code.size();
        code.putInt(word);
        Supplier<String> text = listingText != null ? listingText : () -> String.format(".inst\t0x%08x", word);
        Supplier<String> lineText = text;
        if (relocationForNext != null && !inIsland) {
            PendingRelocation r = relocationForNext;
            relocationForNext = null;
            relocations.add(new Relocation(at, r.type().number, r.symbol(), r.addend()));
            if (listing) {
                lineText = () -> text.get() + "\t// " + relocationText(r.type(), r.symbol(), r.addend());
            }
        }
        if (listing) {
            listingEntries.add(new ListingEntry(at, 4, lineText, false));
        }
    }

    private void putData(int bytes, long value, String comment) {
        int at = code.size();
        if (bytes == 8) {
            code.putLong(value);
        } else {
            code.putInt((int) value);
        }
        if (listing) {
            String text = (bytes == 8 ? ".xword\t0x" + String.format("%016x", value)
                    : ".word\t0x" + String.format("%08x", value & 0xFFFF_FFFFL)) + (comment == null ? "" : "\t// " + comment);
            listingEntries.add(new ListingEntry(at, bytes, () -> text, true));
        }
    }

    private static String relocationText(A64RelocationType type, String symbol, long addend) {
        return type.elfName() + " " + symbol + (addend == 0 ? "" : (addend > 0 ? "+0x" : "-0x") + Long.toHexString(Math.abs(addend)));
    }

    /** Runs {@code instruction}, which must emit exactly one instruction, and records a relocation at it. */
    private void withRelocation(A64RelocationType type, String symbol, long addend, Runnable instruction) {
        if (symbol == null || symbol.isEmpty()) {
            throw new IllegalArgumentException("symbol name must not be empty");
        }
        relocationForNext = new PendingRelocation(type, symbol, addend);
        try {
            instruction.run();
        } finally {
            relocationForNext = null;
        }
    }

    // ------------------------------------------------------------------ labels

    /** A new unbound label of this assembler. */
    public Label newLabel() {
        return new Label(this, labelCount++);
    }

    /** Binds {@code label} to the offset of the next instruction and patches the references waiting for it. */
    public void bind(Label label) {
        checkOwner(label);
        if (!inIsland) {
            beforeInstruction();
        }
        label.bindAt(code.size());
        for (LabelUse use : label.pendingUses) {
            if (!use.done) {
                patch(use.offset, use.op, code.size());
                use.done = true;
            }
        }
        label.pendingUses.clear();
        referencedUnbound.remove(label);
    }

    /** A new label bound here. */
    public Label here() {
        Label label = newLabel();
        bind(label);
        return label;
    }

    private void checkOwner(Label label) {
        if (label.owner() != this) {
            throw new IllegalArgumentException(label + " belongs to another assembler");
        }
    }

    private void patch(int at, PcRelativeOp op, int target) {
        long displacement = target - (long) at;
        if (!op.field.fits(displacement)) {
            throw new IllegalStateException(op.name().toLowerCase() + " at 0x" + Integer.toHexString(at)
                    + " cannot reach 0x" + Integer.toHexString(target) + ": the distance " + displacement
                    + " does not fit " + op.field.describe());
        }
        code.setInt(at, op.field.insert(code.getInt(at), displacement));
    }

    /** Emits a PC-relative instruction with displacement 0, listing it from its final word. */
    private void putPcRelative(PcRelativeOp op, int word) {
        int at = code.size();
        put(word, listing ? () -> op.text(code.getInt(at), at) : null);
    }

    private void emitPcRelative(PcRelativeOp op, int operandBits, Label target) {
        checkOwner(target);
        beforeInstruction();
        int word = op.fixed | operandBits;
        if (target.isBound()) {
            long displacement = target.offset() - (long) code.size();
            if (op.field.fits(displacement)) {
                putPcRelative(op, op.field.insert(word, displacement));
            } else if (op.isConditionalBranch()) {
                ensureContiguous(8);
                putPcRelative(op, op.field.insert(op.invert(word), 8));
                emitPcRelative(PcRelativeOp.B, 0, target);
            } else {
                patchFailure(op, target, displacement);
            }
            return;
        }
        LabelUse use = new LabelUse(code.size(), op, target);
        putPcRelative(op, word);
        target.pendingUses.add(use);
        referencedUnbound.add(target);
        if (op.isConditionalBranch() && !inIsland) {
            planner.addVeneerCandidate(use);
            islandCheckAt = Math.min(islandCheckAt, planner.latestStart(pool));
        }
    }

    private void patchFailure(PcRelativeOp op, Label target, long displacement) {
        throw new IllegalStateException(op.name().toLowerCase() + " at 0x" + Integer.toHexString(code.size())
                + " cannot reach " + target + ": the distance " + displacement + " does not fit " + op.field.describe());
    }

    // ------------------------------------------------------------------ islands and the literal pool

    private void emitIsland(boolean atEnd) {
        emitIsland(atEnd, code.size());
    }

    /** Emits an island now; every reference that could not wait past {@code regionEnd} gets its veneer in it. */
    private void emitIsland(boolean atEnd, long regionEnd) {
        List<LabelUse> veneerUses = planner.takeVeneerCandidates(code.size(), regionEnd);
        if (veneerUses.isEmpty() && pool.isEmpty()) {
            return;
        }
        inIsland = true;
        try {
            Label over = atEnd ? null : newLabel();
            if (over != null) {
                emitPcRelative(PcRelativeOp.B, 0, over);
            }
            Map<Label, List<LabelUse>> byLabel = new LinkedHashMap<>();
            for (LabelUse use : veneerUses) {
                byLabel.computeIfAbsent(use.label, k -> new ArrayList<>()).add(use);
            }
            for (Map.Entry<Label, List<LabelUse>> e : byLabel.entrySet()) {
                int veneer = code.size();
                emitPcRelative(PcRelativeOp.B, 0, e.getKey());
                for (LabelUse use : e.getValue()) {
                    patch(use.offset, use.op, veneer);
                    use.done = true;
                }
            }
            if (!pool.isEmpty()) {
                for (Map.Entry<LiteralPool.Literal, List<Integer>> e : pool.takePending()) {
                    LiteralPool.Literal literal = e.getKey();
                    while (code.size() % literal.bytes() != 0) {
                        putData(4, 0, "padding");
                    }
                    int at = code.size();
                    String comment = null;
                    if (literal.symbol() != null) {
                        relocations.add(new Relocation(at, A64RelocationType.ABS64.number, literal.symbol(), literal.addend()));
                        comment = relocationText(A64RelocationType.ABS64, literal.symbol(), literal.addend());
                    }
                    if (literal.bytes() == 16) {
                        putData(8, literal.bits(), comment);
                        putData(8, literal.high(), null);
                    } else {
                        putData(literal.bytes(), literal.bits(), comment);
                    }
                    for (int use : e.getValue()) {
                        patch(use, PcRelativeOp.LDR_X_LITERAL, at);
                    }
                    pool.markPlaced(literal, at);
                }
            }
            if (over != null) {
                bind(over);
            }
        } finally {
            inIsland = false;
        }
    }

    private void loadLiteral(A64Register rt, PcRelativeOp op, LiteralPool.Literal literal) {
        beforeInstruction();
        int at = code.size();
        int placed = pool.placedWithinReach(literal, at);
        int word = op.fixed | rt.number();
        if (placed >= 0) {
            putPcRelative(op, op.field.insert(word, placed - (long) at));
            return;
        }
        putPcRelative(op, word);
        pool.addUse(literal, at);
        islandCheckAt = Math.min(islandCheckAt, planner.latestStart(pool));
    }

    /**
     * {@code ldr rt, =bits}: loads a constant from this function's literal pool (4 bytes for W and
     * S registers, 8 for X and D). Equal constants share a slot.
     */
    public void ldrLiteral(A64Register rt, long bits) {
        LoadStoreOp op = LoadStoreOp.load(rt);
        op.checkRegister(rt);
        int bytes = op.accessBytes();
        if (bytes != 4 && bytes != 8) {
            throw new IllegalArgumentException("literal pool constants are 4 or 8 bytes; " + rt + " takes " + bytes);
        }
        long value = bytes == 4 ? bits & 0xFFFF_FFFFL : bits;
        loadLiteral(rt, PcRelativeOp.literalLoad(op), new LiteralPool.Literal(bytes, value, null, 0));
    }

    /**
     * {@code ldr qt, =(high:low)}: a 128-bit constant from this function's literal pool (16-byte
     * aligned; equal constants share a slot). {@code low} is bits 0-63, lane 0 first.
     */
    public void ldrLiteral128(VectorRegister qt, long low, long high) {
        if (qt.number() != qt.as(VectorShape.Q).number() || qt.shape() != VectorShape.Q) {
            throw new IllegalArgumentException("ldrLiteral128 loads a q register, not " + qt);
        }
        loadLiteral(qt, PcRelativeOp.LDR_Q_LITERAL, new LiteralPool.Literal(16, low, high, null, 0));
    }

    /** {@code ldr xt, =symbol+addend}: the symbol's address from the literal pool (an R_AARCH64_ABS64 slot). */
    public void ldrLiteralAddress(GeneralRegister xt, String symbol, long addend) {
        xt.require64("ldr (literal address)");
        if (symbol == null || symbol.isEmpty()) {
            throw new IllegalArgumentException("symbol name must not be empty");
        }
        LoadStoreOp.LDR_X.checkRegister(xt);
        loadLiteral(xt, PcRelativeOp.LDR_X_LITERAL, new LiteralPool.Literal(8, 0, symbol, addend));
    }

    /**
     * Puts a floating-point constant (raw bits; the low 32 for an S register) in {@code rd} the
     * cheapest way: FMOV from the zero register for +0.0, FMOV (immediate) when encodable, else
     * a literal-pool load.
     */
    public void movFloat(VectorRegister rd, long bits) {
        boolean single = switch (rd.shape()) {
            case S -> true;
            case D -> false;
            default -> throw new IllegalArgumentException("movFloat: " + rd + " must be an S or D register");
        };
        long value = single ? bits & 0xFFFF_FFFFL : bits;
        if (value == 0) {
            fmov(rd, single ? GeneralRegister.WZR : GeneralRegister.XZR);
            return;
        }
        int imm8 = single ? FloatImmediate.encodeFloat((int) value) : FloatImmediate.encodeDouble(value);
        if (imm8 >= 0) {
            FloatImmediate.emit(this, rd, imm8);
        } else {
            ldrLiteral(rd, value);
        }
    }

    /** {@code ldr rt, label}: loads from a labelled position in this function's code (±1 MiB). */
    public void ldr(A64Register rt, Label label) {
        LoadStoreOp op = LoadStoreOp.load(rt);
        int t = op.checkRegister(rt);
        emitPcRelative(PcRelativeOp.literalLoad(op), t, label);
    }

    /** {@code ldrsw xt, label}: loads and sign-extends a word at a labelled position (±1 MiB). */
    public void ldrsw(GeneralRegister xt, Label label) {
        int t = LoadStoreOp.LDRSW.checkRegister(xt);
        emitPcRelative(PcRelativeOp.LDRSW_LITERAL, t, label);
    }

    // ------------------------------------------------------------------ branches

    /** {@code b label}: ±128 MiB. */
    public void b(Label label) {
        emitPcRelative(PcRelativeOp.B, 0, label);
    }

    /** {@code bl label}: call within the function's code, ±128 MiB. */
    public void bl(Label label) {
        emitPcRelative(PcRelativeOp.BL, 0, label);
    }

    /** {@code b.cond label}; relaxed automatically when out of ±1 MiB. */
    public void b(Condition cond, Label label) {
        emitPcRelative(PcRelativeOp.B_COND, cond.code(), label);
    }

    /** {@code cbz rt, label}: branch if rt (W or X) is zero; relaxed automatically. */
    public void cbz(GeneralRegister rt, Label label) {
        emitPcRelative(PcRelativeOp.CBZ, compareOperands("cbz", rt), label);
    }

    /** {@code cbnz rt, label}: branch if rt (W or X) is not zero; relaxed automatically. */
    public void cbnz(GeneralRegister rt, Label label) {
        emitPcRelative(PcRelativeOp.CBNZ, compareOperands("cbnz", rt), label);
    }

    /** {@code tbz rt, #bit, label}: branch if the bit is zero (bit below rt's width); relaxed automatically. */
    public void tbz(GeneralRegister rt, int bit, Label label) {
        emitPcRelative(PcRelativeOp.TBZ, testOperands("tbz", rt, bit), label);
    }

    /** {@code tbnz rt, #bit, label}: branch if the bit is one; relaxed automatically. */
    public void tbnz(GeneralRegister rt, int bit, Label label) {
        emitPcRelative(PcRelativeOp.TBNZ, testOperands("tbnz", rt, bit), label);
    }

    private static int compareOperands(String what, GeneralRegister rt) {
        return rt.sfBit() | rt.encodeZrOperand(what);
    }

    private static int testOperands(String what, GeneralRegister rt, int bit) {
        Immediates.inRange(what + " bit", bit, 0, rt.width() - 1);
        return (bit >> 5) << 31 | (bit & 31) << 19 | rt.encodeZrOperand(what);
    }

    /** {@code bl symbol}: a call to an external symbol (R_AARCH64_CALL26). */
    public void bl(String symbol) {
        bl(symbol, 0);
    }

    /** {@code bl symbol+addend} (R_AARCH64_CALL26). */
    public void bl(String symbol, long addend) {
        withRelocation(A64RelocationType.CALL26, symbol, addend, () -> emitPcRelativeToSymbol(PcRelativeOp.BL, 0));
    }

    /** {@code b symbol}: a tail call or jump to an external symbol (R_AARCH64_JUMP26). */
    public void b(String symbol) {
        b(symbol, 0);
    }

    /** {@code b symbol+addend} (R_AARCH64_JUMP26). */
    public void b(String symbol, long addend) {
        withRelocation(A64RelocationType.JUMP26, symbol, addend, () -> emitPcRelativeToSymbol(PcRelativeOp.B, 0));
    }

    private void emitPcRelativeToSymbol(PcRelativeOp op, int operandBits) {
        beforeInstruction();
        putPcRelative(op, op.fixed | operandBits);
    }

    /** {@code br xn}: jump to the address in xn. */
    public void br(GeneralRegister xn) {
        BranchRegisterOp.BR.emit(this, xn);
    }

    /** {@code blr xn}: call the address in xn. */
    public void blr(GeneralRegister xn) {
        BranchRegisterOp.BLR.emit(this, xn);
    }

    /** {@code ret} (to X30). */
    public void ret() {
        BranchRegisterOp.RET.emit(this, GeneralRegister.X30);
    }

    /** {@code ret xn}. */
    public void ret(GeneralRegister xn) {
        BranchRegisterOp.RET.emit(this, xn);
    }

    // ------------------------------------------------------------------ addresses

    /** {@code adr xd, label}: the address of a labelled position (±1 MiB). */
    public void adr(GeneralRegister xd, Label label) {
        xd.require64("adr");
        emitPcRelative(PcRelativeOp.ADR, xd.encodeZrOperand("adr"), label);
    }

    /** {@code adrp xd, symbol+addend}: the 4 KiB page of a symbol (R_AARCH64_ADR_PREL_PG_HI21). */
    public void adrp(GeneralRegister xd, String symbol, long addend) {
        xd.require64("adrp");
        int d = xd.encodeZrOperand("adrp");
        withRelocation(A64RelocationType.ADR_PREL_PG_HI21, symbol, addend,
                () -> emitPcRelativeToSymbol(PcRelativeOp.ADRP, d));
    }

    /** {@code add xd, xn, #:lo12:symbol+addend} (R_AARCH64_ADD_ABS_LO12_NC), after an ADRP of the same symbol. */
    public void addLow12(GeneralRegister xd, GeneralRegister xn, String symbol, long addend) {
        xd.require64("add (lo12)");
        withRelocation(A64RelocationType.ADD_ABS_LO12_NC, symbol, addend, () -> add(xd, xn, 0));
    }

    /** {@code ldr xt, [xn, #:lo12:symbol+addend]} (R_AARCH64_LDST64_ABS_LO12_NC), after an ADRP of the same symbol. */
    public void ldrLow12(GeneralRegister xt, GeneralRegister xn, String symbol, long addend) {
        xt.require64("ldr (lo12)");
        withRelocation(A64RelocationType.LDST64_ABS_LO12_NC, symbol, addend, () -> ldr(xt, Address.base(xn)));
    }

    /** {@code adrp xd, symbol; add xd, xd, #:lo12:symbol}: the address of an external symbol (±4 GiB). */
    public void addressOf(GeneralRegister xd, String symbol, long addend) {
        adrp(xd, symbol, addend);
        addLow12(xd, xd, symbol, addend);
    }

    // ------------------------------------------------------------------ misc and data

    public void nop() {
        TrapOrHintOp.NOP.emit(this, 0);
    }

    /** {@code brk #imm16}: breakpoint exception (SIGTRAP). */
    public void brk(int imm16) {
        TrapOrHintOp.BRK.emit(this, imm16);
    }

    /** {@code udf #imm16}: permanently undefined (SIGILL); a compact trap instruction. */
    public void udf(int imm16) {
        TrapOrHintOp.UDF.emit(this, imm16);
    }

    /** Pads with NOPs to a multiple of {@code alignment} bytes (a power of two, 4 or more). */
    public void align(int alignment) {
        if (alignment < 4 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment must be a power of two of at least 4, not " + alignment);
        }
        while (offset() % alignment != 0) {
            nop();
        }
    }

    /** A 32-bit data word in the code stream (listed as {@code .word}). */
    public void data32(int value) {
        beforeInstruction();
        putData(4, value, null);
    }

    // ------------------------------------------------------------------ finish

    /**
     * Places the pending literal pool after the code and returns the result. Throws
     * {@link IllegalStateException} when a referenced label was never bound. The assembler cannot
     * be used afterwards.
     */
    public AssembledCode finish() {
        checkNotFinished();
        if (!referencedUnbound.isEmpty()) {
            throw new IllegalStateException("labels referenced but never bound: " + referencedUnbound);
        }
        emitIsland(true);
        finished = true;
        List<ListingLine> lines = new ArrayList<>(listingEntries.size());
        for (ListingEntry e : listingEntries) {
            long value = e.size() == 8 ? code.getLong(e.offset()) : code.getInt(e.offset()) & 0xFFFF_FFFFL;
            lines.add(new ListingLine(e.offset(), e.size(), value, e.text().get(), e.data()));
        }
        return new AssembledCode(code.toArray(), relocations, lines);
    }
}
