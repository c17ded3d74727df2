package dev.kiln.frontend.text;

import java.nio.charset.StandardCharsets;

/**
 * A position in a token list with the reading operations the parsers share. Annotations are
 * white space to it: {@link #peek()} steps over them, except {@code @custom} and {@code @name},
 * which only the places that give them a meaning may read ({@link #atAnnotation}) and which are
 * misplaced anywhere else, and {@code @metadata.code.branch_hint}, at which {@link #peek()} stops:
 * only an instruction sequence reads it, and to every other reader it is an unexpected token.
 */
final class Cursor {
    /** The annotation id of a branch hint, read before an instruction of a function body. */
    static final String BRANCH_HINT = "metadata.code.branch_hint";

    final Tokens t;
    final SourceText src;
    private int pos;

    Cursor(Tokens t) {
        this(t, 0);
    }

    Cursor(Tokens t, int pos) {
        this.t = t;
        this.src = t.source;
        this.pos = pos;
    }

    /** The raw position (annotations not skipped). */
    int position() {
        return pos;
    }

    void position(int p) {
        pos = p;
    }

    /** The index of the next token that is not an annotation. */
    int peek() {
        while (t.kind[pos] == TokenKind.ANNOTATION) {
            String id = annotationId(pos);
            if (id.equals("custom")) throw errorAt(pos, "misplaced @custom annotation");
            if (id.equals("name")) throw errorAt(pos, "misplaced @name annotation");
            if (id.equals(BRANCH_HINT)) return pos; // only an instruction sequence reads it; anywhere else it is unexpected
            skipAnnotation();
        }
        return pos;
    }

    /** Steps over the annotation at the raw position. */
    void skipAnnotation() {
        int close = t.match[pos];
        if (close < 0) throw errorAt(pos, "unclosed annotation");
        pos = close + 1;
    }

    /** True when the next token, after annotations other than the meaningful ones, is the annotation {@code (@id}. */
    boolean atAnnotation(String id) {
        skipPlainAnnotations();
        return t.kind[pos] == TokenKind.ANNOTATION && annotationId(pos).equals(id);
    }

    /** Steps over annotations other than {@code @custom} and {@code @name}. */
    void skipPlainAnnotations() {
        while (atOtherAnnotation()) skipAnnotation();
    }

    /** True when the next token, after annotations other than @custom and @name, is an annotation (@custom or @name). */
    boolean atAnyAnnotation() {
        skipPlainAnnotations();
        return t.kind[pos] == TokenKind.ANNOTATION;
    }

    /**
     * The keyword after the next {@code (}, skipping annotations of any kind without judging them
     * (null when there is none): for deciding what a text starts with.
     */
    String rawFormKeyword() {
        int i = pos;
        while (t.kind[i] == TokenKind.ANNOTATION && t.match[i] >= 0) i = t.match[i] + 1;
        if (t.kind[i] != TokenKind.LPAR) return null;
        i++;
        while (t.kind[i] == TokenKind.ANNOTATION && t.match[i] >= 0) i = t.match[i] + 1;
        return t.kind[i] == TokenKind.KEYWORD ? t.text(i) : null;
    }

    /** True when only annotations are left. */
    boolean atRawEnd() {
        int i = pos;
        while (t.kind[i] == TokenKind.ANNOTATION && t.match[i] >= 0) i = t.match[i] + 1;
        return t.kind[i] == TokenKind.EOF;
    }

    /** True when the raw next token is an annotation whose id is none of {@code custom}, {@code name} and a branch hint. */
    boolean atOtherAnnotation() {
        if (t.kind[pos] != TokenKind.ANNOTATION) return false;
        String id = annotationId(pos);
        return !id.equals("custom") && !id.equals("name") && !id.equals(BRANCH_HINT);
    }

    /** The id of the annotation token {@code i} (its text after {@code (@}, a string's contents decoded). */
    String annotationId(int i) {
        int s = t.start[i] + 2;
        if (src.bytes()[s] == '"') return new String(Literals.string(src, s, t.end[i]), StandardCharsets.UTF_8);
        return src.text(s, t.end[i]);
    }

    TokenKind kind() {
        return t.kind[peek()];
    }

    /** The kind of the significant token after the next one (for two-token look-ahead). */
    TokenKind kindAfterNext() {
        int save = pos;
        next();
        TokenKind k = kind();
        pos = save;
        return k;
    }

    int next() {
        int i = peek();
        if (t.kind[i] != TokenKind.EOF) pos = i + 1;
        return i;
    }

    boolean atKeyword(String word) {
        int i = peek();
        return t.kind[i] == TokenKind.KEYWORD && t.is(i, word);
    }

    /** True when the next tokens are {@code (} and the keyword {@code word}. */
    boolean atForm(String word) {
        int i = peek();
        if (t.kind[i] != TokenKind.LPAR) return false;
        int save = pos;
        pos = i + 1;
        boolean r = atKeyword(word);
        pos = save;
        return r;
    }

    /** The keyword after the next {@code (}, or null. */
    String formKeyword() {
        int i = peek();
        if (t.kind[i] != TokenKind.LPAR) return null;
        int save = pos;
        pos = i + 1;
        int k = peek();
        pos = save;
        return t.kind[k] == TokenKind.KEYWORD ? t.text(k) : null;
    }

    boolean at(TokenKind k) {
        return t.kind[peek()] == k;
    }

    void expect(TokenKind k) {
        int i = peek();
        if (t.kind[i] != k) throw expected(k.describe());
        next();
    }

    void lpar() {
        expect(TokenKind.LPAR);
    }

    void rpar() {
        int i = peek();
        if (t.kind[i] != TokenKind.RPAR) throw expected("')'");
        next();
    }

    void keyword(String word) {
        if (!atKeyword(word)) throw expected("'" + word + "'");
        next();
    }

    /** Consumes {@code (word} when it is next; returns whether it did. */
    boolean takeForm(String word) {
        if (!atForm(word)) return false;
        next();
        next();
        return true;
    }

    /** Consumes the keyword when it is next. */
    boolean take(String word) {
        if (!atKeyword(word)) return false;
        next();
        return true;
    }

    /** The next keyword's text, consumed; an error when the next token is not a keyword. */
    String keyword() {
        int i = peek();
        if (t.kind[i] != TokenKind.KEYWORD) throw expected("a keyword");
        next();
        return t.text(i);
    }

    /** An identifier's name (without {@code $}, quotes decoded), consumed, or null when the next token is not one. */
    String id() {
        int i = peek();
        if (t.kind[i] != TokenKind.ID) return null;
        next();
        return idName(i);
    }

    /** Like {@link #id()}, but null (nothing consumed) when an @name or @custom annotation comes first. */
    String idBeforeAnnotation() {
        return atAnyAnnotation() ? null : id();
    }

    String idName(int i) {
        int s = t.start[i];
        if (src.bytes()[s + 1] == '"') {
            byte[] bytes = Literals.string(src, s + 1, t.end[i]);
            if (!Literals.isUtf8(bytes)) throw errorAt(i, "malformed UTF-8 encoding in identifier");
            return new String(bytes, StandardCharsets.UTF_8);
        }
        return src.text(s + 1, t.end[i]);
    }

    /** The bytes of a string literal, consumed. */
    byte[] string() {
        int i = peek();
        if (t.kind[i] != TokenKind.STRING) throw expected("a string");
        next();
        return Literals.string(src, t.start[i], t.end[i]);
    }

    /** A string that must be valid UTF-8 (a name), consumed. */
    byte[] name() {
        int i = peek();
        byte[] b = string();
        if (!Literals.isUtf8(b)) throw errorAt(i, "malformed UTF-8 encoding");
        return b;
    }

    /** An unsigned 32-bit integer literal, consumed. */
    long u32() {
        return unsigned(32, "i32");
    }

    long u64() {
        return unsigned(64, "i64");
    }

    private long unsigned(int bits, String type) {
        int i = peek();
        if (t.kind[i] != TokenKind.NUMBER || !Literals.isNat(src.bytes(), t.start[i], t.end[i])) {
            throw expected("an unsigned integer");
        }
        Long v = Literals.integer(src.bytes(), t.start[i], t.end[i], bits, true);
        if (v == null) throw errorAt(i, type + " constant out of range");
        next();
        return v;
    }

    /** True when the next token is an unsigned integer literal. */
    boolean atNat() {
        int i = peek();
        return t.kind[i] == TokenKind.NUMBER && Literals.isNat(src.bytes(), t.start[i], t.end[i]);
    }

    /** True when the next token is a number or an identifier: an index. */
    boolean atIndex() {
        int i = peek();
        return t.kind[i] == TokenKind.ID || (t.kind[i] == TokenKind.NUMBER && Literals.isNat(src.bytes(), t.start[i], t.end[i]));
    }

    /** An integer literal (signed or not) of {@code bits} bits, consumed. */
    long integer(int bits) {
        int i = peek();
        if (t.kind[i] != TokenKind.NUMBER) throw expected("an integer");
        Long v = Literals.integer(src.bytes(), t.start[i], t.end[i], bits, false);
        if (v == null) {
            if (!Literals.isInteger(src.bytes(), t.start[i], t.end[i])) throw expected("an integer");
            throw errorAt(i, "i" + bits + " constant out of range");
        }
        next();
        return v;
    }

    int f32() {
        int i = peek();
        if (t.kind[i] != TokenKind.NUMBER) throw expected("a floating-point number");
        Integer v = Literals.f32(src.bytes(), t.start[i], t.end[i]);
        if (v == null) throw errorAt(i, "f32 constant out of range");
        next();
        return v;
    }

    long f64() {
        int i = peek();
        if (t.kind[i] != TokenKind.NUMBER) throw expected("a floating-point number");
        Long v = Literals.f64(src.bytes(), t.start[i], t.end[i]);
        if (v == null) throw errorAt(i, "f64 constant out of range");
        next();
        return v;
    }

    /** Skips a whole parenthesised form starting at the next {@code (}. */
    void skipForm() {
        int i = peek();
        int close = t.match[i];
        if (close < 0) throw errorAt(i, "unclosed '('");
        pos = close + 1;
    }

    TextFormatException error(String reason) {
        return errorAt(peek(), reason);
    }

    TextFormatException errorAt(int token, String reason) {
        return src.error(t.start[token], reason);
    }

    /** "expected X, found Y" at the next token. */
    TextFormatException expected(String what) {
        int i = peek();
        if (t.kind[i] == TokenKind.ANNOTATION) return errorAt(i, "@" + annotationId(i) + " annotation: not before an instruction in a function");
        return errorAt(i, "expected " + what + ", found " + describe(i));
    }

    String describe(int i) {
        return switch (t.kind[i]) {
            case LPAR -> "'('";
            case RPAR -> "')'";
            case EOF -> "the end of the text";
            case STRING -> "a string";
            case RESERVED -> "unknown token " + shorten(t.text(i));
            default -> shorten(t.text(i));
        };
    }

    private static String shorten(String s) {
        return "'" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "'";
    }
}
