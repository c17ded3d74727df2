package dev.kiln.interpreter.gc;

import dev.kiln.ir.GcLayout;

import java.util.Arrays;

/**
 * The run-time type of a defined type (a struct, array or function type), one per canonical type
 * of a store: the object layout the heap and every tier use, and a display of supertypes that
 * makes a subtype test constant-time ({@link #isSubtypeOf}).
 *
 * <p>Object layout ({@link GcLayout}, the same for the interpreter and native code): an 8-byte header at
 * the object's address (bits 0-31 the type's {@link #id}, bits 32-63 an array's length), then the
 * fields at {@link #offset}s, each aligned to its size (v128 to 16). Packed fields take 1 or 2
 * bytes; references take one 8-byte word (see {@link GcRefs} for what a word holds).
 */
public final class GcType {
    /** The object header's size in bytes; fields and array elements start here. */
    public static final int HEADER = GcLayout.HEADER;

    public enum Kind { STRUCT, ARRAY, FUNC }

    /** Store-wide number of the canonical type; what an object's header holds. */
    public final int id;
    public final Kind kind;
    /** This type's supertypes from the root of its declared chain down to itself. */
    private final GcType[] display;
    /** Struct fields (arrays: one entry, the element): storage size in bytes (1, 2, 4, 8, 16). */
    final int[] sizes;
    /** Which fields (or the element) hold references. */
    final boolean[] refs;
    /** Which fields are packed values read as i32 ({@code get_s} / {@code get_u}). */
    final boolean[] packed;
    /** Struct field offsets from the object's address. */
    final int[] offsets;
    /** A struct's size in bytes (a multiple of 8); an array's header size. */
    final int size;

    GcType(int id, Kind kind, GcType supertype, int[] sizes, boolean[] refs, boolean[] packed) {
        this.id = id;
        this.kind = kind;
        if (supertype == null) {
            display = new GcType[] {this};
        } else {
            display = Arrays.copyOf(supertype.display, supertype.display.length + 1);
            display[display.length - 1] = this;
        }
        this.sizes = sizes;
        this.refs = refs;
        this.packed = packed;
        boolean struct = kind == Kind.STRUCT;
        this.offsets = struct ? GcLayout.fieldOffsets(sizes) : new int[sizes.length];
        this.size = struct ? GcLayout.structSize(offsets, sizes) : HEADER;
    }

    /** Constant-time declared subtyping: {@code s} is on this type's supertype chain (or is this type). */
    public boolean isSubtypeOf(GcType s) {
        int d = s.display.length - 1;
        return d < display.length && display[d] == s;
    }

    /** The length of this type's supertype chain minus one (0: no supertype). */
    public int depth() {
        return display.length - 1;
    }

    /** The id of this type's supertype at depth {@code k} (0: the root; {@link #depth()}: this type). */
    public int displayId(int k) {
        return display[k].id;
    }

    /** Number of fields of a struct type. */
    public int fieldCount() {
        return sizes.length;
    }

    public int fieldOffset(int field) {
        return offsets[field];
    }

    public int fieldSize(int field) {
        return sizes[field];
    }

    public boolean fieldIsRef(int field) {
        return refs[field];
    }

    /** An array's element size in bytes. */
    public int elementSize() {
        return sizes[0];
    }

    public boolean elementIsRef() {
        return refs[0];
    }

    /** Bytes an object of this type with {@code length} elements (arrays) takes, a multiple of 8; -1 when too large. */
    public long objectBytes(long length) {
        if (kind != Kind.ARRAY) return size;
        long b = HEADER + length * sizes[0];
        return b < 0 || length < 0 ? -1 : (b + 7) & -8L;
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + "#" + id;
    }
}
