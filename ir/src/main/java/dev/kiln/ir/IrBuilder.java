package dev.kiln.ir;

import dev.kiln.frontend.ArrayType;
import dev.kiln.frontend.BlockType;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.FunctionBody;
import dev.kiln.frontend.HeapType;
import dev.kiln.frontend.Immediate;
import dev.kiln.frontend.InstructionReader;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.StructType;
import dev.kiln.frontend.ValType;
import dev.kiln.frontend.ValidatedModule;
import dev.kiln.frontend.WasmFeature;
import dev.kiln.frontend.WasmReader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Translates one validated function body from Wasm's stack code to register IR in SSA form with
 * block parameters, in one pass and in time linear in the body (after {@link LocalAssignments}).
 *
 * <p>The operand stack and the locals become SSA values as the code is read. Where control flow
 * merges (the end of a block or if that is branched to, a loop header), the merge block takes
 * parameters for the construct's results (or a loop's parameters) followed by the locals assigned
 * inside the construct; every incoming edge passes the current values. Locals that are never
 * assigned inside a construct cannot differ at its merge, so they need no parameter. Some
 * parameters are still redundant (every edge passes the same value); {@code CopyPropagation}
 * removes them. Code after an unconditional branch is unreachable and produces no IR.
 */
public final class IrBuilder {
    private enum Kind { FUNCTION, BLOCK, LOOP, IF, TRY_TABLE, TRY, CATCH }

    private static final class Frame {
        Kind kind;
        FuncType type;
        int stackHeight;
        int[] assigned;
        LocalAssignments.Construct construct;
        /** try_table: its catch clauses (kind 0..3 as in the binary), their tags and target frames. */
        int[] clauseKinds;
        int[] clauseTags;
        Frame[] clauseTargets;
        /** try: the first block of each catch body (params: payload, exnref, assigned locals). */
        BasicBlock[] catchBodies;
        boolean[] catchReached;
        int nextCatch;
        /** catch body: the caught exception (for rethrow). */
        int exnref = -1;
        /** Branch target: loop header, or the merge block (created when first needed). */
        BasicBlock label;
        BasicBlock elseBlock;
        int[] ifParams;
        int[] ifEntryLocals;
        boolean elseSeen;
    }

    private final Module m;
    private final IrFunction f;
    private final LocalAssignments.Construct[] constructs;
    private int nextConstruct;

    private int[] stack = new int[32];
    private int sp;
    private final int[] locals;
    private final ValType[] localTypes;
    private final List<Frame> frames = new ArrayList<>();
    private BasicBlock current;
    /** Nesting depth of constructs opened while the code is unreachable (skipped). */
    private int deadDepth;
    /** Entry-block constants standing for the zero value of each type (locals' initial values). */
    private final Map<ValType, Integer> zeroOf = new HashMap<>();
    private final List<Instruction> zeroConsts = new ArrayList<>();

    private IrBuilder(ValidatedModule vm, int funcIndex) {
        this.m = vm.module();
        FunctionBody body = m.body(funcIndex);
        this.f = new IrFunction(funcIndex, m.functionDisplayName(funcIndex), m.funcType(body.typeIndex()));
        this.constructs = LocalAssignments.scan(m, body);
        this.localTypes = m.localTypes(funcIndex);
        this.locals = new int[localTypes.length];
    }

    /** Builds the IR of a defined function. */
    public static IrFunction build(ValidatedModule vm, int funcIndex) {
        return new IrBuilder(vm, funcIndex).run();
    }

    private IrFunction run() {
        FuncType type = f.type();
        BasicBlock entry = f.newBlock(type.params());
        place(entry);
        Arrays.fill(locals, -1);
        System.arraycopy(entry.params, 0, locals, 0, entry.params.length);
        Frame fn = new Frame();
        fn.kind = Kind.FUNCTION;
        fn.type = new FuncType(new ValType[0], type.results());
        fn.assigned = new int[0];
        frames.add(fn);

        FunctionBody body = m.body(f.index);
        InstructionReader in = new InstructionReader(new WasmReader(m.bytes(), body.codeStart(), body.codeEnd()));
        while (!frames.isEmpty()) {
            Opcode op = in.next();
            if (current == null) {
                skipDead(op, in);
            } else {
                translate(op, in);
            }
        }
        entry.instructions.addAll(0, zeroConsts);
        return f;
    }

    // ---- helpers ----

    private void place(BasicBlock b) {
        f.blocks.add(b);
        current = b;
    }

    private void push(int v) {
        if (sp == stack.length) stack = Arrays.copyOf(stack, sp * 2);
        stack[sp++] = v;
    }

    private int pop() {
        return stack[--sp];
    }

    private int[] popN(int n) {
        int[] out = Arrays.copyOfRange(stack, sp - n, sp);
        sp -= n;
        return out;
    }

    private int[] peekN(int n) {
        return Arrays.copyOfRange(stack, sp - n, sp);
    }

    private Frame frame(int depth) {
        return frames.get(frames.size() - 1 - depth);
    }

    /** The current SSA value of a local, materialising the zero constant for a fresh local. */
    private int local(int index) {
        int v = locals[index];
        if (v < 0) {
            v = zero(localTypes[index]);
            locals[index] = v;
        }
        return v;
    }

    private int zero(ValType t) {
        Integer known = zeroOf.get(t);
        if (known != null) return known;
        int v = f.newValue(t);
        Opcode op = switch (t.machine()) {
            case I32 -> Opcode.I32_CONST;
            case I64 -> Opcode.I64_CONST;
            case F32 -> Opcode.F32_CONST;
            case F64 -> Opcode.F64_CONST;
            case V128 -> Opcode.V128_CONST;
            case REF -> Opcode.REF_NULL;
        };
        long imm = t.isReference() ? t.heapType().encoding() : 0;
        zeroConsts.add(new Instruction(op, new int[0], new int[] {v}, imm, 0, -1));
        zeroOf.put(t, v);
        return v;
    }

    private Instruction emit(Opcode op, int[] args, int[] results, long imm, long imm2, int offset) {
        Instruction i = new Instruction(op, args, results, imm, imm2, offset);
        current.instructions.add(i);
        return i;
    }

    private int emit1(Opcode op, int[] args, ValType result, long imm, long imm2, int offset) {
        int v = f.newValue(result);
        emit(op, args, new int[] {v}, imm, imm2, offset);
        return v;
    }

    private void terminate(Terminator t) {
        current.terminator = t;
        current = null;
    }

    // ---- labels and edges ----

    private ValType[] labelTypes(Frame fr) {
        return fr.kind == Kind.LOOP ? fr.type.params() : fr.type.results();
    }

    /** The frame's branch target, creating a merge block (results + assigned locals) on first use. */
    private BasicBlock label(Frame fr) {
        if (fr.label == null) {
            ValType[] results = fr.type.results();
            ValType[] types = Arrays.copyOf(results, results.length + fr.assigned.length);
            for (int i = 0; i < fr.assigned.length; i++) types[results.length + i] = localTypes[fr.assigned[i]];
            fr.label = f.newBlock(types);
        }
        return fr.label;
    }

    /** An edge to a frame's label carrying the top label-arity stack values and the assigned locals. */
    private Edge edgeTo(Frame fr) {
        int arity = labelTypes(fr).length;
        int[] args = new int[arity + fr.assigned.length];
        System.arraycopy(stack, sp - arity, args, 0, arity);
        for (int i = 0; i < fr.assigned.length; i++) args[arity + i] = local(fr.assigned[i]);
        return new Edge(label(fr), args);
    }

    /** Continues in {@code b}: its parameters replace the label values and the assigned locals. */
    private void enterMerge(BasicBlock b, Frame fr, int valueCount) {
        place(b);
        sp = fr.stackHeight;
        for (int i = 0; i < valueCount; i++) push(b.params[i]);
        for (int i = 0; i < fr.assigned.length; i++) locals[fr.assigned[i]] = b.params[valueCount + i];
    }

    private Frame newFrame(Kind kind, FuncType type) {
        Frame fr = new Frame();
        fr.kind = kind;
        fr.type = type;
        fr.stackHeight = sp - type.paramCount();
        fr.construct = constructs[nextConstruct++];
        fr.assigned = fr.construct.assigned();
        frames.add(fr);
        return fr;
    }

    // ---- unreachable code ----

    private void skipDead(Opcode op, InstructionReader in) {
        switch (op) {
            case BLOCK, LOOP, IF, TRY, TRY_TABLE -> {
                deadDepth++;
                nextConstruct++;
            }
            case ELSE -> {
                if (deadDepth == 0) elseOf(frame(0), in);
            }
            case CATCH, CATCH_ALL -> {
                if (deadDepth == 0) catchClause(frame(0), op, in);
            }
            case END, DELEGATE -> {
                if (deadDepth > 0) deadDepth--;
                else end(in);
            }
            default -> { }
        }
    }

    // ---- translation ----

    private void translate(Opcode op, InstructionReader in) {
        int at = in.offset();
        switch (op) {
            case NOP -> { }
            case UNREACHABLE -> terminate(new Terminator.Trap(TrapKind.UNREACHABLE, at));
            case BLOCK -> newFrame(Kind.BLOCK, BlockType.resolve(in, m));
            case LOOP -> {
                Frame fr = newFrame(Kind.LOOP, BlockType.resolve(in, m));
                ValType[] params = fr.type.params();
                ValType[] types = Arrays.copyOf(params, params.length + fr.assigned.length);
                for (int i = 0; i < fr.assigned.length; i++) types[params.length + i] = localTypes[fr.assigned[i]];
                fr.label = f.newBlock(types);
                Edge entry = edgeTo(fr);
                terminate(new Terminator.Jump(entry));
                enterMerge(fr.label, fr, params.length);
            }
            case IF -> {
                int cond = pop();
                Frame fr = newFrame(Kind.IF, BlockType.resolve(in, m));
                fr.ifParams = peekN(fr.type.paramCount());
                fr.ifEntryLocals = new int[fr.assigned.length];
                for (int i = 0; i < fr.assigned.length; i++) fr.ifEntryLocals[i] = local(fr.assigned[i]);
                BasicBlock then = f.newBlock();
                fr.elseBlock = f.newBlock();
                terminate(new Terminator.Branch(cond, new Edge(then, new int[0]), new Edge(fr.elseBlock, new int[0])));
                place(then);
            }
            case ELSE -> elseOf(frame(0), in);
            case END, DELEGATE -> end(in);
            case TRY_TABLE -> tryTable(in);
            case TRY -> {
                Frame fr = newFrame(Kind.TRY, BlockType.resolve(in, m));
                int[] tags = fr.construct.catchTags();
                fr.catchBodies = new BasicBlock[tags.length];
                fr.catchReached = new boolean[tags.length];
                for (int k = 0; k < tags.length; k++) {
                    ValType[] payload = tags[k] < 0 ? new ValType[0] : m.tagFuncType(tags[k]).params();
                    ValType[] types = Arrays.copyOf(payload, payload.length + 1 + fr.assigned.length);
                    types[payload.length] = ValType.EXNREF;
                    for (int i = 0; i < fr.assigned.length; i++) types[payload.length + 1 + i] = localTypes[fr.assigned[i]];
                    fr.catchBodies[k] = f.newBlock(types);
                }
            }
            case CATCH, CATCH_ALL -> catchClause(frame(0), op, in);
            case THROW -> {
                FuncType t = m.tagFuncType(in.index());
                Instruction i = new Instruction(op, popN(t.paramCount()), new int[0], in.index(), 0, at);
                terminate(new Terminator.Throw(i, handlers()));
            }
            case THROW_REF -> terminate(new Terminator.Throw(new Instruction(op, new int[] {pop()}, new int[0], 0, 0, at), handlers()));
            case RETHROW -> {
                Frame fr = frame(in.index());
                terminate(new Terminator.Throw(new Instruction(Opcode.THROW_REF, new int[] {fr.exnref}, new int[0], 0, 0, at), handlers()));
            }
            case RETURN_CALL -> {
                FuncType t = m.functionType(in.index());
                terminate(new Terminator.ReturnCall(new Instruction(Opcode.CALL, popN(t.paramCount()), new int[0], in.index(), 0, at)));
            }
            case RETURN_CALL_INDIRECT, RETURN_CALL_REF -> {
                FuncType t = m.funcType(in.index());
                int callee = pop();
                int[] params = popN(t.paramCount());
                int[] args = Arrays.copyOf(params, params.length + 1);
                args[params.length] = callee;
                boolean indirect = op == Opcode.RETURN_CALL_INDIRECT;
                terminate(new Terminator.ReturnCall(new Instruction(indirect ? Opcode.CALL_INDIRECT : Opcode.CALL_REF, args, new int[0],
                        in.index(), indirect ? in.secondIndex() : 0, at)));
            }
            case CALL_REF -> {
                FuncType t = m.funcType(in.index());
                int callee = pop();
                int[] params = popN(t.paramCount());
                int[] args = Arrays.copyOf(params, params.length + 1);
                args[params.length] = callee;
                int[] results = newValues(t.results());
                emit(Opcode.CALL_REF, args, results, in.index(), 0, at);
                guard();
                for (int r : results) push(r);
            }
            case BR_ON_NULL -> {
                int ref = pop();
                int isNull = emit1(Opcode.REF_IS_NULL, new int[] {ref}, ValType.I32, 0, 0, at);
                Frame fr = frame(in.index());
                BasicBlock next = f.newBlock();
                terminate(new Terminator.Branch(isNull, switchEdge(fr), new Edge(next, new int[0])));
                place(next);
                push(ref);
            }
            case BR_ON_NON_NULL -> {
                int ref = stack[sp - 1];
                int isNull = emit1(Opcode.REF_IS_NULL, new int[] {ref}, ValType.I32, 0, 0, at);
                Frame fr = frame(in.index());
                Edge taken = switchEdge(fr);
                pop();
                BasicBlock next = f.newBlock();
                terminate(new Terminator.Branch(isNull, new Edge(next, new int[0]), taken));
                place(next);
            }
            case REF_AS_NON_NULL -> {
                int ref = stack[sp - 1];
                int isNull = emit1(Opcode.REF_IS_NULL, new int[] {ref}, ValType.I32, 0, 0, at);
                BasicBlock trap = f.newBlock();
                trap.terminator = new Terminator.Trap(TrapKind.NULL_REFERENCE, at);
                f.blocks.add(trap);
                BasicBlock next = f.newBlock();
                terminate(new Terminator.Branch(isNull, new Edge(trap, new int[0]), new Edge(next, new int[0])));
                place(next);
            }
            case MEMORY_SIZE -> push(emit1(op, new int[0], m.memoryType(in.index()).addressType(), in.index(), 0, at));
            case MEMORY_GROW -> push(emit1(op, new int[] {pop()}, m.memoryType(in.index()).addressType(), in.index(), 0, at));
            case MEMORY_FILL -> emit(op, popN(3), new int[0], in.index(), 0, at);
            case MEMORY_COPY -> emit(op, popN(3), new int[0], in.index(), in.secondIndex(), at);
            case MEMORY_INIT -> emit(op, popN(3), new int[0], in.index(), in.secondIndex(), at);
            case TABLE_SIZE -> push(emit1(op, new int[0], m.tableType(in.index()).addressType(), in.index(), 0, at));
            case TABLE_COPY, TABLE_INIT -> emit(op, popN(3), new int[0], in.index(), in.secondIndex(), at);
            case BR -> {
                Frame fr = frame(in.index());
                terminate(branchOut(fr));
            }
            case BR_IF -> {
                int cond = pop();
                Frame fr = frame(in.index());
                BasicBlock next = f.newBlock();
                Edge taken = fr.kind == Kind.FUNCTION ? null : edgeTo(fr);
                if (taken == null) {
                    // br_if to the function's label returns: branch to a block that returns.
                    BasicBlock ret = f.newBlock();
                    ret.terminator = new Terminator.Return(peekN(f.type().resultCount()));
                    f.blocks.add(ret);
                    taken = new Edge(ret, new int[0]);
                }
                terminate(new Terminator.Branch(cond, taken, new Edge(next, new int[0])));
                place(next);
            }
            case BR_TABLE -> {
                int index = pop();
                Edge[] targets = new Edge[in.brTableSize()];
                for (int i = 0; i < targets.length; i++) targets[i] = switchEdge(frame(in.brTableTarget(i)));
                Edge dflt = switchEdge(frame(in.brTableDefault()));
                terminate(new Terminator.Switch(index, targets, dflt));
            }
            case RETURN -> terminate(new Terminator.Return(peekN(f.type().resultCount())));
            case CALL -> {
                FuncType t = m.functionType(in.index());
                int[] args = popN(t.paramCount());
                int[] results = newValues(t.results());
                emit(Opcode.CALL, args, results, in.index(), 0, at);
                guard();
                for (int r : results) push(r);
            }
            case CALL_INDIRECT -> {
                FuncType t = m.funcType(in.index());
                int index = pop();
                int[] params = popN(t.paramCount());
                int[] args = Arrays.copyOf(params, params.length + 1);
                args[params.length] = index;
                int[] results = newValues(t.results());
                emit(Opcode.CALL_INDIRECT, args, results, in.index(), in.secondIndex(), at);
                guard();
                for (int r : results) push(r);
            }
            case DROP -> pop();
            case SELECT, SELECT_T -> {
                int cond = pop();
                int b = pop();
                int a = pop();
                push(emit1(Opcode.SELECT, new int[] {a, b, cond}, f.typeOf(a), 0, 0, at));
            }
            case LOCAL_GET -> push(local(in.index()));
            case LOCAL_SET -> locals[in.index()] = pop();
            case LOCAL_TEE -> locals[in.index()] = stack[sp - 1];
            case GLOBAL_GET -> push(emit1(op, new int[0], m.globalType(in.index()).type(), in.index(), 0, at));
            case GLOBAL_SET -> emit(op, new int[] {pop()}, new int[0], in.index(), 0, at);
            case TABLE_GET -> push(emit1(op, new int[] {pop()}, m.tableType(in.index()).elementType(), in.index(), 0, at));
            case TABLE_SET -> {
                int v = pop();
                int i = pop();
                emit(op, new int[] {i, v}, new int[0], in.index(), 0, at);
            }
            case TABLE_GROW -> {
                int n = pop();
                int v = pop();
                push(emit1(op, new int[] {v, n}, m.tableType(in.index()).addressType(), in.index(), 0, at));
            }
            case TABLE_FILL -> emit(op, popN(3), new int[0], in.index(), 0, at);
            case REF_NULL -> push(emit1(op, new int[0], in.refType(), in.heapTypeEncoding(), 0, at));
            case REF_IS_NULL -> push(emit1(op, new int[] {pop()}, ValType.I32, 0, 0, at));
            case REF_FUNC -> push(emit1(op, new int[0], ValType.FUNCREF, in.index(), 0, at));
            default -> {
                if (op.feature == WasmFeature.GC) gc(op, in, at);
                else fixedSignature(op, in, at);
            }
        }
    }

    // ---- exceptions ----

    /** After a call: inside a try region the block ends, with the handlers as exceptional edges. */
    private void guard() {
        Terminator.Handler[] hs = handlers();
        if (hs.length == 0) return;
        BasicBlock next = f.newBlock();
        terminate(new Terminator.Guarded(new Edge(next, new int[0]), hs));
        place(next);
    }

    /**
     * The handlers an exception raised here meets, innermost first, each with its own landing
     * block (which receives the payload and passes it on with the locals' current values). A
     * catch-all ends the list; a try that ends in delegate hands its body's exceptions to the
     * frame its label names.
     */
    private Terminator.Handler[] handlers() {
        List<Terminator.Handler> out = new ArrayList<>();
        int i = frames.size() - 1;
        while (i >= 0) {
            Frame fr = frames.get(i);
            if (fr.kind == Kind.TRY_TABLE) {
                for (int k = 0; k < fr.clauseKinds.length; k++) {
                    int kind = fr.clauseKinds[k];
                    out.add(new Terminator.Handler(kind < 2 ? fr.clauseTags[k] : -1, new Edge(landing(kind, fr.clauseTags[k], fr.clauseTargets[k]), new int[0])));
                    if (kind >= 2) return out.toArray(new Terminator.Handler[0]);
                }
            } else if (fr.kind == Kind.TRY && fr.construct.delegateLabel() >= 0) {
                i = i - 1 - (int) fr.construct.delegateLabel();
                continue;
            } else if (fr.kind == Kind.TRY) {
                int[] tags = fr.construct.catchTags();
                for (int k = 0; k < tags.length; k++) {
                    out.add(new Terminator.Handler(tags[k], new Edge(catchLanding(fr, k), new int[0])));
                    if (tags[k] < 0) return out.toArray(new Terminator.Handler[0]);
                }
            }
            i--;
        }
        return out.toArray(new Terminator.Handler[0]);
    }

    /** The values a catch instruction defines: the tag's parameters, then the exnref for the _ref kinds. */
    private int[] caught(int tag, boolean withRef, int at) {
        ValType[] payload = tag < 0 ? new ValType[0] : m.tagFuncType(tag).params();
        ValType[] types = Arrays.copyOf(payload, payload.length + (withRef ? 1 : 0));
        if (withRef) types[payload.length] = ValType.ref(false, HeapType.EXN);
        int[] values = newValues(types);
        return values;
    }

    /** A try_table clause's landing block: catch, then a jump to the clause's label. */
    private BasicBlock landing(int kind, int tag, Frame target) {
        BasicBlock land = f.newBlock();
        boolean withRef = kind == 1 || kind == 3;
        int[] values = caught(kind < 2 ? tag : -1, withRef, -1);
        land.instructions.add(new Instruction(Opcode.CATCH, new int[0], values, kind < 2 ? tag : -1, withRef ? 1 : 0, -1));
        if (target.kind == Kind.FUNCTION) {
            land.terminator = new Terminator.Return(values);
        } else {
            int[] args = Arrays.copyOf(values, values.length + target.assigned.length);
            for (int i = 0; i < target.assigned.length; i++) args[values.length + i] = local(target.assigned[i]);
            land.terminator = new Terminator.Jump(new Edge(label(target), args));
        }
        f.blocks.add(land);
        return land;
    }

    /** A legacy catch's landing block: catch (with the exnref, for rethrow), then a jump to the catch body. */
    private BasicBlock catchLanding(Frame tryFrame, int k) {
        BasicBlock land = f.newBlock();
        int tag = tryFrame.construct.catchTags()[k];
        int[] values = caught(tag, true, -1);
        land.instructions.add(new Instruction(Opcode.CATCH, new int[0], values, tag, 1, -1));
        int[] args = Arrays.copyOf(values, values.length + tryFrame.assigned.length);
        for (int i = 0; i < tryFrame.assigned.length; i++) args[values.length + i] = local(tryFrame.assigned[i]);
        land.terminator = new Terminator.Jump(new Edge(tryFrame.catchBodies[k], args));
        tryFrame.catchReached[k] = true;
        f.blocks.add(land);
        return land;
    }

    private void tryTable(InstructionReader in) {
        int n = in.catchCount();
        int[] kinds = new int[n];
        int[] tags = new int[n];
        Frame[] targets = new Frame[n];
        for (int k = 0; k < n; k++) {
            kinds[k] = in.catchKind(k);
            tags[k] = (int) in.catchTag(k);
            targets[k] = frame((int) in.catchLabel(k)); // labels count from outside the try_table
        }
        Frame fr = newFrame(Kind.TRY_TABLE, BlockType.resolve(in, m));
        fr.clauseKinds = kinds;
        fr.clauseTags = tags;
        fr.clauseTargets = targets;
    }

    /** {@code catch} / {@code catch_all} of a legacy try: the previous part goes to the merge; the next catch body starts. */
    private void catchClause(Frame fr, Opcode op, InstructionReader in) {
        if (current != null) terminate(new Terminator.Jump(edgeTo(fr)));
        int k = fr.nextCatch++;
        fr.kind = Kind.CATCH;
        BasicBlock body = fr.catchBodies[k];
        sp = fr.stackHeight;
        if (!fr.catchReached[k]) {
            current = null; // nothing in the try body can throw: the catch body is dead code
            return;
        }
        place(body);
        int tag = fr.construct.catchTags()[k];
        int payload = tag < 0 ? 0 : m.tagFuncType(tag).paramCount();
        for (int i = 0; i < payload; i++) push(body.params[i]);
        fr.exnref = body.params[payload];
        for (int i = 0; i < fr.assigned.length; i++) locals[fr.assigned[i]] = body.params[payload + 1 + i];
    }

    private int[] newValues(ValType[] types) {
        int[] out = new int[types.length];
        for (int i = 0; i < out.length; i++) out[i] = f.newValue(types[i]);
        return out;
    }

    /** Branch to a frame's label: to the function's label it is a return. */
    private Terminator branchOut(Frame fr) {
        if (fr.kind == Kind.FUNCTION) return new Terminator.Return(peekN(f.type().resultCount()));
        return new Terminator.Jump(edgeTo(fr));
    }

    private Edge switchEdge(Frame fr) {
        if (fr.kind != Kind.FUNCTION) return edgeTo(fr);
        BasicBlock ret = f.newBlock();
        ret.terminator = new Terminator.Return(peekN(f.type().resultCount()));
        f.blocks.add(ret);
        return new Edge(ret, new int[0]);
    }

    private void elseOf(Frame fr, InstructionReader in) {
        if (current != null) terminate(new Terminator.Jump(edgeTo(fr)));
        fr.elseSeen = true;
        startElse(fr);
    }

    private void startElse(Frame fr) {
        place(fr.elseBlock);
        sp = fr.stackHeight;
        for (int v : fr.ifParams) push(v);
        for (int i = 0; i < fr.assigned.length; i++) locals[fr.assigned[i]] = fr.ifEntryLocals[i];
    }

    private void end(InstructionReader in) {
        Frame fr = frames.remove(frames.size() - 1);
        switch (fr.kind) {
            case FUNCTION -> {
                if (current != null) terminate(new Terminator.Return(peekN(f.type().resultCount())));
            }
            case LOOP -> {
                // Falling off a loop's end continues after it; nothing merges here.
            }
            case BLOCK, TRY_TABLE, TRY, CATCH -> { // a try's end (after its catch bodies, or its delegate) is a block's
                if (fr.label == null) return; // never branched to: continue (or stay unreachable)
                if (current != null) terminate(new Terminator.Jump(edgeTo(fr)));
                enterMerge(fr.label, fr, fr.type.resultCount());
            }
            case IF -> {
                if (current != null) terminate(new Terminator.Jump(edgeTo(fr)));
                if (!fr.elseSeen) {
                    // No else: the false edge passes the if's parameters through as its results.
                    startElse(fr);
                    terminate(new Terminator.Jump(edgeTo(fr)));
                }
                if (fr.label != null) enterMerge(fr.label, fr, fr.type.resultCount());
            }
        }
    }

    /**
     * A GC instruction: one IR instruction with {@code imm} = the type index (the heap type's s33
     * encoding for ref.test/ref.cast, with {@code imm2} = {@link GcLowering#castImm2}) and
     * {@code imm2} = the second index (field, count, segment, source type). br_on_cast and
     * br_on_cast_fail become a REF_TEST plus a branch.
     */
    private void gc(Opcode op, InstructionReader in, int at) {
        long x = in.indexUnsigned();
        long y = in.secondIndex();
        switch (op) {
            case BR_ON_CAST, BR_ON_CAST_FAIL -> {
                int ref = stack[sp - 1];
                ValType target = in.targetType();
                int test = emit1(target.nullable() ? Opcode.REF_TEST_NULL : Opcode.REF_TEST, new int[] {ref}, ValType.I32,
                        target.heapType().encoding(), GcLowering.castImm2(m, target.heapType()), at);
                Frame fr = frame((int) x);
                Edge taken = switchEdge(fr);
                BasicBlock next = f.newBlock();
                Edge fallThrough = new Edge(next, new int[0]);
                terminate(op == Opcode.BR_ON_CAST ? new Terminator.Branch(test, taken, fallThrough)
                        : new Terminator.Branch(test, fallThrough, taken));
                place(next);
                return;
            }
            case REF_TEST, REF_TEST_NULL -> {
                push(emit1(op, new int[] {pop()}, ValType.I32, in.targetType().heapType().encoding(),
                        GcLowering.castImm2(m, in.targetType().heapType()), at));
                return;
            }
            case REF_CAST, REF_CAST_NULL -> {
                push(emit1(op, new int[] {pop()}, in.targetType(), in.targetType().heapType().encoding(),
                        GcLowering.castImm2(m, in.targetType().heapType()), at));
                return;
            }
            default -> { }
        }
        ValType ref = op.immediate == Immediate.NONE ? null : ValType.ref(false, HeapType.concrete((int) x));
        int operands;
        ValType result;
        switch (op) {
            case STRUCT_NEW -> {
                operands = ((StructType) m.types().get((int) x).composite()).fields().size();
                result = ref;
            }
            case STRUCT_NEW_DEFAULT -> {
                operands = 0;
                result = ref;
            }
            case STRUCT_GET, STRUCT_GET_S, STRUCT_GET_U -> {
                operands = 1;
                result = ((StructType) m.types().get((int) x).composite()).fields().get((int) y).type();
            }
            case STRUCT_SET -> {
                operands = 2;
                result = null;
            }
            case ARRAY_NEW, ARRAY_NEW_DATA, ARRAY_NEW_ELEM -> {
                operands = 2;
                result = ref;
            }
            case ARRAY_NEW_DEFAULT -> {
                operands = 1;
                result = ref;
            }
            case ARRAY_NEW_FIXED -> {
                operands = (int) y;
                result = ref;
            }
            case ARRAY_GET, ARRAY_GET_S, ARRAY_GET_U -> {
                operands = 2;
                result = ((ArrayType) m.types().get((int) x).composite()).element().type();
            }
            case ARRAY_SET -> {
                operands = 3;
                result = null;
            }
            case ARRAY_LEN -> {
                operands = 1;
                result = ValType.I32;
            }
            case ARRAY_FILL, ARRAY_INIT_DATA, ARRAY_INIT_ELEM -> {
                operands = 4;
                result = null;
            }
            case ARRAY_COPY -> {
                operands = 5;
                result = null;
            }
            case REF_EQ -> {
                operands = 2;
                result = ValType.I32;
            }
            case REF_I31 -> {
                operands = 1;
                result = ValType.ref(false, HeapType.I31);
            }
            case I31_GET_S, I31_GET_U -> {
                operands = 1;
                result = ValType.I32;
            }
            case ANY_CONVERT_EXTERN -> {
                operands = 1;
                result = ValType.ref(true, HeapType.ANY);
            }
            case EXTERN_CONVERT_ANY -> {
                operands = 1;
                result = ValType.ref(true, HeapType.EXTERN);
            }
            default -> throw new IllegalStateException("no IR for " + op);
        }
        int[] args = popN(operands);
        if (result == null) emit(op, args, new int[0], x, y, at);
        else push(emit1(op, args, result, x, y, at));
    }

    private void fixedSignature(Opcode op, InstructionReader in, int at) {
        int[] args = popN(op.paramCount());
        long imm = 0;
        long imm2 = 0;
        switch (op.immediate) {
            case NONE, MEMORY, MEMORY_MEMORY -> { }
            case I32 -> imm = in.i32();
            case I64 -> imm = in.i64();
            case F32 -> imm = in.f32Bits() & 0xFFFFFFFFL;
            case F64 -> imm = in.f64Bits();
            case V128, SHUFFLE -> {
                imm = in.v128Low();
                imm2 = in.v128High();
            }
            case MEMARG -> {
                imm = in.memOffset();
                imm2 = in.memAlign() | in.memoryIndex() << 32;
            }
            case MEMARG_LANE -> {
                imm = in.memOffset();
                imm2 = in.lane() | in.memoryIndex() << 32;
            }
            case LANE -> imm = in.lane();
            case DATA, DATA_MEMORY, ELEM, TABLE -> imm = in.index();
            case ELEM_TABLE, TABLE_TABLE -> {
                imm = in.index();
                imm2 = in.secondIndex();
            }
            default -> throw new IllegalStateException("unexpected immediate " + op.immediate + " for " + op);
        }
        if (op.resultCount() == 0) {
            emit(op, args, new int[0], imm, imm2, at);
        } else {
            push(emit1(op, args, op.result(0), imm, imm2, at));
        }
    }
}
