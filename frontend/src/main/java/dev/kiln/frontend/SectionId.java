package dev.kiln.frontend;

/**
 * Section ids of the binary format, with the order in which non-custom sections must appear
 * ({@code tag} sits between {@code memory} and {@code global}, {@code datacount} between
 * {@code element} and {@code code}).
 */
public enum SectionId {
    CUSTOM(0, 0),
    TYPE(1, 1),
    IMPORT(2, 2),
    FUNCTION(3, 3),
    TABLE(4, 4),
    MEMORY(5, 5),
    TAG(13, 6),
    GLOBAL(6, 7),
    EXPORT(7, 8),
    START(8, 9),
    ELEMENT(9, 10),
    DATA_COUNT(12, 11),
    CODE(10, 12),
    DATA(11, 13);

    public final int id;
    /** Position in the required order of non-custom sections. */
    public final int order;

    SectionId(int id, int order) {
        this.id = id;
        this.order = order;
    }

    public static SectionId fromId(int id) {
        for (SectionId s : values()) if (s.id == id) return s;
        return null;
    }

    public String text() {
        return name().toLowerCase().replace("_", "");
    }
}
