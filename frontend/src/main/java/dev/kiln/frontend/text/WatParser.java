package dev.kiln.frontend.text;

import dev.kiln.frontend.WasmFeature;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Parses a WebAssembly text module ({@code .wat}) into the binary format. The text is either one
 * {@code (module ...)} form or a module's fields on their own; {@code (module binary "...")} and
 * {@code (module quote "...")} are accepted too. Errors are {@link TextFormatException}s with the
 * file, line and column, never another exception.
 */
public final class WatParser {
    private WatParser() {
    }

    /**
     * A parsed module: its binary, the proposals it uses ({@code null} for a {@code module binary}
     * form, whose features are not known without decoding), and its {@code $id} (or null).
     */
    public record Module(byte[] binary, Set<WasmFeature> features, String id) {
    }

    /**
     * How the parser reads the text. {@code wasmToolsTypeUses}: an inline type use (a function's
     * {@code (param ...) (result ...)} without {@code (type x)}) stands for the first function type
     * defined outside a {@code rec} group with that signature, final or not, as wasm-tools (wasmtime's
     * parser) does; by default it stands only for a final function type without supertypes alone in
     * its rec group, as the specification says. The two give equivalent modules except where
     * finality matters; the option exists to compare kiln's output with wasmtime's byte for byte.
     */
    public record Options(boolean wasmToolsTypeUses) {
        public static final Options SPEC = new Options(false);
        public static final Options WASM_TOOLS = new Options(true);
    }

    public static Module parse(String text, String name) {
        return parse(text.getBytes(StandardCharsets.UTF_8), name);
    }

    public static Module parse(byte[] text, String name) {
        return parse(text, name, Options.SPEC);
    }

    public static Module parse(byte[] text, String name, Options options) {
        SourceText src = new SourceText(name, text);
        Tokens tokens = Lexer.lex(src);
        Cursor c = new Cursor(tokens);
        return guarded(c, () -> {
            Module m;
            if (!c.atAnyAnnotation() && "module".equals(c.rawFormKeyword())) {
                m = moduleForm(c, options);
            } else {
                ModuleParser.Result r = ModuleParser.parse(c, null, options);
                m = new Module(r.binary(), r.features(), null);
            }
            if (!c.at(TokenKind.EOF)) throw c.expected("the end of the text");
            return m;
        });
    }

    /**
     * True unless the bytes look like text: a text module's first byte past white space opens a form
     * {@code (} or a comment {@code ;}. Anything else, including an empty file and a binary with a
     * damaged header, is read as a binary, so its error says what is wrong with the header.
     */
    public static boolean isBinary(byte[] bytes) {
        for (byte b : bytes) {
            if (b == ' ' || b == '\t' || b == '\n' || b == '\r') continue;
            return b != '(' && b != ';';
        }
        return true;
    }

    /**
     * {@code (module $id? ...)} at the cursor: fields, {@code binary "..."*} or {@code quote "..."*}.
     * The cursor ends after the closing parenthesis.
     */
    static Module moduleForm(Cursor c, Options options) {
        c.lpar();
        c.keyword("module");
        String id = c.atAnyAnnotation() ? null : c.id();
        Module m;
        if (!c.atAnyAnnotation() && c.take("binary")) {
            m = new Module(strings(c), null, id);
        } else if (!c.atAnyAnnotation() && c.take("quote")) {
            int tok = c.peek();
            byte[] text = strings(c);
            Module inner = parse(text, c.src.name() + ":" + lineOf(c, tok) + " (quoted module)", options);
            m = new Module(inner.binary(), inner.features(), id);
        } else {
            ModuleParser.Result r = ModuleParser.parse(c, id, options);
            m = new Module(r.binary(), r.features(), id);
        }
        c.rpar();
        return m;
    }

    static String lineOf(Cursor c, int tok) {
        return Integer.toString(c.src.line(c.t.start[tok]));
    }

    /** {@code "..."*}: the strings' bytes, concatenated. */
    static byte[] strings(Cursor c) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (c.at(TokenKind.STRING)) out.writeBytes(c.string());
        return out.toByteArray();
    }

    interface Parse<T> {
        T run();
    }

    /** Runs a parse, turning a runaway recursion into an error at the cursor's position. */
    static <T> T guarded(Cursor c, Parse<T> p) {
        try {
            return p.run();
        } catch (StackOverflowError e) {
            throw c.errorAt(Math.min(c.position(), c.t.count - 1), "nesting too deep");
        }
    }
}
