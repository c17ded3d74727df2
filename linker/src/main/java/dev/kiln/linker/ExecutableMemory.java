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

/**
 * Places native code in executable memory: copies functions into fresh pages while they are
 * read+write, applies their relocations through the target's {@link RelocationModel}, seals the pages
 * read+execute and synchronises the instruction cache.
 *
 * <p><b>W^X.</b> A page is never writable and executable at once, and a page that was sealed is never
 * made writable again. Each {@link #placeAll} (or {@link #place}) call takes fresh pages for the
 * functions it places (functions placed together share pages, 16-byte aligned); since the runtime binds
 * functions lazily, one at a time, each such call costs at least one page. Pages come from large
 * reservations taken one after another, so code stays close together (within reach of direct calls
 * on AArch64 while a reservation lasts) and sealed pages merge into few kernel mappings.
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
    private final List<VirtualMemory> regions = new ArrayList<>();
    private final RegionListener listener;
    private long used; // bytes of the last region already handed out (page multiple)
    private long sealedBytes;
    private boolean closed;

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
        this(model, icache, regionSize, (start, end) -> { });
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
        this.listener = Objects.requireNonNull(listener, "listener");
        this.model = Objects.requireNonNull(model, "model");
        this.icache = Objects.requireNonNull(icache, "icache");
        if (regionSize <= 0) throw new IllegalArgumentException("region size must be positive");
        this.regionSize = ElfConstants.alignUp(regionSize, VirtualMemory.pageSize());
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
        VirtualMemory region = regionWithRoom(pages);
        long regionOffset = used;
        long base = region.address() + regionOffset;

        // relocate copies in Java; any failure leaves memory untouched
        List<byte[]> patched = new ArrayList<>(functions.size());
        for (int i = 0; i < functions.size(); i++) {
            MachineCode m = functions.get(i);
            byte[] code = m.code().clone();
            long functionAddress = base + offsets[i];
            for (Relocation r : m.relocations()) {
                applyRelocation(m, code, r, functionAddress, resolve(r, m, batchSymbols, offsets, base, resolver));
            }
            patched.add(code);
        }

        // fresh pages: read+write, copy, seal read+execute, synchronise caches
        used += pages; // consumed even if a system call below fails: these pages are never reused
        region.commit(regionOffset, pages);
        MemorySegment target = region.segment(regionOffset, pages);
        for (int i = 0; i < patched.size(); i++) {
            byte[] code = patched.get(i);
            MemorySegment.copy(code, 0, target, ValueLayout.JAVA_BYTE, offsets[i], code.length);
        }
        region.sealExecutable(regionOffset, pages);
        sealedBytes += pages;
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

    private VirtualMemory regionWithRoom(long bytes) {
        if (!regions.isEmpty()) {
            VirtualMemory last = regions.getLast();
            if (last.size() - used >= bytes) return last;
        }
        VirtualMemory fresh = VirtualMemory.reserve(Math.max(regionSize, bytes));
        listener.reserved(fresh.address(), fresh.address() + fresh.size());
        regions.add(fresh);
        used = 0;
        return fresh;
    }

    /** Bytes of address space reserved for code. */
    public synchronized long reservedBytes() {
        return regions.stream().mapToLong(VirtualMemory::size).sum();
    }

    /** Bytes of pages that hold sealed code. */
    public synchronized long sealedBytes() {
        return sealedBytes;
    }

    /** The reserved ranges as {start, end} pairs (for diagnostics and tests). */
    synchronized List<long[]> reservedRanges() {
        return regions.stream().map(r -> new long[]{r.address(), r.address() + r.size()}).toList();
    }

    /**
     * Unmaps all code. No placed function may be running or be called afterwards. Closing twice does nothing.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        for (VirtualMemory r : regions) r.close();
        regions.clear();
    }
}
