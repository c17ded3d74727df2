package dev.kiln.ir;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.Opcode;
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
            if (f.typeOf(entry.params[i]) != f.type().param(i)) throw fail(entry, "entry parameter " + i + " has the wrong type");
        }
        // definitions
        for (BasicBlock b : f.blocks) {
            if (b.terminator == null) throw fail(b, "no terminator");
            for (int p : b.params) define(b, p, -1);
            for (int k = 0; k < b.instructions.size(); k++) {
                for (int r : b.instructions.get(k).results) define(b, r, k);
            }
            for (Edge e : b.terminator.edges()) {
                if (!laidOut.contains(e.target)) throw fail(b, "edge to " + e.target + ", which is not in the layout");
                if (e.args.length != e.target.params.length) {
                    throw fail(b, "edge to " + e.target + " passes " + e.args.length + " values for " + e.target.params.length + " parameters");
                }
            }
        }
        ControlFlowGraph cfg = new ControlFlowGraph(f);
        for (BasicBlock b : f.blocks) {
            if (!cfg.isReachable(b)) continue; // unreachable blocks are dead code; DCE removes them
            for (int k = 0; k < b.instructions.size(); k++) {
                Instruction i = b.instructions.get(k);
                for (int a : i.args) use(cfg, b, k, a);
                types(b, i);
            }
            int end = b.instructions.size();
            for (int v : b.terminator.operands()) use(cfg, b, end, v);
            for (Edge e : b.terminator.edges()) {
                for (int i = 0; i < e.args.length; i++) {
                    use(cfg, b, end, e.args[i]);
                    if (f.typeOf(e.args[i]) != f.typeOf(e.target.params[i])) {
                        throw fail(b, "edge to " + e.target + " passes v" + e.args[i] + ": " + f.typeOf(e.args[i])
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

    private void expect(BasicBlock b, Instruction i, int v, ValType t) {
        if (f.typeOf(v) != t) {
            throw fail(b, IrPrinter.instruction(i) + ": v" + v + " is " + f.typeOf(v) + ", expected " + t);
        }
    }

    private void arity(BasicBlock b, Instruction i, int args, int results) {
        if (i.args.length != args || i.results.length != results) {
            throw fail(b, IrPrinter.instruction(i) + ": expected " + args + " operands and " + results + " results");
        }
    }

    private void types(BasicBlock b, Instruction i) {
        Opcode op = i.op;
        if (op.hasFixedSignature()) {
            arity(b, i, op.paramCount(), op.resultCount());
            for (int k = 0; k < op.paramCount(); k++) expect(b, i, i.args[k], op.param(k));
            for (int k = 0; k < op.resultCount(); k++) expect(b, i, i.results[k], op.result(k));
            return;
        }
        switch (op) {
            case CALL, CALL_INDIRECT -> {
                FuncType t = op == Opcode.CALL ? m.functionType((int) i.imm) : m.types().get((int) i.imm);
                int extra = op == Opcode.CALL ? 0 : 1;
                arity(b, i, t.paramCount() + extra, t.resultCount());
                for (int k = 0; k < t.paramCount(); k++) expect(b, i, i.args[k], t.param(k));
                if (extra == 1) expect(b, i, i.args[t.paramCount()], ValType.I32);
                for (int k = 0; k < t.resultCount(); k++) expect(b, i, i.results[k], t.result(k));
            }
            case SELECT -> {
                arity(b, i, 3, 1);
                ValType t = f.typeOf(i.args[0]);
                expect(b, i, i.args[1], t);
                expect(b, i, i.args[2], ValType.I32);
                expect(b, i, i.results[0], t);
            }
            case GLOBAL_GET -> {
                arity(b, i, 0, 1);
                expect(b, i, i.results[0], m.globalType((int) i.imm).type());
            }
            case GLOBAL_SET -> {
                arity(b, i, 1, 0);
                expect(b, i, i.args[0], m.globalType((int) i.imm).type());
            }
            case TABLE_GET -> {
                arity(b, i, 1, 1);
                expect(b, i, i.args[0], ValType.I32);
                expect(b, i, i.results[0], m.tableType((int) i.imm).elementType());
            }
            case TABLE_SET -> {
                arity(b, i, 2, 0);
                expect(b, i, i.args[0], ValType.I32);
                expect(b, i, i.args[1], m.tableType((int) i.imm).elementType());
            }
            case TABLE_GROW -> {
                arity(b, i, 2, 1);
                expect(b, i, i.args[0], m.tableType((int) i.imm).elementType());
                expect(b, i, i.args[1], ValType.I32);
                expect(b, i, i.results[0], ValType.I32);
            }
            case TABLE_FILL -> {
                arity(b, i, 3, 0);
                expect(b, i, i.args[0], ValType.I32);
                expect(b, i, i.args[1], m.tableType((int) i.imm).elementType());
                expect(b, i, i.args[2], ValType.I32);
            }
            case REF_NULL -> {
                arity(b, i, 0, 1);
                expect(b, i, i.results[0], ValType.fromCode((int) i.imm));
            }
            case REF_IS_NULL -> {
                arity(b, i, 1, 1);
                if (!f.typeOf(i.args[0]).isReference()) throw fail(b, IrPrinter.instruction(i) + ": operand is not a reference");
                expect(b, i, i.results[0], ValType.I32);
            }
            case REF_FUNC -> {
                arity(b, i, 0, 1);
                expect(b, i, i.results[0], ValType.FUNCREF);
            }
            default -> throw fail(b, "operation " + op + " does not belong in the IR");
        }
    }

    private void terminatorTypes(BasicBlock b) {
        switch (b.terminator) {
            case Terminator.Branch br -> {
                if (f.typeOf(br.condition) != ValType.I32) throw fail(b, "branch condition is not i32");
            }
            case Terminator.Switch s -> {
                if (f.typeOf(s.index) != ValType.I32) throw fail(b, "br_table index is not i32");
            }
            case Terminator.Return r -> {
                if (r.values.length != f.type().resultCount()) throw fail(b, "return passes " + r.values.length + " values");
                for (int k = 0; k < r.values.length; k++) {
                    if (f.typeOf(r.values[k]) != f.type().result(k)) throw fail(b, "return value " + k + " has the wrong type");
                }
            }
            case Terminator.ReturnCall rc -> {
                if (rc.call.op != Opcode.CALL && rc.call.op != Opcode.CALL_INDIRECT) throw fail(b, "a tail call makes a " + rc.call.op);
                if (rc.call.results.length != 0) throw fail(b, "a tail call defines values");
                FuncType callee = CallSignatures.of(m, rc.call);
                if (!java.util.Arrays.equals(callee.results(), f.type().results())) {
                    throw fail(b, "a tail call to " + callee + " from a function returning " + java.util.Arrays.toString(f.type().results()));
                }
                int extra = rc.call.op == Opcode.CALL ? 0 : 1;
                if (rc.call.args.length != callee.paramCount() + extra) throw fail(b, "a tail call passes " + rc.call.args.length + " values");
                for (int k = 0; k < callee.paramCount(); k++) {
                    if (f.typeOf(rc.call.args[k]) != callee.param(k)) throw fail(b, "tail-call argument " + k + " has the wrong type");
                }
                if (extra == 1 && f.typeOf(rc.call.args[callee.paramCount()]) != ValType.I32) throw fail(b, "tail-call table index is not i32");
            }
            default -> { }
        }
    }
}
