package dev.kiln.frontend.text;

import dev.kiln.frontend.WasmFeature;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a text module's fields into a binary module. It reads the fields twice, which is what
 * the text format's forward references need: first to bind every identifier of the module's
 * index spaces (skipping each field's contents by its matching parenthesis), then to encode the
 * type definitions and, in text order, everything else. Implicit types (type uses that match no
 * type) go at the end of the type section, in the order the binary uses them.
 */
final class ModuleParser {
    private static final int TAG_SECTION = 13;
    private static final int EXTERN_TAG = 0x04;

    private final ModuleContext m;
    private final Cursor c;
    private final TypeParser types;
    private CodeParser code;

    private record Field(String kind, int token) {
    }

    private final List<Field> fields = new ArrayList<>();
    private final List<Integer> customAnnotations = new ArrayList<>();
    private final String moduleId;
    private byte[] moduleName;

    private final ByteSink typeSec = new ByteSink();
    private final ByteSink importSec = new ByteSink();
    private final ByteSink funcSec = new ByteSink();
    private final ByteSink tableSec = new ByteSink();
    private final ByteSink memorySec = new ByteSink();
    private final ByteSink tagSec = new ByteSink();
    private final ByteSink globalSec = new ByteSink();
    private final ByteSink exportSec = new ByteSink();
    private final ByteSink elemSec = new ByteSink();
    private final ByteSink codeSec = new ByteSink();
    private final ByteSink dataSec = new ByteSink();
    private int typeCount;
    private int importCount;
    private int funcCount;
    private int tableCount;
    private int memoryCount;
    private int tagCount;
    private int globalCount;
    private int exportCount;
    private int elemCount;
    private int dataCount;
    private long start = -1;
    private int importedGlobals;

    /** Next index of each space while encoding (imports first, as in phase 1). */
    private int nextFunc;
    private int nextTable;
    private int nextMemory;
    private int nextTag;
    private int nextGlobal;

    private final Map<Integer, byte[]> funcNameAnnotations = new HashMap<>();
    private final Map<Integer, byte[]> tagNameAnnotations = new HashMap<>();
    private final Map<Integer, Map<Integer, String>> localNames = new TreeMap<>();
    private final Map<Integer, Map<Integer, String>> labelNames = new TreeMap<>();
    /** Branch hints by function index, then by byte offset in the function's body. */
    private final Map<Integer, Map<Integer, Integer>> branchHints = new TreeMap<>();
    private final Map<Integer, IndexSpace> fieldNames = new TreeMap<>();

    /** Custom sections by placement, e.g. "before type", "after last". */
    private final Map<String, List<byte[]>> customs = new HashMap<>();

    private final WatParser.Options options;

    private ModuleParser(Cursor c, String moduleId, WatParser.Options options) {
        this.options = options;
        this.m = new ModuleContext(c);
        this.c = c;
        this.types = new TypeParser(m);
        this.moduleId = moduleId;
    }

    /** The result: the binary and the proposals it uses. */
    record Result(byte[] binary, EnumSet<WasmFeature> features) {
    }

    /**
     * Encodes the module fields from the cursor's position up to (not including) the closing
     * parenthesis of the module or the end of the text.
     */
    static Result parse(Cursor c, String moduleId, WatParser.Options options) {
        ModuleParser p = new ModuleParser(c, moduleId, options);
        int begin = c.position();
        p.declare();
        int end = c.position();
        p.encode(begin);
        c.position(end);
        return new Result(p.assemble(), p.m.features);
    }

    // ---- phase 1: bind identifiers ----

    private void declare() {
        String definitionSeen = null;
        while (true) {
            if (c.atAnnotation("custom")) {
                customAnnotations.add(c.position());
                fields.add(new Field("@custom", c.position()));
                c.skipAnnotation();
                continue;
            }
            if (c.atAnnotation("name")) {
                if (!fields.isEmpty() || moduleName != null) {
                    throw c.errorAt(c.position(), moduleName != null ? "@name annotation: multiple module names" : "misplaced @name annotation");
                }
                moduleName = nameAnnotation();
                continue;
            }
            TokenKind k = c.kind();
            if (k == TokenKind.RPAR || k == TokenKind.EOF) return;
            int open = c.peek();
            if (k != TokenKind.LPAR) throw c.expected("a module field");
            c.next();
            int kwTok = c.peek();
            String kind = c.t.kind[kwTok] == TokenKind.KEYWORD ? c.t.text(kwTok) : "";
            c.next();
            switch (kind) {
                case "type" -> declareType(kwTok);
                case "rec" -> {
                    while (c.atForm("type")) {
                        c.next();
                        int t = c.next();
                        declareType(t);
                        c.position(c.t.match[t - 1] + 1);
                    }
                }
                case "func", "table", "memory", "global", "tag" -> {
                    String id = c.idBeforeAnnotation();
                    int idTok = c.position() - 1;
                    if (c.atAnnotation("name") && (kind.equals("func") || kind.equals("tag"))) c.skipAnnotation();
                    while (c.atForm("export")) c.skipForm();
                    boolean imported = c.atForm("import");
                    if (imported) {
                        if (definitionSeen != null) throw c.errorAt(kwTok, "import after " + definitionSeen + " definition");
                    } else {
                        definitionSeen = kind.equals("func") ? "function" : kind;
                    }
                    space(kind).add(id, c, idTok);
                    if (!imported && kind.equals("table") && hasChild(open, "elem")) m.elems.add(null, c, open);
                    if (!imported && kind.equals("memory") && hasChild(open, "data")) m.datas.add(null, c, open);
                }
                case "import" -> {
                    if (definitionSeen != null) throw c.errorAt(kwTok, "import after " + definitionSeen + " definition");
                    c.name();
                    c.name();
                    if (!c.at(TokenKind.LPAR)) throw c.expected("an import description");
                    c.next();
                    int descTok = c.peek();
                    String desc = c.keyword();
                    if (!desc.equals("func") && !desc.equals("table") && !desc.equals("memory") && !desc.equals("global")
                            && !desc.equals("tag")) {
                        throw c.errorAt(descTok, "expected an import description (func, table, memory, global, tag), found '" + desc + "'");
                    }
                    int idTok = c.peek();
                    space(desc).add(c.id(), c, idTok);
                }
                case "elem" -> {
                    int idTok = c.peek();
                    m.elems.add(c.id(), c, idTok);
                }
                case "data" -> {
                    int idTok = c.peek();
                    m.datas.add(c.id(), c, idTok);
                }
                case "export", "start" -> { }
                default -> throw c.errorAt(kwTok, "expected a module field (type, rec, import, func, table, memory, global, tag, export, start, elem, data), found "
                        + c.describe(kwTok));
            }
            fields.add(new Field(kind, open));
            int close = c.t.match[open];
            if (close < 0) throw c.errorAt(open, "unclosed '('");
            c.position(close + 1);
        }
    }

    private void declareType(int kwTok) {
        int idTok = c.peek();
        m.types.add(c.id(), c, idTok);
    }

    private IndexSpace space(String kind) {
        return switch (kind) {
            case "func" -> m.funcs;
            case "table" -> m.tables;
            case "memory" -> m.memories;
            case "global" -> m.globals;
            default -> m.tags;
        };
    }

    /** True when the form opened at {@code open} has a direct child form {@code (kind ...}. */
    private boolean hasChild(int open, String kind) {
        int close = c.t.match[open];
        int i = open + 1;
        while (i < close) {
            if (c.t.kind[i] == TokenKind.LPAR) {
                if (c.t.kind[i + 1] == TokenKind.KEYWORD && c.t.is(i + 1, kind)) return true;
                int mt = c.t.match[i];
                if (mt < 0) return false;
                i = mt + 1;
            } else if (c.t.kind[i] == TokenKind.ANNOTATION) {
                int mt = c.t.match[i];
                if (mt < 0) return false;
                i = mt + 1;
            } else {
                i++;
            }
        }
        return false;
    }

    /** {@code (@name "text")}: its string. */
    private byte[] nameAnnotation() {
        int tok = c.position();
        int close = c.t.match[tok];
        if (close < 0) throw c.errorAt(tok, "unclosed annotation");
        if (close != tok + 2 || c.t.kind[tok + 1] != TokenKind.STRING) throw c.errorAt(tok, "@name annotation: expected one string");
        byte[] s = Literals.string(c.src, c.t.start[tok + 1], c.t.end[tok + 1]);
        if (!Literals.isUtf8(s)) throw c.errorAt(tok + 1, "@name annotation: malformed UTF-8 encoding");
        c.position(close + 1);
        return s;
    }

    // ---- phase 2: encode ----

    private void encode(int begin) {
        for (Field f : fields) {
            if (f.kind.equals("type") || f.kind.equals("rec")) {
                c.position(f.token);
                c.next();
                c.next();
                if (f.kind.equals("type")) {
                    typeDefinition(typeSec, true, true);
                } else {
                    m.use(WasmFeature.GC);
                    ByteSink group = new ByteSink();
                    int n = 0;
                    boolean single = singleType(f.token);
                    while (c.takeForm("type")) {
                        typeDefinition(group, single, false);
                        n++;
                    }
                    c.rpar();
                    typeSec.byte_(0x4E);
                    typeSec.u32(n);
                    typeSec.append(group);
                }
                typeCount++;
            }
        }
        for (Field f : fields) {
            if (f.kind.equals("@custom")) {
                c.position(f.token);
                customAnnotation();
            }
        }
        importedGlobals = countImported("global");
        code = new CodeParser(m, types, importedGlobals);
        for (Field f : fields) {
            if (f.kind.equals("@custom") || f.kind.equals("type") || f.kind.equals("rec")) continue;
            c.position(f.token);
            c.next();
            c.next();
            switch (f.kind) {
                case "func" -> func();
                case "table" -> table();
                case "memory" -> memory();
                case "global" -> global();
                case "tag" -> tag();
                case "import" -> importField();
                case "export" -> exportField();
                case "start" -> {
                    int tok = c.peek();
                    if (start >= 0) throw c.errorAt(tok, "multiple start sections");
                    start = m.funcs.resolve(c);
                }
                case "elem" -> elem();
                case "data" -> data();
                default -> throw new IllegalStateException(f.kind);
            }
            c.rpar();
        }
        if (memoryCount + countImported("memory") > 1) m.use(WasmFeature.MULTI_MEMORY);
    }

    /** How many entries of a kind are imported (they come first in their space). */
    private int countImported(String kind) {
        int n = 0;
        for (Field f : fields) {
            if (f.kind.equals("import")) {
                c.position(f.token);
                c.next();
                c.next();
                c.name();
                c.name();
                c.next();
                if (c.atKeyword(kind)) n++;
            } else if (f.kind.equals(kind)) {
                c.position(f.token);
                c.next();
                c.next();
                c.idBeforeAnnotation();
                if (c.atAnnotation("name")) c.skipAnnotation();
                while (c.atForm("export")) c.skipForm();
                if (c.atForm("import")) n++;
            }
        }
        return n;
    }

    /** True when the {@code (rec ...)} form at {@code open} holds exactly one type definition. */
    private boolean singleType(int open) {
        int close = c.t.match[open];
        int n = 0;
        for (int i = open + 1; i < close; i++) {
            if (c.t.kind[i] == TokenKind.LPAR) {
                n++;
                i = c.t.match[i];
            }
        }
        return n == 1;
    }

    /**
     * {@code $id? (sub final? idx* comptype) | comptype} after {@code (type}, with its closing
     * parenthesis. {@code alone}: the type is its rec group's only one, so an inline type use may
     * stand for it (when it is a final function type without supertypes).
     */
    private void typeDefinition(ByteSink out, boolean alone, boolean outsideRec) {
        c.id();
        int index = m.typeDefs.size();
        boolean isFinal = true;
        List<Long> supers = new ArrayList<>();
        ByteSink comp = new ByteSink();
        TypeParser.Composite ct;
        if (c.takeForm("sub")) {
            m.use(WasmFeature.GC);
            isFinal = c.take("final");
            while (c.atIndex()) supers.add(m.types.resolve(c));
            ct = types.compositeType(comp);
            c.rpar();
        } else {
            ct = types.compositeType(comp);
        }
        c.rpar();
        if (isFinal && supers.isEmpty()) {
            out.append(comp);
        } else {
            out.byte_(isFinal ? 0x4F : 0x50);
            out.u32(supers.size());
            for (long s : supers) out.u32(s);
            out.append(comp);
        }
        if (ct.fields() != null) fieldNames.put(index, ct.fields());
        boolean reusable = options.wasmToolsTypeUses()
                ? outsideRec && ct.signature() != null
                : alone && isFinal && supers.isEmpty() && ct.signature() != null;
        m.typeDefs.define(ct.signature(), ct.fields(), reusable);
    }

    /** {@code (export "name")*}: exports of the item just declared. */
    private void inlineExports(int kind, int index) {
        while (c.takeForm("export")) {
            exportSec.name(c.name());
            exportSec.byte_(kind);
            exportSec.u32(index);
            exportCount++;
            c.rpar();
        }
    }

    /** {@code (import "module" "name")} when it is next: writes the import's names and returns true. */
    private boolean inlineImport() {
        if (!c.takeForm("import")) return false;
        importSec.name(c.name());
        importSec.name(c.name());
        c.rpar();
        importCount++;
        return true;
    }

    private void func() {
        int index = nextFunc++;
        c.idBeforeAnnotation();
        if (c.atAnnotation("name")) funcNameAnnotations.put(index, nameAnnotation());
        inlineExports(0x00, index);
        if (inlineImport()) {
            importSec.byte_(0x00);
            importSec.u32(types.resolveTypeUse(types.typeUse(true)));
            return;
        }
        TypeParser.TypeUse u = types.typeUse(true);
        long typeIndex = types.resolveTypeUse(u);
        funcSec.u32(typeIndex);
        funcCount++;
        List<String> ids = u.paramIds();
        List<Integer> tokens = u.paramTokens();
        if (!u.hasInline()) {
            TypeDefs.Entry e = m.typeDefs.get(typeIndex);
            if (e == null || e.signature() == null) {
                ids = null;
            } else {
                ids = new ArrayList<>();
                tokens = new ArrayList<>();
                for (int i = 0; i < e.signature().params().size(); i++) {
                    ids.add(null);
                    tokens.add(-1);
                }
            }
        }
        CodeParser.Body body = code.function(ids, tokens, u.indexToken());
        codeSec.u32(body.code().length);
        codeSec.bytes(body.code());
        if (!body.localNames().isEmpty()) localNames.put(index, body.localNames());
        if (!body.labelNames().isEmpty()) labelNames.put(index, body.labelNames());
        if (!body.branchHints().isEmpty()) branchHints.put(index, body.branchHints());
    }

    /** {@code i32} or {@code i64} when present (default i32); true for i64. */
    private boolean addressType() {
        if (c.take("i64")) {
            m.use(WasmFeature.MEMORY64);
            return true;
        }
        c.take("i32");
        return false;
    }

    /** Limits ({@code min max?}) with the flags byte: bit 0 a maximum, bit 2 a 64-bit address type. */
    private void limits(ByteSink out, boolean is64) {
        long min = c.u64();
        boolean hasMax = c.atNat();
        long max = hasMax ? c.u64() : 0;
        if (!is64 && (Long.compareUnsigned(min, 0xFFFF_FFFFL) > 0 || Long.compareUnsigned(max, 0xFFFF_FFFFL) > 0)) {
            m.use(WasmFeature.MEMORY64); // 3.0's u64 limits: kiln's 2.0 decoder reads only u32
        }
        out.byte_((hasMax ? 1 : 0) | (is64 ? 4 : 0));
        out.u64(min);
        if (hasMax) out.u64(max);
    }

    private void table() {
        int index = nextTable++;
        c.id();
        inlineExports(0x01, index);
        if (inlineImport()) {
            importSec.byte_(0x01);
            tableType(importSec);
            return;
        }
        tableCount++;
        boolean is64 = addressType();
        if (types.atRefType()) {
            // (table addrtype? reftype (elem ...)): a table exactly as large as the segment
            byte[] rt = types.refType();
            if (!c.takeForm("elem")) throw c.expected("'(elem'");
            boolean funcref = rt.length == 1 && (rt[0] & 0xFF) == 0x70;
            ByteSink items = new ByteSink();
            int n;
            boolean exprs = c.at(TokenKind.LPAR) || !funcref;
            if (c.at(TokenKind.LPAR)) {
                n = elemExpressions(items);
            } else {
                // function indices; for a table of another type than funcref, the segment has the
                // table's type and its items are ref.func expressions
                n = 0;
                while (c.atIndex()) {
                    long f = m.funcs.resolve(c);
                    if (exprs) {
                        items.byte_(0xD2);
                        items.u32(f);
                        items.byte_(0x0B);
                    } else {
                        items.u32(f);
                    }
                    n++;
                }
            }
            c.rpar();
            tableSec.bytes(rt);
            tableSec.byte_(1 | (is64 ? 4 : 0));
            tableSec.u64(n);
            tableSec.u64(n);
            elemSec.byte_(exprs ? 6 : 2);
            elemSec.u32(index);
            zeroOffset(elemSec, is64);
            if (exprs) elemSec.bytes(rt);
            else elemSec.byte_(0x00);
            elemSec.u32(n);
            elemSec.append(items);
            elemCount++;
            return;
        }
        ByteSink tt = new ByteSink();
        limits(tt, is64);
        byte[] rt = types.refType();
        if (c.at(TokenKind.RPAR)) {
            tableSec.bytes(rt);
            tableSec.append(tt);
        } else {
            m.use(WasmFeature.FUNCTION_REFERENCES);
            tableSec.byte_(0x40);
            tableSec.byte_(0x00);
            tableSec.bytes(rt);
            tableSec.append(tt);
            code.constantExpression(tableSec);
        }
    }

    private void tableType(ByteSink out) {
        boolean is64 = addressType();
        ByteSink lim = new ByteSink();
        limits(lim, is64);
        types.refType(out);
        out.append(lim);
    }

    private void zeroOffset(ByteSink out, boolean is64) {
        out.byte_(is64 ? 0x42 : 0x41);
        out.byte_(0);
        out.byte_(0x0B);
    }

    private void memory() {
        int index = nextMemory++;
        c.id();
        inlineExports(0x02, index);
        if (inlineImport()) {
            importSec.byte_(0x02);
            limits(importSec, addressType());
            return;
        }
        memoryCount++;
        boolean is64 = addressType();
        if (c.takeForm("data")) {
            ByteSink bytes = new ByteSink();
            while (c.at(TokenKind.STRING)) bytes.bytes(c.string());
            c.rpar();
            long pages = (bytes.size() + 65535L) / 65536L;
            memorySec.byte_(1 | (is64 ? 4 : 0));
            memorySec.u64(pages);
            memorySec.u64(pages);
            if (index == 0) {
                dataSec.byte_(0);
            } else {
                dataSec.byte_(2);
                dataSec.u32(index);
            }
            zeroOffset(dataSec, is64);
            dataSec.sized(bytes);
            dataCount++;
            return;
        }
        limits(memorySec, is64);
    }

    private void global() {
        int index = nextGlobal++;
        c.id();
        inlineExports(0x03, index);
        if (inlineImport()) {
            importSec.byte_(0x03);
            types.globalType(importSec);
            return;
        }
        globalCount++;
        types.globalType(globalSec);
        code.constantExpression(globalSec);
    }

    private void tag() {
        int index = nextTag++;
        m.use(WasmFeature.EXCEPTIONS);
        c.idBeforeAnnotation();
        if (c.atAnnotation("name")) tagNameAnnotations.put(index, nameAnnotation());
        inlineExports(EXTERN_TAG, index);
        ByteSink target;
        if (inlineImport()) {
            target = importSec;
            target.byte_(EXTERN_TAG);
        } else {
            target = tagSec;
            tagCount++;
        }
        TypeParser.TypeUse u = types.typeUse(true);
        target.byte_(0x00);
        target.u32(types.resolveTypeUse(u));
    }

    private void importField() {
        importSec.name(c.name());
        importSec.name(c.name());
        importCount++;
        c.lpar();
        String desc = c.keyword();
        switch (desc) {
            case "func" -> {
                int index = nextFunc++;
                c.idBeforeAnnotation();
                if (c.atAnnotation("name")) funcNameAnnotations.put(index, nameAnnotation());
                importSec.byte_(0x00);
                importSec.u32(types.resolveTypeUse(types.typeUse(true)));
            }
            case "table" -> {
                nextTable++;
                c.id();
                importSec.byte_(0x01);
                tableType(importSec);
            }
            case "memory" -> {
                nextMemory++;
                c.id();
                importSec.byte_(0x02);
                limits(importSec, addressType());
            }
            case "global" -> {
                nextGlobal++;
                c.id();
                importSec.byte_(0x03);
                types.globalType(importSec);
            }
            default -> { // tag
                int index = nextTag++;
                m.use(WasmFeature.EXCEPTIONS);
                c.idBeforeAnnotation();
                if (c.atAnnotation("name")) tagNameAnnotations.put(index, nameAnnotation());
                importSec.byte_(EXTERN_TAG);
                importSec.byte_(0x00);
                importSec.u32(types.resolveTypeUse(types.typeUse(true)));
            }
        }
        c.rpar();
    }

    private void exportField() {
        exportSec.name(c.name());
        c.lpar();
        int tok = c.peek();
        String kind = c.keyword();
        int code;
        long index;
        switch (kind) {
            case "func" -> { code = 0; index = m.funcs.resolve(c); }
            case "table" -> { code = 1; index = m.tables.resolve(c); }
            case "memory" -> { code = 2; index = m.memories.resolve(c); }
            case "global" -> { code = 3; index = m.globals.resolve(c); }
            case "tag" -> { code = EXTERN_TAG; index = m.tags.resolve(c); m.use(WasmFeature.EXCEPTIONS); }
            default -> throw c.errorAt(tok, "expected an export kind (func, table, memory, global, tag), found '" + kind + "'");
        }
        c.rpar();
        exportSec.byte_(code);
        exportSec.u32(index);
        exportCount++;
    }

    /** {@code (offset instr*)} or one folded instruction: a constant expression. */
    private void offset(ByteSink out) {
        if (c.takeForm("offset")) {
            code.constantExpression(out);
            c.rpar();
        } else if (c.at(TokenKind.LPAR)) {
            code.foldedConstantExpression(out);
        } else {
            throw c.expected("an offset expression");
        }
    }

    /** Element expressions: {@code (item instr*)} or single folded instructions; returns how many. */
    private int elemExpressions(ByteSink out) {
        int n = 0;
        while (c.at(TokenKind.LPAR)) {
            if (c.takeForm("item")) {
                code.constantExpression(out);
                c.rpar();
            } else {
                code.foldedConstantExpression(out);
            }
            n++;
        }
        return n;
    }

    private void elem() {
        c.id();
        int flags;
        long table = -1;
        ByteSink offset = null;
        if (c.take("declare")) {
            flags = 3;
        } else if (c.atForm("table") || c.at(TokenKind.LPAR) && !atElemList()) {
            if (c.takeForm("table")) {
                table = m.tables.resolve(c);
                c.rpar();
            }
            offset = new ByteSink();
            offset(offset);
            flags = table >= 0 ? 2 : 0;
        } else {
            flags = 1;
        }
        // the element list: "func idx*", "reftype expr*", or (active, no table) bare indices
        ByteSink items = new ByteSink();
        int n = 0;
        byte[] rt = null;
        if (c.take("func")) {
            while (c.atIndex()) {
                items.u32(m.funcs.resolve(c));
                n++;
            }
        } else if (types.atRefType()) {
            rt = types.refType();
            n = elemExpressions(items);
        } else if (flags == 0) {
            while (c.atIndex()) {
                items.u32(m.funcs.resolve(c));
                n++;
            }
        } else {
            throw c.expected("'func' or a reference type");
        }
        if (rt != null) {
            boolean funcref = rt.length == 1 && (rt[0] & 0xFF) == 0x70;
            switch (flags) {
                case 1, 3 -> {
                    elemSec.byte_(flags | 4);
                    elemSec.bytes(rt);
                }
                default -> {
                    if (flags == 0 && funcref) {
                        elemSec.byte_(4);
                        elemSec.append(offset);
                    } else {
                        elemSec.byte_(6);
                        elemSec.u32(Math.max(table, 0));
                        elemSec.append(offset);
                        elemSec.bytes(rt);
                    }
                }
            }
        } else {
            elemSec.byte_(flags);
            if (flags == 2) elemSec.u32(table);
            if (offset != null) elemSec.append(offset);
            if (flags != 0) elemSec.byte_(0x00);
        }
        elemSec.u32(n);
        elemSec.append(items);
        elemCount++;
    }

    /** True when the next token starts an element list rather than an offset ({@code (ref ...)} is a type). */
    private boolean atElemList() {
        return c.atForm("ref");
    }

    private void data() {
        c.id();
        long mem = -1;
        ByteSink offset = null;
        if (c.atForm("memory")) {
            c.next();
            c.next();
            mem = m.memories.resolve(c);
            c.rpar();
        }
        if (c.at(TokenKind.LPAR)) {
            offset = new ByteSink();
            offset(offset);
        } else if (mem >= 0) {
            throw c.expected("an offset expression");
        }
        ByteSink bytes = new ByteSink();
        while (c.at(TokenKind.STRING)) bytes.bytes(c.string());
        if (offset == null) {
            dataSec.byte_(1);
        } else if (mem <= 0) {
            dataSec.byte_(0);
            dataSec.append(offset);
        } else {
            m.use(WasmFeature.MULTI_MEMORY);
            dataSec.byte_(2);
            dataSec.u32(mem);
            dataSec.append(offset);
        }
        dataSec.sized(bytes);
        dataCount++;
    }

    /** {@code (@custom "name" (before|after section)? "bytes"*)}. */
    private void customAnnotation() {
        int tok = c.position();
        int close = c.t.match[tok];
        if (close < 0) throw c.errorAt(tok, "unclosed annotation");
        int i = tok + 1;
        if (i >= close || c.t.kind[i] != TokenKind.STRING) throw c.errorAt(tok, "@custom annotation: missing section name");
        byte[] name = Literals.string(c.src, c.t.start[i], c.t.end[i]);
        if (!Literals.isUtf8(name)) throw c.errorAt(i, "@custom annotation: malformed UTF-8 encoding");
        i++;
        String place = "after last";
        if (i < close && c.t.kind[i] == TokenKind.LPAR) {
            int pclose = c.t.match[i];
            if (pclose != i + 3 || c.t.kind[i + 1] != TokenKind.KEYWORD) throw c.errorAt(i, "@custom annotation: malformed placement");
            String dir = c.t.text(i + 1);
            if (!dir.equals("before") && !dir.equals("after")) throw c.errorAt(i, "@custom annotation: malformed placement");
            String sec = c.t.kind[i + 2] == TokenKind.KEYWORD ? c.t.text(i + 2) : "";
            switch (sec) {
                case "type", "import", "func", "table", "memory", "global", "export", "start", "elem", "code", "data",
                     "datacount", "tag" -> place = dir + " " + sec;
                case "first" -> place = dir.equals("before") ? "before first" : "after type";
                case "last" -> place = dir.equals("after") ? "after last" : "before data";
                default -> throw c.errorAt(i + 2, "@custom annotation: malformed section kind");
            }
            i = pclose + 1;
        }
        ByteSink content = new ByteSink();
        content.name(name);
        while (i < close) {
            if (c.t.kind[i] != TokenKind.STRING) throw c.errorAt(i, "@custom annotation: unexpected token");
            content.bytes(Literals.string(c.src, c.t.start[i], c.t.end[i]));
            i++;
        }
        customs.computeIfAbsent(place, k -> new ArrayList<>()).add(content.toByteArray());
    }

    // ---- assembling the binary ----

    private byte[] assemble() {
        for (Signature s : m.typeDefs.implicitTypes()) {
            s.encode(typeSec);
            typeCount++;
        }
        ByteSink out = new ByteSink(1024);
        out.bytes(new byte[] {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00});
        customs(out, "before first");
        section(out, "type", 1, typeCount, typeSec);
        section(out, "import", 2, importCount, importSec);
        section(out, "func", 3, funcCount, funcSec);
        section(out, "table", 4, tableCount, tableSec);
        section(out, "memory", 5, memoryCount, memorySec);
        section(out, "tag", TAG_SECTION, tagCount, tagSec);
        section(out, "global", 6, globalCount, globalSec);
        section(out, "export", 7, exportCount, exportSec);
        customs(out, "before start");
        if (start >= 0) {
            ByteSink s = new ByteSink();
            s.u32(start);
            out.byte_(8);
            out.sized(s);
        }
        customs(out, "after start");
        section(out, "elem", 9, elemCount, elemSec);
        customs(out, "before datacount");
        if (m.needsDataCount) {
            ByteSink s = new ByteSink();
            s.u32(dataCount);
            out.byte_(12);
            out.sized(s);
        }
        customs(out, "after datacount");
        branchHintSection(out);
        section(out, "code", 10, funcCount, codeSec);
        section(out, "data", 11, dataCount, dataSec);
        customs(out, "after last");
        byte[] names = nameSection();
        if (names != null) {
            ByteSink s = new ByteSink();
            s.name("name");
            s.bytes(names);
            out.byte_(0);
            out.sized(s);
        }
        return out.toByteArray();
    }

    private void section(ByteSink out, String anchor, int id, int count, ByteSink contents) {
        customs(out, "before " + anchor);
        if (count > 0) {
            ByteSink s = new ByteSink(contents.size() + 5);
            s.u32(count);
            s.append(contents);
            out.byte_(id);
            out.sized(s);
        }
        customs(out, "after " + anchor);
    }

    /**
     * The {@code metadata.code.branch_hint} custom section of the functions' hints, before the code
     * section (as the branch-hinting format places it): functions by increasing index, hints by
     * increasing offset, each {@code offset, size 1, value}.
     */
    private void branchHintSection(ByteSink out) {
        if (branchHints.isEmpty()) return;
        ByteSink s = new ByteSink();
        s.name(Cursor.BRANCH_HINT.getBytes(StandardCharsets.UTF_8));
        s.u32(branchHints.size());
        branchHints.forEach((func, hints) -> {
            s.u32(func);
            s.u32(hints.size());
            hints.forEach((offset, value) -> {
                s.u32(offset);
                s.u32(1);
                s.byte_(value);
            });
        });
        out.byte_(0);
        out.sized(s);
    }

    private void customs(ByteSink out, String place) {
        List<byte[]> list = customs.get(place);
        if (list == null) return;
        for (byte[] content : list) {
            out.byte_(0);
            out.u32(content.length);
            out.bytes(content);
        }
    }

    /** The name section from the identifiers and {@code @name} annotations, or null when there are none. */
    private byte[] nameSection() {
        NameSectionWriter w = new NameSectionWriter();
        byte[] module = moduleName != null ? moduleName
                : moduleId != null ? moduleId.getBytes(StandardCharsets.UTF_8) : null;
        w.module(module);
        w.names(1, m.funcs, funcNameAnnotations);
        w.indirect(2, localNames);
        w.indirect(3, labelNames);
        w.names(4, m.types, Map.of());
        w.names(5, m.tables, Map.of());
        w.names(6, m.memories, Map.of());
        w.names(7, m.globals, Map.of());
        w.names(8, m.elems, Map.of());
        w.names(9, m.datas, Map.of());
        Map<Integer, Map<Integer, String>> fieldMaps = new TreeMap<>();
        fieldNames.forEach((type, space) -> {
            Map<Integer, String> f = new TreeMap<>();
            for (int i = 0; i < space.size(); i++) if (space.name(i) != null) f.put(i, space.name(i));
            if (!f.isEmpty()) fieldMaps.put(type, f);
        });
        w.indirect(10, fieldMaps);
        w.names(11, m.tags, tagNameAnnotations);
        return w.isEmpty() ? null : w.bytes();
    }
}
