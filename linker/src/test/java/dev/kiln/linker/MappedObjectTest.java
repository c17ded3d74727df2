package dev.kiln.linker;

import dev.kiln.ir.TrapKind;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Target;
import dev.kiln.ir.code.InlinedCall;
import dev.kiln.ir.code.TrapSite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The mapped cache format: calls between an object's functions resolved when it is written, stubs for
 * functions it lacks, lazy rows and trap tables, digests per block, and objects written back on top of
 * an older one.
 */
class MappedObjectTest {
    private static final BuildIdentity ID = SampleCode.identity(Target.X86_64);
    private static final byte[] STUB = SampleCode.hex("b8 04000000 4d8b5f58 41ffa3 20000000");

    private static LinkedObjectWriter.Linking linking() {
        return new LinkedObjectWriter.Linking(new TestX64RelocationModel(), s -> s.startsWith("f") ? Integer.parseInt(s.substring(1)) : -1,
                f -> "f" + f, f -> new MachineCode(Target.X86_64, f, "stub" + f, STUB, List.of(), List.of(), 0, List.of()), (byte) 0xCC);
    }

    private static MachineCode withTraps(int f) {
        return new MachineCode(Target.X86_64, f, "f" + f, SampleCode.hex("0f0b 0f0b c3"), List.of(),
                List.of(new TrapSite(2, TrapKind.UNREACHABLE, 40), TrapSite.callSite(4, 33),
                        new TrapSite(0, TrapKind.OUT_OF_BOUNDS_MEMORY, 1000).withInlined(List.of(new InlinedCall(1, 20), new InlinedCall(0, 7)))),
                32, List.of());
    }

    private static Path write(Path dir, byte[] object) throws Exception {
        Path p = dir.resolve("o.o");
        Files.write(p, object);
        return p;
    }

    private static int rel32(byte[] file, long at) {
        return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN).getInt((int) at);
    }

    @Test
    void callsAreResolvedWhenWrittenAndAbsentCalleesGetStubs(@TempDir Path dir) throws Exception {
        byte[] file = LinkedObjectWriter.write(ID, 5, List.of(SampleCode.x64Add(1, "f1"), SampleCode.x64CallPlusOne(2, "f2", "f1"),
                SampleCode.x64CallPlusOne(3, "f3", "f4")), linking());
        MappedObject o = MappedObject.open(write(dir, file));
        assertEquals(ID, o.identity());
        assertEquals(5, o.functionCount());
        assertEquals(3, o.compiledCount());
        assertFalse(o.hasCode(0));
        assertFalse(o.hasCode(4));
        assertTrue(o.hasCode(1) && o.hasCode(2) && o.hasCode(3));
        assertEquals(0, o.textSize() % BlockHash.BLOCK);
        long text = o.textFileOffset();
        // f2's call reaches f1: rel32 = target - (place + 4)
        int callAt = o.textOffset(2) + 5;
        assertEquals(o.textOffset(1) - (callAt + 4), rel32(file, text + callAt));
        // f3's call reaches a stub after the functions, holding the stub's bytes
        int call3 = o.textOffset(3) + 5;
        long stub = call3 + 4 + rel32(file, text + call3);
        assertTrue(stub >= o.textOffset(3) + o.codeSize(3));
        assertArrayEquals(STUB, Arrays.copyOfRange(file, (int) (text + stub), (int) (text + stub) + STUB.length));
        assertEquals(2, o.functionAt(o.textOffset(2) + 3));
        assertEquals(-1, o.functionAt(stub));
        assertEquals(8, o.frameSize(2));
        o.checkAllText();
        o.checkAllMetadata();
        // the function symbols are there for objdump and readelf
        assertTrue(new String(file, StandardCharsets.ISO_8859_1).contains("\0f1\0f2\0f3\0"));
    }

    @Test
    void trapTablesRoundTrip(@TempDir Path dir) throws Exception {
        MachineCode t = withTraps(2);
        MappedObject o = MappedObject.open(write(dir, LinkedObjectWriter.write(ID, 4, List.of(SampleCode.x64Add(1, "f1"), t, withTraps(3)), linking())));
        assertEquals(t.trapSites(), o.trapSites(2));
        assertEquals(t.trapSites(), o.trapSites(3));
        assertEquals(List.of(), o.trapSites(1));
    }

    @Test
    void referencesOutsideTheModuleAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> LinkedObjectWriter.write(ID, 3, List.of(SampleCode.x64WithHelpers(1, "f1")), linking()));
        assertTrue(e.getMessage().contains("not a function of the module"), e.getMessage());
    }

    @Test
    void damagedHeadersAreRefusedWhenOpened(@TempDir Path dir) throws Exception {
        byte[] good = LinkedObjectWriter.write(ID, 3, List.of(SampleCode.x64Add(1, "f1"), withTraps(2)), linking());
        Path p = write(dir, good);
        long meta = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong((int) (ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getLong(40)
                + 5L * 64 + 24));
        for (long at : new long[] {18, meta + 85, meta + 120, good.length - 40}) {
            byte[] bad = good.clone();
            bad[(int) at] ^= 0x10;
            Files.write(p, bad);
            assertThrows(CorruptObjectException.class, () -> MappedObject.open(p), "damage at " + at);
        }
        Files.write(p, Arrays.copyOf(good, good.length - 1));
        assertThrows(CorruptObjectException.class, () -> MappedObject.open(p));
    }

    @Test
    void damagedBlocksAreFoundWhenFirstUsed(@TempDir Path dir) throws Exception {
        byte[] good = LinkedObjectWriter.write(ID, 3, List.of(SampleCode.x64Add(1, "f1"), withTraps(2)), linking());
        Path p = write(dir, good);
        MappedObject clean = MappedObject.open(p);
        int row = clean.textOffset(1);
        // a byte of code
        byte[] bad = good.clone();
        bad[(int) clean.textFileOffset() + row + 1] ^= 1;
        Files.write(p, bad);
        MappedObject o = MappedObject.open(p);
        assertTrue(o.hasCode(1), "the rows are intact");
        assertThrows(DamagedObjectException.class, o::checkAllText);
        assertThrows(DamagedObjectException.class, () -> o.copyText(new byte[(int) o.textSize()]));
        // a byte of the function index
        byte[] bad2 = good.clone();
        ByteBuffer b = ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN);
        long metaHeader = b.getLong(40) + 5L * 64;
        bad2[(int) (b.getLong((int) metaHeader + 24) + b.getLong((int) metaHeader + 32) - 1)] ^= 1; // the trap table's last byte
        Files.write(p, bad2);
        MappedObject o2 = MappedObject.open(p);
        assertThrows(DamagedObjectException.class, () -> {
            o2.checkAllMetadata();
        });
    }

    @Test
    void writingBackKeepsTheOldTextAndAppends(@TempDir Path dir) throws Exception {
        MappedObject base = MappedObject.open(write(dir, LinkedObjectWriter.write(ID, 5,
                List.of(SampleCode.x64Add(1, "f1"), SampleCode.x64CallPlusOne(3, "f3", "f2")), linking())));
        byte[] next = LinkedObjectWriter.write(ID, 5, List.of(SampleCode.x64CallPlusOne(2, "f2", "f1")), linking(), base);
        Path p2 = dir.resolve("next.o");
        Files.write(p2, next);
        MappedObject o = MappedObject.open(p2);
        assertEquals(3, o.compiledCount());
        assertEquals(base.textOffset(1), o.textOffset(1));
        assertEquals(base.textOffset(3), o.textOffset(3));
        assertTrue(o.textOffset(2) >= base.textEnd());
        byte[] oldText = new byte[(int) base.textSize()];
        base.copyText(oldText);
        byte[] newText = new byte[(int) o.textSize()];
        o.copyText(newText);
        assertArrayEquals(Arrays.copyOf(oldText, (int) base.textEnd()), Arrays.copyOf(newText, (int) base.textEnd()));
        int callAt = o.textOffset(2) + 5;
        assertEquals(o.textOffset(1) - (callAt + 4), rel32(newText, callAt));
        assertThrows(IllegalArgumentException.class, () -> LinkedObjectWriter.write(ID, 5, List.of(SampleCode.x64Add(1, "f1")), linking(), base));
    }

    @Test
    void theCacheStoresLoadsAndVerifiesMappedObjects(@TempDir Path dir) throws Exception {
        CodeCache cache = new CodeCache(dir);
        byte[] object = LinkedObjectWriter.write(ID, 3, List.of(SampleCode.x64Add(1, "f1"), withTraps(2)), linking());
        cache.storeMapped(ID, object);
        CacheLookup found = cache.load(ID);
        assertInstanceOf(CacheLookup.Hit.class, found);
        assertNotNull(((CacheLookup.Hit) found).mapped());
        assertEquals(1, cache.verify().validEntries());
        // damage in the symbol table: loading does not read it, verify does
        Path entry = cache.pathOf(ID.cacheKey());
        byte[] bad = object.clone();
        MappedObject o = MappedObject.open(entry);
        bad[(int) (o.textFileOffset() + o.textSize() + 30)] ^= 1;
        Files.write(entry, bad);
        assertInstanceOf(CacheLookup.Hit.class, cache.load(ID));
        assertEquals(1, cache.verify().problems().size());
        assertThrows(IllegalArgumentException.class, () -> cache.storeMapped(ID, bad));
    }
}
