package dev.kiln.frontend;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Validates a decoded module against the WebAssembly 2.0 rules (SIMD included): index spaces,
 * limits, constant expressions, exports, the start function, segments and, through
 * {@link FunctionValidator}, every function body.
 */
public final class Validator {
    private final Module m;
    private final BitSet refs = new BitSet();
    private final boolean bodies;
    private TypeHierarchy types;

    private Validator(Module m, boolean bodies) {
        this.m = m;
        this.bodies = bodies;
    }

    public static ValidatedModule validate(Module module) {
        return new Validator(module, true).run();
    }

    /**
     * Validates what lies outside function bodies and leaves the bodies alone: for a module that
     * this compiler build validated before (see {@link Decoder#decodeTrusted}). What the validator
     * learns about a function ({@link ValidatedModule#functionInfo}) is then worked out on demand.
     */
    public static ValidatedModule validateTrusted(Module module) {
        return new Validator(module, false).run();
    }

    private int sectionOffset(SectionId id) {
        for (SectionInfo s : m.sections()) if (s.id() == id) return s.contentStart();
        return 0;
    }

    private static InvalidModuleException invalid(String msg, long offset) {
        return new InvalidModuleException(msg, offset);
    }

    private ValidatedModule run() {
        TypeHierarchy hierarchy = typeSection();
        this.types = hierarchy;
        int importsAt = sectionOffset(SectionId.IMPORT);
        for (Import i : m.imports()) {
            switch (i.kind()) {
                case FUNC -> funcTypeIndex(i.typeIndex(), importsAt);
                case TABLE -> tableType(i.table(), importsAt);
                case MEMORY -> memoryType(i.memory(), importsAt);
                case GLOBAL -> valType(i.global().type(), importsAt);
                case TAG -> tagType(new TagType(i.typeIndex()), importsAt);
            }
        }
        int functionsAt = sectionOffset(SectionId.FUNCTION);
        // by the function section, not the bodies: a trusted module's bodies may not be decoded. A trusted
        // module's per-function and per-element-item checks are skipped (this build made them before it cached
        // the module's code), so a cache hit does no work per function here
        if (bodies) for (int f = m.importedFunctionCount(); f < m.functionCount(); f++) funcTypeIndex(m.functionTypeIndex(f), functionsAt);
        int memoriesAt = sectionOffset(SectionId.MEMORY);
        for (MemoryType t : m.definedMemories()) memoryType(t, memoriesAt);
        int tagsAt = sectionOffset(SectionId.TAG);
        for (TagType t : m.definedTags()) tagType(t, tagsAt);

        // C.refs: functions referenced outside function bodies (globals, tables, elements, exports).
        for (Global g : m.definedGlobals()) collectRefs(g.init());
        for (int t = 0; t < m.definedTables().size(); t++) if (m.tableInit(t) != null) collectRefs(m.tableInit(t));
        for (ElementSegment e : m.elements()) for (ConstExpr item : e.items()) collectRefs(item);
        for (Export e : m.exports()) if (e.kind() == ExternKind.FUNC) refs.set(e.index());

        int tablesAt = sectionOffset(SectionId.TABLE);
        for (int t = 0; t < m.definedTables().size(); t++) {
            TableType tt = m.definedTables().get(t);
            tableType(tt, tablesAt);
            ConstExpr init = m.tableInit(t);
            if (init != null) constExpr(init, tt.elementType(), m.importedGlobalCount());
            else if (!tt.elementType().nullable()) throw invalid("type mismatch: a table of " + tt.elementType() + " needs an initialiser", tablesAt);
        }
        int globalsAt = sectionOffset(SectionId.GLOBAL);
        for (int g = 0; g < m.definedGlobals().size(); g++) {
            Global global = m.definedGlobals().get(g);
            valType(global.type().type(), globalsAt);
            constExpr(global.init(), global.type().type(), m.importedGlobalCount() + g);
        }
        exports();
        start();
        elements();
        data();

        if (!bodies) return new ValidatedModule(m, hierarchy, null, refs);
        List<FunctionInfo> infos = new ArrayList<>(m.functionBodies().size());
        FunctionValidator fv = new FunctionValidator(m, hierarchy, refs);
        for (int i = 0; i < m.functionBodies().size(); i++) {
            infos.add(fv.validate(m.importedFunctionCount() + i));
        }
        return new ValidatedModule(m, hierarchy, infos, refs);
    }

    private void funcTypeIndex(int typeIndex, int offset) {
        if (typeIndex >= m.types().size()) throw invalid("unknown type " + typeIndex, offset);
        if (!m.isFuncType(typeIndex)) throw invalid("type " + typeIndex + " is not a function type", offset);
    }

    private void tagType(TagType t, int offset) {
        funcTypeIndex(t.typeIndex(), offset);
        FuncType f = m.funcType(t.typeIndex());
        if (f.resultCount() != 0) throw invalid("non-empty tag result type " + f, offset);
        for (ValType p : f.params()) valType(p, offset);
    }

    /** A value type written outside the type section: its type index, if any, must exist. */
    private ValType valType(ValType t, int offset) {
        HeapType h = t.heapType();
        if (h != null) heapType(h, offset);
        return t;
    }

    /**
     * The type section: every type index a definition uses lies before the end of its recursive
     * group, a supertype is declared before its subtype, and a declared supertype admits it.
     */
    private TypeHierarchy typeSection() {
        int at = sectionOffset(SectionId.TYPE);
        for (RecGroup g : m.recGroups()) {
            int end = g.first() + g.size();
            for (int i = g.first(); i < end; i++) {
                SubType s = m.types().get(i);
                if (s.supertypes().length > 1) throw invalid("type " + i + " has more than one supertype", at);
                for (int sup : s.supertypes()) {
                    if (sup >= i) throw invalid("unknown type " + sup + ": a supertype must be declared before type " + i, at);
                }
                for (ValType t : referencedTypes(s.composite())) {
                    HeapType h = t.heapType();
                    if (h != null && h.isConcrete() && h.typeIndex() >= end) throw invalid("unknown type " + h.typeIndex(), at);
                }
            }
        }
        TypeHierarchy h = TypeHierarchy.of(m.types(), m.recGroups());
        for (int i = 0; i < m.types().size(); i++) {
            String problem = h.checkDeclaredSupertype(i);
            if (problem != null) throw invalid(problem, at);
            int depth = 0;
            for (int t = m.types().get(i).supertype(); t >= 0; t = m.types().get(t).supertype()) depth++;
            if (depth > ImplementationLimits.MAX_SUBTYPING_DEPTH) throw invalid("subtyping depth of type " + i + " exceeds " + ImplementationLimits.MAX_SUBTYPING_DEPTH, at);
        }
        return h;
    }

    private static List<ValType> referencedTypes(CompositeType c) {
        return switch (c) {
            case FuncType f -> {
                List<ValType> all = new ArrayList<>(List.of(f.params()));
                all.addAll(List.of(f.results()));
                yield all;
            }
            case StructType s -> s.fields().stream().map(FieldType::type).toList();
            case ArrayType a -> List.of(a.element().type());
        };
    }

    /** A heap type written outside the type section: its type index must exist. */
    private HeapType heapType(HeapType h, int offset) {
        if (h.isConcrete() && h.typeIndex() >= m.types().size()) throw invalid("unknown type " + h.typeIndex(), offset);
        return h;
    }

    private void collectRefs(ConstExpr e) {
        for (ConstInstr ci : e.instrs()) {
            if (ci.op() == Opcode.REF_FUNC && ci.imm() < Integer.MAX_VALUE) refs.set((int) ci.imm());
        }
    }

    /** Limits within an unsigned bound (-1 = any u64). */
    private static void limits(Limits l, long bound, String what, int offset) {
        if (Long.compareUnsigned(l.min(), bound) > 0) throw invalid(what, offset);
        if (l.hasMax() && Long.compareUnsigned(l.max(), bound) > 0) throw invalid(what, offset);
        if (l.hasMax() && Long.compareUnsigned(l.min(), l.max()) > 0) throw invalid("size minimum must not be greater than maximum", offset);
    }

    private void tableType(TableType t, int offset) {
        valType(t.elementType(), offset);
        if (t.is64()) limits(t.limits(), -1L, "table size must be at most 2^64-1", offset);
        else limits(t.limits(), 0xFFFFFFFFL, "table size must be at most 2^32-1", offset);
    }

    private static void memoryType(MemoryType t, int offset) {
        if (t.is64()) limits(t.limits(), MemoryType.MAX_PAGES_64, "memory size must be at most 2^48 pages", offset);
        else limits(t.limits(), MemoryType.MAX_PAGES, "memory size must be at most 65536 pages (4GiB)", offset);
    }

    /**
     * A constant expression of the given type (extended constants included): {@code global.get}
     * may name the first {@code visibleGlobals} globals, which must be immutable.
     */
    private void constExpr(ConstExpr e, ValType expected, int visibleGlobals) {
        List<ValType> stack = new ArrayList<>(2);
        for (ConstInstr ci : e.instrs()) {
            Opcode op = ci.op();
            if (op == Opcode.END) continue;
            if (!op.isConstant()) throw invalid("constant expression required, found " + op, ci.offset());
            switch (op) {
                case GLOBAL_GET -> {
                    if (ci.imm() >= visibleGlobals) throw invalid("unknown global " + ci.imm(), ci.offset());
                    GlobalType g = m.globalType((int) ci.imm());
                    if (g.mutable()) throw invalid("constant expression required: global " + ci.imm() + " is mutable", ci.offset());
                    stack.add(g.type());
                }
                case REF_FUNC -> {
                    if (ci.imm() >= m.functionCount()) throw invalid("unknown function " + ci.imm(), ci.offset());
                    stack.add(ValType.ref(false, HeapType.concrete(m.functionTypeIndex((int) ci.imm()))));
                }
                case REF_NULL -> stack.add(ValType.ref(true, heapType(HeapType.fromEncoding(ci.imm()), ci.offset())));
                case STRUCT_NEW, STRUCT_NEW_DEFAULT, ARRAY_NEW, ARRAY_NEW_DEFAULT, ARRAY_NEW_FIXED, REF_I31, ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY ->
                        stack.add(constGc(ci, stack));
                default -> {
                    for (int k = op.paramCount() - 1; k >= 0; k--) {
                        ValType want = op.param(k);
                        if (stack.isEmpty() || !types.isSubtype(stack.remove(stack.size() - 1), want)) {
                            throw invalid("type mismatch in constant expression: " + op + " expects " + want, ci.offset());
                        }
                    }
                    stack.add(op.result(0));
                }
            }
        }
        if (stack.size() != 1 || !types.isSubtype(stack.get(0), expected)) {
            throw invalid("type mismatch in constant expression: expected [" + expected + "], found " + stack, e.offset());
        }
    }

    private ValType popConst(List<ValType> stack, ValType want, ConstInstr ci) {
        if (stack.isEmpty() || !types.isSubtype(stack.get(stack.size() - 1), want)) {
            throw invalid("type mismatch in constant expression: " + ci.op() + " expects " + want, ci.offset());
        }
        return stack.remove(stack.size() - 1);
    }

    /** An allocating or converting GC instruction in a constant expression; returns its result type. */
    private ValType constGc(ConstInstr ci, List<ValType> stack) {
        Opcode op = ci.op();
        switch (op) {
            case REF_I31 -> {
                popConst(stack, ValType.I32, ci);
                return ValType.ref(false, HeapType.I31);
            }
            case ANY_CONVERT_EXTERN -> {
                return ValType.ref(popConst(stack, ValType.ref(true, HeapType.EXTERN), ci).nullable(), HeapType.ANY);
            }
            case EXTERN_CONVERT_ANY -> {
                return ValType.ref(popConst(stack, ValType.ref(true, HeapType.ANY), ci).nullable(), HeapType.EXTERN);
            }
            default -> { }
        }
        long x = ci.imm();
        if (x >= m.types().size()) throw invalid("unknown type " + x, ci.offset());
        CompositeType c = m.types().get((int) x).composite();
        boolean struct = op == Opcode.STRUCT_NEW || op == Opcode.STRUCT_NEW_DEFAULT;
        if (struct && !(c instanceof StructType)) throw invalid("type " + x + " is not a struct type", ci.offset());
        if (!struct && !(c instanceof ArrayType)) throw invalid("type " + x + " is not an array type", ci.offset());
        switch (op) {
            case STRUCT_NEW -> {
                List<FieldType> fs = ((StructType) c).fields();
                for (int i = fs.size() - 1; i >= 0; i--) popConst(stack, fs.get(i).type(), ci);
            }
            case STRUCT_NEW_DEFAULT -> {
                for (FieldType f : ((StructType) c).fields()) {
                    if (!f.type().isDefaultable()) throw invalid("field type " + f.type() + " is not defaultable", ci.offset());
                }
            }
            case ARRAY_NEW -> {
                popConst(stack, ValType.I32, ci);
                popConst(stack, ((ArrayType) c).element().type(), ci);
            }
            case ARRAY_NEW_DEFAULT -> {
                if (!((ArrayType) c).element().type().isDefaultable()) throw invalid("element type is not defaultable", ci.offset());
                popConst(stack, ValType.I32, ci);
            }
            default -> { // ARRAY_NEW_FIXED
                if (ci.imm2() > ImplementationLimits.MAX_ARRAY_NEW_FIXED) throw invalid("array.new_fixed of " + ci.imm2() + " elements", ci.offset());
                for (long i = 0; i < ci.imm2(); i++) popConst(stack, ((ArrayType) c).element().type(), ci);
            }
        }
        return ValType.ref(false, HeapType.concrete((int) x));
    }

    private void exports() {
        int at = sectionOffset(SectionId.EXPORT);
        Set<String> names = new HashSet<>();
        for (Export e : m.exports()) {
            if (!names.add(e.name())) throw invalid("duplicate export name \"" + e.name() + "\"", at);
            int count = switch (e.kind()) {
                case FUNC -> m.functionCount();
                case TABLE -> m.tableCount();
                case MEMORY -> m.memoryCount();
                case GLOBAL -> m.globalCount();
                case TAG -> m.tagCount();
            };
            if (e.index() >= count) throw invalid("unknown " + e.kind() + " " + e.index() + " in export \"" + e.name() + "\"", at);
        }
    }

    private void start() {
        int s = m.startFunction();
        if (s < 0) return;
        int at = sectionOffset(SectionId.START);
        if (s >= m.functionCount()) throw invalid("unknown function " + s + " as start function", at);
        FuncType t = m.functionType(s);
        if (t.paramCount() != 0 || t.resultCount() != 0) throw invalid("start function must have type [] -> [], found " + t, at);
    }

    private void elements() {
        for (ElementSegment e : m.elements()) {
            if (e.mode() == SegmentMode.ACTIVE) {
                if (e.tableIndex() >= m.tableCount()) throw invalid("unknown table " + e.tableIndex(), e.byteOffset());
                constExpr(e.offset(), m.tableType(e.tableIndex()).addressType(), m.globalCount());
                ValType tableType = m.tableType(e.tableIndex()).elementType();
                if (!types.isSubtype(e.type(), tableType)) {
                    throw invalid("type mismatch: element segment of " + e.type() + " for a table of " + tableType, e.byteOffset());
                }
            }
            valType(e.type(), e.byteOffset());
            if (bodies) for (ConstExpr item : e.items()) constExpr(item, e.type(), m.globalCount());
        }
    }

    private void data() {
        for (DataSegment d : m.data()) {
            if (d.mode() == SegmentMode.ACTIVE) {
                if (d.memoryIndex() >= m.memoryCount()) throw invalid("unknown memory " + d.memoryIndex(), d.byteOffset());
                constExpr(d.offset(), m.memoryType(d.memoryIndex()).addressType(), m.globalCount());
            }
        }
    }
}
