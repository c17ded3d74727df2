package dev.kiln.frontend;

import dev.kiln.frontend.testing.ModuleBytes;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TypeHierarchyTest {
    private static final TypeHierarchy NO_TYPES = TypeHierarchy.of(List.of(), List.of());

    private static ValType ref(boolean nullable, HeapType h) {
        return ValType.ref(nullable, h);
    }

    @Test
    void abstractHeapTypesFormTheirHierarchies() {
        TypeHierarchy h = NO_TYPES;
        assertTrue(h.isSubtype(HeapType.I31, HeapType.EQ));
        assertTrue(h.isSubtype(HeapType.STRUCT, HeapType.ANY));
        assertTrue(h.isSubtype(HeapType.NONE, HeapType.I31));
        assertTrue(h.isSubtype(HeapType.NOFUNC, HeapType.FUNC));
        assertTrue(h.isSubtype(HeapType.NOEXTERN, HeapType.EXTERN));
        assertTrue(h.isSubtype(HeapType.NOEXN, HeapType.EXN));
        assertFalse(h.isSubtype(HeapType.FUNC, HeapType.ANY));
        assertFalse(h.isSubtype(HeapType.EXTERN, HeapType.ANY));
        assertFalse(h.isSubtype(HeapType.NONE, HeapType.FUNC));
        assertFalse(h.isSubtype(HeapType.EQ, HeapType.I31));
        assertFalse(h.isSubtype(HeapType.ARRAY, HeapType.STRUCT));
        assertEquals(HeapType.ANY, h.top(HeapType.NONE));
        assertEquals(HeapType.NOEXN, h.bottom(HeapType.EXN));
    }

    @Test
    void nullabilityIsCovariant() {
        TypeHierarchy h = NO_TYPES;
        assertTrue(h.isSubtype(ref(false, HeapType.FUNC), ValType.FUNCREF));
        assertFalse(h.isSubtype(ValType.FUNCREF, ref(false, HeapType.FUNC)));
        assertTrue(h.isSubtype(ValType.NULLFUNCREF, ValType.FUNCREF));
        assertFalse(h.isSubtype(ValType.I32, ValType.I64));
        assertTrue(h.isSubtype(ValType.V128, ValType.V128));
    }

    /** (rec (type $a (func (param (ref $b)))) (type $b (func))) twice, then (sub $f ...) chains. */
    private static Module recursiveTypes() {
        ModuleBytes types = ModuleBytes.contents().u32(5)
                // group 0: rec { $0 = func (param (ref 1)), $1 = func }
                .bytes(0x4E, 2, 0x60, 1, 0x64, 1, 0, 0x60, 0, 0)
                // group 1: the same, at indices 2 and 3 (its references point inside itself)
                .bytes(0x4E, 2, 0x60, 1, 0x64, 3, 0, 0x60, 0, 0)
                // $4: sub (open) func [] -> [funcref]
                .bytes(0x50, 0, 0x60, 0, 1, 0x70)
                // $5: sub final $4 func [] -> [(ref func)]  (covariant result)
                .bytes(0x4F, 1, 4, 0x60, 0, 1, 0x64, 0x70)
                // $6: struct { i8 mut, (ref null $6) }
                .bytes(0x5F, 2, 0x78, 1, 0x63, 6, 0);
        return Decoder.decode(ModuleBytes.header().section(1, types).build());
    }

    @Test
    void recursiveGroupsDecodeWithTheirBoundaries() {
        Module m = recursiveTypes();
        assertEquals(7, m.types().size());
        assertEquals(List.of(new RecGroup(0, 2), new RecGroup(2, 2), new RecGroup(4, 1), new RecGroup(5, 1), new RecGroup(6, 1)),
                m.recGroups());
        assertFalse(m.types().get(4).isFinal());
        assertEquals(4, m.types().get(5).supertype());
        StructType s = assertInstanceOf(StructType.class, m.types().get(6).composite());
        assertEquals(new FieldType(ValType.I32, 8, true), s.fields().get(0));
        assertEquals(ref(true, HeapType.concrete(6)), s.fields().get(1).type());
        assertThrows(IllegalArgumentException.class, () -> m.funcType(6));
    }

    @Test
    void structurallyIdenticalGroupsAreTheSameType() {
        Module m = recursiveTypes();
        TypeHierarchy h = TypeHierarchy.of(m.types(), m.recGroups());
        assertTrue(h.sameType(0, 2));
        assertTrue(h.sameType(1, 3));
        assertFalse(h.sameType(0, 1));
        assertTrue(h.isSubtype(ref(false, HeapType.concrete(0)), ref(true, HeapType.concrete(2))));
        assertTrue(h.sameType(m.funcType(0), m.funcType(2)) || !m.funcType(0).equals(m.funcType(2)));
    }

    @Test
    void declaredSupertypesMakeSubtypes() {
        Module m = recursiveTypes();
        TypeHierarchy h = TypeHierarchy.of(m.types(), m.recGroups());
        assertTrue(h.isSubtype(HeapType.concrete(5), HeapType.concrete(4)));
        assertFalse(h.isSubtype(HeapType.concrete(4), HeapType.concrete(5)));
        assertTrue(h.isSubtype(HeapType.concrete(5), HeapType.FUNC));
        assertTrue(h.isSubtype(HeapType.NOFUNC, HeapType.concrete(5)));
        assertTrue(h.isSubtype(HeapType.concrete(6), HeapType.EQ));
        assertTrue(h.isSubtype(HeapType.NONE, HeapType.concrete(6)));
        assertFalse(h.isSubtype(HeapType.concrete(6), HeapType.FUNC));
        assertNull(h.checkDeclaredSupertype(5));
    }

    @Test
    void aSupertypeMustAdmitItsSubtype() {
        // $0: sub func [] -> [(ref func)]; $1: sub $0 func [] -> [funcref] (result not covariant)
        ModuleBytes types = ModuleBytes.contents().u32(2)
                .bytes(0x50, 0, 0x60, 0, 1, 0x64, 0x70)
                .bytes(0x50, 1, 0, 0x60, 0, 1, 0x70);
        Module m = Decoder.decode(ModuleBytes.header().section(1, types).build());
        TypeHierarchy h = TypeHierarchy.of(m.types(), m.recGroups());
        assertNotNull(h.checkDeclaredSupertype(1));
        assertThrows(InvalidModuleException.class, () -> Validator.validate(m));
    }

    @Test
    void aFinalTypeHasNoSubtypes() {
        ModuleBytes types = ModuleBytes.contents().u32(2)
                .bytes(0x60, 0, 0)
                .bytes(0x50, 1, 0, 0x60, 0, 0);
        Module m = Decoder.decode(ModuleBytes.header().section(1, types).build());
        InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> Validator.validate(m));
        assertTrue(e.getMessage().contains("final"), e.getMessage());
    }

    @Test
    void referencesBeyondTheGroupAreUnknown() {
        ModuleBytes types = ModuleBytes.contents().u32(2)
                .bytes(0x60, 1, 0x64, 1, 0)
                .bytes(0x60, 0, 0);
        Module m = Decoder.decode(ModuleBytes.header().section(1, types).build());
        InvalidModuleException e = assertThrows(InvalidModuleException.class, () -> Validator.validate(m));
        assertTrue(e.getMessage().contains("unknown type 1"), e.getMessage());
    }

    @Test
    void aBadCompositeFormIsMalformedAtItsByte() {
        ModuleBytes types = ModuleBytes.contents().u32(1).bytes(0x5D, 0, 0);
        MalformedModuleException e = assertThrows(MalformedModuleException.class,
                () -> Decoder.decode(ModuleBytes.header().section(1, types).build()));
        assertEquals(11, e.offset());
    }
}
