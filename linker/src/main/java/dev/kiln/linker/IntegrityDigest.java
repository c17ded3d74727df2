package dev.kiln.linker;

import java.security.MessageDigest;

/**
 * The integrity digest of a kiln object: SHA-256 over the whole file with the 32-byte digest field
 * (inside {@code .kiln.meta}) taken as zeros. It covers every byte: the ELF header, the section
 * headers, code, relocations, symbols, strings, metadata and padding, so any change to a written
 * object is detected. It protects against accidents (disk or copy corruption, truncation, a
 * concurrent writer), not against someone who rewrites the object on purpose.
 */
final class IntegrityDigest {
    static final int LENGTH = 32;
    private static final byte[] ZEROS = new byte[LENGTH];

    private IntegrityDigest() {
    }

    /** The digest of {@code file} with {@code file[digestOffset, digestOffset+32)} taken as zeros. */
    static byte[] compute(byte[] file, int digestOffset) {
        MessageDigest sha = BuildIdentity.newSha256();
        sha.update(file, 0, digestOffset);
        sha.update(ZEROS);
        sha.update(file, digestOffset + LENGTH, file.length - digestOffset - LENGTH);
        return sha.digest();
    }

    /** Writes the digest of {@code file} into its digest field. */
    static void seal(byte[] file, int digestOffset) {
        byte[] d = compute(file, digestOffset);
        System.arraycopy(d, 0, file, digestOffset, LENGTH);
    }

    /** True when the digest field of {@code file} holds the file's digest. */
    static boolean verify(byte[] file, int digestOffset) {
        byte[] stored = new byte[LENGTH];
        System.arraycopy(file, digestOffset, stored, 0, LENGTH);
        return MessageDigest.isEqual(stored, compute(file, digestOffset));
    }
}
