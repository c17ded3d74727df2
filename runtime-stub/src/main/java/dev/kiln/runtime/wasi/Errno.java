package dev.kiln.runtime.wasi;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/**
 * The preview 1 {@code errno} values, numbered exactly as {@code wasi_snapshot_preview1.witx} numbers
 * them (the guest sees the number as a {@code u16} result). {@link #fromIOException} maps a failed host
 * file operation to the errno the guest sees.
 */
public enum Errno {
    SUCCESS(0),
    E2BIG(1),
    EACCES(2),
    EADDRINUSE(3),
    EADDRNOTAVAIL(4),
    EAFNOSUPPORT(5),
    EAGAIN(6),
    EALREADY(7),
    EBADF(8),
    EBADMSG(9),
    EBUSY(10),
    ECANCELED(11),
    ECHILD(12),
    ECONNABORTED(13),
    ECONNREFUSED(14),
    ECONNRESET(15),
    EDEADLK(16),
    EDESTADDRREQ(17),
    EDOM(18),
    EDQUOT(19),
    EEXIST(20),
    EFAULT(21),
    EFBIG(22),
    EHOSTUNREACH(23),
    EIDRM(24),
    EILSEQ(25),
    EINPROGRESS(26),
    EINTR(27),
    EINVAL(28),
    EIO(29),
    EISCONN(30),
    EISDIR(31),
    ELOOP(32),
    EMFILE(33),
    EMLINK(34),
    EMSGSIZE(35),
    EMULTIHOP(36),
    ENAMETOOLONG(37),
    ENETDOWN(38),
    ENETRESET(39),
    ENETUNREACH(40),
    ENFILE(41),
    ENOBUFS(42),
    ENODEV(43),
    ENOENT(44),
    ENOEXEC(45),
    ENOLCK(46),
    ENOLINK(47),
    ENOMEM(48),
    ENOMSG(49),
    ENOPROTOOPT(50),
    ENOSPC(51),
    ENOSYS(52),
    ENOTCONN(53),
    ENOTDIR(54),
    ENOTEMPTY(55),
    ENOTRECOVERABLE(56),
    ENOTSOCK(57),
    ENOTSUP(58),
    ENOTTY(59),
    ENXIO(60),
    EOVERFLOW(61),
    EOWNERDEAD(62),
    EPERM(63),
    EPIPE(64),
    EPROTO(65),
    EPROTONOSUPPORT(66),
    EPROTOTYPE(67),
    ERANGE(68),
    EROFS(69),
    ESPIPE(70),
    ESRCH(71),
    ESTALE(72),
    ETIMEDOUT(73),
    ETXTBSY(74),
    EXDEV(75),
    ENOTCAPABLE(76);

    /** The value returned to the guest. */
    public final int code;

    Errno(int code) {
        this.code = code;
    }

    /** The errno for a code, or null when the code is not one. */
    public static Errno fromCode(int code) {
        Errno[] all = values();
        return code >= 0 && code < all.length ? all[code] : null;
    }

    /**
     * The errno that best describes a failed host file operation. The JDK keeps only the text of
     * {@code strerror(errno)} for most failures, so this looks at the exception type first and then at
     * the (glibc, English) reason; anything unrecognised is {@link #EIO}.
     */
    public static Errno fromIOException(IOException e) {
        if (e instanceof NoSuchFileException) return ENOENT;
        if (e instanceof FileAlreadyExistsException) return EEXIST;
        if (e instanceof DirectoryNotEmptyException) return ENOTEMPTY;
        if (e instanceof AccessDeniedException) return EACCES;
        if (e instanceof NotDirectoryException) return ENOTDIR;
        if (e instanceof NotLinkException) return EINVAL;
        if (e instanceof FileSystemLoopException) return ELOOP;
        String reason = e instanceof FileSystemException fse ? fse.getReason() : e.getMessage();
        if (reason == null) return EIO;
        return switch (reason) {
            case "Not a directory" -> ENOTDIR;
            case "Is a directory" -> EISDIR;
            case "Directory not empty" -> ENOTEMPTY;
            case "File exists" -> EEXIST;
            case "No such file or directory" -> ENOENT;
            case "Permission denied" -> EACCES;
            case "Operation not permitted" -> EPERM;
            case "Too many levels of symbolic links" -> ELOOP;
            case "File name too long" -> ENAMETOOLONG;
            case "Invalid argument" -> EINVAL;
            case "Invalid cross-device link" -> EXDEV;
            case "Device or resource busy" -> EBUSY;
            case "No space left on device" -> ENOSPC;
            case "Disk quota exceeded" -> EDQUOT;
            case "Read-only file system" -> EROFS;
            case "Too many links" -> EMLINK;
            case "File too large" -> EFBIG;
            case "Text file busy" -> ETXTBSY;
            case "Bad file descriptor" -> EBADF;
            case "Broken pipe" -> EPIPE;
            case "Illegal seek" -> ESPIPE;
            case "Operation not supported" -> ENOTSUP;
            case "Interrupted system call" -> EINTR;
            case "Resource temporarily unavailable" -> EAGAIN;
            default -> EIO;
        };
    }
}
