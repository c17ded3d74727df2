package dev.kiln.linker;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Test-only edits of written objects: locate sections and fields by the writer's layout, patch them,
 * and re-seal the integrity digest so that the reader's structural checks (not just the digest) are
 * what has to reject the result.
 */
final class ObjectSurgery {
    private ObjectSurgery() {
    }

    static ByteBuffer le(byte[] file) {
        return ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    }

    static int sectionHeader(byte[] file, int index) {
        return (int) le(file).getLong(40) + index * ElfConstants.SHDR_SIZE;
    }

    static int sectionOffset(byte[] file, int index) {
        return (int) le(file).getLong(sectionHeader(file, index) + 24);
    }

    static int sectionSize(byte[] file, int index) {
        return (int) le(file).getLong(sectionHeader(file, index) + 32);
    }

    static int metaOffset(byte[] file) {
        return sectionOffset(file, ElfConstants.KILN_META);
    }

    /** File offset of the integrity digest, by the writer's layout. */
    static int digestOffset(byte[] file) {
        return metaOffset(file) + MetaSection.DIGEST_OFFSET;
    }

    /** Recomputes the digest where the original layout had it (if it still fits). */
    static byte[] reseal(byte[] file, int digestOffset) {
        if (digestOffset >= 0 && digestOffset + IntegrityDigest.LENGTH <= file.length) IntegrityDigest.seal(file, digestOffset);
        return file;
    }

    static byte[] reseal(byte[] file) {
        return reseal(file, digestOffset(file));
    }
}
