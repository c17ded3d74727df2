package dev.kiln.frontend.text;

import dev.kiln.frontend.Immediate;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.WasmFeature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Instructions in the text format, flat and folded, written straight to the binary format:
 * labels resolved against the block nesting, locals against the function's parameters and
 * locals, everything else against the module's index spaces. A folded instruction's operands are
 * written before it, as the binary format has them; type uses that add types are resolved in the
 * order their instructions appear in the binary.
 */
final class CodeParser {
    /** Blocks and folded instructions nest at most this deep. */
    static final int MAX_NESTING = 10_000;

    private final ModuleContext m;
    private final Cursor c;
    private final TypeParser types;
    private final int importedGlobals;

    private IndexSpace locals = new IndexSpace("local");
    /** The enclosing blocks' labels, innermost last (null for an unnamed block). */
    private final ArrayList<String> labels = new ArrayList<>();
    /** Names of the current function's blocks by their index in the order they appear: the name section's labels. */
    private TreeMap<Integer, String> labelNames = new TreeMap<>();
    /** The current function's branch hints: byte offset in the body (from its locals) to 0 (unlikely) or 1 (likely). */
    private TreeMap<Integer, Integer> branchHints = new TreeMap<>();
    private int blockCount;
    private boolean constant;
    private int depth;

    CodeParser(ModuleContext m, TypeParser types, int importedGlobals) {
        this.m = m;
        this.c = m.c;
        this.types = types;
        this.importedGlobals = importedGlobals;
    }

    /**
     * A function's locals and code, with the branch hints of its {@code @metadata.code.branch_hint}
     * annotations by byte offset from the start of the body.
     */
    record Body(byte[] code, Map<Integer, String> localNames, Map<Integer, String> labelNames, Map<Integer, Integer> branchHints) {
    }

    /**
     * {@code (local ...)* instr*} up to the function's closing parenthesis (not consumed). The
     * parameters are named by {@code paramIds} (null entries for unnamed ones); when the parameter
     * count is unknown ({@code paramIds} null, an explicit type that is not a function type), named
     * locals cannot be numbered and are an error.
     */
    Body function(List<String> paramIds, List<Integer> paramTokens, int typeToken) {
        locals = new IndexSpace("local");
        labels.clear();
        labelNames = new TreeMap<>();
        branchHints = new TreeMap<>();
        blockCount = 0;
        constant = false;
        depth = 0;
        if (paramIds != null) {
            for (int i = 0; i < paramIds.size(); i++) locals.add(paramIds.get(i), c, paramTokens.get(i));
        }
        List<byte[]> localTypes = new ArrayList<>();
        while (c.takeForm("local")) {
            int tok = c.peek();
            String id = c.id();
            if (id != null) {
                if (paramIds == null) throw c.errorAt(typeToken, "unknown type: the function's parameters cannot be counted");
                locals.add(id, c, tok);
                localTypes.add(types.valType());
            } else {
                while (!c.at(TokenKind.RPAR)) {
                    localTypes.add(types.valType());
                    locals.add(null, c, tok);
                }
            }
            c.rpar();
        }
        ByteSink out = new ByteSink(256);
        // local declarations: runs of equal types
        int groups = 0;
        for (int i = 0; i < localTypes.size(); i++) if (i == 0 || !Arrays.equals(localTypes.get(i), localTypes.get(i - 1))) groups++;
        out.u32(groups);
        for (int i = 0; i < localTypes.size(); ) {
            int j = i;
            while (j < localTypes.size() && Arrays.equals(localTypes.get(j), localTypes.get(i))) j++;
            out.u32(j - i);
            out.bytes(localTypes.get(i));
            i = j;
        }
        instrs(out);
        out.byte_(0x0B);
        Map<Integer, String> localNames = new TreeMap<>();
        for (int i = 0; i < locals.size(); i++) if (locals.name(i) != null) localNames.put(i, locals.name(i));
        return new Body(out.toByteArray(), localNames, labelNames, branchHints);
    }

    /** A constant expression (globals, offsets, element items, table initialisers) up to its closing parenthesis, with its {@code end}. */
    void constantExpression(ByteSink out) {
        locals = new IndexSpace("local");
        labels.clear();
        labelNames = new TreeMap<>();
        constant = true;
        depth = 0;
        instrs(out);
        out.byte_(0x0B);
        constant = false;
    }

    /** One folded instruction as a whole constant expression (the abbreviated offset and element forms). */
    void foldedConstantExpression(ByteSink out) {
        locals = new IndexSpace("local");
        labels.clear();
        labelNames = new TreeMap<>();
        constant = true;
        depth = 0;
        folded(out, -1);
        out.byte_(0x0B);
        constant = false;
    }

    /** Instructions up to a closing parenthesis or a block keyword ({@code end}, {@code else}, ...), which is not consumed. */
    private void instrs(ByteSink out) {
        while (true) {
            int hintTok = c.position();
            int hint = branchHint();
            int tok = c.peek();
            TokenKind k = c.t.kind[tok];
            if (k == TokenKind.LPAR) {
                folded(out, hint);
            } else if (k == TokenKind.KEYWORD && !isBlockKeyword(tok)) {
                c.next();
                hintAt(hint, out);
                plain(c.t.text(tok), tok, out);
            } else {
                if (hint >= 0) throw notBeforeInstruction(hintTok);
                return;
            }
        }
    }

    /**
     * A {@code (@metadata.code.branch_hint "\00"|"\01")} annotation before an instruction: its
     * value, or -1 when there is none. Only one may stand before an instruction, and only in a
     * function body.
     */
    private int branchHint() {
        if (!c.atAnnotation(Cursor.BRANCH_HINT)) return -1;
        int tok = c.position();
        if (constant) throw c.errorAt(tok, "@" + Cursor.BRANCH_HINT + " annotation: not in a function");
        int close = c.t.match[tok];
        if (close < 0) throw c.errorAt(tok, "unclosed annotation");
        if (close != tok + 2 || c.t.kind[tok + 1] != TokenKind.STRING) {
            throw c.errorAt(tok, "@" + Cursor.BRANCH_HINT + " annotation: expected one string, \"\\00\" or \"\\01\"");
        }
        byte[] value = Literals.string(c.src, c.t.start[tok + 1], c.t.end[tok + 1]);
        if (value.length != 1 || (value[0] != 0 && value[0] != 1)) {
            throw c.errorAt(tok + 1, "@" + Cursor.BRANCH_HINT + " annotation: malformed hint (\"\\00\" unlikely or \"\\01\" likely)");
        }
        c.position(close + 1);
        if (c.atAnnotation(Cursor.BRANCH_HINT)) throw c.errorAt(c.position(), "@" + Cursor.BRANCH_HINT + " annotation: duplicate annotation");
        return value[0];
    }

    /** Records a branch hint (if any) for the instruction whose opcode is written next to {@code out}. */
    private void hintAt(int hint, ByteSink out) {
        if (hint >= 0) branchHints.put(out.size(), hint);
    }

    private TextFormatException notBeforeInstruction(int tok) {
        return c.errorAt(tok, "@" + Cursor.BRANCH_HINT + " annotation: not before an instruction");
    }

    private boolean isBlockKeyword(int tok) {
        return c.t.is(tok, "end") || c.t.is(tok, "else") || c.t.is(tok, "catch") || c.t.is(tok, "catch_all")
                || c.t.is(tok, "delegate");
    }

    private void enter(int tok) {
        if (++depth > MAX_NESTING) throw c.errorAt(tok, "instructions nested more than " + MAX_NESTING + " deep");
    }

    // ---- flat instructions ----

    private void plain(String name, int tok, ByteSink out) {
        switch (name) {
            case "block", "loop", "if", "try_table", "try" -> {
                enter(tok);
                flatBlock(name, out);
                depth--;
            }
            case "select" -> select(out);
            case "call_indirect", "return_call_indirect" -> {
                Opcode op = name.equals("call_indirect") ? Opcode.CALL_INDIRECT : Opcode.RETURN_CALL_INDIRECT;
                long table = c.atIndex() ? m.tables.resolve(c) : 0;
                TypeParser.TypeUse u = types.typeUse(false);
                writeCallIndirect(op, table, u, out);
            }
            default -> {
                Opcode op = Mnemonics.get(name);
                if (op == null) throw c.errorAt(tok, "expected an instruction, found '" + name + "'");
                instruction(op, out);
            }
        }
    }

    /** An instruction named by its opcode, with its immediates read from the text. */
    private void instruction(Opcode op, ByteSink out) {
        switch (op.immediate) {
            case HEAP_TYPE -> {
                // ref.test / ref.cast: the target's nullability selects the opcode
                ByteSink heap = new ByteSink(8);
                boolean nullable = refTypeParts(heap);
                Opcode actual = op == Opcode.REF_TEST ? (nullable ? Opcode.REF_TEST_NULL : Opcode.REF_TEST)
                        : (nullable ? Opcode.REF_CAST_NULL : Opcode.REF_CAST);
                opcode(actual, out);
                out.append(heap);
            }
            case CAST_BRANCH -> {
                long label = label();
                ByteSink heaps = new ByteSink(8);
                boolean null1 = refTypeParts(heaps);
                boolean null2 = refTypeParts(heaps);
                opcode(op, out);
                out.byte_((null1 ? 1 : 0) | (null2 ? 2 : 0));
                out.u32(label);
                out.append(heaps);
            }
            default -> {
                opcode(op, out);
                immediates(op, out);
            }
        }
    }

    private void opcode(Opcode op, ByteSink out) {
        m.use(op.feature);
        if (op.prefix != 0) {
            out.byte_(op.prefix);
            out.u32(op.code);
        } else {
            out.byte_(op.code);
        }
        if (constant) {
            switch (op) {
                case I32_ADD, I32_SUB, I32_MUL, I64_ADD, I64_SUB, I64_MUL -> m.use(WasmFeature.EXTENDED_CONST);
                default -> { }
            }
        }
    }

    private void immediates(Opcode op, ByteSink out) {
        switch (op.immediate) {
            case NONE -> { }
            case LABEL -> out.u32(label());
            case LABEL_TABLE -> {
                List<Long> targets = new ArrayList<>();
                while (c.atIndex()) targets.add(label());
                if (targets.isEmpty()) throw c.expected("a label");
                out.u32(targets.size() - 1);
                for (long l : targets) out.u32(l);
            }
            case FUNC -> out.u32(m.funcs.resolve(c));
            case LOCAL -> out.u32(locals.resolve(c));
            case GLOBAL -> {
                long g = m.globals.resolve(c);
                if (constant && g >= importedGlobals) m.use(WasmFeature.GC); // 3.0: constants may read any earlier global
                out.u32(g);
            }
            case TABLE -> out.u32(c.atIndex() ? m.tables.resolve(c) : 0);
            case MEMARG -> memarg(op, out);
            case MEMARG_LANE -> {
                long mem = 0;
                if (c.at(TokenKind.ID) || (c.atNat() && atMemargAfterIndex())) mem = m.memories.resolve(c);
                memargTail(op, mem, out);
                out.byte_(lane());
            }
            case MEMORY -> out.u32(memory(c.atIndex() ? m.memories.resolve(c) : 0));
            case MEMORY_MEMORY -> {
                long dst = 0;
                long src = 0;
                if (c.atIndex()) {
                    dst = memory(m.memories.resolve(c));
                    src = memory(m.memories.resolve(c));
                }
                out.u32(dst);
                out.u32(src);
            }
            case DATA_MEMORY -> {
                long mem = 0;
                if (twoIndices()) mem = memory(m.memories.resolve(c));
                out.u32(data());
                out.u32(mem);
            }
            case DATA -> out.u32(data());
            case ELEM_TABLE -> {
                long table = twoIndices() ? m.tables.resolve(c) : 0;
                out.u32(m.elems.resolve(c));
                out.u32(table);
            }
            case ELEM -> out.u32(m.elems.resolve(c));
            case TABLE_TABLE -> {
                long dst = 0;
                long src = 0;
                if (c.atIndex()) {
                    dst = m.tables.resolve(c);
                    src = m.tables.resolve(c);
                }
                out.u32(dst);
                out.u32(src);
            }
            case I32 -> out.s64((int) c.integer(32));
            case I64 -> out.s64(c.integer(64));
            case F32 -> out.f32(c.f32());
            case F64 -> out.f64(c.f64());
            case V128 -> v128(out);
            case REF_TYPE -> types.heapType(out);
            case LANE -> out.byte_(lane());
            case SHUFFLE -> {
                for (int i = 0; i < 16; i++) {
                    if (!c.at(TokenKind.NUMBER)) throw c.expected("16 lane indices");
                    out.byte_(lane());
                }
            }
            case TAG -> out.u32(m.tags.resolve(c));
            case TYPE -> out.u32(m.types.resolve(c));
            case TYPE_FIELD -> {
                long type = m.types.resolve(c);
                out.u32(type);
                out.u32(field(type));
            }
            case TYPE_COUNT -> {
                out.u32(m.types.resolve(c));
                out.u32(c.u32());
            }
            case TYPE_DATA -> {
                out.u32(m.types.resolve(c));
                out.u32(data());
            }
            case TYPE_ELEM -> {
                out.u32(m.types.resolve(c));
                out.u32(m.elems.resolve(c));
            }
            case TYPE_TYPE -> {
                out.u32(m.types.resolve(c));
                out.u32(m.types.resolve(c));
            }
            case BLOCK_TYPE, TYPE_TABLE, SELECT_TYPES, HEAP_TYPE, CAST_BRANCH, BLOCK_CATCHES ->
                    throw new IllegalStateException("written by the parser: " + op);
        }
    }

    private long memory(long index) {
        if (index != 0) m.use(WasmFeature.MULTI_MEMORY);
        return index;
    }

    private long data() {
        if (!constant) m.needsDataCount = true;
        return m.datas.resolve(c);
    }

    /** True when the next two tokens are both indices (the two-index forms of memory.init and table.init). */
    private boolean twoIndices() {
        if (!c.atIndex()) return false;
        int save = c.position();
        c.next();
        boolean two = c.atIndex();
        c.position(save);
        return two;
    }

    /** After a numeric index of a lane instruction: does a memarg or a lane follow (then the index is the memory)? */
    private boolean atMemargAfterIndex() {
        int save = c.position();
        c.next();
        boolean r = c.at(TokenKind.NUMBER) || atMemargKeyword("offset=") || atMemargKeyword("align=");
        c.position(save);
        return r;
    }

    private boolean atMemargKeyword(String prefix) {
        if (!c.at(TokenKind.KEYWORD)) return false;
        return c.t.text(c.peek()).startsWith(prefix);
    }

    private void memarg(Opcode op, ByteSink out) {
        long mem = c.atIndex() ? m.memories.resolve(c) : 0;
        memargTail(op, mem, out);
    }

    /** {@code offset=N? align=N?} and the encoding: alignment exponent (bit 6: a memory index follows), memory, offset. */
    private void memargTail(Opcode op, long mem, ByteSink out) {
        memory(mem);
        long offset = 0;
        int alignLog2 = op.naturalAlignmentLog2();
        if (atMemargKeyword("offset=")) offset = memargValue("offset=");
        if (atMemargKeyword("align=")) {
            int tok = c.peek();
            long a = memargValue("align=");
            if (a == 0 || Long.bitCount(a) != 1) throw c.errorAt(tok, "alignment must be a power of two");
            alignLog2 = Long.numberOfTrailingZeros(a);
        }
        if (Long.compareUnsigned(offset, 0xFFFF_FFFFL) > 0) m.use(WasmFeature.MEMORY64);
        out.u32(alignLog2 | (mem != 0 ? 0x40 : 0));
        if (mem != 0) out.u32(mem);
        out.u64(offset);
    }

    private long memargValue(String prefix) {
        int tok = c.next();
        int start = c.t.start[tok] + prefix.length();
        int end = c.t.end[tok];
        byte[] b = c.src.bytes();
        if (!Literals.isNat(b, start, end)) throw c.errorAt(tok, "expected an unsigned integer after '" + prefix + "'");
        Long v = Literals.integer(b, start, end, 64, true);
        if (v == null) throw c.errorAt(tok, "i64 constant out of range");
        return v;
    }

    private int lane() {
        int tok = c.peek();
        if (!c.atNat()) throw c.expected("a lane index");
        long v = c.u64();
        if (v > 255) throw c.errorAt(tok, "i8 constant out of range");
        return (int) v;
    }

    private long field(long type) {
        TypeDefs.Entry e = m.typeDefs.get(type);
        if (c.at(TokenKind.ID)) {
            int tok = c.peek();
            if (e == null || e.fields() == null) throw c.errorAt(tok, "unknown field " + c.t.text(tok) + ": type " + type + " is not a struct type");
            return e.fields().resolve(c);
        }
        return c.u32();
    }

    private void v128(ByteSink out) {
        VectorLiterals.v128(c, out);
    }

    /** A reference type's nullability, its heap type written to {@code heap}. */
    private boolean refTypeParts(ByteSink heap) {
        byte[] rt = types.refType();
        // nullable abstract shorthand: one byte; (ref null ht): 0x63 ht; (ref ht): 0x64 ht
        if (rt.length == 1) {
            heap.bytes(rt);
            return true;
        }
        heap.bytes(rt, 1, rt.length - 1);
        return (rt[0] & 0xFF) == 0x63;
    }

    private long label() {
        int tok = c.peek();
        String id = c.id();
        if (id != null) {
            for (int i = labels.size() - 1; i >= 0; i--) {
                if (id.equals(labels.get(i))) return labels.size() - 1 - i;
            }
            throw c.errorAt(tok, "unknown label $" + id);
        }
        if (!c.atNat()) throw c.expected("a label");
        return c.u32();
    }

    private void select(ByteSink out) {
        if (c.atForm("result")) {
            ByteSink ts = new ByteSink(8);
            int n = 0;
            while (c.takeForm("result")) {
                while (!c.at(TokenKind.RPAR)) {
                    types.valType(ts);
                    n++;
                }
                c.rpar();
            }
            opcode(Opcode.SELECT_T, out);
            out.u32(n);
            out.append(ts);
        } else {
            opcode(Opcode.SELECT, out);
        }
    }

    private void writeCallIndirect(Opcode op, long table, TypeParser.TypeUse u, ByteSink out) {
        long type = types.resolveTypeUse(u);
        opcode(op, out);
        out.u32(type);
        out.u32(table);
    }

    // ---- blocks ----

    /** A block's label (null when it has none), bound when the block's body begins. */
    private String blockLabel() {
        return c.id();
    }

    private void writeBlockType(TypeParser.TypeUse u, ByteSink out) {
        if (u.index() >= 0) {
            if (u.hasInline() && !types.explicitSignature(u).sameAs(u.inline())) {
                throw c.errorAt(u.indexToken(), "inline function type does not match explicit type");
            }
            out.s64(u.index());
            return;
        }
        Signature s = u.inline();
        if (s.params().isEmpty() && s.results().size() <= 1) {
            if (s.results().isEmpty()) out.byte_(0x40);
            else out.bytes(s.results().get(0));
            return;
        }
        out.s64(m.typeDefs.indexFor(s));
    }

    /** Writes a block instruction's opcode and type and opens its label. */
    private void open(Opcode op, String label, TypeParser.TypeUse u, ByteSink out) {
        opcode(op, out);
        writeBlockType(u, out);
        if (label != null) labelNames.put(blockCount, label);
        blockCount++;
        labels.add(label);
    }

    private void close() {
        labels.remove(labels.size() - 1);
    }

    /** {@code end $l?} or {@code else $l?}: a label after it must be the block's own. */
    private void endLabel(String label) {
        int tok = c.peek();
        String id = c.id();
        if (id != null && !id.equals(label)) throw c.errorAt(tok, "mismatching label: $" + id);
    }

    private void flatBlock(String kind, ByteSink out) {
        String label = blockLabel();
        switch (kind) {
            case "block", "loop" -> {
                open(kind.equals("block") ? Opcode.BLOCK : Opcode.LOOP, label, types.typeUse(false), out);
                instrs(out);
            }
            case "if" -> {
                open(Opcode.IF, label, types.typeUse(false), out);
                instrs(out);
                if (c.take("else")) {
                    endLabel(label);
                    out.byte_(0x05);
                    instrs(out);
                }
            }
            case "try_table" -> {
                TypeParser.TypeUse u = types.typeUse(false);
                ByteSink catches = new ByteSink(16);
                int n = catchClauses(catches);
                open(Opcode.TRY_TABLE, label, u, out);
                out.u32(n);
                out.append(catches);
                instrs(out);
            }
            default -> { // legacy try
                open(Opcode.TRY, label, types.typeUse(false), out);
                instrs(out);
                boolean handlers = false;
                while (c.atKeyword("catch")) {
                    c.next();
                    opcode(Opcode.CATCH, out);
                    out.u32(m.tags.resolve(c));
                    instrs(out);
                    handlers = true;
                }
                if (c.take("catch_all")) {
                    opcode(Opcode.CATCH_ALL, out);
                    instrs(out);
                    handlers = true;
                }
                if (!handlers && c.take("delegate")) {
                    close();
                    opcode(Opcode.DELEGATE, out);
                    out.u32(label());
                    return;
                }
            }
        }
        c.keyword("end");
        endLabel(label);
        close();
        out.byte_(0x0B);
    }

    /** {@code (catch x l)}, {@code (catch_ref x l)}, {@code (catch_all l)}, {@code (catch_all_ref l)}: labels resolve outside the block. */
    private int catchClauses(ByteSink out) {
        int n = 0;
        while (true) {
            String k = c.formKeyword();
            if (k == null) return n;
            switch (k) {
                case "catch", "catch_ref" -> {
                    c.next();
                    c.next();
                    out.byte_(k.equals("catch") ? 0 : 1);
                    out.u32(m.tags.resolve(c));
                    out.u32(label());
                }
                case "catch_all", "catch_all_ref" -> {
                    c.next();
                    c.next();
                    out.byte_(k.equals("catch_all") ? 2 : 3);
                    out.u32(label());
                }
                default -> {
                    return n;
                }
            }
            c.rpar();
            n++;
        }
    }

    // ---- folded instructions ----

    /** A folded instruction; {@code hint} (-1 for none) is the branch hint of the instruction itself, written after its operands. */
    private void folded(ByteSink out, int hint) {
        int open = c.next(); // '('
        enter(open);
        int tok = c.peek();
        if (c.t.kind[tok] != TokenKind.KEYWORD) throw c.expected("an instruction");
        String name = c.keyword();
        switch (name) {
            case "block", "loop" -> {
                hintAt(hint, out);
                String label = blockLabel();
                open(name.equals("block") ? Opcode.BLOCK : Opcode.LOOP, label, types.typeUse(false), out);
                instrs(out);
                close();
                out.byte_(0x0B);
            }
            case "if" -> foldedIf(out, hint);
            case "try_table" -> {
                hintAt(hint, out);
                String label = blockLabel();
                TypeParser.TypeUse u = types.typeUse(false);
                ByteSink catches = new ByteSink(16);
                int n = catchClauses(catches);
                open(Opcode.TRY_TABLE, label, u, out);
                out.u32(n);
                out.append(catches);
                instrs(out);
                close();
                out.byte_(0x0B);
            }
            case "try" -> {
                hintAt(hint, out);
                foldedTry(out);
            }
            case "select" -> {
                ByteSink op = new ByteSink(8);
                select(op);
                operands(out);
                hintAt(hint, out);
                out.append(op);
            }
            case "call_indirect", "return_call_indirect" -> {
                Opcode op = name.equals("call_indirect") ? Opcode.CALL_INDIRECT : Opcode.RETURN_CALL_INDIRECT;
                long table = c.atIndex() ? m.tables.resolve(c) : 0;
                TypeParser.TypeUse u = types.typeUse(false);
                operands(out);
                hintAt(hint, out);
                writeCallIndirect(op, table, u, out);
            }
            default -> {
                Opcode op = Mnemonics.get(name);
                if (op == null) throw c.errorAt(tok, "expected an instruction, found '" + name + "'");
                ByteSink pending = new ByteSink(16);
                instruction(op, pending);
                operands(out);
                hintAt(hint, out);
                out.append(pending);
            }
        }
        c.rpar();
        depth--;
    }

    /** The folded operands of a folded instruction. */
    private void operands(ByteSink out) {
        while (true) {
            int hintTok = c.position();
            int hint = branchHint();
            if (!c.at(TokenKind.LPAR)) {
                if (hint >= 0) throw notBeforeInstruction(hintTok);
                return;
            }
            folded(out, hint);
        }
    }

    /** {@code (if $l? bt folded* (then instr*) (else instr*)?)}: the condition is not in the label's scope. */
    private void foldedIf(ByteSink out, int hint) {
        String label = blockLabel();
        TypeParser.TypeUse u = types.typeUse(false);
        while (true) {
            int hintTok = c.position();
            int conditionHint = branchHint();
            if (!c.at(TokenKind.LPAR) || c.atForm("then")) {
                if (conditionHint >= 0) throw notBeforeInstruction(hintTok);
                break;
            }
            folded(out, conditionHint);
        }
        hintAt(hint, out);
        open(Opcode.IF, label, u, out);
        if (!c.takeForm("then")) throw c.expected("'(then'");
        instrs(out);
        c.rpar();
        if (c.takeForm("else")) {
            out.byte_(0x05);
            instrs(out);
            c.rpar();
        }
        close();
        out.byte_(0x0B);
    }

    /** {@code (try $l? bt (do instr*) (catch x instr*)* (catch_all instr*)?)} or {@code ... (do instr*) (delegate l))}. */
    private void foldedTry(ByteSink out) {
        String label = blockLabel();
        open(Opcode.TRY, label, types.typeUse(false), out);
        if (!c.takeForm("do")) throw c.expected("'(do'");
        instrs(out);
        c.rpar();
        if (c.takeForm("delegate")) {
            close();
            opcode(Opcode.DELEGATE, out);
            out.u32(label());
            c.rpar();
            return;
        }
        while (c.takeForm("catch")) {
            opcode(Opcode.CATCH, out);
            out.u32(m.tags.resolve(c));
            instrs(out);
            c.rpar();
        }
        if (c.takeForm("catch_all")) {
            opcode(Opcode.CATCH_ALL, out);
            instrs(out);
            c.rpar();
        }
        close();
        out.byte_(0x0B);
    }
}
