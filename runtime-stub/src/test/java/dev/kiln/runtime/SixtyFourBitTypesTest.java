package dev.kiln.runtime;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The 64-bit flag of the API's {@link MemoryType} and {@link TableType} (memory64, table64): what
 * modules declare is reported, host-made 64-bit memories and tables are imported by modules that
 * declare them so (and only by those), and the limits of each width are checked.
 */
class SixtyFourBitTypesTest {
    private static final String EXPORTS = """
            (module
              (memory (export "m64") i64 1 3)
              (memory (export "m32") 2)
              (table (export "t64") i64 4 funcref)
              (table (export "t32") 1 5 externref))
            """;
    private static final String IMPORTS = """
            (module
              (import "host" "mem" (memory i64 2))
              (import "host" "tab" (table i64 3 funcref))
              (func (export "poke") (param i64 i32) (i32.store (local.get 0) (local.get 1)))
              (func (export "pages") (result i64) (memory.size))
              (func (export "elements") (result i64) (table.size)))
            """;

    private static byte[] text(String wat) {
        return wat.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void modulesReportTheFlagOnTheirImportsAndExports() {
        WasmModule exports = Engine.builder().tier(Tier.INTERP).build().compile(text(EXPORTS));
        assertEquals(List.of(
                new ExportType("m64", MemoryType.of64(1, 3)),
                new ExportType("m32", MemoryType.of(2)),
                new ExportType("t64", TableType.of64(ValueType.FUNCREF, 4)),
                new ExportType("t32", TableType.of(ValueType.EXTERNREF, 1, 5))), exports.exports());
        WasmModule imports = Engine.builder().tier(Tier.INTERP).build().compile(text(IMPORTS));
        assertEquals(new ImportType("host", "mem", MemoryType.of64(2)), imports.imports().get(0));
        assertEquals(new ImportType("host", "tab", TableType.of64(ValueType.FUNCREF, 3)), imports.imports().get(1));
        assertEquals("(memory i64 1 3)", MemoryType.of64(1, 3).toString());
        assertEquals("(table i64 4 funcref)", TableType.of64(ValueType.FUNCREF, 4).toString());
    }

    @Test
    void hostMade64BitMemoriesAndTablesAreImportedAndUsedWithI64Addresses() {
        for (Tier tier : List.of(Tier.INTERP, Tier.AUTO)) {
            Engine engine = Engine.builder().tier(tier).build();
            try (Store store = engine.newStore()) {
                MemoryInstance memory = store.newMemory(MemoryType.of64(2, 4));
                TableInstance table = store.newTable(TableType.of64(ValueType.FUNCREF, 3), null);
                assertTrue(memory.type().is64() && table.type().is64());
                Instance i = store.instantiate(engine.compile(text(IMPORTS)), new Imports()
                        .define("host", "mem", memory).define("host", "tab", table));
                i.function("poke").apply(70_000L, 0x1234_5678);
                assertEquals(0x1234_5678, memory.readInt(70_000), tier.name());
                assertEquals(2L, i.function("pages").asLongSupplier().getAsLong(), tier.name());
                assertEquals(3L, i.function("elements").asLongSupplier().getAsLong(), tier.name());
                WasmTrap trap = assertThrows(WasmTrap.class, () -> i.function("poke").apply(2 * MemoryType.PAGE_SIZE - 2, 1));
                assertEquals(TrapKind.OUT_OF_BOUNDS_MEMORY, trap.kind());
            }
        }
    }

    @Test
    void aMemoryOrTableOfTheOtherWidthIsNotImported() {
        Engine engine = Engine.builder().tier(Tier.INTERP).build();
        WasmModule module = engine.compile(text(IMPORTS));
        try (Store store = engine.newStore()) {
            TableInstance table64 = store.newTable(TableType.of64(ValueType.FUNCREF, 3), null);
            LinkException memory = assertThrows(LinkException.class, () -> store.instantiate(module, new Imports()
                    .define("host", "mem", store.newMemory(MemoryType.of(2))).define("host", "tab", table64)));
            assertTrue(memory.getMessage().contains("mem"), memory.getMessage());
            LinkException tab = assertThrows(LinkException.class, () -> store.instantiate(module, new Imports()
                    .define("host", "mem", store.newMemory(MemoryType.of64(2))).define("host", "tab",
                            store.newTable(TableType.of(ValueType.FUNCREF, 3), null))));
            assertTrue(tab.getMessage().contains("tab"), tab.getMessage());
        }
    }

    @Test
    void theLimitsOfEachWidthAreChecked() {
        assertEquals(65_536, MemoryType.of(1, 65_536).maxPages().getAsLong());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class, () -> MemoryType.of(1, 65_537));
        assertTrue(big.getMessage().contains("a 32-bit memory cannot have a maximum of 65537 pages"), big.getMessage());
        assertEquals(1L << 48, MemoryType.of64(65_537, 1L << 48).maxPages().getAsLong());
        assertThrows(IllegalArgumentException.class, () -> MemoryType.of64((1L << 48) + 1));
        assertThrows(IllegalArgumentException.class, () -> MemoryType.of64(3, 2));
        assertThrows(IllegalArgumentException.class, () -> TableType.of(ValueType.FUNCREF, 0, 1L << 32));
        assertEquals(1L << 32, TableType.of64(ValueType.FUNCREF, 0, 1L << 32).maxElements().getAsLong());
        assertFalse(new MemoryType(1, OptionalLong.empty()).is64());
        assertFalse(new TableType(ValueType.FUNCREF, 1, OptionalLong.empty()).is64());
    }
}
