package dev.kiln.frontend.text;

/** The lexical classes of the text format. */
enum TokenKind {
    /** {@code (} */
    LPAR,
    /** {@code )} */
    RPAR,
    /** {@code (@id}: the start of an annotation (its text includes {@code (@}), closed by its matching {@link #RPAR}. */
    ANNOTATION,
    /** A token starting with a lower-case letter: instruction names, {@code module}, {@code offset=4}, ... */
    KEYWORD,
    /** {@code $name} or {@code $"name"} */
    ID,
    /** {@code "..."} */
    STRING,
    /** An integer or floating-point literal, signed or not. */
    NUMBER,
    /** Any other sequence of identifier characters and strings; never valid outside annotations. */
    RESERVED,
    /** The end of the text. */
    EOF;

    String describe() {
        return switch (this) {
            case LPAR -> "'('";
            case RPAR -> "')'";
            case ANNOTATION -> "an annotation";
            case KEYWORD -> "a keyword";
            case ID -> "an identifier";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case RESERVED -> "an unknown token";
            case EOF -> "the end of the text";
        };
    }
}
