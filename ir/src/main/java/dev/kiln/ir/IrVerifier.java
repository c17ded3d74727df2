package dev.kiln.ir;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.MachineType;
import dev.kiln.frontend.ValType;

import java.util.HashSet;
import java.util.Set;

/**
 * Checks that a function's IR is well formed: every block in the layout ends in a terminator whose
 * edges target laid-out blocks with matching argument counts and types; every value is defined
 * exactly once and every use is dominated by its definition; instruction operand and result types
 * agree with the operation. Tests run it after every pass.
 */
public final class IrVerifier {
    private final Module m;
    private final IrFunction f;
    private final BasicBlock[] defBlock;
    private final int[] defIndex;

    private IrVerifier(Module m, IrFunction f) {
        this.m = m;
        this.f = f;
        this.defBlock = new BasicBlock[f.valueCount()];
        this.defIndex = new int[f.valueCount()];
    }

    /** Throws {@link IllegalStateException} describing the first problem found. */
    public static void verify(Module module, IrFunction f) {
        new IrVerifier(module, f).run();
    }

    private IllegalStateException fail(BasicBlock b, String msg) {
        return new IllegalStateException("IR verification failed in function " + f.index + " (" + f.name + "), "
                + b + ": " + msg + "\n" + IrPrinter.print(f));
    }

    private void run() {
        if (f.blocks.isEmpty()) throw new IllegalStateException("function " + f.index + " has no blocks");
        Set<BasicBlock> laidOut = new HashSet<>(f.blocks);
        if (laidOut.size() != f.blocks.size()) throw fail(f.entry(), "a block appears twice in the layout");
        BasicBlock entry = f.entry();
        if (entry.params.length != f.type().paramCount()) throw fail(entry, "entry parameters do not match the function type");
        for (int i = 0; i < entry.params.length; i++) {
            if (f.typeOf(entry.params[i]).machine() != f.type().param(i).machine()) throw fail(entry, "entry parameter " + i + " has the wrong type");
        }
        // definitions
        for (BasicBlock b : f.blocks) {
            if (b.terminator == null) throw fail(b, "no terminator");
            for (int p : b.params) define(b, p, -1);
            for (int k = 0; k < b.instructions.size(); k++) {
                for (int r : b.instructions.get(k).results()) define(b, r, k);
            }
            for (Edge e : b.terminator.edges()) {
                if (!laidOut.contains(e.target)) throw fail(b, "edge to " + e.target + ", which is not in the layout");
                if (e.argCount() != e.target.params.length) {
                    throw fail(b, "edge to " + e.target + " passes " + e.argCount() + " values for " + e.target.params.length + " parameters");
                }
            }
        }
        ControlFlowGraph cfg = new ControlFlowGraph(f);
        for (BasicBlock b : f.blocks) {
            if (!cfg.isReachable(b)) continue; // unreachable blocks are dead code; DCE removes them
            for (int k = 0; k < b.instructions.size(); k++) {
                Instruction i = b.instructions.get(k);
                for (int kA = 0; kA < i.argCount(); kA++) { int a = i.arg(kA); use(cfg, b, k, a); }
                types(b, i);
                if (i.wasmOffset < -1 - f.inlineSites.size()) throw fail(b, IrPrinter.instruction(i) + ": location " + i.wasmOffset + " names no inline site");
            }
            int end = b.instructions.size();
            for (int v : b.terminator.operands()) use(cfg, b, end, v);
            for (Edge e : b.terminator.edges()) {
                for (int i = 0; i < e.argCount(); i++) {
                    use(cfg, b, end, e.arg(i));
                    if (f.typeOf(e.arg(i)).machine() != f.typeOf(e.target.params[i]).machine()) {
                        throw fail(b, "edge to " + e.target + " passes v" + e.arg(i) + ": " + f.typeOf(e.arg(i))
                                + " for a parameter of type " + f.typeOf(e.target.params[i]));
                    }
                }
            }
            terminatorTypes(b);
        }
    }

    private void define(BasicBlock b, int v, int index) {
        if (v < 0 || v >= f.valueCount()) throw fail(b, "defines v" + v + ", which was never created");
        if (defBlock[v] != null) throw fail(b, "v" + v + " is defined twice (also in " + defBlock[v] + ")");
        defBlock[v] = b;
        defIndex[v] = index;
    }

    private void use(ControlFlowGraph cfg, BasicBlock b, int index, int v) {
        if (v < 0 || v >= f.valueCount() || defBlock[v] == null) throw fail(b, "uses v" + v + ", which is never defined");
        BasicBlock d = defBlock[v];
        if (d == b) {
            if (defIndex[v] >= index) throw fail(b, "uses v" + v + " before its definition");
        } else if (!cfg.isReachable(d) || !cfg.dominates(d, b)) {
            throw fail(b, "uses v" + v + ", whose definition in " + d + " does not dominate the use");
        }
    }

    /** Values are checked by their machine representation: all that the IR and the tiers rely on. */
    private void expect(BasicBlock b, Instruction i, int v, ValType t) {
        if (f.typeOf(v).machine() != t.machine()) {
            throw fail(b, IrPrinter.instruction(i) + ": v" + v + " is " + f.typeOf(v) + ", expected " + t);
        }
    }

    private void arity(BasicBlock b, Instruction i, int args, int results) {
        if (i.argCount() != args || i.resultCount() != results) {
            throw fail(b, IrPrinter.instruction(i) + ": expected " + args + " operands and " + results + " results");
        }
    }

    private void types(BasicBlock b, Instruction i) {
        Opcode op = i.op;
        if (op.hasFixedSignature()) {
            arity(b, i, op.paramCount(), op.resultCount());
            for (int k = 0; k < op.paramCount(); k++) {
                ValType want = k == 0 && op.isMemoryAccess() ? m.memoryType((int) (i.imm2() >>> 32)).addressType() : op.param(k);
                expect(b, i, i.arg(k), want);
            }
            for (int k = 0; k < op.resultCount(); k++) expect(b, i, i.result(k), op.result(k));
            return;
        }
        switch (op) {
            case CALL, CALL_INDIRECT, CALL_REF -> call(b, i, true);
            case CATCH -> {
                FuncType t = i.imm < 0 ? FuncType.EMPTY : m.tagFuncType((int) i.imm);
                arity(b, i, 0, t.paramCount() + (int) i.imm2());
                for (int k = 0; k < t.paramCount(); k++) expect(b, i, i.result(k), t.param(k));
                if (i.imm2() == 1) expect(b, i, i.result(t.paramCount()), ValType.EXNREF);
            }
            case MEMORY_SIZE -> {
                arity(b, i, 0, 1);
                expect(b, i, i.result(0), m.memoryType((int) i.imm).addressType());
            }
            case MEMORY_GROW -> {
                arity(b, i, 1, 1);
                expect(b, i, i.arg(0), m.memoryType((int) i.imm).addressType());
                expect(b, i, i.result(0), m.memoryType((int) i.imm).addressType());
            }
            case MEMORY_FILL -> {
                arity(b, i, 3, 0);
                expect(b, i, i.arg(0), m.memoryType((int) i.imm).addressType());
                expect(b, i, i.arg(1), ValType.I32);
                expect(b, i, i.arg(2), m.memoryType((int) i.imm).addressType());
            }
            case MEMORY_COPY -> {
                arity(b, i, 3, 0);
                ValType dst = m.memoryType((int) i.imm).addressType();
                ValType src = m.memoryType((int) i.imm2()).addressType();
                expect(b, i, i.arg(0), dst);
                expect(b, i, i.arg(1), src);
                expect(b, i, i.arg(2), dst == ValType.I64 && src == ValType.I64 ? ValType.I64 : ValType.I32);
            }
            case MEMORY_INIT -> {
                arity(b, i, 3, 0);
                expect(b, i, i.arg(0), m.memoryType((int) i.imm2()).addressType());
                expect(b, i, i.arg(1), ValType.I32);
                expect(b, i, i.arg(2), ValType.I32);
            }
            case TABLE_SIZE -> {
                arity(b, i, 0, 1);
                expect(b, i, i.result(0), m.tableType((int) i.imm).addressType());
            }
            case TABLE_COPY -> {
                arity(b, i, 3, 0);
                ValType dst = m.tableType((int) i.imm).addressType();
                ValType src = m.tableType((int) i.imm2()).addressType();
                expect(b, i, i.arg(0), dst);
                expect(b, i, i.arg(1), src);
                expect(b, i, i.arg(2), dst == ValType.I64 && src == ValType.I64 ? ValType.I64 : ValType.I32);
            }
            case TABLE_INIT -> {
                arity(b, i, 3, 0);
                expect(b, i, i.arg(0), m.tableType((int) i.imm2()).addressType());
                expect(b, i, i.arg(1), ValType.I32);
                expect(b, i, i.arg(2), ValType.I32);
            }
            case SELECT -> {
                arity(b, i, 3, 1);
                ValType t = f.typeOf(i.arg(0));
                expect(b, i, i.arg(1), t);
                expect(b, i, i.arg(2), ValType.I32);
                expect(b, i, i.result(0), t);
            }
            case GLOBAL_GET -> {
                arity(b, i, 0, 1);
                expect(b, i, i.result(0), m.globalType((int) i.imm).type());
            }
            case GLOBAL_SET -> {
                arity(b, i, 1, 0);
                expect(b, i, i.arg(0), m.globalType((int) i.imm).type());
            }
            case TABLE_GET -> {
                arity(b, i, 1, 1);
                expect(b, i, i.arg(0), m.tableType((int) i.imm).addressType());
                expect(b, i, i.result(0), m.tableType((int) i.imm).elementType());
            }
            case TABLE_SET -> {
                arity(b, i, 2, 0);
                expect(b, i, i.arg(0), m.tableType((int) i.imm).addressType());
                expect(b, i, i.arg(1), m.tableType((int) i.imm).elementType());
            }
            case TABLE_GROW -> {
                arity(b, i, 2, 1);
                expect(b, i, i.arg(0), m.tableType((int) i.imm).elementType());
                expect(b, i, i.arg(1), m.tableType((int) i.imm).addressType());
                expect(b, i, i.result(0), m.tableType((int) i.imm).addressType());
            }
            case TABLE_FILL -> {
                arity(b, i, 3, 0);
                expect(b, i, i.arg(0), m.tableType((int) i.imm).addressType());
                expect(b, i, i.arg(1), m.tableType((int) i.imm).elementType());
                expect(b, i, i.arg(2), m.tableType((int) i.imm).addressType());
            }
            case REF_NULL -> {
                arity(b, i, 0, 1);
                expect(b, i, i.result(0), ValType.FUNCREF); // any reference: one machine type
            }
            case REF_IS_NULL -> {
                arity(b, i, 1, 1);
                if (!f.typeOf(i.arg(0)).isReference()) throw fail(b, IrPrinter.instruction(i) + ": operand is not a reference");
                expect(b, i, i.result(0), ValType.I32);
            }
            case REF_FUNC -> {
                arity(b, i, 0, 1);
                expect(b, i, i.result(0), ValType.FUNCREF);
            }
            default -> throw fail(b, "operation " + op + " does not belong in the IR");
        }
    }

    private void terminatorTypes(BasicBlock b) {
        switch (b.terminator) {
            case Terminator.Branch br -> {
                if (f.typeOf(br.condition).machine() != MachineType.I32) throw fail(b, "branch condition is not i32");
            }
            case Terminator.Switch s -> {
                if (f.typeOf(s.index).machine() != MachineType.I32) throw fail(b, "br_table index is not i32");
            }
            case Terminator.Return r -> {
                if (r.values.length != f.type().resultCount()) throw fail(b, "return passes " + r.values.length + " values");
                for (int k = 0; k < r.values.length; k++) {
                    if (f.typeOf(r.values[k]).machine() != f.type().result(k).machine()) throw fail(b, "return value " + k + " has the wrong type");
                }
            }
            case Terminator.ReturnCall rc -> {
                Opcode op = rc.call.op;
                if (op != Opcode.CALL && op != Opcode.CALL_INDIRECT && op != Opcode.CALL_REF) throw fail(b, "a tail call makes a " + op);
                call(b, rc.call, false);
                FuncType callee = CallSignatures.of(m, rc.call);
                for (int k = 0; k < callee.resultCount(); k++) {
                    if (callee.result(k).machine() != f.type().result(k).machine()) throw fail(b, "a tail call's result " + k + " has the wrong type");
                }
            }
            case Terminator.Throw th -> {
                Instruction i = th.instruction;
                if (i.op == Opcode.THROW) {
                    FuncType t = m.tagFuncType((int) i.imm);
                    arity(b, i, t.paramCount(), 0);
                    for (int k = 0; k < t.paramCount(); k++) expect(b, i, i.arg(k), t.param(k));
                } else if (i.op == Opcode.THROW_REF) {
                    arity(b, i, 1, 0);
                    expect(b, i, i.arg(0), ValType.EXNREF);
                } else {
                    throw fail(b, "a throw terminator holds " + i.op);
                }
            }
            case Terminator.Guarded g -> {
                Instruction last = b.instructions.isEmpty() ? null : b.instructions.get(b.instructions.size() - 1);
                if (last == null || !(last.op == Opcode.CALL || last.op == Opcode.CALL_INDIRECT || last.op == Opcode.CALL_REF)) {
                    throw fail(b, "a guarded block does not end in a call");
                }
            }
            default -> { }
        }
    }

    /** A call (or, without results, a tail call): arguments, then the table index or function reference, then results. */
    private void call(BasicBlock b, Instruction i, boolean withResults) {
        Opcode op = i.op;
        boolean direct = op == Opcode.CALL;
        FuncType t = direct ? m.functionType((int) i.imm) : m.funcType((int) i.imm);
        int extra = direct ? 0 : 1;
        arity(b, i, t.paramCount() + extra, withResults ? t.resultCount() : 0);
        for (int k = 0; k < t.paramCount(); k++) expect(b, i, i.arg(k), t.param(k));
        if (op == Opcode.CALL_INDIRECT) {
            expect(b, i, i.arg(t.paramCount()), m.tableType((int) i.imm2()).addressType());
        } else if (extra == 1) {
            expect(b, i, i.arg(t.paramCount()), ValType.FUNCREF);
        }
        if (withResults) for (int k = 0; k < t.resultCount(); k++) expect(b, i, i.result(k), t.result(k));
        else if (t.resultCount() != f.type().resultCount()) throw fail(b, "a tail call's callee returns " + t.resultCount() + " values");
    }
}
