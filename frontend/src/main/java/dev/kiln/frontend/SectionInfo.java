package dev.kiln.frontend;

/** Where a section sits in the binary: id, the offset of its id byte, and its content range. */
public record SectionInfo(SectionId id, String customName, int headerOffset, int contentStart, int contentEnd) {
    public int size() {
        return contentEnd - contentStart;
    }
}
