package dev.kiln.runtime.wasi;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a guest path below a directory descriptor without ever leaving that directory, the way
 * wasmtime's cap-std does: component by component, from the directory's real host path.
 *
 * <ul>
 *   <li>An absolute path, a {@code ..} that would go above the directory, and an absolute symlink
 *       target are escapes: {@code EPERM} (what wasmtime returns; the test suite also accepts
 *       {@code ENOTCAPABLE}).</li>
 *   <li>Every symlink met is read and its (relative) target resolved from the symlink's own directory
 *       with the same rules, so a symlink can never lead out either; after
 *       {@value #MAX_SYMLINK_EXPANSIONS} expansions the lookup fails with {@code ELOOP}.</li>
 *   <li>Every intermediate component must be a directory ({@code ENOTDIR}) that exists
 *       ({@code ENOENT}); the last component is followed only when the caller asks.</li>
 *   <li>The empty path is {@code ENOENT}; a path with a NUL byte is {@code EINVAL}.</li>
 * </ul>
 *
 * <p>Every host path handed out is made of directories that were each checked not to be symlinks, so
 * the operation that follows acts inside the sandbox as long as nothing else changes the tree at the
 * same moment (the JDK has no {@code openat}/{@code O_NOFOLLOW} walk that would close that window
 * against a concurrently running host process; the guest itself cannot race, its calls are serial).
 */
final class PathResolver {
    /** Symlink expansions allowed in one lookup (Linux's and cap-std's limit). */
    static final int MAX_SYMLINK_EXPANSIONS = 40;

    private PathResolver() {}

    /**
     * Where a guest path led.
     *
     * @param dir the host directory holding the final entry
     * @param name the final entry's name in {@code dir}, or null when the path names {@code dir}
     *     itself (it ended in {@code .} or {@code ..})
     * @param attrs the final entry's attributes, not following it; null when it does not exist
     * @param trailingSlash whether the guest path ended with {@code /}
     */
    record Resolved(Path dir, String name, BasicFileAttributes attrs, boolean trailingSlash) {
        Path path() {
            return name == null ? dir : dir.resolve(name);
        }

        boolean exists() {
            return attrs != null;
        }

        boolean isDirectory() {
            return attrs != null && attrs.isDirectory();
        }

        boolean isSymlink() {
            return attrs != null && attrs.isSymbolicLink();
        }
    }

    /**
     * Resolves {@code guestPath} below {@code root}, following a final symlink only when
     * {@code followFinal}. A final component that does not exist is not an error (callers that create
     * things need its directory and name); a missing intermediate one is.
     */
    static Resolved resolve(Path root, String guestPath, boolean followFinal) throws IOException {
        if (guestPath.isEmpty()) throw new ErrnoException(Errno.ENOENT);
        if (guestPath.indexOf('\0') >= 0) throw new ErrnoException(Errno.EINVAL);
        if (guestPath.charAt(0) == '/') throw new ErrnoException(Errno.EPERM);
        boolean trailingSlash = guestPath.endsWith("/");

        Deque<String> pending = new ArrayDeque<>(components(guestPath));
        List<Path> stack = new ArrayList<>();
        stack.add(root);
        int expansions = 0;
        while (true) {
            String c = pending.pollFirst();
            boolean last = pending.isEmpty();
            Path dir = stack.getLast();
            if (c.equals(".") || c.equals("..")) {
                if (c.equals("..")) {
                    if (stack.size() == 1) throw new ErrnoException(Errno.EPERM);
                    stack.removeLast();
                    dir = stack.getLast();
                }
                if (last) return new Resolved(dir, null, lstat(dir), trailingSlash);
                continue;
            }
            Path child = child(dir, c);
            BasicFileAttributes attrs = lstat(child);
            if (attrs == null) {
                if (last) return new Resolved(dir, c, null, trailingSlash);
                throw new ErrnoException(Errno.ENOENT);
            }
            if (attrs.isSymbolicLink() && (!last || followFinal)) {
                if (++expansions > MAX_SYMLINK_EXPANSIONS) throw new ErrnoException(Errno.ELOOP);
                String target = Files.readSymbolicLink(child).toString();
                if (target.isEmpty()) throw new ErrnoException(Errno.ENOENT);
                if (target.charAt(0) == '/') throw new ErrnoException(Errno.EPERM);
                List<String> targetComponents = components(target);
                for (int i = targetComponents.size() - 1; i >= 0; i--) pending.addFirst(targetComponents.get(i));
                continue;
            }
            if (last) return new Resolved(dir, c, attrs, trailingSlash);
            if (!attrs.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
            stack.add(child);
        }
    }

    /** Splits a relative path into components, dropping empty ones; never returns an empty list. */
    private static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String c : path.split("/")) {
            if (!c.isEmpty()) out.add(c);
        }
        if (out.isEmpty()) out.add(".");
        return out;
    }

    private static Path child(Path dir, String name) {
        try {
            return dir.resolve(name);
        } catch (InvalidPathException e) {
            throw new ErrnoException(Errno.EINVAL);
        }
    }

    /** Attributes of {@code p} itself, or null when it does not exist. */
    static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
