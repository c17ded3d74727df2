package dev.kiln.frontend;

/** A recursive type group: the type indices {@code first .. first+size-1} of the type section. */
public record RecGroup(int first, int size) {
    public boolean contains(int typeIndex) {
        return typeIndex >= first && typeIndex < first + size;
    }
}
