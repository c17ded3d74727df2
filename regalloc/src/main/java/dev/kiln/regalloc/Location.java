package dev.kiln.regalloc;

/**
 * Where a value lives, packed in an int: a register number (&ge; 0) or a stack slot
 * ({@code ~slot}, negative). {@link #NONE} marks values that need no location (unused).
 */
public final class Location {
    public static final int NONE = Integer.MIN_VALUE;

    private Location() {
    }

    public static int register(int r) {
        return r;
    }

    public static int slot(int s) {
        return ~s;
    }

    public static boolean isRegister(int loc) {
        return loc >= 0;
    }

    public static boolean isSlot(int loc) {
        return loc < 0 && loc != NONE;
    }

    public static int slotIndex(int loc) {
        return ~loc;
    }

    public static String toString(int loc) {
        if (loc == NONE) return "-";
        return isRegister(loc) ? "r" + loc : "s" + slotIndex(loc);
    }
}
