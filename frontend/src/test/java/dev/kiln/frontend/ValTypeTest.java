package dev.kiln.frontend;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValTypeTest {
    @Test
    void oneByteCodesGiveTheSingletons() {
        assertSame(ValType.I32, ValType.fromCode(0x7F));
        assertSame(ValType.V128, ValType.fromCode(0x7B));
        assertSame(ValType.FUNCREF, ValType.fromCode(0x70));
        assertSame(ValType.EXTERNREF, ValType.fromCode(0x6F));
        assertSame(ValType.EXNREF, ValType.fromCode(0x69));
        assertSame(ValType.NULLEXNREF, ValType.fromCode(0x74));
        assertSame(ValType.NULLREF, ValType.fromCode(0x71));
        assertNull(ValType.fromCode(0x63), "the (ref null ht) prefix needs its heap type");
        assertNull(ValType.fromCode(0x40));
    }

    @Test
    void abstractReferenceTypesAreInterned() {
        assertSame(ValType.FUNCREF, ValType.ref(true, HeapType.FUNC));
        assertSame(ValType.ref(false, HeapType.ANY), ValType.ref(false, HeapType.ANY));
        assertSame(ValType.FUNCREF, ValType.ref(false, HeapType.FUNC).asNullable());
        assertSame(ValType.ref(false, HeapType.EXN), ValType.EXNREF.asNonNullable());
    }

    @Test
    void concreteReferenceTypesCompareByValue() {
        ValType a = ValType.ref(false, HeapType.concrete(3));
        ValType b = ValType.ref(false, HeapType.concrete(3));
        assertNotSame(a, b);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertFalse(a.equals(ValType.ref(true, HeapType.concrete(3))));
        assertEquals("(ref 3)", a.toString());
        assertEquals("(ref null 3)", a.asNullable().toString());
        assertEquals(ValType.ref(true, HeapType.concrete(5)), a.asNullable().mapIndex(i -> i + 2));
    }

    @Test
    void everyReferenceIsOneMachineWord() {
        for (ValType t : new ValType[] {ValType.FUNCREF, ValType.ref(false, HeapType.concrete(0)), ValType.EXNREF, ValType.I31REF}) {
            assertSame(MachineType.REF, t.machine());
            assertEquals(8, t.byteSize());
            assertTrue(t.isReference());
        }
        assertSame(MachineType.I32, ValType.I32.machine());
        assertEquals(16, ValType.V128.byteSize());
    }

    @Test
    void onlyNonNullableReferencesHaveNoDefault() {
        assertTrue(ValType.I64.isDefaultable());
        assertTrue(ValType.FUNCREF.isDefaultable());
        assertFalse(ValType.ref(false, HeapType.FUNC).isDefaultable());
        assertFalse(ValType.ref(false, HeapType.concrete(1)).isDefaultable());
    }

    @Test
    void shorthandsPrintAsTheTextFormatDoes() {
        assertEquals("funcref", ValType.FUNCREF.toString());
        assertEquals("nullfuncref", ValType.NULLFUNCREF.toString());
        assertEquals("nullexternref", ValType.NULLEXTERNREF.toString());
        assertEquals("(ref extern)", ValType.ref(false, HeapType.EXTERN).toString());
    }

    @Test
    void heapTypeEncodingRoundTrips() {
        for (HeapType.Kind k : HeapType.Kind.values()) {
            if (k == HeapType.Kind.CONCRETE) continue;
            HeapType h = HeapType.of(k);
            assertSame(h, HeapType.fromEncoding(h.encoding()));
            assertTrue(h.encoding() < 0);
        }
        assertEquals(HeapType.concrete(77), HeapType.fromEncoding(77));
        assertNull(HeapType.fromEncoding(-1), "0x7F is i32, not a heap type");
    }
}
