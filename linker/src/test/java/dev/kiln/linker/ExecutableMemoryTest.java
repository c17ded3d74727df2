package dev.kiln.linker;

import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import dev.kiln.ir.code.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Placing hand-assembled x86-64 code, relocating it with a test-only PC32-style model, and calling it
 * through FFM downcalls; checking W^X through /proc/self/maps.
 */
class ExecutableMemoryTest {
    private static final FunctionDescriptor INT_INT_INT = FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT);
    private ExecutableMemory memory;

    @BeforeAll
    static void x86_64LinuxOnly() {
        assumeTrue(Target.host() == Target.X86_64 && System.getProperty("os.name").startsWith("Linux"),
                "runs hand-assembled x86-64 code on Linux");
    }

    @BeforeEach
    void open() {
        memory = new ExecutableMemory(new TestX64RelocationModel());
    }

    @AfterEach
    void close() {
        memory.close();
    }

    @SuppressWarnings("restricted")
    private static MethodHandle callable(PlacedFunction f, FunctionDescriptor d) {
        return Linker.nativeLinker().downcallHandle(f.entryPoint(), d);
    }

    private static int call2(PlacedFunction f, int a, int b) throws Throwable {
        return (int) callable(f, INT_INT_INT).invokeExact(a, b);
    }

    private static void assertSealed(long address) throws Exception {
        assertEquals("r-xp", ProcMaps.read().at(address).perms(), "code page at 0x" + Long.toHexString(address));
    }

    private void assertNoWritableCode() throws Exception {
        ProcMaps maps = ProcMaps.read();
        for (long[] r : memory.reservedRanges()) {
            for (ProcMaps.Mapping m : maps.overlapping(r[0], r[1])) {
                assertFalse(m.writableAndExecutable(), "rwx mapping " + m);
                assertTrue(m.perms().equals("r-xp") || m.perms().equals("---p"), "code memory is sealed or untouched: " + m);
            }
        }
    }

    @Test
    void placedCodeRunsThroughADowncall() throws Throwable {
        PlacedFunction add = memory.place(SampleCode.x64Add(0, "add"), SymbolResolver.none());
        assertEquals(5, add.size());
        assertEquals(0, add.address() % 16);
        assertEquals(5, call2(add, 2, 3));
        assertEquals(Integer.MIN_VALUE, call2(add, Integer.MAX_VALUE, 1));
        assertSealed(add.address());
        assertNoWritableCode();
    }

    @Test
    void lazilyPlacedFunctionsCallEachOtherThroughARelocation() throws Throwable {
        PlacedFunction add = memory.place(SampleCode.x64Add(0, "add"), SymbolResolver.none());
        PlacedFunction plusOne = memory.place(SampleCode.x64CallPlusOne(1, "add_plus_one", "add"),
                SymbolResolver.of(Map.of("add", add.address())));
        assertEquals(2 + 3 + 1, call2(plusOne, 2, 3));
        assertEquals(0, call2(plusOne, -1, 0));
        long page = VirtualMemory.pageSize();
        assertEquals(0, plusOne.address() % page, "a later placement starts on a fresh page");
        assertNotEquals(add.address() / page, plusOne.address() / page, "a sealed page is never reopened");
        assertSealed(add.address());
        assertSealed(plusOne.address());
        assertNoWritableCode();
    }

    @Test
    void functionsPlacedTogetherShareAPageAndResolveEachOther() throws Throwable {
        long sealedBefore = memory.sealedBytes();
        List<PlacedFunction> placed = memory.placeAll(List.of(
                SampleCode.x64CallPlusOne(1, "add_plus_one", "add"), SampleCode.x64Add(0, "add")), SymbolResolver.none());
        assertEquals(List.of("add_plus_one", "add"), placed.stream().map(PlacedFunction::symbol).toList());
        assertEquals(placed.get(0).address() + 32, placed.get(1).address(), "17 bytes, then 16-byte alignment");
        assertEquals(VirtualMemory.pageSize(), memory.sealedBytes() - sealedBefore);
        assertEquals(10, call2(placed.get(0), 4, 5));
        assertNoWritableCode();
    }

    static int twice(int x) {
        return 2 * x;
    }

    @Test
    @SuppressWarnings("restricted")
    void anAbsoluteRelocationReachesARuntimeHelper() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment helper = Linker.nativeLinker().upcallStub(
                    MethodHandles.lookup().findStatic(ExecutableMemoryTest.class, "twice", MethodType.methodType(int.class, int.class)),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT), arena);
            // movabs rax, kiln_twice (R_X86_64_64 at 2); jmp rax
            MachineCode tail = new MachineCode(Target.X86_64, 0, "tail_twice", SampleCode.hex("48b80000000000000000 ffe0"),
                    List.of(new Relocation(2, SampleCode.R_X86_64_64, "kiln_twice", 0)), List.of(), 0, List.of());
            PlacedFunction f = memory.place(tail, SymbolResolver.of(Map.of("kiln_twice", helper.address())));
            int r = (int) callable(f, FunctionDescriptor.of(JAVA_INT, JAVA_INT)).invokeExact(21);
            assertEquals(42, r);
        }
    }

    @Test
    void aCacheObjectIsPlacedAndRun() throws Throwable {
        KilnObject object = ElfReader.read(ElfWriter.write(SampleCode.identity(Target.X86_64), 2,
                List.of(SampleCode.x64Add(0, "add"), SampleCode.x64CallPlusOne(1, "add_plus_one", "add"))),
                new TestX64RelocationModel());
        List<PlacedFunction> placed = new ArrayList<>();
        // bind lazily, callee first, as the runtime would on first calls
        placed.add(memory.place(object.function(0).orElseThrow(), SymbolResolver.none()));
        placed.add(memory.place(object.function(1).orElseThrow(), SymbolResolver.of(Map.of("add", placed.get(0).address()))));
        assertEquals(101, call2(placed.get(1), 60, 40));
    }

    @Test
    void unresolvedSymbolsFailBeforeAnythingIsPlaced() throws Exception {
        long sealed = memory.sealedBytes();
        var e = assertThrows(LinkException.class,
                () -> memory.place(SampleCode.x64CallPlusOne(1, "add_plus_one", "missing"), SymbolResolver.none()));
        assertEquals("unresolved symbol 'missing' (relocation R_X86_64_PLT32 at offset 5 of function 1 'add_plus_one')", e.getMessage());
        assertEquals(sealed, memory.sealedBytes());
        assertNoWritableCode();
    }

    @Test
    void relocationsThatDoNotFitOrAreUnsupportedFail() {
        PlacedFunction add = memory.place(SampleCode.x64Add(0, "add"), SymbolResolver.none());
        var far = assertThrows(LinkException.class, () -> memory.place(SampleCode.x64CallPlusOne(1, "f", "add"),
                SymbolResolver.of(Map.of("add", add.address() + (1L << 40)))));
        assertTrue(far.getMessage().startsWith("cannot apply R_X86_64_PLT32 against 'add' at offset 5 of function 1 'f': "), far.getMessage());
        MachineCode odd = new MachineCode(Target.X86_64, 2, "odd", new byte[8], List.of(new Relocation(0, 99, "add", 0)),
                List.of(), 0, List.of());
        var unsupported = assertThrows(LinkException.class, () -> memory.place(odd, SymbolResolver.of(Map.of("add", add.address()))));
        assertTrue(unsupported.getMessage().contains("relocation type 99 is not supported by the x86_64 model"), unsupported.getMessage());
        MachineCode past = new MachineCode(Target.X86_64, 3, "past", new byte[6], List.of(new Relocation(4, SampleCode.R_X86_64_PC32, "add", 0)),
                List.of(), 0, List.of());
        assertThrows(LinkException.class, () -> memory.place(past, SymbolResolver.of(Map.of("add", add.address()))));
        assertThrows(IllegalArgumentException.class, () -> memory.place(SampleCode.a64Add(0, "a"), SymbolResolver.none()));
    }

    @Test
    void instructionCacheHookRunsAfterSealing() throws Exception {
        List<String> seen = new ArrayList<>();
        try (ExecutableMemory m = new ExecutableMemory(new TestX64RelocationModel(), (address, length) -> {
            try {
                seen.add(length + " " + ProcMaps.read().at(address).perms());
            } catch (Exception e) {
                seen.add(e.toString());
            }
        }, 1 << 20)) {
            m.placeAll(List.of(SampleCode.x64Add(0, "a"), SampleCode.x64Add(1, "b")), SymbolResolver.none());
        }
        assertEquals(List.of("21 r-xp"), seen);
    }

    @Test
    void manyLazyPlacementsStayCallableInFewMappings() throws Throwable {
        List<PlacedFunction> placed = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            SymbolResolver previous = placed.isEmpty() ? SymbolResolver.none() : SymbolResolver.of(Map.of("f" + (i - 1), placed.getLast().address()));
            MachineCode code = i == 0 ? SampleCode.x64Add(0, "f0") : SampleCode.x64CallPlusOne(i, "f" + i, "f" + (i - 1));
            placed.add(memory.place(code, previous));
        }
        assertEquals(2 + 3 + 199, call2(placed.getLast(), 2, 3));
        assertEquals(200 * VirtualMemory.pageSize(), memory.sealedBytes());
        assertNoWritableCode();
        long[] region = memory.reservedRanges().getFirst();
        List<ProcMaps.Mapping> mappings = ProcMaps.read().overlapping(region[0], region[1]);
        assertTrue(mappings.size() <= 2, "sealed pages merge into one r-x mapping before the untouched rest: " + mappings);
    }

    @Test
    void aFunctionLargerThanARegionGetsItsOwnRegion() throws Throwable {
        try (ExecutableMemory small = new ExecutableMemory(new TestX64RelocationModel(), InstructionCacheMaintenance.NONE, 4096)) {
            byte[] code = new byte[3 * 4096 + 5];
            Arrays.fill(code, (byte) 0x90); // nop sled
            System.arraycopy(SampleCode.hex("89f801f0c3"), 0, code, code.length - 5, 5);
            PlacedFunction f = small.place(new MachineCode(Target.X86_64, 0, "big", code, List.of(), List.of(), 0, List.of()),
                    SymbolResolver.none());
            assertEquals(9, call2(f, 4, 5));
            PlacedFunction g = small.place(SampleCode.x64Add(1, "g"), SymbolResolver.none());
            assertEquals(9, call2(g, 4, 5));
            assertEquals(2, small.reservedRanges().size());
        }
    }

    /** {@code int f() { return value; }} padded to {@code pages} pages. */
    private static MachineCode returning(int value, int pages) {
        byte[] code = new byte[(pages - 1) * (int) VirtualMemory.pageSize() + 6];
        Arrays.fill(code, (byte) 0x90); // nop sled to the end
        int at = code.length - 6;
        code[at] = (byte) 0xb8; // mov eax, imm32; ret
        for (int k = 0; k < 4; k++) code[at + 1 + k] = (byte) (value >>> (8 * k));
        code[at + 5] = (byte) 0xc3;
        return new MachineCode(Target.X86_64, 0, "r" + value, code, List.of(), List.of(), 0, List.of());
    }

    /**
     * Freed pages are reused, and never while live code is in them: random placements (1-3 pages) and
     * frees keep every live function intact and no two live placements share a page. A free list
     * with several blocks is a TreeMap with inner nodes, where reading an entry after removing it
     * named the next block: live pages were handed out twice.
     */
    @Test
    @SuppressWarnings("restricted")
    void reusedPagesNeverOverlapLiveCode() throws Throwable {
        long page = VirtualMemory.pageSize();
        Random random = new Random(12);
        Map<Long, long[]> live = new HashMap<>(); // address -> {end, value}
        int next = 1;
        for (int step = 0; step < 600; step++) {
            if (!live.isEmpty() && random.nextInt(100) < 45) {
                List<Long> keys = new ArrayList<>(live.keySet());
                Collections.sort(keys);
                long victim = keys.get(random.nextInt(keys.size()));
                memory.free(victim);
                live.remove(victim);
                continue;
            }
            int pages = 1 + random.nextInt(3);
            int value = next++;
            PlacedFunction f = memory.place(returning(value, pages), SymbolResolver.none());
            long start = f.address(), end = start + pages * page;
            for (Map.Entry<Long, long[]> e : live.entrySet()) {
                assertTrue(end <= e.getKey() || e.getValue()[0] <= start, "step " + step + ": [0x" + Long.toHexString(start)
                        + ", 0x" + Long.toHexString(end) + ") overlaps live code at 0x" + Long.toHexString(e.getKey()));
            }
            live.put(start, new long[]{end, value});
        }
        for (Map.Entry<Long, long[]> e : live.entrySet()) {
            MethodHandle h = Linker.nativeLinker().downcallHandle(MemorySegment.ofAddress(e.getKey()), FunctionDescriptor.of(JAVA_INT));
            assertEquals((int) e.getValue()[1], (int) h.invokeExact(), "live code at 0x" + Long.toHexString(e.getKey()));
        }
        long liveBytes = live.entrySet().stream().mapToLong(e -> e.getValue()[0] - e.getKey()).sum();
        assertEquals(liveBytes, memory.sealedBytes());
    }

    @Test
    void closedMemoryRefusesPlacement() {
        memory.close();
        assertThrows(IllegalStateException.class, () -> memory.place(SampleCode.x64Add(0, "a"), SymbolResolver.none()));
    }
}
