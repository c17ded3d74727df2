package dev.kiln.interpreter.gc;

import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A store's GC heap: objects in native memory (chunks of {@link #CHUNK_BYTES}, larger objects in
 * a chunk of their own), reached with plain loads and stores at their address. Non-moving
 * mark-sweep: a collection marks from the roots the runtime reports ({@link GcRoots}: exact for
 * globals, tables, segments and exceptions; conservative for interpreter frames: any word that is
 * the address of an object keeps it), then sweeps each chunk into free runs that allocation
 * bump-allocates from. Chunks left empty are released (the heap shrinks); a collection runs on the
 * allocating thread when the bytes allocated since the last one reach what survived it (at least
 * {@link #MIN_TRIGGER}), or when the cap would be passed. Past the cap even after a collection,
 * allocation traps ({@link TrapKind#OUT_OF_GC_MEMORY}); the JVM's own heap is never involved.
 *
 * <p>Which words start an object and which are marked is kept beside the chunk (bit sets, one bit
 * per 8 bytes), so a word can be checked for being an object's address in constant time (after a
 * lookup of its chunk). Not thread-safe: a store runs guest code on one thread at a time.
 */
public final class GcHeap implements AutoCloseable {
    public static final long CHUNK_BYTES = 1 << 20;
    static final long MIN_TRIGGER = 1 << 20;
    private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    private final GcTypeRegistry types;
    private final long maxBytes;
    private GcRoots roots;
    private HostObjectTracer hostObjects;
    private final List<Chunk> chunks = new ArrayList<>();
    private final TreeMap<Long, Chunk> byBase = new TreeMap<>();
    private int chunkIndex;
    private long committed;
    private long allocatedSinceCollection;
    private long liveAfterCollection;
    private int collectionsDeferred;
    private long collections;
    private long allocatedBytes;
    private long[] work = new long[256];
    /** How long each collection took (nanoseconds), the last {@link #PAUSES_KEPT}. */
    private final long[] pauses = new long[PAUSES_KEPT];
    private static final int PAUSES_KEPT = 1 << 16;
    private int workTop;
    /**
     * The window native code bump-allocates from: the address of two words, cursor and limit
     * ({@code ExecutionStateLayout.GC_CURSOR}/{@code GC_LIMIT}), 0 when the heap has no native
     * window. {@link #windowChunk} is the chunk the window was carved from, {@link #windowScanned}
     * how far its objects are known (start bits set, bytes counted).
     */
    private long window;
    private Chunk windowChunk;
    private long windowScanned;
    private long windowEnd;
    private long inlineObjects;

    private static final class Chunk {
        final Arena arena = Arena.ofShared();
        final long base;
        final long size;
        final BitSet starts = new BitSet();
        final BitSet marks = new BitSet();
        /** Free runs as {start, end} pairs (addresses), in address order; allocation takes from run {@link #run}. */
        long[] runs;
        int runCount;
        int run;
        long cursor;
        long limit;

        Chunk(long size) {
            this.size = size;
            this.base = arena.allocate(size, 16).address();
            runs = new long[] {base, base + size};
            runCount = 1;
            cursor = base;
            limit = base + size;
        }

        long allocate(long bytes) {
            while (true) {
                if (limit - cursor >= bytes) {
                    long a = cursor;
                    cursor += bytes;
                    return a;
                }
                if (++run >= runCount) {
                    run = runCount;
                    cursor = limit = 0;
                    return 0;
                }
                cursor = runs[2 * run];
                limit = runs[2 * run + 1];
            }
        }
    }

    public GcHeap(GcTypeRegistry types, long maxBytes) {
        this.types = types;
        this.maxBytes = maxBytes;
    }

    /**
     * Lets native code allocate inline: {@code cursorAndLimit} is the address of two words
     * (cursor, limit) the heap keeps the current window in. Native code bumps the cursor past an
     * object it writes (header first) while it stays at or below the limit, and calls the runtime
     * otherwise. The heap brings its start bits and counts up to date from the objects' headers
     * ({@link #syncWindow}) before anything reads them. The limit is clipped to what may be
     * allocated before the next collection is due, so collections are triggered where they were.
     */
    public void window(long cursorAndLimit) {
        retireWindow();
        this.window = cursorAndLimit;
        publishWindow();
    }

    /** Marks the objects native code allocated in the window since the last look (start bits, bytes allocated). */
    private void syncWindow() {
        if (windowChunk == null) return;
        long cursor = ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, window);
        Chunk c = windowChunk;
        while (windowScanned < cursor) {
            long a = windowScanned;
            c.starts.set((int) ((a - c.base) >>> 3));
            long bytes = bytesOf(a);
            allocatedSinceCollection += bytes;
            allocatedBytes += bytes;
            inlineObjects++;
            windowScanned = a + bytes;
        }
    }

    /** Takes the window back from native code: its objects known, its unused rest back to its chunk. */
    private void retireWindow() {
        if (windowChunk == null) return;
        syncWindow();
        if (windowChunk.cursor == windowEnd) windowChunk.cursor = windowScanned;
        windowChunk = null;
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, window, 0L);
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, window + 8, 0L);
    }

    /**
     * Gives native code the rest of the current free run as its window, at most what may be
     * allocated before a collection is due (none while collections are deferred). Free memory is
     * not zeroed: native code writes every field of an object it makes.
     */
    private void publishWindow() {
        if (window == 0 || collectionsDeferred != 0 || roots == null || chunkIndex >= chunks.size()) return;
        Chunk c = chunks.get(chunkIndex);
        long budget = Math.max(MIN_TRIGGER, liveAfterCollection) - allocatedSinceCollection;
        long end = Math.min(c.limit, c.cursor + Math.max(0, budget)) & -8L;
        if (end <= c.cursor) return;
        windowChunk = c;
        windowScanned = c.cursor;
        windowEnd = end;
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, window + 8, end);
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, window, c.cursor);
        c.cursor = end;
    }

    /** Sets where collections find their roots (the runtime's store). */
    public void roots(GcRoots roots) {
        this.roots = roots;
    }

    /**
     * The table of host objects (externref values {@code ...010}) a collection also marks and
     * sweeps: {@link HostObjectTracer#mark} for each such word reached (from a root or a field),
     * then {@link HostObjectTracer#sweep} once marking is done.
     */
    public interface HostObjectTracer {
        void mark(long hostRef);

        void sweep();
    }

    /** Sets the host-object table collections mark and sweep (the runtime's store). */
    public void hostObjects(HostObjectTracer tracer) {
        this.hostObjects = tracer;
    }

    /** Collects now unless collections are deferred (the runtime asking for host objects to be freed). */
    public void collectIfAllowed() {
        if (collectionsDeferred == 0 && roots != null) collect();
    }

    public GcTypeRegistry types() {
        return types;
    }

    /**
     * A new zeroed object of type {@code t} ({@code length} elements for an array); may collect
     * first. Traps when it cannot fit under the heap's cap.
     */
    public long allocate(GcType t, long length) {
        retireWindow();
        long a = allocateOutsideWindow(t, length);
        publishWindow();
        return a;
    }

    private long allocateOutsideWindow(GcType t, long length) {
        long bytes = t.objectBytes(length);
        if (bytes < 0 || bytes > maxBytes) throw new TrapException(TrapKind.OUT_OF_GC_MEMORY);
        // the header keeps the length in 32 bits, read back as a signed int: past 2^31 - 1 elements is refused
        if (length > Integer.MAX_VALUE) throw new TrapException(TrapKind.ALLOCATION_TOO_LARGE);
        if (allocatedSinceCollection >= Math.max(MIN_TRIGGER, liveAfterCollection) && collectionsDeferred == 0 && roots != null) collectAndSweep();
        long a = tryAllocate(bytes);
        if (a == 0) a = slowAllocate(bytes);
        ALL.asSlice(a, bytes).fill((byte) 0);
        ALL.set(ValueLayout.JAVA_LONG_UNALIGNED, a, (long) t.id | length << 32);
        Chunk c = chunkOf(a);
        c.starts.set((int) ((a - c.base) >>> 3));
        allocatedSinceCollection += bytes;
        allocatedBytes += bytes;
        return a;
    }

    private long tryAllocate(long bytes) {
        while (chunkIndex < chunks.size()) {
            long a = chunks.get(chunkIndex).allocate(bytes);
            if (a != 0) return a;
            chunkIndex++;
        }
        return 0;
    }

    private long slowAllocate(long bytes) {
        long chunkBytes = Math.max(CHUNK_BYTES, bytes);
        if (committed + chunkBytes > maxBytes && collectionsDeferred == 0 && roots != null) {
            collectAndSweep();
            long a = tryAllocate(bytes);
            if (a != 0) return a;
        }
        if (committed + chunkBytes > maxBytes) {
            chunkBytes = Math.max(bytes, (maxBytes - committed) & -8L);
            if (committed + chunkBytes > maxBytes || chunkBytes < bytes) throw new TrapException(TrapKind.OUT_OF_GC_MEMORY);
        }
        Chunk c;
        try {
            c = new Chunk(chunkBytes);
        } catch (OutOfMemoryError e) {
            throw new TrapException(TrapKind.OUT_OF_GC_MEMORY);
        }
        chunks.add(c);
        byBase.put(c.base, c);
        committed += chunkBytes;
        chunkIndex = chunks.size() - 1;
        return c.allocate(bytes);
    }

    /** While {@code n} > 0 no collection runs (the runtime evaluating constant expressions, whose values are not roots yet). */
    public void deferCollections(boolean defer) {
        retireWindow();
        collectionsDeferred += defer ? 1 : -1;
        publishWindow();
    }

    private Chunk chunkOf(long address) {
        Map.Entry<Long, Chunk> e = byBase.floorEntry(address);
        if (e == null) return null;
        Chunk c = e.getValue();
        return address - c.base < c.size ? c : null;
    }

    /** Whether {@code word} is the address of a live object of this heap. */
    public boolean isObject(long word) {
        if (!GcRefs.isObject(word)) return false;
        syncWindow();
        Chunk c = chunkOf(word);
        return c != null && c.starts.get((int) ((word - c.base) >>> 3));
    }

    /** The type of the object at {@code ref}. */
    public GcType typeOf(long ref) {
        return types.byId((int) ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, ref));
    }

    /** An array's length. */
    public static int length(long ref) {
        return (int) (ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, ref) >>> 32);
    }

    /** Marks from the roots and frees what they do not reach. */
    public void collect() {
        retireWindow();
        collectAndSweep();
        publishWindow();
    }

    private void collectAndSweep() {
        long start = System.nanoTime();
        collections++;
        for (Chunk c : chunks) c.marks.clear();
        workTop = 0;
        roots.report(this::mark);
        while (workTop > 0) scan(work[--workTop]);
        sweep();
        if (hostObjects != null) hostObjects.sweep();
        pauses[(int) ((collections - 1) % PAUSES_KEPT)] = System.nanoTime() - start;
    }

    /** How long the collections took, in nanoseconds (the last 65 536), oldest first. */
    public long[] pauseNanos() {
        int n = (int) Math.min(collections, PAUSES_KEPT);
        long[] out = new long[n];
        for (int k = 0; k < n; k++) out[k] = pauses[(int) ((collections - n + k) % PAUSES_KEPT)];
        return out;
    }

    private void mark(long word) {
        if (GcRefs.isHost(word)) {
            if (hostObjects != null) hostObjects.mark(word);
            return;
        }
        if (!GcRefs.isObject(word)) return;
        Chunk c = chunkOf(word);
        if (c == null) return;
        int bit = (int) ((word - c.base) >>> 3);
        if (!c.starts.get(bit) || c.marks.get(bit)) return;
        c.marks.set(bit);
        if (workTop == work.length) work = Arrays.copyOf(work, workTop * 2);
        work[workTop++] = word;
    }

    private void scan(long obj) {
        GcType t = typeOf(obj);
        if (t.kind == GcType.Kind.STRUCT) {
            for (int f = 0; f < t.refs.length; f++) {
                if (t.refs[f]) mark(ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, obj + t.offsets[f]));
            }
        } else if (t.refs[0]) {
            int n = length(obj);
            for (int i = 0; i < n; i++) mark(ALL.get(ValueLayout.JAVA_LONG_UNALIGNED, obj + GcType.HEADER + 8L * i));
        }
    }

    private long bytesOf(long obj) {
        GcType t = typeOf(obj);
        return t.objectBytes(t.kind == GcType.Kind.ARRAY ? length(obj) : 0);
    }

    private void sweep() {
        long live = 0;
        List<Chunk> keep = new ArrayList<>(chunks.size());
        for (Chunk c : chunks) {
            c.starts.and(c.marks);
            long[] runs = new long[8];
            int n = 0;
            long free = c.base;
            for (int bit = c.starts.nextSetBit(0); bit >= 0; bit = c.starts.nextSetBit(bit + 1)) {
                long obj = c.base + ((long) bit << 3);
                if (obj > free) {
                    if (2 * n + 2 > runs.length) runs = Arrays.copyOf(runs, runs.length * 2);
                    runs[2 * n] = free;
                    runs[2 * n + 1] = obj;
                    n++;
                }
                long b = bytesOf(obj);
                live += b;
                free = obj + b;
            }
            if (free == c.base) { // nothing lives here: give the chunk back
                byBase.remove(c.base);
                committed -= c.size;
                c.arena.close();
                continue;
            }
            if (free < c.base + c.size) {
                if (2 * n + 2 > runs.length) runs = Arrays.copyOf(runs, runs.length * 2);
                runs[2 * n] = free;
                runs[2 * n + 1] = c.base + c.size;
                n++;
            }
            c.runs = runs;
            c.runCount = n;
            c.run = 0;
            c.cursor = n > 0 ? runs[0] : 0;
            c.limit = n > 0 ? runs[1] : 0;
            keep.add(c);
        }
        chunks.clear();
        chunks.addAll(keep);
        chunkIndex = 0;
        liveAfterCollection = live;
        allocatedSinceCollection = 0;
    }

    /** Collections so far. */
    public long collections() {
        return collections;
    }

    /** Bytes of native memory the heap holds now. */
    public long committedBytes() {
        return committed;
    }

    /** Bytes allocated since the heap was made. */
    public long allocatedBytes() {
        syncWindow();
        return allocatedBytes;
    }

    /** Objects native code allocated inline (in the window, without calling the runtime). */
    public long objectsAllocatedInline() {
        syncWindow();
        return inlineObjects;
    }

    /** Bytes that survived the last collection. */
    public long liveBytesAfterLastCollection() {
        return liveAfterCollection;
    }

    @Override
    public void close() {
        windowChunk = null;
        window = 0;
        for (Chunk c : chunks) c.arena.close();
        chunks.clear();
        byBase.clear();
        committed = 0;
    }
}
