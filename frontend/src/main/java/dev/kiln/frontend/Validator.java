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
        int typeCount = m.types().size();
        int importsAt = sectionOffset(SectionId.IMPORT);
        for (Import i : m.imports()) {
            switch (i.kind()) {
                case FUNC -> {
                    if (i.typeIndex() >= typeCount) throw invalid("unknown type " + i.typeIndex() + " in import " + i.module() + "." + i.name(), importsAt);
                }
                case TABLE -> tableType(i.table(), importsAt);
                case MEMORY -> memoryType(i.memory(), importsAt);
                case GLOBAL -> { }
            }
        }
        int functionsAt = sectionOffset(SectionId.FUNCTION);
        for (int f = m.importedFunctionCount(); f < m.functionCount(); f++) {
            int t = m.functionTypeIndex(f);
            if (t >= typeCount) throw invalid("unknown type " + t, functionsAt);
        }
        int tablesAt = sectionOffset(SectionId.TABLE);
        for (TableType t : m.definedTables()) tableType(t, tablesAt);
        int memoriesAt = sectionOffset(SectionId.MEMORY);
        for (MemoryType t : m.definedMemories()) memoryType(t, memoriesAt);
        if (m.memoryCount() > 1) throw invalid("multiple memories", memoriesAt);

        // C.refs: functions referenced outside function bodies (globals, elements, exports).
        for (Global g : m.definedGlobals()) collectRefs(g.init());
        for (ElementSegment e : m.elements()) for (ConstExpr item : e.items()) collectRefs(item);
        for (Export e : m.exports()) if (e.kind() == ExternKind.FUNC) refs.set(e.index());

        for (Global g : m.definedGlobals()) constExpr(g.init(), g.type().type());
        exports();
        start();
        elements();
        data();

        if (!bodies) return new ValidatedModule(m, null, refs);
        List<FunctionInfo> infos = new ArrayList<>(m.functionBodies().size());
        FunctionValidator fv = new FunctionValidator(m, refs);
        for (int i = 0; i < m.functionBodies().size(); i++) {
            infos.add(fv.validate(m.importedFunctionCount() + i));
        }
        return new ValidatedModule(m, infos, refs);
    }

    private void collectRefs(ConstExpr e) {
        for (ConstInstr ci : e.instrs()) {
            if (ci.op() == Opcode.REF_FUNC && ci.imm() < Integer.MAX_VALUE) refs.set((int) ci.imm());
        }
    }

    private static void limits(Limits l, long bound, String what, int offset) {
        if (l.min() > bound) throw invalid(what, offset);
        if (l.hasMax() && l.max() > bound) throw invalid(what, offset);
        if (l.hasMax() && l.min() > l.max()) throw invalid("size minimum must not be greater than maximum", offset);
    }

    private static void tableType(TableType t, int offset) {
        limits(t.limits(), 0xFFFFFFFFL, "table size must be at most 2^32-1", offset);
    }

    private static void memoryType(MemoryType t, int offset) {
        limits(t.limits(), MemoryType.MAX_PAGES, "memory size must be at most 65536 pages (4GiB)", offset);
    }

    /** A constant expression of the given type, under the context whose globals are the imported ones. */
    private void constExpr(ConstExpr e, ValType expected) {
        List<ValType> stack = new ArrayList<>(2);
        for (ConstInstr ci : e.instrs()) {
            Opcode op = ci.op();
            if (!op.isConstant()) throw invalid("constant expression required, found " + op, ci.offset());
            switch (op) {
                case GLOBAL_GET -> {
                    if (ci.imm() >= m.importedGlobalCount()) {
                        throw invalid("unknown global " + ci.imm() + " (constant expressions see only imported globals)", ci.offset());
                    }
                    GlobalType g = m.globalType((int) ci.imm());
                    if (g.mutable()) throw invalid("constant expression required: global " + ci.imm() + " is mutable", ci.offset());
                    stack.add(g.type());
                }
                case REF_FUNC -> {
                    if (ci.imm() >= m.functionCount()) throw invalid("unknown function " + ci.imm(), ci.offset());
                    stack.add(ValType.FUNCREF);
                }
                case REF_NULL -> stack.add(ValType.fromCode((int) ci.imm()));
                default -> stack.add(op.result(0));
            }
        }
        if (stack.size() != 1 || stack.get(0) != expected) {
            throw invalid("type mismatch in constant expression: expected [" + expected + "], found " + stack, e.offset());
        }
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
                constExpr(e.offset(), ValType.I32);
                ValType tableType = m.tableType(e.tableIndex()).elementType();
                if (tableType != e.type()) {
                    throw invalid("type mismatch: element segment of " + e.type() + " for a table of " + tableType, e.byteOffset());
                }
            }
            for (ConstExpr item : e.items()) constExpr(item, e.type());
        }
    }

    private void data() {
        for (DataSegment d : m.data()) {
            if (d.mode() == SegmentMode.ACTIVE) {
                if (d.memoryIndex() >= m.memoryCount()) throw invalid("unknown memory " + d.memoryIndex(), d.byteOffset());
                constExpr(d.offset(), ValType.I32);
            }
        }
    }
}
