package dev.kiln.backend.aarch64;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.kiln.backend.aarch64.GeneralRegister.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Conditional branches whose targets lie beyond their range: forward ones get veneers in an island
 * (checked by following the branches objdump decodes, and by running the code under QEMU, taken
 * and not taken); backward ones become the inverted branch over a B (checked against GNU as).
 */
class BranchRelaxationTest {
    private static final int MIB = 1 << 20;
    private static final Pattern TARGET = Pattern.compile("(?:^|[ ,])0x([0-9a-f]+)$");

    /** The offset an objdump-decoded branch at {@code at} goes to. */
    private static int target(Map<Integer, GnuBinutils.Disassembled> dis, int at) {
        Matcher m = TARGET.matcher(GnuBinutils.normalize(dis.get(at).text()));
        assertTrue(m.find(), "not a branch at 0x" + Integer.toHexString(at) + ": " + dis.get(at).text());
        return Integer.parseInt(m.group(1), 16);
    }

    /** Follows unconditional B instructions from {@code at} to the first other instruction. */
    private static int followJumps(Map<Integer, GnuBinutils.Disassembled> dis, int at) {
        for (int hops = 0; GnuBinutils.normalize(dis.get(at).text()).matches("b 0x[0-9a-f]+"); hops++) {
            assertTrue(hops < 4, "branch chain too long");
            at = target(dis, at);
        }
        return at;
    }

    private static void nops(A64Assembler a, int bytes) {
        for (int i = 0; i < bytes; i += 4) a.nop();
    }

    record Far(String name, BiConsumer<A64Assembler, Label> branchTaken, BiConsumer<A64Assembler, Label> branchNotTaken,
               int distance) {
    }

    private static final List<Far> FORWARD = List.of(
            new Far("b.eq", (a, l) -> { a.cmp(X0, X0); a.b(Condition.EQ, l); },
                    (a, l) -> { a.cmp(X0, 1); a.b(Condition.EQ, l); }, MIB + 4096),
            new Far("cbz", (a, l) -> { a.mov(X0, 0); a.cbz(X0, l); },
                    (a, l) -> { a.mov(X0, 1); a.cbz(X0, l); }, MIB + 4096),
            new Far("cbnz", (a, l) -> { a.mov(W7, 5); a.cbnz(W7, l); },
                    (a, l) -> { a.mov(W7, 0); a.cbnz(W7, l); }, MIB + 100_000),
            new Far("tbz", (a, l) -> { a.mov(X3, 0); a.tbz(X3, 40, l); },
                    (a, l) -> { a.mov(X3, 1L << 40); a.tbz(X3, 40, l); }, 40_000),
            new Far("tbnz", (a, l) -> { a.mov(W3, 4); a.tbnz(W3, 2, l); },
                    (a, l) -> { a.mov(W3, 0); a.tbnz(W3, 2, l); }, 32 * 1024));

    /** branch; nops over the distance; exit(taken ? 1 : 0) on fall-through; target: exit(taken ? 0 : 2). */
    private static AssembledCode forwardProgram(Far far, boolean taken, boolean listing) {
        A64Assembler a = new A64Assembler(listing);
        Label target = a.newLabel();
        (taken ? far.branchTaken() : far.branchNotTaken()).accept(a, target);
        nops(a, far.distance());
        QemuRunner.exit(a, taken ? 1 : 0);
        a.bind(target);
        QemuRunner.exit(a, taken ? 0 : 2);
        return a.finish();
    }

    @Test
    void forwardBranchesBeyondRangeGoThroughVeneers() {
        GnuBinutils.assumeAvailable();
        for (Far far : FORWARD) {
            AssembledCode code = forwardProgram(far, true, true);
            EncodingCases.assertListingMatchesObjdump(code);
            Map<Integer, GnuBinutils.Disassembled> dis = GnuBinutils.disassemble(code.code());
            int branch = code.listing().stream().filter(l -> l.text().startsWith(far.name()))
                    .findFirst().orElseThrow().offset();
            int veneer = target(dis, branch);
            assertTrue(veneer > branch && veneer < branch + far.distance(), far.name() + " goes to an island");
            int exitOffset = code.code().length - 12; // mov x0; mov x8; svc
            int finalTarget = followJumps(dis, veneer);
            assertEquals(GnuBinutils.normalize("mov x0, #0x0"), GnuBinutils.normalize(dis.get(finalTarget).text()),
                    far.name() + " ends at the bound label");
            assertTrue(finalTarget >= exitOffset - 16, far.name());
            // the fall-through path skips the island
            int island = veneer - 4;
            assertEquals("b", GnuBinutils.normalize(dis.get(island).text()).split(" ")[0]);
            assertEquals("nop", GnuBinutils.normalize(dis.get(followJumps(dis, island)).text()));
        }
    }

    @Test
    void forwardBranchesBeyondRangeRunCorrectly() {
        QemuRunner.assumeAvailable();
        for (Far far : FORWARD) {
            assertEquals(0, QemuRunner.run(forwardProgram(far, true, false).code()), far.name() + " taken");
            assertEquals(0, QemuRunner.run(forwardProgram(far, false, false).code()), far.name() + " not taken");
        }
    }

    /** A loop whose back edge is a conditional branch over more than its range. */
    private static AssembledCode backwardLoop(int distance, BiConsumer<A64Assembler, Label> backEdge) {
        A64Assembler a = new A64Assembler(true);
        a.mov(X1, 3);
        a.mov(X2, 0);
        Label top = a.here();
        a.add(X2, X2, 1);
        nops(a, distance);
        a.sub(X1, X1, 1);
        backEdge.accept(a, top);
        // x1 == 0 and x2 == 3 here
        a.sub(X0, X2, 3);
        a.orr(X0, X0, X1);
        QemuRunner.exitWithW0(a);
        return a.finish();
    }

    /** Loops while x1 != 0, testing a bit: cset w4, eq; tbz w4, #0, top. */
    private static void tbzBackEdge(A64Assembler a, Label top) {
        a.cmp(X1, 0);
        a.cset(W4, Condition.EQ);
        a.tbz(W4, 0, top);
    }

    @Test
    void backwardBranchesBeyondRangeAreInvertedOverB() {
        GnuBinutils.assumeAvailable();
        List<AssembledCode> loops = new ArrayList<>();
        loops.add(backwardLoop(MIB, (a, top) -> { a.cmp(X1, 0); a.b(Condition.NE, top); }));
        loops.add(backwardLoop(MIB, (a, top) -> a.cbnz(X1, top)));
        loops.add(backwardLoop(40_000, BranchRelaxationTest::tbzBackEdge));
        for (AssembledCode code : loops) {
            EncodingCases.assertListingMatchesObjdump(code);
        }
        // the shape, against GNU as: b.eq over b (at -1 MiB - 4, one word beyond the reach of b.ne)
        A64Assembler a = new A64Assembler();
        Label top = a.here();
        nops(a, MIB + 4);
        a.b(Condition.NE, top);
        byte[] expected = GnuBinutils.assemble("top:\n.rept " + (MIB + 4) / 4 + "\nnop\n.endr\nb.eq 1f\nb top\n1:");
        assertSameBytes(expected, a.finish().code());
    }

    @Test
    void backwardBranchesBeyondRangeRunCorrectly() {
        QemuRunner.assumeAvailable();
        assertEquals(0, QemuRunner.run(backwardLoop(MIB, (a, top) -> { a.cmp(X1, 0); a.b(Condition.NE, top); }).code()));
        assertEquals(0, QemuRunner.run(backwardLoop(MIB + 8, (a, top) -> a.cbnz(X1, top)).code()));
        assertEquals(0, QemuRunner.run(backwardLoop(40_000, BranchRelaxationTest::tbzBackEdge).code()));
        assertEquals(0, QemuRunner.run(backwardLoop(40_000, (a, top) -> {
            a.cmp(X1, 0);
            a.csetm(X4, Condition.NE);
            a.tbnz(X4, 63, top);
        }).code()));
    }

    @Test
    void backwardBranchesAtTheExactLimitStayShort() {
        GnuBinutils.assumeAvailable();
        // b.cond and cbz reach -1 MiB, tbz -32 KiB: no relaxation at exactly those distances
        A64Assembler a = new A64Assembler();
        Label top = a.here();
        nops(a, 32 * 1024);
        a.tbz(X0, 1, top);
        nops(a, MIB - 32 * 1024 - 4);
        a.cbz(W5, top);
        String source = "top:\n.rept 8192\nnop\n.endr\ntbz x0, #1, top\n.rept " + (MIB - 32 * 1024 - 4) / 4
                + "\nnop\n.endr\ncbz w5, top\n";
        assertSameBytes(GnuBinutils.assemble(source), a.finish().code());
    }

    static void assertSameBytes(byte[] expected, byte[] actual) {
        int mismatch = Arrays.mismatch(expected, actual);
        assertEquals(-1, mismatch, () -> "first difference at 0x" + Integer.toHexString(mismatch) + " of 0x"
                + Integer.toHexString(expected.length) + "/0x" + Integer.toHexString(actual.length) + " bytes");
    }

    @Test
    void manyPendingBranchesShareOneIsland() {
        GnuBinutils.assumeAvailable();
        A64Assembler a = new A64Assembler(true);
        List<Label> labels = new ArrayList<>();
        List<Integer> branches = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Label l = a.newLabel();
            labels.add(l);
            branches.add(a.offset());
            a.tbz(X0, i % 64, l);
            branches.add(a.offset());
            a.tbnz(X0, i % 64, l); // two references to the same label share a veneer
        }
        nops(a, 40_000);
        for (Label l : labels) {
            a.bind(l);
            a.nop();
        }
        AssembledCode code = a.finish();
        EncodingCases.assertListingMatchesObjdump(code);
        Map<Integer, GnuBinutils.Disassembled> dis = GnuBinutils.disassemble(code.code());
        Set<Integer> veneers = new HashSet<>();
        for (int i = 0; i < branches.size(); i++) {
            int veneer = target(dis, branches.get(i));
            veneers.add(veneer);
            assertEquals(labels.get(i / 2).offset(), followJumps(dis, veneer));
        }
        assertEquals(100, veneers.size());
    }

    @Test
    void thousandsOfPendingTestBranchesStillReachTheirLabels() {
        GnuBinutils.assumeAvailable();
        A64Assembler a = new A64Assembler(true);
        List<Label> labels = new ArrayList<>();
        List<Integer> branches = new ArrayList<>();
        for (int i = 0; i < 6000; i++) {
            Label l = a.newLabel();
            labels.add(l);
            branches.add(a.offset());
            a.tbnz(W1, i % 32, l);
        }
        nops(a, 20_000);
        for (Label l : labels) {
            a.bind(l);
            a.nop();
        }
        AssembledCode code = a.finish();
        EncodingCases.assertListingMatchesObjdump(code);
        Map<Integer, GnuBinutils.Disassembled> dis = GnuBinutils.disassemble(code.code());
        for (int i = 0; i < branches.size(); i++) {
            assertEquals(labels.get(i).offset(), followJumps(dis, target(dis, branches.get(i))), "branch " + i);
        }
    }

    @Test
    void branchesWithReachLeftAreNotGivenVeneers() {
        A64Assembler a = new A64Assembler();
        Label early = a.newLabel(), late = a.newLabel();
        a.tbz(X0, 0, early);
        nops(a, 30_000);
        a.cbz(X0, late);      // pending when the island for the tbz is emitted, but with ~1 MiB of reach left
        nops(a, 4_000);
        a.bind(early);
        a.bind(late);
        a.ret();
        AssembledCode code = a.finish();
        // island = b over + one veneer; the cbz reaches its label directly
        assertEquals(4 + 30_000 + 4 + 4_000 + 4 + 8, code.code().length);
    }

    @Test
    void offsetIsWhereTheNextInstructionLandsEvenWhenAnIslandIsDue() {
        A64Assembler a = new A64Assembler(true);
        Label far = a.newLabel();
        a.tbz(X0, 0, far);
        a.ldrLiteral(X1, 0x1234_5678_9ABC_DEF0L);
        List<Integer> recorded = new ArrayList<>();
        for (int i = 0; i < 12_000; i++) {
            recorded.add(a.offset());
            a.udf(i % 65536);
        }
        a.bind(far);
        a.ret();
        AssembledCode code = a.finish();
        Map<Integer, ListingLine> byOffset = new HashMap<>();
        for (ListingLine l : code.listing()) byOffset.put(l.offset(), l);
        for (int i = 0; i < recorded.size(); i++) {
            assertEquals("udf\t#" + (i % 65536), byOffset.get(recorded.get(i)).text());
        }
        assertTrue(code.listing().stream().anyMatch(ListingLine::isData), "an island was emitted on the way");
    }

    @Test
    void ensureContiguousKeepsIslandsOutOfARegion() {
        A64Assembler a = new A64Assembler();
        Label far = a.newLabel();
        a.tbz(X0, 0, far);
        nops(a, 32 * 1024 - 512);
        int before = a.offset();
        a.ensureContiguous(1024);
        int start = a.offset();
        nops(a, 1024);
        // the island was emitted before the region, not inside it
        assertTrue(start > before, "island placed before the contiguous region");
        a.bind(far);
        a.ret();
        a.finish();
    }

    @Test
    void aJumpTableOfTwoMillionBranchesStaysContiguousAndPendingReferencesGetVeneersBeforeIt() {
        // a br_table with 2 000 000 targets is an 8 MB region; a tbz (±32 KiB) still far from its
        // deadline and a literal are pending before it: both must be served before the table
        A64Assembler a = new A64Assembler();
        Label far = a.newLabel(), after = a.newLabel();
        a.tbz(X0, 0, far);
        a.ldrLiteral(X1, 0x1234_5678_9ABC_DEF0L);
        int before = a.offset();
        int entries = 2_000_000;
        a.ensureContiguous(4 * entries);
        int start = a.offset();
        for (int i = 0; i < entries; i++) a.b(after);
        int end = a.offset();
        a.bind(after);
        a.bind(far);
        a.ret();
        a.finish();
        assertTrue(start > before, "the island for the pending tbz and literal comes before the table");
        assertEquals(4L * entries, end - start, "no island inside the table");
    }

    @Test
    void outOfRangeReferencesThatCannotBeRelaxedAreRejected() {
        A64Assembler a = new A64Assembler();
        Label data = a.newLabel();
        a.adr(X0, data);
        nops(a, MIB);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> a.bind(data));
        assertTrue(e.getMessage().contains("adr"), e.getMessage());

        A64Assembler b = new A64Assembler();
        Label back = b.here();
        nops(b, MIB + 4);
        assertThrows(IllegalStateException.class, () -> b.ldr(X0, back));
    }

    /**
     * The backend's shape of code: one forward branch to its own trap stub per memory access, all
     * stubs at the end, each ending in a call guarded by {@link A64Assembler#ensureContiguous}. With
     * 150 000 pending branches, work per instruction must not grow with their number (it once did:
     * every ensureContiguous scanned all of them).
     */
    @Test
    void manyPendingBranchesAndContiguousRegionsStayLinear() {
        A64Assembler a = new A64Assembler();
        int n = 150_000;
        List<Label> stubs = new ArrayList<>(n);
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            Label l = a.newLabel();
            stubs.add(l);
            a.add(X16, X1, i & 0xFFF);
            a.cmp(X16, X17);
            a.b(Condition.GT, l);
            a.ldr(W2, Address.index(X20, X16));
        }
        int[] calls = new int[n];
        for (int i = 0; i < n; i++) {
            a.bind(stubs.get(i));
            a.mov(W1, 5);
            a.ensureContiguous(4);
            calls[i] = a.offset();
            a.blr(X16);
        }
        AssembledCode code = a.finish();
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(code.code().length > MIB + MIB / 4, "long enough to need islands: " + code.code().length);
        ByteBuffer words = ByteBuffer.wrap(code.code()).order(ByteOrder.LITTLE_ENDIAN);
        for (int at : calls) assertEquals(0xD63F0200, words.getInt(at), "blr x16 at the offset taken before it");
        assertTrue(seconds < 15, "took " + seconds + " s");
    }
}
