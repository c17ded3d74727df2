package dev.kiln.frontend;

/** A run of {@code count} locals of one type, as the code section declares them. */
public record LocalGroup(int count, ValType type) {
}
