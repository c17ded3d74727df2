package dev.kiln.linker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Remembers the SHA-256 of a module file in the cache directory, so that a cache hit of a large module
 * does not hash all of it again: the memo holds the file's canonical path, size, modification and
 * status-change times (nanoseconds) and file key (device and inode), the compiler build, and the hash.
 * It is used only while all of those are unchanged (any write to the file changes its change time),
 * checked after the bytes were read; else the bytes are hashed and the memo rewritten. Like the cache,
 * it trusts the user's own cache directory.
 */
public final class ModuleHashMemo {
    private static final String MAGIC = "kiln-module-hash-memo-1";
    private static final String DIRECTORY = "memo";
    /** A memo is five short lines; anything larger is not one. */
    private static final long MAX_MEMO_BYTES = 1 << 16;

    private ModuleHashMemo() {
    }

    private static Path memoFile(Path cacheDirectory, Path canonical) {
        byte[] h = BuildIdentity.sha256(canonical.toString().getBytes(StandardCharsets.UTF_8));
        return cacheDirectory.resolve(DIRECTORY).resolve(HexFormat.of().formatHex(h, 0, 16) + ".memo");
    }

    private static String stamp(Path file) throws IOException {
        BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
        Object ctime;
        try {
            ctime = Files.getAttribute(file, "unix:ctime");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            return null; // without a change time, a same-size rewrite could go unnoticed: no memo
        }
        return a.size() + " " + a.lastModifiedTime().toInstant() + " " + ctime + " " + Objects.toString(a.fileKey(), "?");
    }

    /** The module hash remembered for {@code file} as it is now, built by {@code buildId}; null when none holds. */
    public static byte[] lookup(Path cacheDirectory, Path file, String buildId) {
        try {
            Path canonical = file.toRealPath();
            String stamp = stamp(canonical);
            if (stamp == null) return null;
            Path memo = memoFile(cacheDirectory, canonical);
            // never opened in a way that waits: anything but a regular file there is no memo
            List<String> lines = new String(RegularFiles.read(memo, MAX_MEMO_BYTES), StandardCharsets.UTF_8).lines().toList();
            if (lines.size() != 5 || !lines.get(0).equals(MAGIC) || !lines.get(1).equals(canonical.toString())
                    || !lines.get(2).equals(stamp) || !lines.get(3).equals(buildId)) {
                return null;
            }
            byte[] hash = HexFormat.of().parseHex(lines.get(4));
            return hash.length == BuildIdentity.MODULE_HASH_LENGTH ? hash : null;
        } catch (IOException | CorruptObjectException | RuntimeException e) {
            return null;
        }
    }

    /** Remembers {@code hash} (of the bytes just read from {@code file}); best effort, atomic. */
    public static void store(Path cacheDirectory, Path file, String buildId, byte[] hash) {
        try {
            Path canonical = file.toRealPath();
            String stamp = stamp(canonical);
            if (stamp == null) return;
            Path memo = memoFile(cacheDirectory, canonical);
            Files.createDirectories(memo.getParent());
            Path temp = Files.createTempFile(memo.getParent(), ".memo", ".tmp");
            try {
                Files.writeString(temp, String.join("\n", MAGIC, canonical.toString(), stamp, buildId,
                        HexFormat.of().formatHex(hash)) + "\n", StandardCharsets.UTF_8);
                Files.move(temp, memo, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException | RuntimeException e) {
            // a memo is an optimisation: without it the next run hashes the module again
        }
    }
}
