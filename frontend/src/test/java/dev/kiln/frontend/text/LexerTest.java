package dev.kiln.frontend.text;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LexerTest {
    private static List<String> kinds(String text) {
        Tokens t = Lexer.lex(new SourceText("t", text.getBytes(StandardCharsets.UTF_8)));
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.count; i++) {
            out.add(t.kind[i] + (t.kind[i] == TokenKind.EOF ? "" : ":" + t.text(i)));
        }
        return out;
    }

    private static TextFormatException error(String text) {
        return assertThrows(TextFormatException.class, () -> Lexer.lex(new SourceText("f.wat", text.getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void tokensCommentsAndWhiteSpace() {
        assertEquals(List.of("LPAR:(", "KEYWORD:i32.const", "NUMBER:-0x1_0", "RPAR:)", "ID:$x", "ID:$\"a b\"", "STRING:\"s\"",
                        "KEYWORD:offset=4", "RESERVED:0$x", "RESERVED:\"a\"\"b\"", "RESERVED:,", "EOF"),
                kinds("(i32.const -0x1_0) ;; line\n $x (; block (; nested ;) ;) $\"a b\" \"s\"\toffset=4\r0$x \"a\"\"b\" ,"));
    }

    @Test
    void lineCommentsEndAtCarriageReturn() {
        assertEquals(List.of("KEYWORD:nop", "KEYWORD:drop", "EOF"), kinds("nop ;; c\rdrop"));
    }

    @Test
    void annotationsNestAndMatch() {
        Tokens t = Lexer.lex(new SourceText("t", "(@a (b) (@c x) (@) ; ) nop".getBytes(StandardCharsets.UTF_8)));
        assertEquals(TokenKind.ANNOTATION, t.kind[0]);
        assertEquals("(@a", t.text(0));
        int close = t.match[0];
        assertEquals(TokenKind.RPAR, t.kind[close]);
        assertEquals("nop", t.text(close + 1), "the annotation's ')' is matched past nested parentheses");
    }

    @Test
    void errorsHaveLineAndColumn() {
        TextFormatException e = error("(module\n  (func \"abc\n))");
        assertEquals(2, e.line());
        assertEquals(9, e.column());
        assertEquals("f.wat:2:9: unclosed string literal", e.getMessage());
        assertEquals("unclosed comment", error("nop (; (; ;)").reason());
        assertEquals("illegal escape", error("\"\\q\"").reason());
        assertEquals("empty identifier", error("$ ").reason());
        assertEquals("empty annotation id", error("(@ x)").reason());
        assertEquals("misplaced control character", error("nop \u000C").reason());
        assertEquals("misplaced unicode character", error("nop λ").reason());
        assertEquals(List.of("KEYWORD:nop", "EOF"), kinds("nop ;; control characters are allowed in comments: \u0000\u0001"));
        byte[] badComment = {';', ';', ' ', (byte) 0xFF};
        assertEquals("malformed UTF-8 encoding",
                assertThrows(TextFormatException.class, () -> Lexer.lex(new SourceText("f", badComment))).reason());
        TextFormatException col = error("\"λλ\\u{D800}\"");
        assertEquals(4, col.column(), "columns count characters, not bytes");
    }
}
