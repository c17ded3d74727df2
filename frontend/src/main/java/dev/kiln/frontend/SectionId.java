package dev.kiln.frontend;

/**
 * Section ids of the binary format, with the order in which non-custom sections must appear
 * ({@code datacount} sits between {@code element} and {@code code}).
 */
public enum SectionId {
    CUSTOM(0, 0),
    TYPE(1, 1),
    IMPORT(2, 2),
    FUNCTION(3, 3),
    TABLE(4, 4),
    MEMORY(5, 5),
    GLOBAL(6, 6),
    EXPORT(7, 7),
    START(8, 8),
    ELEMENT(9, 9),
    DATA_COUNT(12, 10),
    CODE(10, 11),
    DATA(11, 12);

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
