package dev.kiln.frontend;

/** The kind of an import or export, with its binary encoding. */
public enum ExternKind {
    FUNC(0x00, "func"),
    TABLE(0x01, "table"),
    MEMORY(0x02, "memory"),
    GLOBAL(0x03, "global"),
    TAG(0x04, "tag");

    public final int code;
    public final String text;

    ExternKind(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public static ExternKind fromCode(int b) {
        for (ExternKind k : values()) if (k.code == b) return k;
        return null;
    }

    @Override
    public String toString() {
        return text;
    }
}
