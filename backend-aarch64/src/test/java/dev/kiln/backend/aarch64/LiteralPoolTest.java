package dev.kiln.backend.aarch64;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;

import static dev.kiln.backend.aarch64.GeneralRegister.*;
import static dev.kiln.backend.aarch64.VectorRegister.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * LDR (literal) constants: placed after the function the way GNU as places a literal pool, shared
 * when equal, carried by an ABS64 relocation for symbol addresses, and moved into mid-function
 * islands when the function outgrows the ±1 MiB reach (run under QEMU).
 */
class LiteralPoolTest {
    private static long longAt(byte[] code, int at) {
        return ByteBuffer.wrap(code, at, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    private static int intAt(byte[] code, int at) {
        return ByteBuffer.wrap(code, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    @Test
    void poolAfterTheFunctionMatchesGnuAs() {
        String source = """
                ldr x0, =0x123456789abcdef0
                ldr w1, =0xdeadbeef
                ldr d2, =0x400921f9f01b866e
                ldr s3, =0x3f8ccccd
                ldr x4, =0x123456789abcdef0
                ret
                """;
        new EncodingCases().add(source.strip(), a -> {
            a.ldrLiteral(X0, 0x123456789abcdef0L);
            a.ldrLiteral(W1, 0xdeadbeefL);
            a.ldrLiteral(D2, Double.doubleToRawLongBits(3.14159));
            a.ldrLiteral(S3, Float.floatToRawIntBits(1.1f));
            a.ldrLiteral(X4, 0x123456789abcdef0L);
            a.ret();
        }).assertAll();
        // an odd number of instructions: the 8-byte constant is aligned with a padding word
        new EncodingCases().add("ldr x0, =0x1122334455667788\nldr w1, =7\nnop\nret", a -> {
            a.ldrLiteral(X0, 0x1122334455667788L);
            a.ldrLiteral(W1, 7);
            a.nop();
            a.ret();
        }).assertAll();
    }

    @Test
    void sixteenByteConstantsAreAlignedAfterTheOthersAsGnuAsPlacesThem() {
        VectorRegister q0 = VectorRegister.of(0, VectorShape.Q), q5 = VectorRegister.of(5, VectorShape.Q);
        new EncodingCases().add("""
                ldr q0, =0x112233445566778899aabbccddeeff00
                ldr x1, =0x1122334455667788
                ldr w2, =7
                ldr q5, =0x0f0e0d0c0b0a09080706050403020100
                ret""", a -> {
            a.ldrLiteral128(q0, 0x99aabbccddeeff00L, 0x1122334455667788L);
            a.ldrLiteral(X1, 0x1122334455667788L);
            a.ldrLiteral(W2, 7);
            a.ldrLiteral128(q5, 0x0706050403020100L, 0x0f0e0d0c0b0a0908L);
            a.ret();
        }).assertAll();
        // equal 16-byte constants share a slot (GNU as would repeat it)
        A64Assembler a = new A64Assembler();
        a.ldrLiteral128(q0, 1, 2);
        a.ldrLiteral128(q5, 1, 2);
        byte[] code = a.finish().code();
        int first = intAt(code, 0), second = intAt(code, 4);
        assertEquals((first >> 5 & 0x7FFFF) * 4, (second >> 5 & 0x7FFFF) * 4 + 4, "both loads reach one slot");
        int slot = (first >> 5 & 0x7FFFF) * 4;
        assertEquals(0, slot % 16);
        assertEquals(1, longAt(code, slot));
        assertEquals(2, longAt(code, slot + 8));
        assertEquals(slot + 16, code.length);
    }

    @Test
    void loadsReachTheirConstantsAndEqualConstantsShareASlot() {
        GnuBinutils.assumeAvailable();
        A64Assembler a = new A64Assembler(true);
        a.ldrLiteral(X0, -1L);
        a.ldrLiteral(W1, 0x80000000L);
        a.ldrLiteral(X2, -1L);
        a.ldrLiteral(S3, 0x80000000L);
        a.ldrLiteral(D30, 0x7FF8000000000001L);
        a.ret();
        AssembledCode code = a.finish();
        EncodingCases.assertListingMatchesObjdump(code);
        Map<Integer, GnuBinutils.Disassembled> dis = GnuBinutils.disassemble(code.code());
        int x0 = target(dis, 0), w1 = target(dis, 4), x2 = target(dis, 8), s3 = target(dis, 12), d30 = target(dis, 16);
        assertEquals(x0, x2);
        assertEquals(w1, s3, "a W and an S load of the same 32 bits share a slot");
        assertEquals(-1L, longAt(code.code(), x0));
        assertEquals(0x80000000, intAt(code.code(), w1));
        assertEquals(0x7FF8000000000001L, longAt(code.code(), d30));
        assertEquals(0, x0 % 8);
        assertEquals(24 + 4 + 4 + 8 + 8, code.code().length);
        long dataLines = code.listing().stream().filter(ListingLine::isData).count();
        assertEquals(4, dataLines, "three constants and one padding word");
    }

    private static int target(Map<Integer, GnuBinutils.Disassembled> dis, int at) {
        String text = GnuBinutils.normalize(dis.get(at).text());
        return Integer.parseInt(text.substring(text.lastIndexOf("0x") + 2), 16);
    }

    @Test
    void symbolAddressesAreAbs64Slots() {
        A64Assembler a = new A64Assembler(true);
        a.ldrLiteralAddress(X0, "memory_base", 0);
        a.ldrLiteralAddress(X1, "table", 0x40);
        a.ldrLiteralAddress(X2, "memory_base", 0);
        a.ret();
        AssembledCode code = a.finish();
        assertEquals(List.of(16 + 0, 16 + 8), code.relocations().stream().map(r -> r.offset()).toList());
        assertEquals(List.of("memory_base", "table"), code.relocations().stream().map(r -> r.symbol()).toList());
        assertEquals(List.of(0L, 0x40L), code.relocations().stream().map(r -> r.addend()).toList());
        assertTrue(code.relocations().stream().allMatch(r -> r.type() == 257));
        assertTrue(code.listing().get(5).text().contains("R_AARCH64_ABS64 table+0x40"), code.listing().get(5).text());
    }

    @Test
    void floatConstantsPickTheCheapestForm() {
        A64Assembler a = new A64Assembler(true);
        a.movFloat(D0, Double.doubleToRawLongBits(1.0));
        a.movFloat(S1, Float.floatToRawIntBits(-0.5f));
        a.movFloat(D2, 0);
        a.movFloat(D3, Double.doubleToRawLongBits(-0.0));
        a.movFloat(S4, Float.floatToRawIntBits(0.1f));
        a.movFloat(D5, Double.doubleToRawLongBits(Math.PI));
        AssembledCode code = a.finish();
        List<String> mnemonics = code.listing().stream().filter(l -> !l.isData())
                .map(l -> GnuBinutils.normalize(l.text())).toList();
        assertTrue(mnemonics.get(0).startsWith("fmov d0, #1.0"), mnemonics.get(0));
        assertTrue(mnemonics.get(1).startsWith("fmov s1, #-5.0"), mnemonics.get(1));
        assertEquals("fmov d2, xzr", mnemonics.get(2));
        assertTrue(mnemonics.get(3).startsWith("ldr d3, "), mnemonics.get(3));
        assertTrue(mnemonics.get(4).startsWith("ldr s4, "), mnemonics.get(4));
        assertTrue(mnemonics.get(5).startsWith("ldr d5, "), mnemonics.get(5));
    }

    /**
     * A function over 1 MiB: the constants loaded at its start must be placed in an island before
     * they go out of reach; a later load of the same constant reuses that slot when it can reach it.
     */
    private static AssembledCode hugeFunction(boolean listing) {
        A64Assembler a = new A64Assembler(listing);
        long c1 = 0x0123456789ABCDEFL;
        long pi = Double.doubleToRawLongBits(Math.PI);
        Label fail = a.newLabel();
        a.ldrLiteral(X1, c1);
        a.ldrLiteral(D0, pi);
        a.ldrLiteral(W6, 0xCAFEBABEL);
        for (int i = 0; i < (1 << 20) / 4 + 5000; i++) a.nop();
        a.ldrLiteral(X2, c1);          // reuses the island's slot (within 1 MiB behind)
        a.ldrLiteral(X7, 0x5555AAAA5555AAAAL); // a new constant: goes to the final pool
        a.mov(X3, c1);
        a.cmp(X1, X3);
        a.b(Condition.NE, fail);
        a.cmp(X2, X3);
        a.b(Condition.NE, fail);
        a.fmov(X4, D0);
        a.mov(X5, pi);
        a.cmp(X4, X5);
        a.b(Condition.NE, fail);
        a.mov(W5, 0xCAFEBABEL);
        a.cmp(W6, W5);
        a.b(Condition.NE, fail);
        a.mov(X5, 0x5555AAAA5555AAAAL);
        a.cmp(X7, X5);
        a.b(Condition.NE, fail);
        QemuRunner.exit(a, 0);
        a.bind(fail);
        QemuRunner.exit(a, 1);
        return a.finish();
    }

    @Test
    void hugeFunctionsGetMidFunctionPools() {
        GnuBinutils.assumeAvailable();
        AssembledCode code = hugeFunction(true);
        EncodingCases.assertListingMatchesObjdump(code);
        List<ListingLine> data = code.listing().stream().filter(ListingLine::isData).toList();
        int firstData = data.get(0).offset();
        assertTrue(firstData < 1 << 20, "the first constants are placed within reach");
        assertTrue(firstData > (1 << 20) - 4096, "but not much earlier than needed: 0x" + Integer.toHexString(firstData));
        long copiesOfC1 = data.stream().filter(l -> l.value() == 0x0123456789ABCDEFL).count();
        assertEquals(1, copiesOfC1, "the second load reuses the slot");
        ListingLine before = code.listing().stream().filter(l -> l.offset() < firstData && !l.isData())
                .reduce((x, y) -> y).orElseThrow();
        assertTrue(GnuBinutils.normalize(before.text()).startsWith("b 0x"), "a branch jumps over the island: " + before);
    }

    @Test
    void hugeFunctionsRunCorrectly() {
        QemuRunner.assumeAvailable();
        assertEquals(0, QemuRunner.run(hugeFunction(false).code()));
    }
}
