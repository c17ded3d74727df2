package dev.kiln.frontend;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Type-checks one function body with the operand-stack and control-stack algorithm of the
 * WebAssembly specification's validation appendix, including stack polymorphism after
 * unconditional branches. Both stacks are arrays on the heap, so nesting depth never touches the
 * Java stack. One instance is reused for every function of a module.
 */
final class FunctionValidator {
    /** Stack slot type meaning "any type" (the spec's Unknown), pushed only by polymorphic pops. */
    private static final int UNKNOWN = -1;
    private static final ValType[] TYPES = ValType.values();

    private final Module m;
    private final BitSet refs;

    private int[] vals = new int[64];
    private int vsp;

    private Opcode[] ctrlOp = new Opcode[16];
    private FuncType[] ctrlType = new FuncType[16];
    private int[] ctrlHeight = new int[16];
    private boolean[] ctrlUnreachable = new boolean[16];
    private int csp;

    private ValType[] locals;
    private FuncType funcType;
    private Opcode op;
    private int opOffset;
    private int maxHeight;
    private int maxDepth;

    FunctionValidator(Module m, BitSet refs) {
        this.m = m;
        this.refs = refs;
    }

    FunctionInfo validate(int funcIndex) {
        FunctionBody body = m.body(funcIndex);
        funcType = m.types().get(body.typeIndex());
        locals = m.localTypes(funcIndex);
        vsp = 0;
        csp = 0;
        maxHeight = 0;
        maxDepth = 0;
        int instructions = 0;
        WasmReader r = new WasmReader(m.bytes(), body.codeStart(), body.codeEnd());
        InstructionReader in = new InstructionReader(r);
        pushCtrl(Opcode.BLOCK, new FuncType(new ValType[0], funcType.results()));
        while (csp > 0) {
            op = in.next();
            opOffset = in.offset();
            instructions++;
            checkImmediates(in);
            if (op.hasFixedSignature()) {
                for (int i = op.paramCount() - 1; i >= 0; i--) pop(op.param(i));
                for (int i = 0; i < op.resultCount(); i++) push(op.result(i));
            } else {
                special(in);
            }
        }
        return new FunctionInfo(maxHeight, maxDepth, instructions);
    }

    // ---- errors ----

    private InvalidModuleException invalid(String msg) {
        return new InvalidModuleException(msg + " in " + op + "", opOffset);
    }

    private InvalidModuleException typeMismatch(String expected, String found) {
        return new InvalidModuleException("type mismatch in " + op + ": expected " + expected + ", found " + found, opOffset);
    }

    private static String name(int t) {
        return t == UNKNOWN ? "unknown" : TYPES[t].text;
    }

    // ---- operand stack ----

    private void push(int t) {
        if (vsp == vals.length) vals = Arrays.copyOf(vals, vsp * 2);
        vals[vsp++] = t;
        if (vsp > maxHeight) maxHeight = vsp;
    }

    private void push(ValType t) {
        push(t.ordinal());
    }

    private int pop() {
        int top = csp - 1;
        if (vsp == ctrlHeight[top]) {
            if (ctrlUnreachable[top]) return UNKNOWN;
            throw typeMismatch("a value", "nothing (the operand stack of this block is empty)");
        }
        return vals[--vsp];
    }

    private int pop(ValType expected) {
        int actual = pop();
        if (actual != expected.ordinal() && actual != UNKNOWN) throw typeMismatch(expected.text, name(actual));
        return actual;
    }

    private void popVals(ValType[] types) {
        for (int i = types.length - 1; i >= 0; i--) pop(types[i]);
    }

    private void pushVals(ValType[] types) {
        for (ValType t : types) push(t);
    }

    // ---- control stack ----

    private void pushCtrl(Opcode opcode, FuncType type) {
        if (csp == ctrlOp.length) {
            int n = csp * 2;
            ctrlOp = Arrays.copyOf(ctrlOp, n);
            ctrlType = Arrays.copyOf(ctrlType, n);
            ctrlHeight = Arrays.copyOf(ctrlHeight, n);
            ctrlUnreachable = Arrays.copyOf(ctrlUnreachable, n);
        }
        ctrlOp[csp] = opcode;
        ctrlType[csp] = type;
        ctrlHeight[csp] = vsp;
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
        csp--;
        return top;
    }

    private ValType[] labelTypes(int frame) {
        return ctrlOp[frame] == Opcode.LOOP ? ctrlType[frame].params() : ctrlType[frame].results();
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

    // ---- instructions ----

    private void checkImmediates(InstructionReader in) {
        switch (op.immediate) {
            case MEMARG, MEMARG_LANE -> {
                memory(0);
                if (in.memAlign() > op.naturalAlignmentLog2()) throw invalid("alignment must not be larger than natural");
                if (op.immediate == Immediate.MEMARG_LANE && in.lane() >= op.laneCount()) throw invalid("invalid lane index " + in.lane());
            }
            case MEMORY, MEMORY_MEMORY -> memory(0);
            case DATA_MEMORY -> {
                memory(0);
                data(in.indexUnsigned());
            }
            case DATA -> data(in.indexUnsigned());
            case LANE -> {
                if (in.lane() >= op.laneCount()) throw invalid("invalid lane index " + in.lane());
            }
            case SHUFFLE -> {
                for (int i = 0; i < 16; i++) if (in.shuffleLane(i) >= 32) throw invalid("invalid lane index " + in.shuffleLane(i));
            }
            case ELEM -> elem(in.indexUnsigned());
            case ELEM_TABLE -> {
                ValType segment = elem(in.indexUnsigned());
                ValType table = table(in.secondIndex());
                if (segment != table) throw typeMismatch("elements of " + table, "a segment of " + segment);
            }
            case TABLE_TABLE -> {
                ValType dst = table(in.indexUnsigned());
                ValType src = table(in.secondIndex());
                if (dst != src) throw typeMismatch("a source table of " + dst, "a table of " + src);
            }
            case TABLE -> table(in.indexUnsigned());
            default -> { }
        }
    }

    private void memory(long index) {
        if (index >= m.memoryCount()) throw invalid("unknown memory " + index);
    }

    private void data(long index) {
        if (index >= m.dataSegmentCount()) throw invalid("unknown data segment " + index);
    }

    private ValType elem(long index) {
        if (index >= m.elements().size()) throw invalid("unknown elem segment " + index);
        return m.elements().get((int) index).type();
    }

    private ValType table(long index) {
        if (index >= m.tableCount()) throw invalid("unknown table " + index);
        return m.tableType((int) index).elementType();
    }

    private FuncType type(long index) {
        if (index >= m.types().size()) throw invalid("unknown type " + index);
        return m.types().get((int) index);
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

    private FuncType blockType(long bt) {
        if (BlockType.isTypeIndex(bt)) return type(bt);
        return BlockType.resolve(bt, m);
    }

    private void special(InstructionReader in) {
        switch (op) {
            case UNREACHABLE -> unreachable();
            case NOP -> { }
            case BLOCK, LOOP -> {
                FuncType t = blockType(in.blockType());
                popVals(t.params());
                pushCtrl(op, t);
            }
            case IF -> {
                FuncType t = blockType(in.blockType());
                pop(ValType.I32);
                popVals(t.params());
                pushCtrl(Opcode.IF, t);
            }
            case ELSE -> {
                if (ctrlOp[csp - 1] != Opcode.IF) throw invalid("else without if");
                int f = popCtrl();
                pushCtrl(Opcode.ELSE, ctrlType[f]);
            }
            case END -> {
                int f = popCtrl();
                FuncType t = ctrlType[f];
                if (ctrlOp[f] == Opcode.IF && !Arrays.equals(t.params(), t.results())) {
                    throw typeMismatch("an else branch producing " + Arrays.toString(t.results()), "an if without else");
                }
                pushVals(t.results());
            }
            case BR -> {
                popVals(labelTypes(label(in.indexUnsigned())));
                unreachable();
            }
            case BR_IF -> {
                ValType[] types = labelTypes(label(in.indexUnsigned()));
                pop(ValType.I32);
                popVals(types);
                pushVals(types);
            }
            case BR_TABLE -> brTable(in);
            case RETURN -> {
                popVals(funcType.results());
                unreachable();
            }
            case CALL -> {
                FuncType t = function(in.indexUnsigned());
                popVals(t.params());
                pushVals(t.results());
            }
            case CALL_INDIRECT -> {
                ValType elem = table(in.secondIndex());
                if (elem != ValType.FUNCREF) throw typeMismatch("a table of funcref", "a table of " + elem);
                FuncType t = type(in.indexUnsigned());
                pop(ValType.I32);
                popVals(t.params());
                pushVals(t.results());
            }
            case DROP -> pop();
            case SELECT -> {
                pop(ValType.I32);
                int t1 = pop();
                int t2 = pop();
                if (!(isNumOrVec(t1) && isNumOrVec(t2))) {
                    throw typeMismatch("numeric or vector operands (use typed select for references)", name(t1) + " and " + name(t2));
                }
                if (t1 != t2 && t1 != UNKNOWN && t2 != UNKNOWN) throw typeMismatch(name(t1), name(t2));
                push(t1 == UNKNOWN ? t2 : t1);
            }
            case SELECT_T -> {
                if (in.selectTypeCount() != 1) throw invalid("invalid result arity " + in.selectTypeCount());
                ValType t = in.selectType(0);
                pop(ValType.I32);
                pop(t);
                pop(t);
                push(t);
            }
            case LOCAL_GET -> push(local(in.indexUnsigned()));
            case LOCAL_SET -> pop(local(in.indexUnsigned()));
            case LOCAL_TEE -> {
                ValType t = local(in.indexUnsigned());
                pop(t);
                push(t);
            }
            case GLOBAL_GET -> push(global(in.indexUnsigned()).type());
            case GLOBAL_SET -> {
                GlobalType g = global(in.indexUnsigned());
                if (!g.mutable()) throw invalid("global is immutable: global " + in.indexUnsigned());
                pop(g.type());
            }
            case TABLE_GET -> {
                ValType t = table(in.indexUnsigned());
                pop(ValType.I32);
                push(t);
            }
            case TABLE_SET -> {
                ValType t = table(in.indexUnsigned());
                pop(t);
                pop(ValType.I32);
            }
            case TABLE_GROW -> {
                ValType t = table(in.indexUnsigned());
                pop(ValType.I32);
                pop(t);
                push(ValType.I32);
            }
            case TABLE_FILL -> {
                ValType t = table(in.indexUnsigned());
                pop(ValType.I32);
                pop(t);
                pop(ValType.I32);
            }
            case REF_NULL -> push(in.refType());
            case REF_IS_NULL -> {
                int t = pop();
                if (t != UNKNOWN && !TYPES[t].isReference()) throw typeMismatch("a reference", name(t));
                push(ValType.I32);
            }
            case REF_FUNC -> {
                long f = in.indexUnsigned();
                function(f);
                if (!refs.get((int) f)) throw invalid("undeclared function reference " + f);
                push(ValType.FUNCREF);
            }
            default -> throw new AssertionError("no validation rule for " + op);
        }
    }

    private static boolean isNumOrVec(int t) {
        return t == UNKNOWN || TYPES[t].isNumeric() || TYPES[t].isVector();
    }

    private void brTable(InstructionReader in) {
        pop(ValType.I32);
        int defaultFrame = label(in.brTableDefault() == Integer.MAX_VALUE ? Long.MAX_VALUE : in.brTableDefault());
        int arity = labelTypes(defaultFrame).length;
        for (int i = 0; i < in.brTableSize(); i++) {
            int target = in.brTableTarget(i);
            int frame = label(target == Integer.MAX_VALUE ? Long.MAX_VALUE : target);
            ValType[] types = labelTypes(frame);
            if (types.length != arity) {
                throw typeMismatch("br_table targets of arity " + arity, "a target of arity " + types.length);
            }
            // Pop then re-push, as the spec does, so each target is checked against the same values.
            int savedVsp = vsp;
            int[] saved = Arrays.copyOfRange(vals, vsp - Math.min(vsp, types.length), vsp);
            popVals(types);
            vsp = savedVsp;
            System.arraycopy(saved, 0, vals, vsp - saved.length, saved.length);
        }
        popVals(labelTypes(defaultFrame));
        unreachable();
    }
}
