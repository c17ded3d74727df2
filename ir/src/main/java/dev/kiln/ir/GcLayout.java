package dev.kiln.ir;

import dev.kiln.frontend.ArrayType;
import dev.kiln.frontend.FieldType;
import dev.kiln.frontend.MachineType;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.StructType;
import dev.kiln.frontend.SubType;

import java.util.List;

/**
 * The layout of a GC object in the store's heap, defined once for the interpreter's heap
 * ({@code dev.kiln.interpreter.gc.GcType}) and both backends' inline field and element access:
 * an 8-byte header at the object's address (bits 0-31 the run-time type id, bits 32-63 an array's
 * length, so the length is the u32 at {@link #ARRAY_LENGTH}), then a struct's fields in
 * declaration order, each aligned to its storage size (v128 to 16), or an array's elements from
 * {@link #HEADER}, each {@link #storageSize} bytes. Packed i8/i16 fields take 1 or 2 bytes.
 */
public final class GcLayout {
    /** The header's size in bytes; fields and array elements start here. */
    public static final int HEADER = 8;
    /** Offset of the header's u32 type id. */
    public static final int TYPE_ID = 0;
    /** Offset of an array's u32 length (the header's high half). */
    public static final int ARRAY_LENGTH = 4;

    /**
     * The display record of a run-time type, in native memory, for inline casts: the store's table
     * of records ({@code dev.kiln.ir.abi.ExecutionStateLayout#GC_TYPES}) holds one u64 per type id,
     * the address of the type's record: u32 {@link #DISPLAY_DEPTH} (the length of its supertype
     * chain minus one), u32 {@link #DISPLAY_KIND} ({@link #KIND_STRUCT}, {@link #KIND_ARRAY},
     * {@link #KIND_FUNC}), then from {@link #DISPLAY_IDS} the u32 ids of its supertype chain, root
     * first, itself last. A type of depth {@code d} is a subtype of {@code s} exactly when
     * {@code d >= depth(s)} and its id at position {@code depth(s)} is {@code s}'s id.
     */
    public static final int DISPLAY_DEPTH = 0;
    public static final int DISPLAY_KIND = 4;
    public static final int DISPLAY_IDS = 8;
    public static final int KIND_STRUCT = 0;
    public static final int KIND_ARRAY = 1;
    public static final int KIND_FUNC = 2;

    /** Where a field (or an array's element) is and how it is stored. */
    public record Field(int offset, int size, boolean packed, MachineType machine) {
    }

    private GcLayout() {
    }

    /** Bytes a field of this type takes in an object: 1 or 2 when packed, else its machine type's size. */
    public static int storageSize(FieldType f) {
        if (f.isPacked()) return f.packedBits() / 8;
        return switch (f.type().machine()) {
            case I32, F32 -> 4;
            case I64, F64, REF -> 8;
            case V128 -> 16;
        };
    }

    /** The offsets of fields of these storage sizes, each aligned to its size (at most 16). */
    public static int[] fieldOffsets(int[] sizes) {
        int[] offsets = new int[sizes.length];
        int at = HEADER;
        for (int i = 0; i < sizes.length; i++) {
            int align = Math.min(sizes[i], 16);
            at = (at + align - 1) & -align;
            offsets[i] = at;
            at += sizes[i];
        }
        return offsets;
    }

    /** A struct's size in bytes (a multiple of 8) given its fields' offsets and sizes. */
    public static int structSize(int[] offsets, int[] sizes) {
        int end = sizes.length == 0 ? HEADER : offsets[sizes.length - 1] + sizes[sizes.length - 1];
        return (end + 7) & -8;
    }

    /** Field {@code field} of struct type {@code typeIndex} of {@code m}. */
    public static Field structField(Module m, long typeIndex, long field) {
        List<FieldType> fields = ((StructType) m.types().get((int) typeIndex).composite()).fields();
        int[] sizes = new int[fields.size()];
        for (int i = 0; i < sizes.length; i++) sizes[i] = storageSize(fields.get(i));
        FieldType f = fields.get((int) field);
        return new Field(fieldOffsets(sizes)[(int) field], sizes[(int) field], f.isPacked(), f.type().machine());
    }

    /** The size in bytes of an object of struct type {@code typeIndex} of {@code m} (a multiple of 8). */
    public static int structSize(Module m, long typeIndex) {
        List<FieldType> fields = ((StructType) m.types().get((int) typeIndex).composite()).fields();
        int[] sizes = new int[fields.size()];
        for (int i = 0; i < sizes.length; i++) sizes[i] = storageSize(fields.get(i));
        return structSize(fieldOffsets(sizes), sizes);
    }

    /** The depth of type {@code typeIndex} of {@code m} in its declared supertype chain (0: no supertype). */
    public static int depth(Module m, int typeIndex) {
        int d = 0;
        for (SubType t = m.types().get(typeIndex); t.supertype() >= 0; t = m.types().get(t.supertype())) d++;
        return d;
    }

    /** The element of array type {@code typeIndex} of {@code m}, at offset {@link #HEADER} for index 0. */
    public static Field arrayElement(Module m, long typeIndex) {
        FieldType e = ((ArrayType) m.types().get((int) typeIndex).composite()).element();
        return new Field(HEADER, storageSize(e), e.isPacked(), e.type().machine());
    }
}
