package dev.kiln.frontend;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Type-checks one function body with the operand-stack and control-stack algorithm of the
 * WebAssembly specification's validation appendix (WebAssembly 3.0 without the GC instructions):
 * stack polymorphism after unconditional branches, subtyping of value types, the initialisation
 * rule for non-defaultable locals, tail calls, typed function references, exception handling
 * (try_table and the legacy try/catch/delegate/rethrow), several memories and 64-bit memories and
 * tables. Both stacks are arrays on the heap, so nesting depth never touches the Java stack. One
 * instance is reused for every function of a module.
 */
final class FunctionValidator {
    /** Stack slot type meaning "any type" (the spec's bottom), pushed only by polymorphic pops. */
    private static final ValType UNKNOWN = null;

    /** Control frame kinds beyond the opcodes that open them: a legacy handler after catch / catch_all. */
    private enum Frame { BLOCK, LOOP, IF, ELSE, TRY, CATCH, CATCH_ALL, TRY_TABLE }

    private final Module m;
    private final TypeHierarchy types;
    private final BitSet refs;

    private ValType[] vals = new ValType[64];
    private int vsp;

    private Frame[] ctrlKind = new Frame[16];
    private FuncType[] ctrlType = new FuncType[16];
    private int[] ctrlHeight = new int[16];
    private int[] ctrlInitHeight = new int[16];
    private boolean[] ctrlUnreachable = new boolean[16];
    private int csp;

    private ValType[] locals;
    /** Which non-defaultable locals are set on every path to here. */
    private boolean[] localSet;
    /** Locals set since the innermost frames began, so the frames' ends can unset them. */
    private int[] inits = new int[16];
    private int initsTop;

    private FuncType funcType;
    private Opcode op;
    private int opOffset;
    private int maxHeight;
    private int maxDepth;

    FunctionValidator(Module m, TypeHierarchy types, BitSet refs) {
        this.m = m;
        this.types = types;
        this.refs = refs;
    }

    FunctionInfo validate(int funcIndex) {
        FunctionBody body = m.body(funcIndex);
        funcType = m.funcType(body.typeIndex());
        locals = m.localTypes(funcIndex);
        localSet = new boolean[locals.length];
        int at = body.codeStart();
        for (int i = 0; i < locals.length; i++) {
            HeapType h = locals[i].heapType();
            if (h != null && h.isConcrete() && h.typeIndex() >= m.types().size()) {
                throw new InvalidModuleException("unknown type " + h.typeIndex() + " in the type of local " + i, at);
            }
            localSet[i] = i < funcType.paramCount() || locals[i].isDefaultable();
        }
        vsp = 0;
        csp = 0;
        initsTop = 0;
        maxHeight = 0;
        maxDepth = 0;
        int instructions = 0;
        WasmReader r = new WasmReader(m.bytes(), body.codeStart(), body.codeEnd());
        InstructionReader in = new InstructionReader(r);
        pushCtrl(Frame.BLOCK, new FuncType(new ValType[0], funcType.results()));
        while (csp > 0) {
            op = in.next();
            opOffset = in.offset();
            instructions++;
            if (op.hasFixedSignature() && !op.isMemoryAccess()) {
                checkImmediates(in);
                for (int i = op.paramCount() - 1; i >= 0; i--) pop(op.param(i));
                for (int i = 0; i < op.resultCount(); i++) push(op.result(i));
            } else if (op.isMemoryAccess()) {
                memoryAccess(in);
            } else {
                special(in);
            }
        }
        return new FunctionInfo(maxHeight, maxDepth, instructions);
    }

    // ---- errors ----

    private InvalidModuleException invalid(String msg) {
        return new InvalidModuleException(msg + " in " + op, opOffset);
    }

    private InvalidModuleException typeMismatch(String expected, String found) {
        return new InvalidModuleException("type mismatch in " + op + ": expected " + expected + ", found " + found, opOffset);
    }

    private static String name(ValType t) {
        return t == UNKNOWN ? "unknown" : t.toString();
    }

    // ---- operand stack ----

    private void push(ValType t) {
        if (vsp == vals.length) vals = Arrays.copyOf(vals, vsp * 2);
        vals[vsp++] = t;
        if (vsp > maxHeight) maxHeight = vsp;
    }

    private ValType pop() {
        int top = csp - 1;
        if (vsp == ctrlHeight[top]) {
            if (ctrlUnreachable[top]) return UNKNOWN;
            throw typeMismatch("a value", "nothing (the operand stack of this block is empty)");
        }
        return vals[--vsp];
    }

    private ValType pop(ValType expected) {
        ValType actual = pop();
        if (actual != UNKNOWN && actual != expected && !types.isSubtype(actual, expected)) {
            throw typeMismatch(expected.toString(), name(actual));
        }
        return actual;
    }

    /** Pops a reference of any type; UNKNOWN in unreachable code. */
    private ValType popRef() {
        ValType t = pop();
        if (t != UNKNOWN && !t.isReference()) throw typeMismatch("a reference", name(t));
        return t;
    }

    private void popVals(ValType[] ts) {
        for (int i = ts.length - 1; i >= 0; i--) pop(ts[i]);
    }

    private void pushVals(ValType[] ts) {
        for (ValType t : ts) push(t);
    }

    // ---- control stack ----

    private void pushCtrl(Frame kind, FuncType type) {
        if (csp == ctrlKind.length) {
            int n = csp * 2;
            ctrlKind = Arrays.copyOf(ctrlKind, n);
            ctrlType = Arrays.copyOf(ctrlType, n);
            ctrlHeight = Arrays.copyOf(ctrlHeight, n);
            ctrlInitHeight = Arrays.copyOf(ctrlInitHeight, n);
            ctrlUnreachable = Arrays.copyOf(ctrlUnreachable, n);
        }
        ctrlKind[csp] = kind;
        ctrlType[csp] = type;
        ctrlHeight[csp] = vsp;
        ctrlInitHeight[csp] = initsTop;
        ctrlUnreachable[csp] = false;
        csp++;
        if (csp > maxDepth) maxDepth = csp;
        pushVals(type.params());
    }

    /** Pops the innermost frame after checking its results; returns its index (still readable). */
    private int popCtrl() {
        int top = csp - 1;
        popVals(ctrlType[top].results());
        if (vsp != ctrlHeight[top]) {
            throw typeMismatch("the block's results " + Arrays.toString(ctrlType[top].results()),
                    (vsp - ctrlHeight[top]) + " extra value(s) on the stack");
        }
        resetLocals(ctrlInitHeight[top]);
        csp--;
        return top;
    }

    /** Locals set inside a frame are unset again when the frame ends or its else/catch begins. */
    private void resetLocals(int height) {
        while (initsTop > height) localSet[inits[--initsTop]] = false;
    }

    private ValType[] labelTypes(int frame) {
        return ctrlKind[frame] == Frame.LOOP ? ctrlType[frame].params() : ctrlType[frame].results();
    }

    private void unreachable() {
        vsp = ctrlHeight[csp - 1];
        ctrlUnreachable[csp - 1] = true;
    }

    /** Frame index for a relative label, checked. */
    private int label(long depth) {
        if (depth >= csp) throw invalid("unknown label " + depth);
        return csp - 1 - (int) depth;
    }

    // ---- index spaces ----

    private MemoryType memory(long index) {
        if (index >= m.memoryCount()) throw invalid("unknown memory " + index);
        return m.memoryType((int) index);
    }

    private void data(long index) {
        if (index >= m.dataSegmentCount()) throw invalid("unknown data segment " + index);
    }

    private ValType elem(long index) {
        if (index >= m.elements().size()) throw invalid("unknown elem segment " + index);
        return m.elements().get((int) index).type();
    }

    private TableType table(long index) {
        if (index >= m.tableCount()) throw invalid("unknown table " + index);
        return m.tableType((int) index);
    }

    private FuncType type(long index) {
        if (index >= m.types().size()) throw invalid("unknown type " + index);
        if (!m.isFuncType(index)) throw invalid("type " + index + " is not a function type");
        return m.funcType((int) index);
    }

    private ValType local(long index) {
        if (index >= locals.length) throw invalid("unknown local " + index);
        return locals[(int) index];
    }

    private GlobalType global(long index) {
        if (index >= m.globalCount()) throw invalid("unknown global " + index);
        return m.globalType((int) index);
    }

    private FuncType function(long index) {
        if (index >= m.functionCount()) throw invalid("unknown function " + index);
        return m.functionType((int) index);
    }

    private FuncType tag(long index) {
        if (index >= m.tagCount()) throw invalid("unknown tag " + index);
        return m.tagFuncType((int) index);
    }

    private FuncType blockType(InstructionReader in) {
        if (BlockType.isTypeIndex(in.blockType())) return type(in.blockType());
        if (in.blockType() == BlockType.VALUE) valType(in.blockResult());
        return BlockType.resolve(in, m);
    }

    /** A value type written in the code: its type index, if any, must exist. */
    private ValType valType(ValType t) {
        HeapType h = t.heapType();
        if (h != null && h.isConcrete() && h.typeIndex() >= m.types().size()) throw invalid("unknown type " + h.typeIndex());
        return t;
    }

    /** The smaller of two address types: i32 unless both are i64. */
    private static ValType minAddress(ValType a, ValType b) {
        return a == ValType.I64 && b == ValType.I64 ? ValType.I64 : ValType.I32;
    }

    // ---- instructions ----

    /** Immediates of the fixed-signature instructions that have any (lanes, segments, tables). */
    private void checkImmediates(InstructionReader in) {
        switch (op.immediate) {
            case DATA -> data(in.indexUnsigned());
            case LANE -> {
                if (in.lane() >= op.laneCount()) throw invalid("invalid lane index " + in.lane());
            }
            case SHUFFLE -> {
                for (int i = 0; i < 16; i++) if (in.shuffleLane(i) >= 32) throw invalid("invalid lane index " + in.shuffleLane(i));
            }
            case ELEM -> elem(in.indexUnsigned());
            default -> { }
        }
    }

    /** A load or store (SIMD included): the address has the memory's index type. */
    private void memoryAccess(InstructionReader in) {
        MemoryType mem = memory(in.memoryIndex());
        if (in.memAlign() > op.naturalAlignmentLog2()) throw invalid("alignment must not be larger than natural");
        if (op.immediate == Immediate.MEMARG_LANE && in.lane() >= op.laneCount()) throw invalid("invalid lane index " + in.lane());
        if (!mem.is64() && Long.compareUnsigned(in.memOffset(), 0xFFFF_FFFFL) > 0) throw invalid("offset out of range");
        for (int i = op.paramCount() - 1; i >= 1; i--) pop(op.param(i));
        pop(mem.addressType());
        for (int i = 0; i < op.resultCount(); i++) push(op.result(i));
    }

    private void special(InstructionReader in) {
        switch (op) {
            case UNREACHABLE -> unreachable();
            case NOP -> { }
            case BLOCK, LOOP -> {
                FuncType t = blockType(in);
                popVals(t.params());
                pushCtrl(op == Opcode.LOOP ? Frame.LOOP : Frame.BLOCK, t);
            }
            case IF -> {
                FuncType t = blockType(in);
                pop(ValType.I32);
                popVals(t.params());
                pushCtrl(Frame.IF, t);
            }
            case ELSE -> {
                if (ctrlKind[csp - 1] != Frame.IF) throw invalid("else without if");
                int f = popCtrl();
                pushCtrl(Frame.ELSE, ctrlType[f]);
            }
            case END -> {
                int f = popCtrl();
                FuncType t = ctrlType[f];
                if (ctrlKind[f] == Frame.IF) {
                    // An if without else behaves as if its else passed the parameters through.
                    for (int i = 0; i < t.resultCount(); i++) {
                        if (t.paramCount() != t.resultCount() || !types.isSubtype(t.param(i), t.result(i))) {
                            throw typeMismatch("an else branch producing " + Arrays.toString(t.results()), "an if without else");
                        }
                    }
                    if (t.paramCount() != t.resultCount()) {
                        throw typeMismatch("an else branch producing " + Arrays.toString(t.results()), "an if without else");
                    }
                }
                pushVals(t.results());
            }
            case TRY -> {
                FuncType t = blockType(in);
                popVals(t.params());
                pushCtrl(Frame.TRY, t);
            }
            case CATCH -> {
                FuncType tag = tag(in.indexUnsigned());
                Frame k = ctrlKind[csp - 1];
                if (k != Frame.TRY && k != Frame.CATCH) throw invalid("catch without try");
                int f = popCtrl();
                pushCtrl(Frame.CATCH, new FuncType(tag.params(), ctrlType[f].results()));
            }
            case CATCH_ALL -> {
                Frame k = ctrlKind[csp - 1];
                if (k != Frame.TRY && k != Frame.CATCH) throw invalid("catch_all without try");
                int f = popCtrl();
                pushCtrl(Frame.CATCH_ALL, new FuncType(new ValType[0], ctrlType[f].results()));
            }
            case DELEGATE -> {
                if (ctrlKind[csp - 1] != Frame.TRY) throw invalid("delegate without try");
                int f = popCtrl();
                label(in.indexUnsigned());
                pushVals(ctrlType[f].results());
            }
            case RETHROW -> {
                int f = label(in.indexUnsigned());
                if (ctrlKind[f] != Frame.CATCH && ctrlKind[f] != Frame.CATCH_ALL) throw invalid("invalid rethrow label");
                unreachable();
            }
            case THROW -> {
                popVals(tag(in.indexUnsigned()).params());
                unreachable();
            }
            case THROW_REF -> {
                pop(ValType.EXNREF);
                unreachable();
            }
            case TRY_TABLE -> tryTable(in);
            case BR -> {
                popVals(labelTypes(label(in.indexUnsigned())));
                unreachable();
            }
            case BR_IF -> {
                ValType[] ts = labelTypes(label(in.indexUnsigned()));
                pop(ValType.I32);
                popVals(ts);
                pushVals(ts);
            }
            case BR_TABLE -> brTable(in);
            case BR_ON_NULL -> {
                ValType[] ts = labelTypes(label(in.indexUnsigned()));
                ValType r = popRef();
                popVals(ts);
                pushVals(ts);
                push(r == UNKNOWN ? UNKNOWN : r.asNonNullable());
            }
            case BR_ON_NON_NULL -> {
                ValType[] ts = labelTypes(label(in.indexUnsigned()));
                if (ts.length == 0 || !ts[ts.length - 1].isReference()) {
                    throw typeMismatch("a label whose last type is a reference", Arrays.toString(ts));
                }
                ValType r = popRef();
                if (r != UNKNOWN && !types.isSubtype(r.asNonNullable(), ts[ts.length - 1])) {
                    throw typeMismatch(ts[ts.length - 1].toString(), r.toString());
                }
                ValType[] rest = Arrays.copyOf(ts, ts.length - 1);
                popVals(rest);
                pushVals(rest);
            }
            case RETURN -> {
                popVals(funcType.results());
                unreachable();
            }
            case CALL -> {
                FuncType t = function(in.indexUnsigned());
                popVals(t.params());
                pushVals(t.results());
            }
            case CALL_INDIRECT, RETURN_CALL_INDIRECT -> {
                TableType table = table(in.secondIndex());
                if (!types.isSubtype(table.elementType(), ValType.FUNCREF)) {
                    throw typeMismatch("a table of funcref", "a table of " + table.elementType());
                }
                FuncType t = type(in.indexUnsigned());
                pop(table.addressType());
                call(t);
            }
            case RETURN_CALL -> call(function(in.indexUnsigned()));
            case CALL_REF, RETURN_CALL_REF -> {
                FuncType t = type(in.indexUnsigned());
                pop(ValType.ref(true, HeapType.concrete((int) in.indexUnsigned())));
                call(t);
            }
            case DROP -> pop();
            case SELECT -> {
                pop(ValType.I32);
                ValType t1 = pop();
                ValType t2 = pop();
                if (!(isNumOrVec(t1) && isNumOrVec(t2))) {
                    throw typeMismatch("numeric or vector operands (use typed select for references)", name(t1) + " and " + name(t2));
                }
                if (t1 != t2 && t1 != UNKNOWN && t2 != UNKNOWN) throw typeMismatch(name(t1), name(t2));
                push(t1 == UNKNOWN ? t2 : t1);
            }
            case SELECT_T -> {
                if (in.selectTypeCount() != 1) throw invalid("invalid result arity " + in.selectTypeCount());
                ValType t = valType(in.selectType(0));
                pop(ValType.I32);
                pop(t);
                pop(t);
                push(t);
            }
            case LOCAL_GET -> {
                ValType t = local(in.indexUnsigned());
                if (!localSet[(int) in.indexUnsigned()]) throw invalid("uninitialized local " + in.indexUnsigned());
                push(t);
            }
            case LOCAL_SET -> {
                pop(local(in.indexUnsigned()));
                setLocal((int) in.indexUnsigned());
            }
            case LOCAL_TEE -> {
                ValType t = local(in.indexUnsigned());
                pop(t);
                setLocal((int) in.indexUnsigned());
                push(t);
            }
            case GLOBAL_GET -> push(global(in.indexUnsigned()).type());
            case GLOBAL_SET -> {
                GlobalType g = global(in.indexUnsigned());
                if (!g.mutable()) throw invalid("global is immutable: global " + in.indexUnsigned());
                pop(g.type());
            }
            case TABLE_GET -> {
                TableType t = table(in.indexUnsigned());
                pop(t.addressType());
                push(t.elementType());
            }
            case TABLE_SET -> {
                TableType t = table(in.indexUnsigned());
                pop(t.elementType());
                pop(t.addressType());
            }
            case TABLE_SIZE -> push(table(in.indexUnsigned()).addressType());
            case TABLE_GROW -> {
                TableType t = table(in.indexUnsigned());
                pop(t.addressType());
                pop(t.elementType());
                push(t.addressType());
            }
            case TABLE_FILL -> {
                TableType t = table(in.indexUnsigned());
                pop(t.addressType());
                pop(t.elementType());
                pop(t.addressType());
            }
            case TABLE_COPY -> {
                TableType dst = table(in.indexUnsigned());
                TableType src = table(in.secondIndex());
                if (!types.isSubtype(src.elementType(), dst.elementType())) {
                    throw typeMismatch("a source table of " + dst.elementType(), "a table of " + src.elementType());
                }
                pop(minAddress(dst.addressType(), src.addressType()));
                pop(src.addressType());
                pop(dst.addressType());
            }
            case TABLE_INIT -> {
                ValType segment = elem(in.indexUnsigned());
                TableType t = table(in.secondIndex());
                if (!types.isSubtype(segment, t.elementType())) throw typeMismatch("elements of " + t.elementType(), "a segment of " + segment);
                pop(ValType.I32);
                pop(ValType.I32);
                pop(t.addressType());
            }
            case MEMORY_SIZE -> push(memory(in.memoryIndex()).addressType());
            case MEMORY_GROW -> {
                ValType at = memory(in.memoryIndex()).addressType();
                pop(at);
                push(at);
            }
            case MEMORY_FILL -> {
                ValType at = memory(in.memoryIndex()).addressType();
                pop(at);
                pop(ValType.I32);
                pop(at);
            }
            case MEMORY_COPY -> {
                ValType dst = memory(in.memoryIndex()).addressType();
                ValType src = memory(in.secondIndex()).addressType();
                pop(minAddress(dst, src));
                pop(src);
                pop(dst);
            }
            case MEMORY_INIT -> {
                ValType at = memory(in.memoryIndex()).addressType();
                data(in.indexUnsigned());
                pop(ValType.I32);
                pop(ValType.I32);
                pop(at);
            }
            case REF_NULL -> push(valType(in.refType()));
            case REF_IS_NULL -> {
                popRef();
                push(ValType.I32);
            }
            case REF_AS_NON_NULL -> {
                ValType r = popRef();
                push(r == UNKNOWN ? UNKNOWN : r.asNonNullable());
            }
            case REF_FUNC -> {
                long f = in.indexUnsigned();
                function(f);
                if (!refs.get((int) f)) throw invalid("undeclared function reference " + f);
                push(ValType.ref(false, HeapType.concrete(m.functionTypeIndex((int) f))));
            }
            default -> {
                if (op.feature != WasmFeature.GC) throw invalid("no validation rule for " + op);
                gc(in);
            }
        }
    }

    // ---- GC (WebAssembly 3.0) ----

    private StructType structType(long index) {
        if (index >= m.types().size()) throw invalid("unknown type " + index);
        if (!(m.types().get((int) index).composite() instanceof StructType st)) throw invalid("type " + index + " is not a struct type");
        return st;
    }

    private ArrayType arrayType(long index) {
        if (index >= m.types().size()) throw invalid("unknown type " + index);
        if (!(m.types().get((int) index).composite() instanceof ArrayType a)) throw invalid("type " + index + " is not an array type");
        return a;
    }

    private FieldType field(StructType st, long index) {
        if (index >= st.fields().size()) throw invalid("unknown field " + index);
        return st.fields().get((int) index);
    }

    private static ValType ref(boolean nullable, long typeIndex) {
        return ValType.ref(nullable, HeapType.concrete((int) typeIndex));
    }

    private void mutableField(FieldType f) {
        if (!f.mutable()) throw invalid("field is immutable");
    }

    /** get_s/get_u exactly for packed fields, plain get for the others. */
    private void packedAccess(FieldType f, boolean signedOrUnsigned) {
        if (f.isPacked() != signedOrUnsigned) {
            throw invalid(f.isPacked() ? "field is packed: use the _s or _u form" : "field is not packed");
        }
    }

    private void numericOrVectorElement(ArrayType a) {
        ValType t = a.element().type();
        if (!a.element().isPacked() && t.isReference()) throw typeMismatch("an array of numbers or vectors", "an array of " + t);
    }

    private ValType elemSegmentFor(ArrayType a, long segment) {
        ValType seg = elem(segment);
        if (!types.isSubtype(seg, a.element().type()) || a.element().isPacked()) {
            throw typeMismatch("a segment of " + a.element(), "a segment of " + seg);
        }
        return seg;
    }

    /** A heap type written in the code: a type index must exist. */
    private ValType refImmediate(ValType t) {
        return valType(t);
    }

    /** {@code a} without {@code b}: a's heap type, nullable only when a is and b is not. */
    private static ValType difference(ValType a, ValType b) {
        return ValType.ref(a.nullable() && !b.nullable(), a.heapType());
    }

    private void gc(InstructionReader in) {
        long x = in.indexUnsigned();
        switch (op) {
            case STRUCT_NEW -> {
                StructType st = structType(x);
                for (int i = st.fields().size() - 1; i >= 0; i--) pop(st.fields().get(i).type());
                push(ref(false, x));
            }
            case STRUCT_NEW_DEFAULT -> {
                for (FieldType f : structType(x).fields()) {
                    if (!f.type().isDefaultable()) throw invalid("field type " + f.type() + " is not defaultable");
                }
                push(ref(false, x));
            }
            case STRUCT_GET, STRUCT_GET_S, STRUCT_GET_U -> {
                FieldType f = field(structType(x), in.secondIndex());
                packedAccess(f, op != Opcode.STRUCT_GET);
                pop(ref(true, x));
                push(f.type());
            }
            case STRUCT_SET -> {
                FieldType f = field(structType(x), in.secondIndex());
                mutableField(f);
                pop(f.type());
                pop(ref(true, x));
            }
            case ARRAY_NEW -> {
                ArrayType a = arrayType(x);
                pop(ValType.I32);
                pop(a.element().type());
                push(ref(false, x));
            }
            case ARRAY_NEW_DEFAULT -> {
                ArrayType a = arrayType(x);
                if (!a.element().type().isDefaultable()) throw invalid("element type " + a.element().type() + " is not defaultable");
                pop(ValType.I32);
                push(ref(false, x));
            }
            case ARRAY_NEW_FIXED -> {
                ArrayType a = arrayType(x);
                long n = in.secondIndex();
                if (n > ImplementationLimits.MAX_ARRAY_NEW_FIXED) throw invalid("array.new_fixed of " + n + " elements (at most " + ImplementationLimits.MAX_ARRAY_NEW_FIXED + ")");
                for (long i = 0; i < n; i++) pop(a.element().type());
                push(ref(false, x));
            }
            case ARRAY_NEW_DATA -> {
                ArrayType a = arrayType(x);
                numericOrVectorElement(a);
                data(in.secondIndex());
                pop(ValType.I32);
                pop(ValType.I32);
                push(ref(false, x));
            }
            case ARRAY_NEW_ELEM -> {
                elemSegmentFor(arrayType(x), in.secondIndex());
                pop(ValType.I32);
                pop(ValType.I32);
                push(ref(false, x));
            }
            case ARRAY_GET, ARRAY_GET_S, ARRAY_GET_U -> {
                FieldType f = arrayType(x).element();
                packedAccess(f, op != Opcode.ARRAY_GET);
                pop(ValType.I32);
                pop(ref(true, x));
                push(f.type());
            }
            case ARRAY_SET -> {
                FieldType f = arrayType(x).element();
                mutableField(f);
                pop(f.type());
                pop(ValType.I32);
                pop(ref(true, x));
            }
            case ARRAY_LEN -> {
                pop(ValType.ref(true, HeapType.ARRAY));
                push(ValType.I32);
            }
            case ARRAY_FILL -> {
                FieldType f = arrayType(x).element();
                mutableField(f);
                pop(ValType.I32);
                pop(f.type());
                pop(ValType.I32);
                pop(ref(true, x));
            }
            case ARRAY_COPY -> {
                FieldType dst = arrayType(x).element();
                FieldType src = arrayType(in.secondIndex()).element();
                mutableField(dst);
                boolean fits = dst.isPacked() || src.isPacked() ? dst.packedBits() == src.packedBits() : types.isSubtype(src.type(), dst.type());
                if (!fits) throw typeMismatch("a source array of " + dst, "an array of " + src);
                pop(ValType.I32);
                pop(ValType.I32);
                pop(ref(true, in.secondIndex()));
                pop(ValType.I32);
                pop(ref(true, x));
            }
            case ARRAY_INIT_DATA -> {
                ArrayType a = arrayType(x);
                mutableField(a.element());
                numericOrVectorElement(a);
                data(in.secondIndex());
                pop(ValType.I32);
                pop(ValType.I32);
                pop(ValType.I32);
                pop(ref(true, x));
            }
            case ARRAY_INIT_ELEM -> {
                ArrayType a = arrayType(x);
                mutableField(a.element());
                elemSegmentFor(a, in.secondIndex());
                pop(ValType.I32);
                pop(ValType.I32);
                pop(ValType.I32);
                pop(ref(true, x));
            }
            case REF_EQ -> {
                pop(ValType.ref(true, HeapType.EQ));
                pop(ValType.ref(true, HeapType.EQ));
                push(ValType.I32);
            }
            case REF_I31 -> {
                pop(ValType.I32);
                push(ValType.ref(false, HeapType.I31));
            }
            case I31_GET_S, I31_GET_U -> {
                pop(ValType.ref(true, HeapType.I31));
                push(ValType.I32);
            }
            case ANY_CONVERT_EXTERN -> {
                ValType r = pop(ValType.ref(true, HeapType.EXTERN));
                push(ValType.ref(r == UNKNOWN || r.nullable(), HeapType.ANY));
            }
            case EXTERN_CONVERT_ANY -> {
                ValType r = pop(ValType.ref(true, HeapType.ANY));
                push(ValType.ref(r == UNKNOWN || r.nullable(), HeapType.EXTERN));
            }
            case REF_TEST, REF_TEST_NULL, REF_CAST, REF_CAST_NULL -> {
                ValType target = refImmediate(in.targetType());
                pop(ValType.ref(true, types.top(target.heapType())));
                push(op == Opcode.REF_TEST || op == Opcode.REF_TEST_NULL ? ValType.I32 : target);
            }
            case BR_ON_CAST, BR_ON_CAST_FAIL -> {
                ValType source = refImmediate(in.castSource());
                ValType target = refImmediate(in.targetType());
                if (!types.isSubtype(target, source)) throw typeMismatch("a cast target below " + source, target.toString());
                ValType[] ts = labelTypes(label(x));
                if (ts.length == 0 || !ts[ts.length - 1].isReference()) {
                    throw typeMismatch("a label whose last type is a reference", Arrays.toString(ts));
                }
                ValType branched = op == Opcode.BR_ON_CAST ? target : difference(source, target);
                if (!types.isSubtype(branched, ts[ts.length - 1])) throw typeMismatch(ts[ts.length - 1].toString(), branched.toString());
                pop(source);
                ValType[] rest = Arrays.copyOf(ts, ts.length - 1);
                popVals(rest);
                pushVals(rest);
                push(op == Opcode.BR_ON_CAST ? difference(source, target) : target);
            }
            default -> throw invalid("no validation rule for " + op);
        }
    }

    private void setLocal(int index) {
        if (localSet[index]) return;
        localSet[index] = true;
        if (initsTop == inits.length) inits = Arrays.copyOf(inits, initsTop * 2);
        inits[initsTop++] = index;
    }

    /**
     * A call (or tail call) of type {@code t}: pops the arguments; a tail call's results must fit
     * the caller's, and nothing follows it.
     */
    private void call(FuncType t) {
        popVals(t.params());
        boolean tail = op == Opcode.RETURN_CALL || op == Opcode.RETURN_CALL_INDIRECT || op == Opcode.RETURN_CALL_REF;
        if (!tail) {
            pushVals(t.results());
            return;
        }
        if (t.resultCount() != funcType.resultCount()) throw typeMismatch(Arrays.toString(funcType.results()), "a callee returning " + Arrays.toString(t.results()));
        for (int i = 0; i < t.resultCount(); i++) {
            if (!types.isSubtype(t.result(i), funcType.result(i))) {
                throw typeMismatch(Arrays.toString(funcType.results()), "a callee returning " + Arrays.toString(t.results()));
            }
        }
        unreachable();
    }

    /** try_table: each catch clause's values must fit its label (labels count from outside). */
    private void tryTable(InstructionReader in) {
        FuncType t = blockType(in);
        for (int i = 0; i < in.catchCount(); i++) {
            int kind = in.catchKind(i);
            ValType[] params = kind < 2 ? tag(in.catchTag(i)).params() : new ValType[0];
            if (kind == 1 || kind == 3) {
                params = Arrays.copyOf(params, params.length + 1);
                params[params.length - 1] = ValType.ref(false, HeapType.EXN);
            }
            ValType[] target = labelTypes(label(in.catchLabel(i)));
            if (target.length != params.length) throw typeMismatch("a catch label taking " + Arrays.toString(params), Arrays.toString(target));
            for (int k = 0; k < params.length; k++) {
                if (!types.isSubtype(params[k], target[k])) throw typeMismatch("a catch label taking " + Arrays.toString(params), Arrays.toString(target));
            }
        }
        popVals(t.params());
        pushCtrl(Frame.TRY_TABLE, t);
    }

    private static boolean isNumOrVec(ValType t) {
        return t == UNKNOWN || t.isNumeric() || t.isVector();
    }

    private void brTable(InstructionReader in) {
        pop(ValType.I32);
        int defaultFrame = label(in.brTableDefault() == Integer.MAX_VALUE ? Long.MAX_VALUE : in.brTableDefault());
        int arity = labelTypes(defaultFrame).length;
        for (int i = 0; i < in.brTableSize(); i++) {
            int target = in.brTableTarget(i);
            int frame = label(target == Integer.MAX_VALUE ? Long.MAX_VALUE : target);
            ValType[] ts = labelTypes(frame);
            if (ts.length != arity) {
                throw typeMismatch("br_table targets of arity " + arity, "a target of arity " + ts.length);
            }
            // Pop then re-push, as the spec does, so each target is checked against the same values.
            int savedVsp = vsp;
            ValType[] saved = Arrays.copyOfRange(vals, vsp - Math.min(vsp, ts.length), vsp);
            popVals(ts);
            vsp = savedVsp;
            System.arraycopy(saved, 0, vals, vsp - saved.length, saved.length);
        }
        popVals(labelTypes(defaultFrame));
        unreachable();
    }
}
