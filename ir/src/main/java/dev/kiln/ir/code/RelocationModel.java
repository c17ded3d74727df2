package dev.kiln.ir.code;

/**
 * How a target patches its relocation types. Implemented by each backend and handed to the linker,
 * which knows ELF but no architecture.
 */
public interface RelocationModel {
    Target target();

    /** The ELF name of a relocation type, e.g. {@code R_X86_64_PLT32}, for listings and errors. */
    String name(int type);

    /** True when the linker may apply this type (others are rejected as corrupt input). */
    boolean supports(int type);

    /**
     * Patches {@code code} at {@code offset} for a relocation of {@code type}, where {@code symbolAddress}
     * is S, {@code addend} is A and {@code placeAddress} is P (the address of {@code code[offset]}).
     * Throws {@link IllegalArgumentException} when the result does not fit the field.
     */
    void apply(byte[] code, int offset, int type, long symbolAddress, long addend, long placeAddress);

    /**
     * True when a relocation of this type gives the same bytes wherever the code and its target move
     * together (by a multiple of 64 KiB): PC-relative fields, and page offsets. Such relocations between
     * functions of one cached object are applied when the object is written, so its text needs none at load.
     */
    default boolean isPositionIndependent(int type) {
        return false;
    }
}
