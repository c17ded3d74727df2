package dev.kiln.frontend.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a {@code .wast} script: the spec interpreter's commands ({@code module} in its text,
 * {@code binary}, {@code quote}, {@code definition} and {@code instance} forms, {@code register},
 * {@code invoke}, {@code get} and the assertions). Modules are kept unparsed until a runner asks
 * for them ({@link WastModule#compile()}), so a malformed module fails its own command only. A
 * script that is a module's fields alone is one {@code module} command.
 */
public final class WastParser {
    private final Cursor c;

    private WastParser(Cursor c) {
        this.c = c;
    }

    public static List<WastCommand> parse(byte[] text, String name) {
        SourceText src = new SourceText(name, text);
        Cursor c = new Cursor(Lexer.lex(src));
        return WatParser.guarded(c, () -> new WastParser(c).script());
    }

    private List<WastCommand> script() {
        List<WastCommand> out = new ArrayList<>();
        String first = c.rawFormKeyword();
        if (!c.atRawEnd() && (first == null || !isCommand(first) || c.atAnnotation("custom") || c.atAnnotation("name"))) {
            // a module's fields on their own
            int line = c.src.line(c.t.start[c.position()]);
            WastModule m = WastModule.inline(line, c.t, c.position());
            out.add(new WastCommand.Module(line, m, false));
            return out;
        }
        while (!c.at(TokenKind.EOF)) out.add(command());
        return out;
    }

    private static boolean isCommand(String k) {
        return switch (k) {
            case "module", "register", "invoke", "get", "assert_return", "assert_trap", "assert_exhaustion",
                 "assert_exception", "assert_invalid", "assert_malformed", "assert_unlinkable",
                 "assert_malformed_custom", "assert_invalid_custom" -> true;
            default -> false;
        };
    }

    private int line(int tok) {
        return c.src.line(c.t.start[tok]);
    }

    private WastCommand command() {
        int open = c.peek();
        int line = line(open);
        String k = c.formKeyword();
        if (k == null) throw c.expected("a script command");
        switch (k) {
            case "module" -> {
                if (atInstance()) return instance(line);
                boolean[] definition = new boolean[1];
                WastModule m = module(definition);
                return new WastCommand.Module(line, m, definition[0]);
            }
            case "register" -> {
                c.next();
                c.next();
                String name = new String(c.name(), StandardCharsets.UTF_8);
                String instance = c.id();
                c.rpar();
                return new WastCommand.Register(line, name, instance);
            }
            case "invoke", "get" -> {
                return new WastCommand.Perform(line, action());
            }
            default -> { }
        }
        c.next();
        c.next();
        WastCommand cmd = switch (k) {
            case "assert_return" -> {
                WastCommand.Action a = action();
                List<WastValue> expected = new ArrayList<>();
                while (c.at(TokenKind.LPAR)) expected.add(result());
                yield new WastCommand.AssertReturn(line, a, expected);
            }
            case "assert_trap" -> {
                if (c.atForm("module")) {
                    yield moduleAssertion(line, "assert_uninstantiable");
                }
                WastCommand.Action a = action();
                yield new WastCommand.AssertTrap(line, a, message());
            }
            case "assert_exhaustion" -> {
                WastCommand.Action a = action();
                yield new WastCommand.AssertExhaustion(line, a, message());
            }
            case "assert_exception" -> new WastCommand.AssertException(line, action());
            case "assert_invalid", "assert_malformed", "assert_unlinkable", "assert_malformed_custom",
                 "assert_invalid_custom" -> moduleAssertion(line, k);
            default -> throw c.errorAt(c.position() - 1, "expected a script command, found '" + k + "'");
        };
        c.rpar();
        return cmd;
    }

    private WastCommand moduleAssertion(int line, String kind) {
        if (atInstance()) {
            WastCommand.Instance inst = instance(line);
            return new WastCommand.AssertModule(line, kind, null, inst.module(), message());
        }
        WastModule m = module(new boolean[1]);
        return new WastCommand.AssertModule(line, kind, m, null, message());
    }

    private String message() {
        return new String(c.string(), StandardCharsets.UTF_8);
    }

    /** True at {@code (module instance}. */
    private boolean atInstance() {
        int save = c.position();
        c.next();
        c.next();
        boolean r = !c.atAnyAnnotation() && c.atKeyword("instance");
        c.position(save);
        return r;
    }

    private WastCommand.Instance instance(int line) {
        c.next();
        c.next();
        c.keyword("instance");
        String first = c.id();
        String second = c.id();
        c.rpar();
        return second == null ? new WastCommand.Instance(line, null, first) : new WastCommand.Instance(line, first, second);
    }

    /** {@code (module definition? $id? (binary|quote)? ...)}; the cursor ends after it. */
    private WastModule module(boolean[] definition) {
        int open = c.peek();
        int line = line(open);
        c.lpar();
        c.keyword("module");
        definition[0] = !c.atAnyAnnotation() && c.take("definition");
        String id = c.atAnyAnnotation() ? null : c.id();
        WastModule m;
        if (!c.atAnyAnnotation() && c.take("binary")) {
            m = WastModule.binary(id, line, WatParser.strings(c));
        } else if (!c.atAnyAnnotation() && c.take("quote")) {
            m = WastModule.quote(id, line, WatParser.strings(c), c.src.name() + ":" + line + " (quoted module)");
        } else {
            m = WastModule.text(id, line, c.t, c.position());
            int close = c.t.match[open];
            if (close < 0) throw c.errorAt(open, "unclosed '('");
            c.position(close);
        }
        c.rpar();
        return m;
    }

    private WastCommand.Action action() {
        int open = c.peek();
        c.lpar();
        boolean invoke;
        if (c.take("invoke")) {
            invoke = true;
        } else if (c.take("get")) {
            invoke = false;
        } else {
            throw c.expected("'invoke' or 'get'");
        }
        String instance = c.id();
        String name = new String(c.name(), StandardCharsets.UTF_8);
        List<WastValue> args = new ArrayList<>();
        if (invoke) while (c.at(TokenKind.LPAR)) args.add(argument());
        c.rpar();
        return new WastCommand.Action(line(open), invoke, instance, name, args);
    }

    /** An argument: a constant or a reference. */
    private WastValue argument() {
        c.lpar();
        int tok = c.peek();
        String k = c.keyword();
        WastValue v = switch (k) {
            case "i32.const" -> new WastValue.Num("i32", c.integer(32) & 0xFFFF_FFFFL);
            case "i64.const" -> new WastValue.Num("i64", c.integer(64));
            case "f32.const" -> new WastValue.Num("f32", c.f32() & 0xFFFF_FFFFL);
            case "f64.const" -> new WastValue.Num("f64", c.f64());
            case "v128.const" -> {
                ByteSink b = new ByteSink(16);
                VectorLiterals.v128(c, b);
                yield v128(b);
            }
            case "ref.null" -> new WastValue.RefNull(heapTypeName());
            case "ref.extern" -> new WastValue.RefExtern(c.u32());
            case "ref.host" -> new WastValue.RefHost(c.u32());
            default -> throw c.errorAt(tok, "expected a constant, found '" + k + "'");
        };
        c.rpar();
        return v;
    }

    private static WastValue.V128 v128(ByteSink b) {
        long lo = 0;
        long hi = 0;
        for (int i = 0; i < 8; i++) {
            lo |= (b.at(i) & 0xFFL) << (8 * i);
            hi |= (b.at(i + 8) & 0xFFL) << (8 * i);
        }
        return new WastValue.V128(lo, hi);
    }

    private String heapTypeName() {
        int tok = c.peek();
        String k = c.keyword();
        if (!TypeParser.HEAP_TYPES.containsKey(k)) throw c.errorAt(tok, "expected a heap type, found '" + k + "'");
        return k;
    }

    private WastValue result() {
        int open = c.peek();
        c.lpar();
        int tok = c.peek();
        String k = c.keyword();
        WastValue v = switch (k) {
            case "i32.const", "i64.const" -> {
                c.position(open);
                yield argument();
            }
            case "f32.const", "f64.const" -> {
                String type = k.substring(0, 3);
                if (c.atKeyword("nan:canonical") || c.atKeyword("nan:arithmetic")) {
                    boolean canonical = c.keyword().equals("nan:canonical");
                    c.rpar();
                    yield new WastValue.NanPattern(type, canonical);
                }
                c.position(open);
                yield argument();
            }
            case "v128.const" -> {
                String shape = VectorLiterals.shape(c);
                List<WastValue> lanes = new ArrayList<>();
                boolean nan = false;
                ByteSink b = new ByteSink(16);
                for (int i = 0; i < VectorLiterals.lanes(shape); i++) {
                    if (shape.startsWith("f") && (c.atKeyword("nan:canonical") || c.atKeyword("nan:arithmetic"))) {
                        nan = true;
                        lanes.add(new WastValue.NanPattern(shape.substring(0, 3), c.keyword().equals("nan:canonical")));
                    } else {
                        int before = b.size();
                        VectorLiterals.lane(c, shape, b);
                        long bits = 0;
                        for (int j = before; j < b.size(); j++) bits |= (b.at(j) & 0xFFL) << (8 * (j - before));
                        lanes.add(new WastValue.Num(shape.substring(0, 3), bits));
                    }
                }
                c.rpar();
                yield nan ? new WastValue.V128Pattern(shape, lanes) : v128(b);
            }
            case "ref.null" -> {
                if (c.at(TokenKind.RPAR)) {
                    c.rpar();
                    yield new WastValue.AnyNull();
                }
                c.position(open);
                yield argument();
            }
            case "ref.extern", "ref.host" -> {
                if (c.at(TokenKind.RPAR)) {
                    c.rpar();
                    yield new WastValue.RefKind(k.equals("ref.extern") ? "extern" : "any");
                }
                c.position(open);
                yield argument();
            }
            case "ref" -> {
                c.rpar();
                yield new WastValue.RefKind("any");
            }
            case "ref.func", "ref.struct", "ref.array", "ref.eq", "ref.i31", "ref.exn", "ref.any" -> {
                c.rpar();
                yield new WastValue.RefKind(k.substring(4));
            }
            case "either" -> {
                List<WastValue> alternatives = new ArrayList<>();
                while (c.at(TokenKind.LPAR)) alternatives.add(result());
                c.rpar();
                yield new WastValue.Either(alternatives);
            }
            default -> throw c.errorAt(tok, "expected a result, found '" + k + "'");
        };
        return v;
    }
}
