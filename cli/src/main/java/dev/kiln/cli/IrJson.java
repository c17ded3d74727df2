package dev.kiln.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.Edge;
import dev.kiln.ir.InlineSites;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.IrPrinter;
import dev.kiln.ir.Terminator;
import dev.kiln.ir.code.InlinedCall;

/**
 * The JSON dump of a function's IR ({@code kiln ir --json}): the same structure as {@link IrPrinter}.
 * It lives in the CLI so that Jackson stays a tool-side dependency, off the runtime's class path.
 * <pre>
 * {"index": 0, "name": "fib", "type": "(func ...)", "values": 12,
 *  "blocks": [{"id": 0, "params": [{"value": 0, "type": "i32"}],
 *              "instructions": [{"op": "i32.const", "results": [1], "args": [], "imm": 2, "text": "v1 = i32.const 2"}],
 *              "terminator": {"kind": "brif", "condition": 2, "edges": [{"block": 1, "args": []}, ...], "text": "..."}}]}
 * </pre>
 */
public final class IrJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IrJson() {
    }

    public static ObjectNode toJson(IrFunction f) {
        ObjectNode root = JSON.createObjectNode();
        root.put("index", f.index);
        root.put("name", f.name);
        root.put("type", f.type().toString());
        root.put("values", f.valueCount());
        ArrayNode blocks = root.putArray("blocks");
        for (BasicBlock b : f.blocks) {
            ObjectNode bn = blocks.addObject();
            bn.put("id", b.id);
            if (b.fuelPoint) bn.put("fuel", true);
            ArrayNode params = bn.putArray("params");
            for (int p : b.params) {
                ObjectNode pn = params.addObject();
                pn.put("value", p);
                pn.put("type", f.typeOf(p).toString());
            }
            ArrayNode insts = bn.putArray("instructions");
            for (Instruction i : b.instructions) {
                ObjectNode in = insts.addObject();
                in.put("op", i.op.mnemonic);
                ints(in.putArray("results"), i.results());
                ints(in.putArray("args"), i.args());
                in.put("imm", i.imm);
                if (i.imm2() != 0) in.put("imm2", i.imm2());
                InlineSites.Origin origin = f.inlineSites.origin(i.wasmOffset);
                if (origin.wasmOffset() >= 0) in.put("offset", origin.wasmOffset());
                if (!origin.inlined().isEmpty()) {
                    ArrayNode inlined = in.putArray("inlinedFrom"); // innermost first: the function and its call's offset
                    for (InlinedCall c : origin.inlined()) inlined.addObject().put("function", c.funcIndex()).put("callOffset", c.callOffset());
                }
                in.put("text", IrPrinter.instruction(i));
            }
            bn.set("terminator", terminator(b.terminator));
        }
        return root;
    }

    private static ObjectNode terminator(Terminator t) {
        ObjectNode n = JSON.createObjectNode();
        switch (t) {
            case Terminator.Jump j -> n.put("kind", "jump");
            case Terminator.Branch br -> {
                n.put("kind", "brif");
                n.put("condition", br.condition);
            }
            case Terminator.Switch s -> {
                n.put("kind", "br_table");
                n.put("index", s.index);
            }
            case Terminator.Return r -> {
                n.put("kind", "return");
                ints(n.putArray("values"), r.values);
            }
            case Terminator.ReturnCall rc -> {
                n.put("kind", "return_call");
                n.put("op", rc.call.op.name().toLowerCase());
                n.put("index", rc.call.imm);
                ints(n.putArray("args"), rc.call.args());
            }
            case Terminator.Trap tr -> {
                n.put("kind", "trap");
                n.put("trap", tr.kind.name().toLowerCase());
            }
            case Terminator.Throw th -> {
                n.put("kind", th.instruction.op.mnemonic);
                n.put("imm", th.instruction.imm);
                ints(n.putArray("args"), th.instruction.args());
                handlers(n, th.handlers);
            }
            case Terminator.Guarded g -> {
                n.put("kind", "guarded");
                handlers(n, g.handlers);
            }
        }
        ArrayNode edges = n.putArray("edges");
        for (Edge e : t.edges()) {
            ObjectNode en = edges.addObject();
            en.put("block", e.target.id);
            ints(en.putArray("args"), e.args);
        }
        n.put("text", IrPrinter.terminator(t));
        return n;
    }

    private static void handlers(ObjectNode n, Terminator.Handler[] hs) {
        ArrayNode a = n.putArray("handlers");
        for (Terminator.Handler h : hs) {
            ObjectNode hn = a.addObject();
            hn.put("tag", h.tag());
            hn.put("block", h.target().target.id);
        }
    }

    private static void ints(ArrayNode a, int[] vs) {
        for (int v : vs) a.add(v);
    }
}
