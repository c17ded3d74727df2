package dev.kiln.frontend;

import java.util.Arrays;

/**
 * One entry of the type section: a composite type with its declared supertypes (at most one in
 * WebAssembly 3.0) and whether it is final. A plain {@code (func ...)} entry is final with no
 * supertype.
 */
public record SubType(boolean isFinal, int[] supertypes, CompositeType composite) {
    public SubType {
        supertypes = supertypes.clone();
    }

    /** A final type without supertypes, as a 2.0 type section declares it. */
    public static SubType of(CompositeType composite) {
        return new SubType(true, new int[0], composite);
    }

    /** The declared supertype's index, or -1. */
    public int supertype() {
        return supertypes.length == 0 ? -1 : supertypes[0];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubType s && s.isFinal == isFinal && Arrays.equals(s.supertypes, supertypes)
                && s.composite.equals(composite);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(supertypes) * 31 + composite.hashCode() + (isFinal ? 1 : 0);
    }

    @Override
    public String toString() {
        if (isFinal && supertypes.length == 0) return composite.toString();
        StringBuilder sb = new StringBuilder(isFinal ? "(sub final" : "(sub");
        for (int s : supertypes) sb.append(' ').append(s);
        return sb.append(' ').append(composite).append(')').toString();
    }
}
