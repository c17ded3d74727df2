package dev.kiln.linker;

import dev.kiln.ir.code.RelocationModel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The on-disk store of compiled objects: one file {@code <key>.o} per {@link CacheKey} in one
 * directory (see {@link CacheLocation} for where).
 *
 * <p>Writes are atomic: an object is written to a temporary file in the same directory, forced to
 * disk and renamed over the entry, so a reader sees the old entry, the new one or none, never part
 * of one. Any number of threads and processes may store and load the same key at once.
 *
 * <p>Reads verify: {@link #load} parses the entry with {@link ElfReader} (every byte is covered by the
 * object's integrity digest) and checks that it was built for the requested {@link BuildIdentity}.
 * An entry that fails is removed and reported as {@link CacheLookup.Corrupt}; it is never returned.
 */
public final class CodeCache {
    /** The file extension of entries. */
    public static final String EXTENSION = ".o";
    /** Entries larger than this are treated as corrupt rather than read into memory. */
    public static final long MAX_ENTRY_SIZE = 1L << 30;
    /** Temporary files older than this are leftovers of interrupted writes. */
    static final Duration STALE_TEMPORARY = Duration.ofHours(1);
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path directory;

    /** A cache in {@code directory} (created on the first store). */
    public CodeCache(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** The cache at {@link CacheLocation#defaultDirectory()}. */
    public static CodeCache atDefaultLocation() {
        return new CodeCache(CacheLocation.defaultDirectory());
    }

    public Path directory() {
        return directory;
    }

    /** The file of {@code key}'s entry. */
    public Path pathOf(CacheKey key) {
        return directory.resolve(key.hex() + EXTENSION);
    }

    /**
     * Stores {@code object} under the key of the identity it records, atomically; returns that key.
     *
     * @throws IllegalArgumentException when {@code object} does not verify (a corrupt object is never cached)
     */
    public CacheKey store(byte[] object) throws IOException {
        CacheKey key = parseForStore(object).identity().cacheKey();
        write(key, object);
        return key;
    }

    /**
     * Stores {@code object} as the entry for {@code key}, atomically, replacing any previous entry.
     *
     * @throws IllegalArgumentException when {@code object} does not verify or was built for an identity whose key is not {@code key}
     */
    public void store(CacheKey key, byte[] object) throws IOException {
        Objects.requireNonNull(key, "key");
        CacheKey actual = parseForStore(object).identity().cacheKey();
        if (!actual.equals(key)) {
            throw new IllegalArgumentException("the object was built for key " + actual + ", not " + key);
        }
        write(key, object);
    }

    private static KilnObject parseForStore(byte[] object) {
        try {
            return ElfReader.read(object);
        } catch (CorruptObjectException e) {
            throw new IllegalArgumentException("refusing to cache an object that does not verify: " + e.getMessage(), e);
        }
    }

    /**
     * Stores {@code object}, an object in the mapped format ({@link LinkedObjectWriter}) for {@code identity},
     * atomically; it is checked whole (headers, every block, the whole-file digest) before it replaces anything.
     */
    public void storeMapped(BuildIdentity identity, byte[] object) throws IOException {
        CacheKey key = identity.cacheKey();
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, "." + key.hex() + ".", TEMP_SUFFIX);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(object);
                while (b.hasRemaining()) out.write(b);
                out.force(true);
            }
            String problem = checkMapped(temp, object);
            if (problem == null) {
                MappedObject written = MappedObject.open(temp);
                if (!written.identity().equals(identity)) problem = "was built for " + written.identity() + ", not " + identity;
            }
            if (problem != null) throw new IllegalArgumentException("refusing to cache an object that does not verify: " + problem);
            Files.move(temp, pathOf(key), StandardCopyOption.ATOMIC_MOVE);
        } catch (CorruptObjectException e) {
            throw new IllegalArgumentException("refusing to cache an object that does not verify: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory();
    }

    /** Everything of a mapped-format object checked: null when sound, else the problem. */
    private static String checkMapped(Path path, byte[] bytes) throws IOException {
        try {
            MappedObject o = MappedObject.open(path);
            o.checkAllMetadata();
            o.checkAllText();
            int metaDigest = wholeDigestOffset(bytes);
            if (metaDigest < 0 || !IntegrityDigest.verify(bytes, metaDigest)) return "whole-file digest mismatch";
            return null;
        } catch (CorruptObjectException e) {
            return e.getMessage();
        } catch (DamagedObjectException e) {
            return e.getMessage();
        }
    }

    /** Offset of the whole-file digest field of a mapped-format object held in {@code bytes}, or -1. */
    private static int wholeDigestOffset(byte[] bytes) {
        if (bytes.length < 64) return -1;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(40);
        long at = shoff + (long) ElfConstants.KILN_META * ElfConstants.SHDR_SIZE + 24;
        if (shoff < 0 || at + 8 > bytes.length) return -1;
        long meta = b.getLong((int) at);
        return meta >= 0 && meta + LinkedFormat.WHOLE_DIGEST + 32 <= bytes.length ? (int) meta + LinkedFormat.WHOLE_DIGEST : -1;
    }

    private void write(CacheKey key, byte[] object) throws IOException {
        Files.createDirectories(directory);
        Path temp = Files.createTempFile(directory, "." + key.hex() + ".", TEMP_SUFFIX);
        try {
            try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(object);
                while (b.hasRemaining()) out.write(b);
                out.force(true);
            }
            Files.move(temp, pathOf(key), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        syncDirectory();
    }

    /** Makes the rename durable. Best effort: not every platform can open a directory for syncing. */
    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // the entry is complete either way; only its durability across a power loss is weaker
        }
    }

    /** Loads the entry for {@code identity}: a verified hit, a miss, or a removed corrupt entry. */
    public CacheLookup load(BuildIdentity identity) {
        return load(identity, null);
    }

    /**
     * Loads the entry for {@code identity} for placement with {@code model} (which must be for the identity's
     * target): an entry with a relocation type the model does not support is corrupt too.
     */
    public CacheLookup load(BuildIdentity identity, RelocationModel model) {
        Path path = pathOf(identity.cacheKey());
        Object fileKey;
        try {
            fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return new CacheLookup.Miss();
        } catch (IOException e) {
            return new CacheLookup.Corrupt(path, "cannot read cache entry " + path + ": " + RegularFiles.reason(e), false);
        }
        String problem;
        try {
            if (formatVersion(path) == LinkedFormat.VERSION) {
                MappedObject mapped = MappedObject.open(path);
                if (mapped.identity().equals(identity)) return new CacheLookup.Hit(null, mapped, path);
                problem = "was built for " + mapped.identity() + ", not " + identity;
                return new CacheLookup.Corrupt(path, "cache entry " + path + ": " + problem, removeIfUnchanged(path, fileKey));
            }
            byte[] bytes = readBounded(path);
            KilnObject object = model == null ? ElfReader.read(bytes) : ElfReader.read(bytes, model);
            if (object.identity().equals(identity)) return new CacheLookup.Hit(object, path);
            problem = "was built for " + object.identity() + ", not " + identity;
        } catch (NoSuchFileException e) {
            return new CacheLookup.Miss(); // removed meanwhile
        } catch (IOException e) {
            return new CacheLookup.Corrupt(path, "cannot read cache entry " + path + ": " + RegularFiles.reason(e), false);
        } catch (CorruptObjectException e) {
            problem = e.getMessage();
        }
        return new CacheLookup.Corrupt(path, "cache entry " + path + ": " + problem, removeIfUnchanged(path, fileKey));
    }

    /** The entry's format version (-1: not the mapped format); anything but a regular file is corrupt. */
    private static int formatVersion(Path path) throws IOException, CorruptObjectException {
        try (FileChannel in = RegularFiles.open(path)) {
            return MappedObject.formatVersion(in);
        } catch (RegularFiles.NotRegular e) {
            throw new CorruptObjectException(e.getMessage());
        }
    }

    /** Removes a damaged entry (a block failed its digest while it was in use); true when it is gone. */
    public boolean remove(Path entry) {
        return removeIfUnchanged(entry, null);
    }

    /**
     * Reads an entry, refusing implausibly large ones before allocating, and anything but a regular
     * file (a FIFO or device at a key is never opened in a way that waits).
     */
    private static byte[] readBounded(Path path) throws IOException, CorruptObjectException {
        try {
            return RegularFiles.read(path, MAX_ENTRY_SIZE);
        } catch (RegularFiles.NotRegular e) {
            throw new CorruptObjectException(e.getMessage());
        }
    }

    /**
     * Deletes a bad entry unless a writer has replaced it since it was read ({@code fileKey} identifies
     * the file that was read; null deletes whatever is there). Returns true when the entry is gone.
     */
    private static boolean removeIfUnchanged(Path path, Object fileKey) {
        try {
            if (fileKey != null) {
                Object now = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
                if (!fileKey.equals(now)) return true; // replaced by a fresh entry: the bad one is gone already
            }
            Files.deleteIfExists(path);
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Every entry, verified, in file-name order; entries that do not verify have a {@link CacheEntry#problem()}. */
    public List<CacheEntry> list() throws IOException {
        List<CacheEntry> out = new ArrayList<>();
        for (Path path : entryFiles()) {
            Inspected i = inspect(path);
            if (i != null) out.add(i.entry());
        }
        return out;
    }

    private record Inspected(CacheEntry entry, Object fileKey) {
    }

    /** Reads and verifies one entry file; null when it disappeared meanwhile. */
    private static Inspected inspect(Path path) {
        CacheKey key = keyOf(path);
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return new Inspected(new CacheEntry(key, path, 0, Instant.EPOCH, null, null, null, 0, 0, "cannot read: " + RegularFiles.reason(e)), null);
        }
        Instant modified = attrs.lastModifiedTime().toInstant();
        String problem;
        try {
            if (formatVersion(path) == LinkedFormat.VERSION) {
                byte[] bytes = readBounded(path);
                problem = checkMapped(path, bytes);
                if (problem != null) {
                    return new Inspected(new CacheEntry(key, path, attrs.size(), modified, null, null, null, 0, 0, problem), attrs.fileKey());
                }
                MappedObject o = MappedObject.open(path);
                problem = o.identity().cacheKey().equals(key) ? null
                        : "holds code for key " + o.identity().cacheKey() + " (" + o.identity() + ")";
                return new Inspected(new CacheEntry(key, path, attrs.size(), modified, o.target(), o.identity().moduleHashHex(),
                        o.identity().buildId(), o.functionCount(), o.compiledCount(), problem), attrs.fileKey());
            }
            KilnObject o = ElfReader.read(readBounded(path));
            problem = o.identity().cacheKey().equals(key) ? null
                    : "holds code for key " + o.identity().cacheKey() + " (" + o.identity() + ")";
            return new Inspected(new CacheEntry(key, path, attrs.size(), modified, o.target(), o.identity().moduleHashHex(),
                    o.identity().buildId(), o.metadata().functionCount(), o.metadata().compiledCount(), problem), attrs.fileKey());
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            problem = "cannot read: " + RegularFiles.reason(e);
        } catch (CorruptObjectException e) {
            problem = e.getMessage();
        }
        return new Inspected(new CacheEntry(key, path, attrs.size(), modified, null, null, null, 0, 0, problem), attrs.fileKey());
    }

    /** Verifies every entry; removes those that fail and temporary files of interrupted writes. */
    public CacheVerification verify() throws IOException {
        List<CacheVerification.Problem> problems = new ArrayList<>();
        int valid = 0;
        for (Path path : entryFiles()) {
            Inspected i = inspect(path);
            if (i == null) continue;
            if (i.entry().valid()) {
                valid++;
            } else {
                problems.add(new CacheVerification.Problem(path, i.entry().problem(), removeIfUnchanged(path, i.fileKey())));
            }
        }
        Instant staleBefore = Instant.now().minus(STALE_TEMPORARY);
        for (Path temp : temporaryFiles()) {
            try {
                if (Files.getLastModifiedTime(temp).toInstant().isBefore(staleBefore)) {
                    problems.add(new CacheVerification.Problem(temp, "stale temporary file of an interrupted write",
                            removeIfUnchanged(temp, null)));
                }
            } catch (NoSuchFileException e) {
                // finished meanwhile
            }
        }
        return new CacheVerification(valid, problems);
    }

    /** Removes every entry and temporary file (other files in the directory are left alone); returns how many entries. */
    public int clear() throws IOException {
        int removed = 0;
        for (Path p : entryFiles()) {
            if (Files.deleteIfExists(p)) removed++;
        }
        for (Path p : temporaryFiles()) Files.deleteIfExists(p);
        return removed;
    }

    private static CacheKey keyOf(Path path) {
        String name = path.getFileName().toString();
        return name.endsWith(EXTENSION) ? CacheKey.parseOrNull(name.substring(0, name.length() - EXTENSION.length())) : null;
    }

    private List<Path> entryFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : files("*" + EXTENSION)) {
            if (keyOf(p) != null) out.add(p); // whatever it is: one that is not a regular file is reported (and removed by verify)
        }
        return out;
    }

    private List<Path> temporaryFiles() throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : files(".*" + TEMP_SUFFIX)) {
            String name = p.getFileName().toString();
            if (name.length() > 66 && CacheKey.parseOrNull(name.substring(1, 65)) != null) out.add(p);
        }
        return out;
    }

    private List<Path> files(String glob) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(directory)) return out;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(directory, glob)) {
            for (Path p : s) out.add(p);
        }
        out.sort(null);
        return out;
    }

    @Override
    public String toString() {
        return "CodeCache[" + directory + "]";
    }
}
