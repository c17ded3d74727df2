package dev.kiln.frontend;

/** A custom section, kept as found: its name and the byte range of its contents in the module. */
public record CustomSection(String name, int contentStart, int contentEnd) {
    public int size() {
        return contentEnd - contentStart;
    }
}
