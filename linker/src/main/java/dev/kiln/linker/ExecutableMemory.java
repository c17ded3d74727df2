package dev.kiln.linker;

import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.Relocation;
import dev.kiln.ir.code.RelocationModel;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * Places native code in executable memory: copies functions into fresh pages while they are
 * read+write, applies their relocations through the target's {@link RelocationModel}, seals the pages
 * read+execute and synchronises the instruction cache; {@link #free} gives a placement's pages back.
 *
 * <p><b>W^X.</b> A page is never writable and executable at once. A sealed page is made writable
 * again only after it was freed: freeing returns the pages to the system (their contents are gone:
 * they read as zero), and a later placement commits them afresh. Each {@link #placeAll} (or
 * {@link #place}) call takes whole pages for the functions it places (functions placed together share
 * pages, 16-byte aligned); since the runtime binds functions lazily, one at a time, each such call
 * costs at least one page.
 *
 * <p><b>Space.</b> Pages come from large reservations of address space, first-fit among freed pages,
 * then from the end of the reservation, so code stays close together (within reach of direct calls
 * while a reservation lasts). A memory made with {@link #ofFixedSize} has one reservation; when it is
 * full, placement fails with {@link CodeSpaceExhaustedException}. Otherwise another reservation is
 * taken.
 *
 * <p>The linker contains no architecture-specific relocation logic: every relocation is applied by
 * the model. Symbols resolve first to the functions of the same call, then through the caller's
 * {@link SymbolResolver}. Placement either succeeds entirely or throws before any page is made
 * executable. Thread-safe.
 */
public final class ExecutableMemory implements AutoCloseable {
    /** Default size of one reservation of address space for code. */
    public static final long DEFAULT_REGION_SIZE = 64L << 20;
    /** Alignment of each placed function. */
    public static final int FUNCTION_ALIGNMENT = ElfConstants.FUNCTION_ALIGNMENT;

    private final RelocationModel model;
    private final InstructionCacheMaintenance icache;
    private final long regionSize;
    private final boolean growable;
    private final RegionListener listener;
    private final List<Region> regions = new ArrayList<>();
    /** Placements by their first address: the region and pages to free. */
    private final Map<Long, Placement> placements = new HashMap<>();
    private long liveBytes;
    private boolean closed;

    /**
     * A reservation: handed out up to {@code used}, and the freed pages below it, by offset (offset ->
     * bytes). Freed pages are inaccessible and hold no physical memory until a placement reuses them.
     */
    private static final class Region {
        final VirtualMemory memory;
        long used;
        final TreeMap<Long, Long> free = new TreeMap<>();

        Region(VirtualMemory memory) {
            this.memory = memory;
        }
    }

    private record Placement(Region region, long offset, long bytes) {
    }

    /** Code memory for {@code model}'s target, with no instruction-cache maintenance (x86-64). */
    public ExecutableMemory(RelocationModel model) {
        this(model, InstructionCacheMaintenance.NONE, DEFAULT_REGION_SIZE);
    }

    /**
     * @param model      applies the target's relocation types
     * @param icache     called after each range of new code is sealed
     * @param regionSize bytes of address space to reserve at a time (rounded up to pages)
     */
    public ExecutableMemory(RelocationModel model, InstructionCacheMaintenance icache, long regionSize) {
        this(model, icache, regionSize, true, (start, end) -> { });
    }

    /** Told of each range of address space reserved for code, before any code is placed in it. */
    @FunctionalInterface
    public interface RegionListener {
        void reserved(long start, long end);
    }

    /**
     * As {@link #ExecutableMemory(RelocationModel, InstructionCacheMaintenance, long)}, telling
     * {@code listener} of every code region (e.g. a fault handler that must recognise code addresses).
     */
    public ExecutableMemory(RelocationModel model, InstructionCacheMaintenance icache, long regionSize, RegionListener listener) {
        this(model, icache, regionSize, true, listener);
    }

    private ExecutableMemory(RelocationModel model, InstructionCacheMaintenance icache, long regionSize, boolean growable,
                             RegionListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        this.model = Objects.requireNonNull(model, "model");
        this.icache = Objects.requireNonNull(icache, "icache");
        if (regionSize <= 0) throw new IllegalArgumentException("region size must be positive");
        this.regionSize = ElfConstants.alignUp(regionSize, VirtualMemory.pageSize());
        this.growable = growable;
    }

    /**
     * Code memory of exactly {@code size} bytes of address space (one reservation, taken at once):
     * every placement stays within reach of every other, and placing more than fits throws
     * {@link CodeSpaceExhaustedException}.
     */
    public static ExecutableMemory ofFixedSize(RelocationModel model, InstructionCacheMaintenance icache, long size) {
        return ofFixedSize(model, icache, size, (start, end) -> { });
    }

    /** As {@link #ofFixedSize(RelocationModel, InstructionCacheMaintenance, long)}, telling {@code listener} of the region. */
    public static ExecutableMemory ofFixedSize(RelocationModel model, InstructionCacheMaintenance icache, long size,
                                               RegionListener listener) {
        ExecutableMemory m = new ExecutableMemory(model, icache, size, false, listener);
        synchronized (m) {
            Region r = new Region(VirtualMemory.reserve(m.regionSize));
            listener.reserved(r.memory.address(), r.memory.address() + r.memory.size());
            m.regions.add(r);
        }
        return m;
    }

    /** Places one function; see {@link #placeAll}. */
    public PlacedFunction place(MachineCode function, SymbolResolver resolver) {
        return placeAll(List.of(function), resolver).getFirst();
    }

    /**
     * Places {@code functions} together in fresh pages and returns where each one went, in the same order.
     *
     * @throws LinkException          when a relocation cannot be applied (nothing is placed then)
     * @throws IllegalArgumentException when a function is for another target than the model, or symbols repeat
     * @throws NativeMemoryException  when the system refuses memory
     */
    public synchronized List<PlacedFunction> placeAll(List<MachineCode> functions, SymbolResolver resolver) {
        Objects.requireNonNull(resolver, "resolver");
        if (closed) throw new IllegalStateException("this ExecutableMemory was closed");
        if (functions.isEmpty()) return List.of();

        // layout within the batch
        long[] offsets = new long[functions.size()];
        long size = 0;
        Map<String, Integer> batchSymbols = new HashMap<>();
        for (int i = 0; i < functions.size(); i++) {
            MachineCode m = functions.get(i);
            if (m.target() != model.target()) {
                throw new IllegalArgumentException("function '" + m.symbol() + "' is " + m.target() + " code, but the relocation model is for "
                        + model.target());
            }
            if (batchSymbols.put(m.symbol(), i) != null) throw new IllegalArgumentException("symbol '" + m.symbol() + "' placed twice in one batch");
            offsets[i] = ElfConstants.alignUp(size, FUNCTION_ALIGNMENT);
            size = offsets[i] + m.code().length;
        }
        long page = VirtualMemory.pageSize();
        long pages = ElfConstants.alignUp(Math.max(size, 1), page);

        // where the batch will go (nothing is committed yet)
        Placement at = allocate(pages);
        VirtualMemory region = at.region().memory;
        long regionOffset = at.offset();
        long base = region.address() + regionOffset;

        // relocate copies in Java; any failure leaves memory untouched
        List<byte[]> patched = new ArrayList<>(functions.size());
        try {
            for (int i = 0; i < functions.size(); i++) {
                MachineCode m = functions.get(i);
                byte[] code = m.code().clone();
                long functionAddress = base + offsets[i];
                for (Relocation r : m.relocations()) {
                    applyRelocation(m, code, r, functionAddress, resolve(r, m, batchSymbols, offsets, base, resolver));
                }
                patched.add(code);
            }
        } catch (RuntimeException e) {
            release(at); // untouched: back to the free pages
            throw e;
        }

        // fresh pages: read+write, copy, seal read+execute, synchronise caches
        placements.put(base, at); // freed by free(base) even if a system call below fails
        liveBytes += pages;
        region.commit(regionOffset, pages);
        MemorySegment target = region.segment(regionOffset, pages);
        for (int i = 0; i < patched.size(); i++) {
            byte[] code = patched.get(i);
            MemorySegment.copy(code, 0, target, ValueLayout.JAVA_BYTE, offsets[i], code.length);
        }
        region.sealExecutable(regionOffset, pages);
        icache.synchronize(base, size);

        List<PlacedFunction> out = new ArrayList<>(functions.size());
        for (int i = 0; i < functions.size(); i++) {
            MachineCode m = functions.get(i);
            out.add(new PlacedFunction(m.symbol(), m.funcIndex(), base + offsets[i], m.code().length));
        }
        return List.copyOf(out);
    }

    private long resolve(Relocation r, MachineCode m, Map<String, Integer> batchSymbols, long[] offsets, long base,
                         SymbolResolver resolver) {
        Integer local = batchSymbols.get(r.symbol());
        if (local != null) return base + offsets[local];
        OptionalLong a = resolver.address(r.symbol());
        if (a.isEmpty()) {
            throw new LinkException("unresolved symbol '" + r.symbol() + "' (relocation " + model.name(r.type()) + " at offset "
                    + r.offset() + " of function " + m.funcIndex() + " '" + m.symbol() + "')");
        }
        return a.getAsLong();
    }

    private void applyRelocation(MachineCode m, byte[] code, Relocation r, long functionAddress, long symbolAddress) {
        String where = model.name(r.type()) + " against '" + r.symbol() + "' at offset " + r.offset() + " of function "
                + m.funcIndex() + " '" + m.symbol() + "'";
        if (!model.supports(r.type())) {
            throw new LinkException("relocation type " + Integer.toUnsignedString(r.type()) + " is not supported by the "
                    + model.target() + " model (" + where + ")");
        }
        if (r.offset() < 0 || r.offset() >= code.length) {
            throw new LinkException("relocation outside the function's " + code.length + " bytes (" + where + ")");
        }
        try {
            model.apply(code, r.offset(), r.type(), symbolAddress, r.addend(), functionAddress + r.offset());
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new LinkException("cannot apply " + where + ": " + e.getMessage(), e);
        }
    }

    /** Pages for a placement: first fit among freed pages, then the end of a reservation, then a new one. */
    private Placement allocate(long bytes) {
        for (Region r : regions) {
            for (Map.Entry<Long, Long> f : r.free.entrySet()) {
                // key and length are read before the removal: TreeMap reuses a removed inner node for its
                // successor, so afterwards the entry names the next free block (that handed out live pages
                // twice as soon as freeing made the free list branch: the crashes of issue 12, item 6)
                long offset = f.getKey(), length = f.getValue();
                if (length < bytes) continue;
                r.free.remove(offset);
                if (length > bytes) r.free.put(offset + bytes, length - bytes);
                return new Placement(r, offset, bytes);
            }
        }
        for (Region r : regions) {
            if (r.memory.size() - r.used >= bytes) {
                long offset = r.used;
                r.used += bytes;
                return new Placement(r, offset, bytes);
            }
        }
        if (!growable && !regions.isEmpty()) {
            throw new CodeSpaceExhaustedException("no room for " + bytes + " more bytes of native code: " + liveBytes + " of "
                    + regionSize + " bytes are in use");
        }
        Region fresh = new Region(VirtualMemory.reserve(Math.max(regionSize, bytes)));
        listener.reserved(fresh.memory.address(), fresh.memory.address() + fresh.memory.size());
        regions.add(fresh);
        fresh.used = bytes;
        return new Placement(fresh, 0, bytes);
    }

    /** Returns a placement's pages to the free pages (merged with free neighbours, or the unused end). */
    private void release(Placement p) {
        long start = p.offset(), end = p.offset() + p.bytes();
        Region r = p.region();
        Map.Entry<Long, Long> before = r.free.floorEntry(start);
        if (before != null && before.getKey() + before.getValue() == start) {
            start = before.getKey();
            r.free.remove(before.getKey());
        }
        Long after = r.free.get(end);
        if (after != null) {
            r.free.remove(end);
            end += after;
        }
        if (end == r.used) r.used = start;
        else r.free.put(start, end - start);
    }

    /**
     * Frees the placement whose first function was placed at {@code address} (every function placed
     * with it): its pages go back to the system (inaccessible until reused) and are reused by later
     * placements (first fit). No code of the placement may be running or be called
     * afterwards.
     *
     * @throws IllegalArgumentException when no placement starts at {@code address}
     */
    public synchronized void free(long address) {
        if (closed) return;
        Placement p = placements.remove(address);
        if (p == null) throw new IllegalArgumentException("no placement starts at 0x" + Long.toHexString(address));
        liveBytes -= p.bytes();
        p.region().memory.decommit(p.offset(), p.bytes()); // back to the system; a stray jump there faults
        release(p);
    }

    /** Bytes of address space reserved for code. */
    public synchronized long reservedBytes() {
        return regions.stream().mapToLong(r -> r.memory.size()).sum();
    }

    /** Bytes of pages that hold sealed code now (placed and not freed). */
    public synchronized long sealedBytes() {
        return liveBytes;
    }

    /** The reserved ranges as {start, end} pairs (for diagnostics and tests). */
    synchronized List<long[]> reservedRanges() {
        return regions.stream().map(r -> new long[]{r.memory.address(), r.memory.address() + r.memory.size()}).toList();
    }

    /**
     * Unmaps all code. No placed function may be running or be called afterwards. Closing twice does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (Region r : regions) r.memory.close();
        regions.clear();
        placements.clear();
    }
}
