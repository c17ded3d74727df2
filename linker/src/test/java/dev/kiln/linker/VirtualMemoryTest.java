package dev.kiln.linker;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Reserving, committing, decommitting and releasing address space through FFM. */
class VirtualMemoryTest {
    private static final long GIB = 1L << 30;

    @BeforeAll
    static void linuxOnly() {
        assumeTrue(System.getProperty("os.name").startsWith("Linux"), "Linux only");
    }

    @Test
    void pageSizeIsAPowerOfTwo() {
        long p = VirtualMemory.pageSize();
        assertTrue(p >= 4096 && Long.bitCount(p) == 1, "page size " + p);
    }

    @Test
    void an8GiBReservationIsInaccessibleUntilCommitted() throws Exception {
        try (VirtualMemory vm = VirtualMemory.reserve(8 * GIB)) {
            assertEquals(8 * GIB, vm.size());
            assertEquals(0, vm.address() % VirtualMemory.pageSize());
            for (ProcMaps.Mapping m : ProcMaps.read().overlapping(vm.address(), vm.address() + vm.size())) {
                assertEquals("---p", m.perms(), "reserved space is PROT_NONE");
            }
            long page = VirtualMemory.pageSize();
            long high = 4 * GIB - 16 * page;
            vm.commit(0, 64 * 1024);
            vm.commit(high, 16 * page);
            assertEquals(64 * 1024 + 16 * page, vm.committedBytes());
            MemorySegment low = vm.segment(0, 64 * 1024);
            low.set(ValueLayout.JAVA_LONG, 8, 0x1122334455667788L);
            assertEquals(0x1122334455667788L, low.get(ValueLayout.JAVA_LONG, 8));
            MemorySegment top = vm.segment(high, 16 * page);
            top.set(ValueLayout.JAVA_INT, 16 * page - 4, 42);
            assertEquals(42, top.get(ValueLayout.JAVA_INT, 16 * page - 4));

            ProcMaps maps = ProcMaps.read();
            assertEquals("rw-p", maps.at(vm.address()).perms());
            assertEquals("rw-p", maps.at(vm.address() + high).perms());
            assertEquals("---p", maps.at(vm.address() + 64 * 1024).perms());
            assertEquals("---p", maps.at(vm.address() + 4 * GIB).perms(), "the guard half stays inaccessible");
        }
    }

    @Test
    void decommittedPagesAreInaccessibleAndComeBackZeroed() {
        try (VirtualMemory vm = VirtualMemory.reserve(GIB)) {
            long page = VirtualMemory.pageSize();
            vm.commit(0, 4 * page);
            vm.segment(page, page).fill((byte) 0x5a);
            vm.decommit(page, 2 * page);
            assertFalse(vm.isCommitted(page, 1));
            assertTrue(vm.isCommitted(0, page));
            assertTrue(vm.isCommitted(3 * page, page));
            assertThrows(IllegalStateException.class, () -> vm.segment(0, 2 * page));
            vm.commit(page, page);
            assertEquals(0, vm.segment(page, page).get(ValueLayout.JAVA_BYTE, 10), "recommitted pages read as zero");
            assertEquals(3 * page, vm.committedBytes());
        }
    }

    @Test
    void manyLinearMemoryReservationsCoexist() {
        List<VirtualMemory> all = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) all.add(VirtualMemory.reserve(8 * GIB)); // 64 GiB of address space
            for (VirtualMemory vm : all) vm.commit(0, VirtualMemory.pageSize());
        } finally {
            all.forEach(VirtualMemory::close);
        }
    }

    @Test
    void badRangesAreRefused() {
        try (VirtualMemory vm = VirtualMemory.reserve(1 << 20)) {
            long page = VirtualMemory.pageSize();
            assertThrows(IllegalArgumentException.class, () -> vm.commit(1, page));
            assertThrows(IllegalArgumentException.class, () -> vm.commit(-page, page));
            assertThrows(IllegalArgumentException.class, () -> vm.commit(0, 0));
            assertThrows(IllegalArgumentException.class, () -> vm.commit(0, (1 << 20) + 1));
            assertThrows(IllegalArgumentException.class, () -> vm.commit(1 << 20, page));
            assertThrows(IllegalArgumentException.class, () -> vm.decommit(page, Long.MAX_VALUE));
            assertThrows(IllegalStateException.class, () -> vm.segment(0, 1), "not committed");
            assertThrows(IllegalArgumentException.class, () -> VirtualMemory.reserve(0));
        }
    }

    @Test
    void failuresReportErrno() {
        var e = assertThrows(NativeMemoryException.class, () -> VirtualMemory.reserve(1L << 62));
        assertEquals(12, e.errno(), e.getMessage());
        assertTrue(e.getMessage().startsWith("mmap(4611686018427387904 bytes, PROT_NONE) failed: errno 12 ("), e.getMessage());
    }

    @Test
    void releaseUnmapsAndInvalidatesSegments() throws Exception {
        VirtualMemory vm = VirtualMemory.reserve(1 << 20);
        vm.commit(0, 1 << 20);
        MemorySegment s = vm.segment(0, 1 << 20);
        s.set(ValueLayout.JAVA_INT, 0, 7);
        long address = vm.address();
        vm.close();
        vm.close();
        assertTrue(vm.isReleased());
        assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_INT, 0), "segments die with the reservation");
        assertThrows(IllegalStateException.class, () -> vm.commit(0, 4096));
        assertThrows(IllegalStateException.class, () -> vm.segment(0, 4));
        assertTrue(ProcMaps.read().overlapping(address, address + (1 << 20)).isEmpty(), "the range is unmapped");
    }
}
