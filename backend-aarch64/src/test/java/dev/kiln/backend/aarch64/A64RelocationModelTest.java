package dev.kiln.backend.aarch64;

import dev.kiln.ir.code.Target;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link A64RelocationModel} against GNU ld: GNU as assembles one use of every relocation type,
 * ld links it with random symbol addresses (in range for each type), and the model, applied to the
 * unlinked bytes with the relocations readelf lists, must give ld's bytes. Range and alignment
 * violations throw.
 */
class A64RelocationModelTest {
    private static final A64RelocationModel MODEL = A64RelocationModel.INSTANCE;
    private static final long TEXT = 0x1_0000_0000L;

    /** One line per relocation type; the symbol is named after the type. */
    private static final String SOURCE = """
            bl s_call26+8
            b s_jump26-4
            b.ne s_condbr19
            tbz x3, #5, s_tstbr14
            ldr x4, s_ldprel19
            adr x5, s_adr21+1
            adrp x6, s_page+0x10
            add x6, x6, :lo12:s_add+3
            ldrb w7, [x6, :lo12:s_ldst8]
            ldrh w7, [x6, :lo12:s_ldst16]
            ldr w7, [x6, :lo12:s_ldst32]
            ldr x7, [x6, :lo12:s_ldst64+8]
            ldr q7, [x6, :lo12:s_ldst128]
            .word s_abs32+2
            .word s_prel32 - .
            .xword s_abs64-5
            .xword s_prel64 - .
            """;

    /**
     * Symbol addresses for {@link #SOURCE}, from fractions in [-1, 1] that pick each PC-relative
     * target within its type's range (given the place and addend of its line), and free values for
     * the absolute types.
     */
    record Addresses(long anywhere, long far, long low, int low12, double a, double b, double c, double d) {
        Map<String, Long> symbols() {
            Map<String, Long> s = new LinkedHashMap<>();
            s.put("s_call26", TEXT + 0x00 - 8 + scaled(a, 1L << 27, 4));
            s.put("s_jump26", TEXT + 0x04 + 4 + scaled(b, 1L << 27, 4));
            s.put("s_condbr19", TEXT + 0x08 + scaled(c, 1L << 20, 4));
            s.put("s_tstbr14", TEXT + 0x0C + scaled(d, 1L << 15, 4));
            s.put("s_ldprel19", TEXT + 0x10 + scaled(a, 1L << 20, 4));
            s.put("s_adr21", TEXT + 0x14 - 1 + scaled(b, 1L << 20, 1));
            s.put("s_page", TEXT + scaled(c, 1L << 32, 4096) + low12 - 0x10);
            s.put("s_add", anywhere);
            s.put("s_ldst8", anywhere + 1);
            s.put("s_ldst16", anywhere & ~1L);
            s.put("s_ldst32", anywhere & ~3L);
            s.put("s_ldst64", (far & ~7L) - 8);
            s.put("s_ldst128", far & ~15L);
            s.put("s_abs32", low);
            s.put("s_prel32", TEXT + 0x38 + scaled(d, 1L << 31, 1));
            s.put("s_abs64", anywhere + 5);
            s.put("s_prel64", far);
            return s;
        }

        /** A multiple of {@code unit} in [-range, range - unit], from a fraction in [-1, 1]. */
        private static long scaled(double fraction, long range, long unit) {
            long steps = range / unit;
            long k = (long) Math.floor(fraction * steps);
            return Math.max(-steps, Math.min(steps - 1, k)) * unit;
        }
    }

    @Provide
    Arbitrary<Addresses> addresses() {
        Arbitrary<Double> fraction = Arbitraries.doubles().between(-1, 1).edgeCases(c -> c.add(1.0).add(-1.0).add(0.0));
        Arbitrary<Long> anywhere = Arbitraries.longs().between(16, 0xFFFF_FFFF_FFFFL);
        return Combinators.combine(anywhere, anywhere, Arbitraries.longs().between(0, 0xFFFF_FFFDL),
                Arbitraries.integers().between(0x10, 0xFFF), fraction, fraction, fraction, fraction).as(Addresses::new);
    }

    @Property(tries = 25)
    void agreesWithGnuLd(@ForAll("addresses") Addresses addresses) {
        GnuBinutils.assumeAvailable();
        Map<String, Long> symbols = addresses.symbols();
        byte[] linked = GnuBinutils.link(SOURCE, TEXT, symbols);
        byte[] code = GnuBinutils.assemble(SOURCE);
        List<GnuBinutils.ElfRelocation> relocations = GnuBinutils.relocations(SOURCE);
        assertEquals(17, relocations.size(), relocations.toString());
        for (GnuBinutils.ElfRelocation r : relocations) {
            A64RelocationType type = A64RelocationType.valueOf(r.type().substring("R_AARCH64_".length()));
            MODEL.apply(code, r.offset(), type.number, symbols.get(r.symbol()), r.addend(), TEXT + r.offset());
        }
        assertEquals(HexFormat.of().formatHex(linked), HexFormat.of().formatHex(code));
    }

    private static byte[] word(int w) {
        byte[] b = new byte[8];
        CodeBuffer.writeInt(b, 0, w);
        return b;
    }

    private static int apply(int word, A64RelocationType type, long s, long a, long p) {
        byte[] b = word(word);
        MODEL.apply(b, 0, type.number, s, a, p);
        return CodeBuffer.readInt(b, 0);
    }

    @Test
    void branchRangeLimits() {
        long p = 0x1000_0000L;
        int bl = 0x94000000;
        assertEquals(0x95FFFFFF, apply(bl, A64RelocationType.CALL26, p + (1L << 27) - 4, 0, p));
        assertEquals(0x96000000, apply(bl, A64RelocationType.CALL26, p - (1L << 27), 0, p));
        assertThrows(IllegalArgumentException.class, () -> apply(bl, A64RelocationType.CALL26, p + (1L << 27), 0, p));
        assertThrows(IllegalArgumentException.class, () -> apply(bl, A64RelocationType.JUMP26, p - (1L << 27) - 4, 0, p));
        assertThrows(IllegalArgumentException.class, () -> apply(bl, A64RelocationType.CALL26, p + 2, 0, p));
        assertThrows(IllegalArgumentException.class, () -> apply(0x54000001, A64RelocationType.CONDBR19, p + (1 << 20), 0, p));
        assertThrows(IllegalArgumentException.class, () -> apply(0x36000000, A64RelocationType.TSTBR14, p - (1 << 15) - 4, 0, p));
        assertThrows(IllegalArgumentException.class, () -> apply(0x10000000, A64RelocationType.ADR_PREL_LO21, p + (1 << 20), 0, p));
        assertThrows(IllegalArgumentException.class, () -> apply(0x58000000, A64RelocationType.LD_PREL_LO19, p + 2, 0, p));
    }

    @Test
    void pageRangeLimits() {
        long p = 0x1_0000_0123L;
        int adrp = 0x90000000;
        apply(adrp, A64RelocationType.ADR_PREL_PG_HI21, (p & ~0xFFFL) + (1L << 32) - 4096 + 0xFFF, 0, p);
        apply(adrp, A64RelocationType.ADR_PREL_PG_HI21, (p & ~0xFFFL) - (1L << 32), 0, p);
        assertThrows(IllegalArgumentException.class,
                () -> apply(adrp, A64RelocationType.ADR_PREL_PG_HI21, (p & ~0xFFFL) + (1L << 32), 0, p));
        assertThrows(IllegalArgumentException.class,
                () -> apply(adrp, A64RelocationType.ADR_PREL_PG_HI21, (p & ~0xFFFL) - (1L << 32) - 1, 0, p));
    }

    @Test
    void low12AlignmentAndDataRanges() {
        int ldrX = 0xF9400000;
        assertEquals(0xF9400000 | (0xFF8 >> 3) << 10, apply(ldrX, A64RelocationType.LDST64_ABS_LO12_NC, 0x12345FF8L, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> apply(ldrX, A64RelocationType.LDST64_ABS_LO12_NC, 0x1004, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> apply(ldrX, A64RelocationType.LDST128_ABS_LO12_NC, 0x1008, 0, 0));
        assertEquals(0x91000000 | 0xABC << 10, apply(0x91000000, A64RelocationType.ADD_ABS_LO12_NC, 0x7FFF_FABCL, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> apply(0, A64RelocationType.ABS32, 0x1_0000_0000L, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> apply(0, A64RelocationType.ABS32, -0x8000_0001L, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> apply(0, A64RelocationType.PREL32, 0, 0, 0x8000_0001L));
        byte[] b = new byte[8];
        MODEL.apply(b, 0, 257, 0x1122334455667788L, 8, 0);
        assertEquals(0x1122334455667790L, ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }

    @Test
    void placesOutsideTheCodeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> MODEL.apply(new byte[8], 4, 257, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> MODEL.apply(new byte[4], -4, 283, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> MODEL.apply(new byte[8], 0, 999, 0, 0, 0));
    }

    @Test
    void namesAndSupport() {
        assertEquals(Target.AARCH64, MODEL.target());
        assertEquals("R_AARCH64_CALL26", MODEL.name(283));
        assertEquals("R_AARCH64_ABS64", MODEL.name(257));
        assertEquals("R_AARCH64_ADR_PREL_PG_HI21", MODEL.name(275));
        assertEquals("R_AARCH64_ADD_ABS_LO12_NC", MODEL.name(277));
        assertEquals("R_AARCH64_LDST64_ABS_LO12_NC", MODEL.name(286));
        assertEquals("R_AARCH64_JUMP26", MODEL.name(282));
        assertTrue(MODEL.name(1).contains("unknown"));
        for (int t : new int[]{257, 275, 277, 282, 283, 286}) assertTrue(MODEL.supports(t));
        assertFalse(MODEL.supports(0));
        assertFalse(MODEL.supports(1024));
        assertEquals(A64RelocationType.values().length,
                Arrays.stream(A64RelocationType.values()).map(t -> t.number).distinct().count());
    }
}
