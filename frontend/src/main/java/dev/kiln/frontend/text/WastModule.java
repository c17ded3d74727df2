package dev.kiln.frontend.text;

import java.nio.charset.StandardCharsets;

/**
 * A module in a script: text ({@code (module ...)}), {@code (module binary ...)} or
 * {@code (module quote ...)}. Text and quoted modules are parsed when {@link #compile()} is
 * first called, so a script's malformed modules are errors of their own command only.
 */
public final class WastModule {
    /** How the module is written in the script. */
    public enum Form { TEXT, BINARY, QUOTE }

    private final Form form;
    private final String id;
    private final int line;
    private final Tokens tokens;
    /** TEXT: the first token of the module's fields. */
    private final int fieldsStart;
    /** BINARY: the bytes; QUOTE: the text. */
    private final byte[] bytes;
    private final String quoteName;
    /** TEXT: the module is the whole script (its fields end at the end of the text, not at a parenthesis). */
    private final boolean inline;
    private WatParser.Module compiled;
    private TextFormatException failure;

    private WastModule(Form form, String id, int line, Tokens tokens, int fieldsStart, byte[] bytes, String quoteName,
                       boolean inline) {
        this.inline = inline;
        this.form = form;
        this.id = id;
        this.line = line;
        this.tokens = tokens;
        this.fieldsStart = fieldsStart;
        this.bytes = bytes;
        this.quoteName = quoteName;
    }

    static WastModule text(String id, int line, Tokens tokens, int fieldsStart) {
        return new WastModule(Form.TEXT, id, line, tokens, fieldsStart, null, null, false);
    }

    static WastModule inline(int line, Tokens tokens, int fieldsStart) {
        return new WastModule(Form.TEXT, null, line, tokens, fieldsStart, null, null, true);
    }

    /** A binary module (e.g. one of a script converted to JSON and {@code .wasm} files). */
    public static WastModule binary(String id, int line, byte[] bytes) {
        return new WastModule(Form.BINARY, id, line, null, 0, bytes, null, false);
    }

    /** A text module given as its text; {@code name} is the name its errors report. */
    public static WastModule quote(String id, int line, byte[] text, String name) {
        return new WastModule(Form.QUOTE, id, line, null, 0, text, name, false);
    }

    public Form form() {
        return form;
    }

    /** The module's {@code $id} in the script, or null. */
    public String id() {
        return id;
    }

    public int line() {
        return line;
    }

    /**
     * The module as standalone text: for a text module {@code (module $id? fields)} (a definition's
     * {@code definition} keyword dropped), for a quoted one its quoted text; null for a binary one.
     */
    public String text() {
        return switch (form) {
            case BINARY -> null;
            case QUOTE -> new String(bytes, StandardCharsets.UTF_8);
            case TEXT -> {
                int end;
                if (inline) {
                    end = tokens.source.bytes().length;
                } else {
                    int depth = 0;
                    int i = fieldsStart;
                    while (true) {
                        TokenKind k = tokens.kind[i];
                        if (k == TokenKind.EOF) break;
                        if (k == TokenKind.RPAR) {
                            if (depth == 0) break;
                            depth--;
                        } else if (k == TokenKind.LPAR || k == TokenKind.ANNOTATION) {
                            depth++;
                        }
                        i++;
                    }
                    end = tokens.start[i];
                }
                String fields = tokens.source.text(tokens.start[fieldsStart], end);
                yield inline ? fields : "(module" + (id != null ? " $" + quoteId(id) : "") + "\n" + fields + ")";
            }
        };
    }

    private static String quoteId(String id) {
        for (int i = 0; i < id.length(); i++) {
            if (!Lexer.isIdChar(id.charAt(i))) return "\"" + id.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        return id;
    }

    /**
     * The module's binary and features ({@code features} is null for binary modules). Throws the
     * {@link TextFormatException} of a text or quoted module that is not well formed.
     */
    public WatParser.Module compile() {
        return compile(WatParser.Options.SPEC);
    }

    /** {@link #compile()} with parser options (not cached). */
    public WatParser.Module compile(WatParser.Options options) {
        if (options != WatParser.Options.SPEC) return parse(options);
        return compiledOnce();
    }

    private synchronized WatParser.Module compiledOnce() {
        if (compiled != null) return compiled;
        if (failure != null) throw failure;
        try {
            compiled = parse(WatParser.Options.SPEC);
            return compiled;
        } catch (TextFormatException e) {
            failure = e;
            throw e;
        }
    }

    private WatParser.Module parse(WatParser.Options options) {
        return switch (form) {
            case BINARY -> new WatParser.Module(bytes, null, id);
            case QUOTE -> {
                WatParser.Module m = WatParser.parse(bytes, quoteName, options);
                yield new WatParser.Module(m.binary(), m.features(), id);
            }
            case TEXT -> {
                Cursor c = new Cursor(tokens, fieldsStart);
                ModuleParser.Result r = WatParser.guarded(c, () -> ModuleParser.parse(c, id, options));
                if (inline ? !c.at(TokenKind.EOF) : !c.at(TokenKind.RPAR)) throw c.expected(inline ? "a module field" : "')'");
                yield new WatParser.Module(r.binary(), r.features(), id);
            }
        };
    }
}
