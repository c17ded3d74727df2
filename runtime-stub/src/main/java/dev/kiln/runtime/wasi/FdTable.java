package dev.kiln.runtime.wasi;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The guest's file descriptors: 0, 1 and 2 are the standard streams, preopened directories follow
 * from 3, then whatever the guest opens. Numbering follows wasmtime: a new descriptor takes the
 * highest number freed by {@code fd_close} or {@code fd_renumber} if there is one, otherwise one more
 * than the highest number in use.
 */
final class FdTable {
    private final TreeMap<Integer, Descriptor> used = new TreeMap<>();
    private final TreeSet<Integer> free = new TreeSet<>();

    /** Adds a descriptor and returns its number; {@code EMFILE} past 2^31 - 1 descriptors. */
    int add(Descriptor d) {
        Integer fd = free.pollLast();
        if (fd == null) {
            if (used.isEmpty()) {
                fd = 0;
            } else if (used.lastKey() < Integer.MAX_VALUE) {
                fd = used.lastKey() + 1;
            } else {
                throw new ErrnoException(Errno.EMFILE);
            }
        }
        used.put(fd, d);
        return fd;
    }

    /** The descriptor, or {@code EBADF}. */
    Descriptor get(int fd) {
        Descriptor d = used.get(fd);
        if (d == null) throw new ErrnoException(Errno.EBADF);
        return d;
    }

    /** The descriptor if it is a file, else {@code EBADF} (directories and streams alike, as wasmtime). */
    FileHandle file(int fd) {
        if (get(fd) instanceof FileHandle f) return f;
        throw new ErrnoException(Errno.EBADF);
    }

    /** The descriptor if it is a directory, else {@code EBADF}. */
    DirectoryHandle directory(int fd) {
        if (get(fd) instanceof DirectoryHandle d) return d;
        throw new ErrnoException(Errno.EBADF);
    }

    /** Removes a descriptor (closing its host resources); {@code EBADF} when it is not open. */
    void close(int fd) throws IOException {
        Descriptor d = used.remove(fd);
        if (d == null) throw new ErrnoException(Errno.EBADF);
        free.add(fd);
        d.close();
    }

    /** Moves {@code from} to number {@code to}, closing what {@code to} held. Both must be open. */
    void renumber(int from, int to) throws IOException {
        if (!used.containsKey(to) || !used.containsKey(from)) throw new ErrnoException(Errno.EBADF);
        if (from == to) return;
        Descriptor moved = used.remove(from);
        free.add(from);
        Descriptor replaced = used.put(to, moved);
        replaced.close();
    }

    /** Closes every descriptor. */
    void closeAll() {
        List<Descriptor> all = new ArrayList<>(used.values());
        used.clear();
        free.clear();
        for (Descriptor d : all) {
            try {
                d.close();
            } catch (IOException ignored) {
                // closing at teardown: nothing left to report to
            }
        }
    }
}
