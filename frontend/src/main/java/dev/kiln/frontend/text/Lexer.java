package dev.kiln.frontend.text;

import java.util.Arrays;

/**
 * Splits UTF-8 text into tokens in one pass over the bytes, following the lexical grammar of the
 * WebAssembly text format: white space, line and (nested) block comments, strings with their
 * escapes, identifiers ({@code $x}, {@code $"x"}), numbers, keywords, parentheses and annotations
 * ({@code (@id ...)}). Comments and white space produce no tokens. Malformed characters, strings
 * and comments are reported here; tokens the grammar reserves are kept as {@link TokenKind#RESERVED}
 * and reported by the parser when it reaches them (they are allowed inside annotations).
 */
final class Lexer {
    private final SourceText src;
    private final byte[] b;
    private final Tokens out;
    private int[] parens = new int[64];
    private int depth;
    /** How many of the open parentheses are annotations: inside one, "(@" without an id is a plain "(". */
    private int annotationDepth;

    private Lexer(SourceText src) {
        this.src = src;
        this.b = src.bytes();
        this.out = new Tokens(src);
    }

    static Tokens lex(SourceText src) {
        Lexer l = new Lexer(src);
        l.run();
        return l.out;
    }

    private void run() {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i] & 0xFF;
            switch (c) {
                case ' ', '\t', '\n', '\r' -> i++;
                case '(' -> {
                    if (i + 1 < n && b[i + 1] == ';') {
                        i = blockComment(i);
                    } else if (i + 1 < n && b[i + 1] == '@' && (annotationDepth == 0 || hasAnnotationId(i + 2))) {
                        i = annotation(i);
                    } else {
                        open(out.add(TokenKind.LPAR, i, i + 1));
                        i++;
                    }
                }
                case ')' -> {
                    int t = out.add(TokenKind.RPAR, i, i + 1);
                    if (depth > 0) {
                        int o = parens[--depth];
                        out.match[o] = t;
                        out.match[t] = o;
                        if (out.kind[o] == TokenKind.ANNOTATION) annotationDepth--;
                    }
                    i++;
                }
                case ';' -> {
                    if (i + 1 < n && b[i + 1] == ';') {
                        i = lineComment(i);
                    } else {
                        out.add(TokenKind.RESERVED, i, i + 1);
                        i++;
                    }
                }
                case ',', '[', ']', '{', '}' -> {
                    out.add(TokenKind.RESERVED, i, i + 1);
                    i++;
                }
                default -> {
                    if (c == '"' || isIdChar(c)) {
                        i = word(i);
                    } else if (c < 0x20 || c == 0x7F) {
                        throw src.error(i, "misplaced control character");
                    } else if (utf8Length(i) > 0) {
                        throw src.error(i, "misplaced unicode character");
                    } else {
                        throw src.error(i, "malformed UTF-8 encoding");
                    }
                }
            }
        }
        out.add(TokenKind.EOF, n, n);
    }

    private void open(int token) {
        if (depth == parens.length) parens = Arrays.copyOf(parens, depth * 2);
        parens[depth++] = token;
    }

    /** A maximal run of identifier characters and strings, classified as one token. */
    private int word(int start) {
        int i = start;
        int strings = 0;
        boolean other = false;
        while (i < b.length) {
            int c = b[i] & 0xFF;
            if (c == '"') {
                i = string(i);
                strings++;
            } else if (isIdChar(c)) {
                i++;
                other = true;
            } else {
                break;
            }
        }
        TokenKind kind;
        if (strings > 0) {
            if (strings == 1 && !other) {
                kind = TokenKind.STRING;
            } else if (strings == 1 && b[start] == '$' && b[start + 1] == '"' && b[i - 1] == '"') {
                kind = TokenKind.ID;
                if (Literals.string(src, start + 1, i).length == 0) throw src.error(start, "empty identifier");
            } else {
                kind = TokenKind.RESERVED;
            }
        } else if (b[start] == '$') {
            if (i - start == 1) throw src.error(start, "empty identifier");
            kind = TokenKind.ID;
        } else if (Literals.isNumber(b, start, i)) {
            kind = TokenKind.NUMBER;
        } else if (b[start] >= 'a' && b[start] <= 'z') {
            kind = TokenKind.KEYWORD;
        } else {
            kind = TokenKind.RESERVED;
        }
        out.add(kind, start, i);
        return i;
    }

    /** Scans a string literal from its opening quote; returns the offset after the closing quote. */
    private int string(int start) {
        int i = start + 1;
        while (true) {
            if (i >= b.length) throw src.error(start, "unclosed string literal");
            int c = b[i] & 0xFF;
            if (c == '"') return i + 1;
            if (c == '\\') {
                if (i + 1 >= b.length) throw src.error(start, "unclosed string literal");
                int e = b[i + 1] & 0xFF;
                switch (e) {
                    case 'n', 'r', 't', '\\', '\'', '"' -> i += 2;
                    case 'u' -> {
                        int j = i + 2;
                        if (j >= b.length || b[j] != '{') throw src.error(i, "illegal escape");
                        j++;
                        int digits = j;
                        while (j < b.length && (Literals.hexDigit(b[j]) >= 0 || b[j] == '_')) j++;
                        if (j >= b.length || b[j] != '}' || !Literals.isHexNum(b, digits, j)) throw src.error(i, "illegal escape");
                        long cp = Literals.hexValue(b, digits, j);
                        if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp < 0xE000)) {
                            throw src.error(i, "malformed UTF-8 encoding: escape \\u{...} is not a Unicode scalar value");
                        }
                        i = j + 1;
                    }
                    default -> {
                        if (i + 2 < b.length && Literals.hexDigit(b[i + 1]) >= 0 && Literals.hexDigit(b[i + 2]) >= 0) {
                            i += 3;
                        } else {
                            throw src.error(i, "illegal escape");
                        }
                    }
                }
            } else if (c == '\n' || c == '\r') {
                throw src.error(start, "unclosed string literal");
            } else if (c < 0x20 || c == 0x7F) {
                throw src.error(i, "illegal control character in string literal");
            } else if (c >= 0x80) {
                int len = utf8Length(i);
                if (len < 0) throw src.error(i, "malformed UTF-8 encoding");
                i += len;
            } else {
                i++;
            }
        }
    }

    private int lineComment(int start) {
        int i = start + 2;
        while (i < b.length && b[i] != '\n' && b[i] != '\r') {
            if ((b[i] & 0x80) != 0) {
                int len = utf8Length(i);
                if (len < 0) throw src.error(i, "malformed UTF-8 encoding");
                i += len;
            } else {
                i++;
            }
        }
        return i;
    }

    private int blockComment(int start) {
        int i = start + 2;
        int nesting = 1;
        while (true) {
            if (i >= b.length) throw src.error(start, "unclosed comment");
            int c = b[i] & 0xFF;
            if (c == '(' && i + 1 < b.length && b[i + 1] == ';') {
                nesting++;
                i += 2;
            } else if (c == ';' && i + 1 < b.length && b[i + 1] == ')') {
                i += 2;
                if (--nesting == 0) return i;
            } else if (c >= 0x80) {
                int len = utf8Length(i);
                if (len < 0) throw src.error(i, "malformed UTF-8 encoding");
                i += len;
            } else {
                i++;
            }
        }
    }

    /** {@code (@id}: an annotation token whose text is the id (a name or a string), pushed like {@code (}. */
    private int annotation(int start) {
        int i = start + 2;
        int idStart = i;
        if (i < b.length && b[i] == '"') {
            i = string(i);
            byte[] id = Literals.string(src, idStart, i);
            if (id.length == 0) throw src.error(start, "empty annotation id");
            if (!Literals.isUtf8(id)) throw src.error(start, "malformed UTF-8 encoding");
        } else {
            while (i < b.length && isIdChar(b[i] & 0xFF)) i++;
            if (i == idStart) throw src.error(start, "empty annotation id");
        }
        open(out.add(TokenKind.ANNOTATION, start, i));
        annotationDepth++;
        return i;
    }

    private boolean hasAnnotationId(int i) {
        return i < b.length && (b[i] == '"' || isIdChar(b[i] & 0xFF));
    }

    /** Length of the valid UTF-8 sequence at {@code i}, or -1. */
    private int utf8Length(int i) {
        return Literals.utf8Length(b, i, b.length);
    }

    static boolean isIdChar(int c) {
        if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') return true;
        return switch (c) {
            case '_', '+', '-', '*', '/', '\\', '^', '~', '=', '<', '>', '!', '?', '@', '#', '$', '%', '&', '|', ':',
                 '`', '.', '\'' -> true;
            default -> false;
        };
    }
}
