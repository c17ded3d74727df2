package dev.kiln.backend.aarch64;

import dev.kiln.ir.code.Relocation;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import static dev.kiln.backend.aarch64.GeneralRegister.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Branches and PC-relative instructions to labels (forward and backward, every condition and
 * register kind) against GNU as with the same labels; references to external symbols against the
 * relocations GNU as emits; and the label life cycle.
 */
class BranchAndLabelTest {
    private int labelNumber;

    /**
     * Adds a forward and a backward case for one label-referencing instruction: {@code source} is
     * the GNU text with {@code %L} for the label, {@code emit} the API call.
     */
    private void both(EncodingCases c, String source, BiConsumer<A64Assembler, Label> emit, int gap) {
        String nops = "nop\n".repeat(gap);
        String fwd = ".Lf" + labelNumber++;
        c.add(source.replace("%L", fwd) + "\n" + nops + fwd + ":", a -> {
            Label l = a.newLabel();
            emit.accept(a, l);
            for (int i = 0; i < gap; i++) a.nop();
            a.bind(l);
        });
        String back = ".Lb" + labelNumber++;
        c.add(back + ":\n" + nops + source.replace("%L", back), a -> {
            Label l = a.here();
            for (int i = 0; i < gap; i++) a.nop();
            emit.accept(a, l);
        });
    }

    @TestFactory
    Stream<DynamicTest> labelReferences() {
        EncodingCases c = new EncodingCases();
        for (int gap : new int[]{0, 1, 5}) {
            both(c, "b %L", A64Assembler::b, gap);
            both(c, "bl %L", A64Assembler::bl, gap);
            for (Condition cond : Condition.values()) {
                both(c, "b." + cond.syntax() + " %L", (a, l) -> a.b(cond, l), gap);
            }
            for (GeneralRegister r : List.of(X0, W1, X30, W29, XZR, WZR, X16)) {
                both(c, "cbz " + r + ", %L", (a, l) -> a.cbz(r, l), gap);
                both(c, "cbnz " + r + ", %L", (a, l) -> a.cbnz(r, l), gap);
            }
            for (int bit : new int[]{0, 5, 31, 32, 63}) {
                GeneralRegister r = bit < 32 ? (gap % 2 == 0 ? W3 : X3) : X28;
                GeneralRegister printed = bit < 32 ? r.w() : r;
                both(c, "tbz " + printed + ", #" + bit + ", %L", (a, l) -> a.tbz(r, bit, l), gap);
                both(c, "tbnz " + printed + ", #" + bit + ", %L", (a, l) -> a.tbnz(r, bit, l), gap);
            }
            both(c, "adr x0, %L", (a, l) -> a.adr(X0, l), gap);
            both(c, "adr x30, %L", (a, l) -> a.adr(X30, l), gap);
            both(c, "ldr x1, %L", (a, l) -> a.ldr(X1, l), gap);
            both(c, "ldr w2, %L", (a, l) -> a.ldr(W2, l), gap);
            both(c, "ldrsw x3, %L", (a, l) -> a.ldrsw(X3, l), gap);
            both(c, "ldr s4, %L", (a, l) -> a.ldr(VectorRegister.S4, l), gap);
            both(c, "ldr d31, %L", (a, l) -> a.ldr(VectorRegister.D31, l), gap);
            both(c, "ldr q16, %L", (a, l) -> a.ldr(VectorRegister.of(16, VectorShape.Q), l), gap);
        }
        c.add("br x16\nblr x30\nret\nret x1", a -> {
            a.br(X16);
            a.blr(X30);
            a.ret();
            a.ret(X1);
        });
        c.add("nop\nbrk #0\nbrk #0xffff\nudf #0\nudf #65535", a -> {
            a.nop();
            a.brk(0);
            a.brk(0xFFFF);
            a.udf(0);
            a.udf(0xFFFF);
        });
        return c.tests();
    }

    private static final String SYMBOL_SOURCE = """
            bl memory_grow
            b tail_target
            adrp x0, table+16
            add x0, x0, :lo12:table+16
            ldr x1, [x0, :lo12:table]
            adrp x17, helper
            add x17, x17, :lo12:helper
            bl helper-8
            """;

    private static void symbolCalls(A64Assembler a) {
        a.bl("memory_grow");
        a.b("tail_target");
        a.adrp(X0, "table", 16);
        a.addLow12(X0, X0, "table", 16);
        a.ldrLow12(X1, X0, "table", 0);
        a.addressOf(X17, "helper", 0);
        a.bl("helper", -8);
    }

    @Test
    void externalSymbolsGiveTheBytesAndRelocationsOfGnuAs() {
        new EncodingCases().add(SYMBOL_SOURCE.strip(), BranchAndLabelTest::symbolCalls).assertAll();
        A64Assembler a = new A64Assembler(true);
        symbolCalls(a);
        AssembledCode code = a.finish();
        List<String> ours = code.relocations().stream()
                .map(r -> r.offset() + " " + A64RelocationModel.INSTANCE.name(r.type()) + " " + r.symbol() + " " + r.addend())
                .toList();
        List<String> theirs = GnuBinutils.relocations(SYMBOL_SOURCE).stream()
                .map(r -> r.offset() + " " + r.type() + " " + r.symbol() + " " + r.addend()).toList();
        assertEquals(theirs, ours);
        assertTrue(code.listing().get(0).text().contains("R_AARCH64_CALL26 memory_grow"), code.listing().get(0).text());
    }

    @Test
    void relocationNumbersAreTheAbiOnes() {
        A64Assembler a = new A64Assembler();
        a.bl("f");
        a.b("g");
        a.addressOf(X0, "h", 0);
        a.ldrLow12(X0, X0, "h", 8);
        a.ldrLiteralAddress(X2, "k", 0);
        a.ret();
        List<Integer> types = a.finish().relocations().stream().map(Relocation::type).toList();
        assertEquals(List.of(283, 282, 275, 277, 286, 257), types);
    }

    @Test
    void labelLifeCycle() {
        A64Assembler a = new A64Assembler();
        Label l = a.newLabel();
        assertTrue(!l.isBound());
        assertThrows(IllegalStateException.class, l::offset);
        a.nop();
        a.bind(l);
        assertEquals(4, l.offset());
        assertThrows(IllegalStateException.class, () -> a.bind(l));
        Label foreign = new A64Assembler().newLabel();
        assertThrows(IllegalArgumentException.class, () -> a.b(foreign));
        Label never = a.newLabel();
        a.cbz(X0, never);
        IllegalStateException e = assertThrows(IllegalStateException.class, a::finish);
        assertTrue(e.getMessage().contains("never bound"), e.getMessage());
    }

    @Test
    void unreferencedUnboundLabelsAreHarmless() {
        A64Assembler a = new A64Assembler();
        a.newLabel();
        a.ret();
        assertEquals(4, a.finish().code().length);
    }

    @Test
    void offsetsAndHere() {
        A64Assembler a = new A64Assembler();
        assertEquals(0, a.offset());
        a.nop();
        Label h = a.here();
        assertEquals(4, h.offset());
        assertEquals(4, a.offset());
        a.align(16);
        assertEquals(16, a.offset());
        a.data32(0x12345678);
        AssembledCode code = a.finish();
        assertEquals(20, code.code().length);
        assertEquals(0x78, code.code()[16]);
    }

    @Test
    void finishedAssemblerRejectsMoreCode() {
        A64Assembler a = new A64Assembler();
        a.ret();
        a.finish();
        assertThrows(IllegalStateException.class, a::nop);
        assertThrows(IllegalStateException.class, a::finish);
    }

    @Test
    void listingModeOffAndOn() {
        A64Assembler quiet = new A64Assembler();
        quiet.add(X0, X1, 1);
        assertEquals(List.of(), quiet.finish().listing());
        A64Assembler loud = new A64Assembler(true);
        loud.add(X0, X1, 1);
        loud.ret();
        List<String> lines = loud.finish().listingText();
        assertEquals(List.of("     0:\t91000420 \tadd\tx0, x1, #0x1", "     4:\td65f03c0 \tret"), lines);
    }
}
