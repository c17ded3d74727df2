package dev.kiln.frontend;

import dev.kiln.frontend.testing.ModuleBytes;
import dev.kiln.frontend.testing.Wat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DecoderTest {
    @Test
    void decodesEverySectionOfAModule() {
        byte[] wasm = Wat.compile("""
                (module $m
                  (type $t (func (param i32) (result i32)))
                  (import "env" "f" (func $imp (type $t)))
                  (import "env" "g" (global $g i32))
                  (table $tab 2 10 funcref)
                  (memory 1 2)
                  (global $mut (mut i64) (i64.const 7))
                  (func $add (export "add") (param $a i32) (param $b i32) (result i32) (local $x f64)
                    (i32.add (local.get $a) (local.get $b)))
                  (elem (i32.const 0) $add $imp)
                  (elem declare func $add)
                  (data (i32.const 8) "hi")
                  (data "passive")
                  (start $s)
                  (func $s))
                """);
        Module m = Decoder.decode(wasm);
        assertEquals(3, m.types().size());
        assertEquals(2, m.imports().size());
        assertEquals(3, m.functionCount());
        assertEquals(1, m.importedFunctionCount());
        assertEquals(new Limits(2, 10), m.tableType(0).limits());
        assertEquals(new Limits(1, 2), m.memoryType(0).limits());
        assertEquals(2, m.globalCount());
        assertEquals(new GlobalType(ValType.I64, true), m.globalType(1));
        assertEquals(SegmentMode.ACTIVE, m.elements().get(0).mode());
        assertEquals(2, m.elements().get(0).items().size());
        assertEquals(SegmentMode.DECLARATIVE, m.elements().get(1).mode());
        assertEquals(2, m.data().size());
        assertEquals(SegmentMode.PASSIVE, m.data().get(1).mode());
        assertEquals("passive", new String(m.bytes(), m.data().get(1).dataStart(), m.data().get(1).dataLength()));
        assertEquals(2, m.startFunction());
        assertEquals("m", m.names().moduleName());
        assertEquals("add", m.names().functionName(1));
        assertEquals("x", m.names().localName(1, 2));
        assertArrayEquals(new ValType[] {ValType.I32, ValType.I32, ValType.F64}, m.localTypes(1));
        assertTrue(m.customSections().stream().anyMatch(c -> c.name().equals("name")));
    }

    @Test
    void rejectsBadHeaders() {
        assertEquals("unexpected end", assertThrows(MalformedModuleException.class, () -> Decoder.decode(new byte[0])).reason());
        assertEquals("magic header not detected", assertThrows(MalformedModuleException.class,
                () -> Decoder.decode(new byte[] {0, 'a', 's', 'n', 1, 0, 0, 0})).reason());
        assertEquals("unknown binary version", assertThrows(MalformedModuleException.class,
                () -> Decoder.decode(new byte[] {0, 'a', 's', 'm', 2, 0, 0, 0})).reason());
    }

    @Test
    void errorsCarryTheByteOffset() {
        // type section claiming a function type with form 0x61 at offset 11
        byte[] wasm = ModuleBytes.header().section(1, ModuleBytes.contents().u32(1).bytes(0x61, 0, 0)).build();
        MalformedModuleException e = assertThrows(MalformedModuleException.class, () -> Decoder.decode(wasm));
        assertEquals(11, e.offset());
        assertTrue(e.getMessage().endsWith("at offset 0xb"), e.getMessage());
    }

    @Test
    void hugeDeclaredCountsAreRejectedBeforeAllocating() {
        // 4 billion types declared in a 6-byte section: rejected at once, nothing allocated
        byte[] types = ModuleBytes.header().section(1, ModuleBytes.contents().u32(0xFFFFFFFFL).bytes(0x60)).build();
        assertTrue(assertThrows(MalformedModuleException.class, () -> Decoder.decode(types)).reason()
                .startsWith("length out of bounds"));
        // a br_table with 4 billion targets
        byte[] body = ModuleBytes.contents().u32(0).bytes(0x41, 0, 0x0E).u32(0xFFFFFFFFL).bytes(0, 0x0B).build();
        byte[] code = ModuleBytes.header()
                .section(1, ModuleBytes.contents().u32(1).bytes(0x60, 0, 0))
                .section(3, ModuleBytes.contents().u32(1).u32(0))
                .section(10, ModuleBytes.contents().u32(1).u32(body.length).bytes(toInts(body)))
                .build();
        assertThrows(MalformedModuleException.class, () -> Decoder.decode(code));
    }

    @Test
    void implementationLimitsAreEnforced() {
        ModuleBytes locals = ModuleBytes.contents().u32(1).u32(50_001).bytes(0x7F).bytes(0x0B);
        byte[] body = locals.build();
        byte[] wasm = ModuleBytes.header()
                .section(1, ModuleBytes.contents().u32(1).bytes(0x60, 0, 0))
                .section(3, ModuleBytes.contents().u32(1).u32(0))
                .section(10, ModuleBytes.contents().u32(1).u32(body.length).bytes(toInts(body)))
                .build();
        ImplementationLimitException e = assertThrows(ImplementationLimitException.class, () -> Decoder.decode(wasm));
        assertTrue(e.reason().contains("50000"), e.reason());
    }

    @Test
    void malformedNameSectionIsIgnored() {
        byte[] wasm = ModuleBytes.header()
                .section(0, ModuleBytes.contents().u32(4).bytes('n', 'a', 'm', 'e').bytes(1, 5, 0xFF)) // truncated map
                .build();
        Module m = Decoder.decode(wasm);
        assertNull(m.names().moduleName());
        assertEquals(1, m.customSections().size());
    }

    @Test
    void sectionsOutOfOrderAreMalformed() {
        byte[] wasm = ModuleBytes.header()
                .section(3, ModuleBytes.contents().u32(0))
                .section(1, ModuleBytes.contents().u32(0))
                .build();
        assertThrows(MalformedModuleException.class, () -> Decoder.decode(wasm));
    }

    @Test
    void strayElseIsMalformed() {
        byte[] body = ModuleBytes.contents().u32(0).bytes(0x05, 0x0B).build();
        byte[] wasm = ModuleBytes.header()
                .section(1, ModuleBytes.contents().u32(1).bytes(0x60, 0, 0))
                .section(3, ModuleBytes.contents().u32(1).u32(0))
                .section(10, ModuleBytes.contents().u32(1).u32(body.length).bytes(toInts(body)))
                .build();
        assertThrows(MalformedModuleException.class, () -> Decoder.decode(wasm));
    }

    static int[] toInts(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] & 0xFF;
        return out;
    }
}
