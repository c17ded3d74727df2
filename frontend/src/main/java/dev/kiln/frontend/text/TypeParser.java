package dev.kiln.frontend.text;

import dev.kiln.frontend.WasmFeature;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Types in the text format, written straight to their binary encoding: value types, heap and
 * reference types (with their abbreviations), storage and field types, the composite types of
 * type definitions, and type uses.
 */
final class TypeParser {
    /** Abstract heap types and their one-byte codes. */
    static final Map<String, Integer> HEAP_TYPES = Map.ofEntries(
            Map.entry("any", 0x6E), Map.entry("eq", 0x6D), Map.entry("i31", 0x6C), Map.entry("struct", 0x6B),
            Map.entry("array", 0x6A), Map.entry("none", 0x71), Map.entry("func", 0x70), Map.entry("nofunc", 0x73),
            Map.entry("exn", 0x69), Map.entry("noexn", 0x74), Map.entry("extern", 0x6F), Map.entry("noextern", 0x72));
    /** Nullable reference type abbreviations and the heap type they stand for. */
    static final Map<String, String> REF_ABBREVIATIONS = Map.ofEntries(
            Map.entry("anyref", "any"), Map.entry("eqref", "eq"), Map.entry("i31ref", "i31"),
            Map.entry("structref", "struct"), Map.entry("arrayref", "array"), Map.entry("nullref", "none"),
            Map.entry("funcref", "func"), Map.entry("nullfuncref", "nofunc"), Map.entry("exnref", "exn"),
            Map.entry("nullexnref", "noexn"), Map.entry("externref", "extern"), Map.entry("nullexternref", "noextern"));
    static final Map<String, Integer> NUM_TYPES = Map.of("i32", 0x7F, "i64", 0x7E, "f32", 0x7D, "f64", 0x7C, "v128", 0x7B);

    private final ModuleContext m;
    private final Cursor c;
    private final ByteSink scratch = new ByteSink();

    TypeParser(ModuleContext m) {
        this.m = m;
        this.c = m.c;
    }

    /** True when the next token starts a value type. */
    boolean atValType() {
        if (c.at(TokenKind.KEYWORD)) {
            String k = c.t.text(c.peek());
            return NUM_TYPES.containsKey(k) || REF_ABBREVIATIONS.containsKey(k);
        }
        return c.atForm("ref");
    }

    boolean atRefType() {
        if (c.at(TokenKind.KEYWORD)) return REF_ABBREVIATIONS.containsKey(c.t.text(c.peek()));
        return c.atForm("ref");
    }

    void valType(ByteSink out) {
        if (c.at(TokenKind.KEYWORD)) {
            String k = c.t.text(c.peek());
            Integer code = NUM_TYPES.get(k);
            if (code != null) {
                c.next();
                if (code == 0x7B) m.use(WasmFeature.SIMD);
                out.byte_(code);
                return;
            }
            if (REF_ABBREVIATIONS.containsKey(k)) {
                refType(out);
                return;
            }
        } else if (c.atForm("ref")) {
            refType(out);
            return;
        }
        throw c.expected("a value type");
    }

    byte[] valType() {
        scratch.reset();
        valType(scratch);
        return scratch.toByteArray();
    }

    void refType(ByteSink out) {
        if (c.at(TokenKind.KEYWORD)) {
            int tok = c.peek();
            String heap = REF_ABBREVIATIONS.get(c.t.text(tok));
            if (heap == null) throw c.expected("a reference type");
            c.next();
            int code = HEAP_TYPES.get(heap);
            noteAbstract(code);
            out.byte_(code);
            return;
        }
        if (!c.takeForm("ref")) throw c.expected("a reference type");
        boolean nullable = c.take("null");
        if (!nullable) m.use(WasmFeature.FUNCTION_REFERENCES);
        if (c.at(TokenKind.KEYWORD)) {
            Integer code = HEAP_TYPES.get(c.t.text(c.peek()));
            if (code == null) throw c.expected("a heap type");
            c.next();
            noteAbstract(code);
            if (!nullable) out.byte_(0x64);
            out.byte_(code);
        } else {
            out.byte_(nullable ? 0x63 : 0x64);
            out.s64(m.types.resolve(c));
            m.use(WasmFeature.FUNCTION_REFERENCES);
        }
        c.rpar();
    }

    byte[] refType() {
        scratch.reset();
        refType(scratch);
        return scratch.toByteArray();
    }

    /** A heap type: an abstract one's code or a type index as an s33. */
    void heapType(ByteSink out) {
        if (c.at(TokenKind.KEYWORD)) {
            Integer code = HEAP_TYPES.get(c.t.text(c.peek()));
            if (code == null) throw c.expected("a heap type");
            c.next();
            noteAbstract(code);
            out.byte_(code);
        } else if (c.atIndex()) {
            out.s64(m.types.resolve(c));
            m.use(WasmFeature.FUNCTION_REFERENCES);
        } else {
            throw c.expected("a heap type");
        }
    }

    private void noteAbstract(int code) {
        switch (code) {
            case 0x70, 0x6F -> { }
            case 0x69, 0x74 -> m.use(WasmFeature.EXCEPTIONS);
            default -> m.use(WasmFeature.GC);
        }
    }

    /** {@code valtype} or {@code (mut valtype)}: a global type's encoding (type, then mutability). */
    void globalType(ByteSink out) {
        if (c.takeForm("mut")) {
            valType(out);
            c.rpar();
            out.byte_(1);
        } else {
            valType(out);
            out.byte_(0);
        }
    }

    /** A field type: a storage type (value type, i8 or i16), optionally under {@code (mut ...)}. */
    private void fieldType(ByteSink out) {
        boolean mutable = c.takeForm("mut");
        if (c.take("i8")) {
            out.byte_(0x78);
        } else if (c.take("i16")) {
            out.byte_(0x77);
        } else {
            valType(out);
        }
        out.byte_(mutable ? 1 : 0);
        if (mutable) c.rpar();
    }

    private boolean atFieldType() {
        return atValType() || c.atKeyword("i8") || c.atKeyword("i16") || c.atForm("mut");
    }

    /** The result of a composite type: a function's signature, or a struct's field names. */
    record Composite(Signature signature, IndexSpace fields) {
    }

    /** {@code (func ...)}, {@code (struct ...)} or {@code (array ...)}, encoded. */
    Composite compositeType(ByteSink out) {
        if (c.takeForm("func")) {
            Signature sig = signature(true, null, null);
            c.rpar();
            sig.encode(out);
            return new Composite(sig, null);
        }
        if (c.takeForm("struct")) {
            m.use(WasmFeature.GC);
            IndexSpace fields = new IndexSpace("field");
            ByteSink body = new ByteSink();
            while (c.takeForm("field")) {
                int tok = c.peek();
                String id = c.id();
                if (id != null) {
                    fields.add(id, c, tok);
                    fieldType(body);
                } else {
                    while (atFieldType()) {
                        fields.add(null, c, tok);
                        fieldType(body);
                    }
                }
                c.rpar();
            }
            c.rpar();
            out.byte_(0x5F);
            out.u32(fields.size());
            out.append(body);
            return new Composite(null, fields);
        }
        if (c.takeForm("array")) {
            m.use(WasmFeature.GC);
            out.byte_(0x5E);
            fieldType(out);
            c.rpar();
            return new Composite(null, null);
        }
        throw c.expected("'(func', '(struct' or '(array'");
    }

    /**
     * {@code (param ...)* (result ...)*}. With {@code named}, a parameter may be {@code (param $x t)}
     * and its name goes to {@code ids} (null for the unnamed ones), with the token in {@code idTokens}.
     */
    Signature signature(boolean named, List<String> ids, List<Integer> idTokens) {
        List<byte[]> params = new ArrayList<>();
        List<byte[]> results = new ArrayList<>();
        while (c.atForm("param")) {
            c.next();
            c.next();
            if (c.at(TokenKind.ID)) {
                if (!named) throw c.expected("a value type");
                int tok = c.peek();
                String id = c.id();
                params.add(valType());
                if (ids != null) {
                    ids.add(id);
                    idTokens.add(tok);
                }
            } else {
                while (!c.at(TokenKind.RPAR)) {
                    params.add(valType());
                    if (ids != null) {
                        ids.add(null);
                        idTokens.add(-1);
                    }
                }
            }
            c.rpar();
        }
        while (c.takeForm("result")) {
            while (!c.at(TokenKind.RPAR)) results.add(valType());
            c.rpar();
        }
        return new Signature(params, results);
    }

    /** A type use as written: {@code (type x)} (index, or -1 when absent) and the inline signature. */
    record TypeUse(long index, int indexToken, Signature inline, boolean hasInline, List<String> paramIds,
                   List<Integer> paramTokens) {
    }

    TypeUse typeUse(boolean namedParams) {
        long index = -1;
        int indexToken = -1;
        if (c.takeForm("type")) {
            indexToken = c.peek();
            index = m.types.resolve(c);
            c.rpar();
        }
        List<String> ids = new ArrayList<>();
        List<Integer> tokens = new ArrayList<>();
        boolean hasInline = c.atForm("param") || c.atForm("result");
        Signature sig = signature(namedParams, ids, tokens);
        return new TypeUse(index, indexToken, sig, hasInline, ids, tokens);
    }

    /** The signature of an explicit type use's type; an error when it is not a function type. */
    Signature explicitSignature(TypeUse u) {
        TypeDefs.Entry e = m.typeDefs.get(u.index());
        if (e == null) throw c.errorAt(u.indexToken(), "unknown type " + u.index());
        if (e.signature() == null) throw c.errorAt(u.indexToken(), "non-function type " + u.index());
        return e.signature();
    }

    /**
     * The type index of a function-like type use (functions, imports, tags, call_indirect): the
     * explicit one, which any inline signature must match, or the one the inline signature stands for.
     */
    long resolveTypeUse(TypeUse u) {
        if (u.index() >= 0) {
            if (u.hasInline() && !explicitSignature(u).sameAs(u.inline())) {
                throw c.errorAt(u.indexToken(), "inline function type does not match explicit type");
            }
            return u.index();
        }
        return m.typeDefs.indexFor(u.inline());
    }
}
