package dev.kiln.ir;

import dev.kiln.frontend.HeapType;
import dev.kiln.frontend.Opcode;

import java.util.function.IntFunction;

/**
 * Prints IR as text, one instruction per line in the style of Cranelift and LLVM:
 * <pre>
 * function 0 "fib" (func (param i32) (result i32))
 * block0(v0: i32):
 *     v1 = i32.const 2
 *     v2 = i32.lt_u v0, v1
 *     brif v2, block1, block2
 * </pre>
 */
public final class IrPrinter {
    private static final IntFunction<String> PLAIN = v -> "v" + v;
    private static final ThreadLocal<IntFunction<String>> NAMES = ThreadLocal.withInitial(() -> PLAIN);

    private IrPrinter() {
    }

    /** Prints with every value named by {@code names} (e.g. {@code v3@s2} after allocation). */
    public static String print(IrFunction f, IntFunction<String> names) {
        NAMES.set(names);
        try {
            return print(f);
        } finally {
            NAMES.set(PLAIN);
        }
    }

    public static String print(IrFunction f) {
        StringBuilder sb = new StringBuilder();
        sb.append("function ").append(f.index).append(" \"").append(f.name).append("\" ").append(f.type()).append('\n');
        for (BasicBlock b : f.blocks) {
            sb.append(b);
            if (b.params.length > 0) {
                sb.append('(');
                for (int i = 0; i < b.params.length; i++) {
                    if (i > 0) sb.append(", ");
                    sb.append(NAMES.get().apply(b.params[i])).append(": ").append(f.typeOf(b.params[i]));
                }
                sb.append(')');
            }
            if (b.fuelPoint) sb.append(" fuel");
            sb.append(":\n");
            for (Instruction i : b.instructions) sb.append("    ").append(instruction(i)).append('\n');
            sb.append("    ").append(terminator(b.terminator)).append('\n');
        }
        return sb.toString();
    }

    public static String instruction(Instruction i) {
        StringBuilder sb = new StringBuilder();
        if (i.resultCount() > 0) {
            values(sb, i.results());
            sb.append(" = ");
        }
        sb.append(i.op.mnemonic);
        String imm = immediates(i);
        if (!imm.isEmpty()) sb.append(' ').append(imm);
        if (i.argCount() > 0) {
            sb.append(imm.isEmpty() ? " " : ", ");
            values(sb, i.args());
        }
        return sb.toString();
    }

    private static String immediates(Instruction i) {
        Opcode op = i.op;
        return switch (op.immediate) {
            case I32 -> Integer.toString((int) i.imm);
            case I64 -> Long.toString(i.imm);
            case F32 -> floatText(Float.intBitsToFloat((int) i.imm), "0x" + Integer.toHexString((int) i.imm));
            case F64 -> floatText(Double.longBitsToDouble(i.imm), "0x" + Long.toHexString(i.imm));
            case V128 -> v128Text(i.imm, i.imm2());
            case SHUFFLE -> shuffleText(i.imm, i.imm2());
            case MEMARG -> "offset=" + i.imm + " align=" + (1L << i.imm2());
            case MEMARG_LANE -> "offset=" + i.imm + " lane=" + i.imm2();
            case LANE -> "lane=" + i.imm;
            case FUNC -> op == Opcode.CALL || op == Opcode.REF_FUNC ? "func" + i.imm : Long.toString(i.imm);
            case TYPE_TABLE -> "type" + i.imm + " table" + i.imm2();
            case GLOBAL -> "global" + i.imm;
            case TABLE -> "table" + i.imm;
            case TABLE_TABLE -> "table" + i.imm + " table" + i.imm2();
            case ELEM_TABLE -> "elem" + i.imm + " table" + i.imm2();
            case ELEM -> "elem" + i.imm;
            case DATA, DATA_MEMORY -> "data" + i.imm;
            case REF_TYPE -> HeapType.fromEncoding(i.imm).toString();
            default -> op == Opcode.CALL_INDIRECT ? "type" + i.imm + " table" + i.imm2() : "";
        };
    }

    /** A v128 constant as the text format writes it, in i32x4 lanes: {@code i32x4 0x00000001 0x00000002 ...}. */
    static String v128Text(long low, long high) {
        return String.format("i32x4 0x%08x 0x%08x 0x%08x 0x%08x", (int) low, (int) (low >>> 32), (int) high, (int) (high >>> 32));
    }

    /** A shuffle's 16 lane indices (0-15 from the first operand, 16-31 from the second), as the text format writes them. */
    static String shuffleText(long low, long high) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 16; k++) {
            if (k > 0) sb.append(' ');
            sb.append((k < 8 ? low >>> (8 * k) : high >>> (8 * (k - 8))) & 0xFF);
        }
        return sb.toString();
    }

    private static String floatText(double v, String bits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return bits;
        return v + " (" + bits + ")";
    }

    private static void values(StringBuilder sb, int[] vs) {
        for (int k = 0; k < vs.length; k++) {
            if (k > 0) sb.append(", ");
            sb.append(NAMES.get().apply(vs[k]));
        }
    }

    private static String edge(Edge e) {
        StringBuilder sb = new StringBuilder(e.target.toString());
        if (e.argCount() > 0) {
            sb.append('(');
            values(sb, e.args);
            sb.append(')');
        }
        return sb.toString();
    }

    public static String terminator(Terminator t) {
        if (t == null) return "<no terminator>";
        StringBuilder sb = new StringBuilder();
        switch (t) {
            case Terminator.Jump j -> sb.append("jump ").append(edge(j.target));
            case Terminator.Branch br -> sb.append("brif ").append(NAMES.get().apply(br.condition)).append(", ").append(edge(br.ifTrue))
                    .append(", ").append(edge(br.ifFalse));
            case Terminator.Switch s -> {
                sb.append("br_table ").append(NAMES.get().apply(s.index)).append(", [");
                for (int k = 0; k < s.targets.length; k++) {
                    if (k > 0) sb.append(", ");
                    sb.append(edge(s.targets[k]));
                }
                sb.append("], ").append(edge(s.defaultTarget));
            }
            case Terminator.Return r -> {
                sb.append("return");
                if (r.values.length > 0) {
                    sb.append(' ');
                    values(sb, r.values);
                }
            }
            case Terminator.ReturnCall rc -> sb.append("return_").append(instruction(rc.call).strip());
            case Terminator.Trap tr -> sb.append("trap ").append(tr.kind.name().toLowerCase());
            case Terminator.Throw th -> {
                sb.append(instruction(th.instruction));
                handlers(sb, th.handlers);
            }
            case Terminator.Guarded g -> {
                sb.append("guarded ").append(edge(g.normal));
                handlers(sb, g.handlers);
            }
        }
        return sb.toString();
    }

    private static void handlers(StringBuilder sb, Terminator.Handler[] hs) {
        if (hs.length == 0) return;
        sb.append(" catch [");
        for (int k = 0; k < hs.length; k++) {
            if (k > 0) sb.append(", ");
            sb.append(hs[k].tag() < 0 ? "all" : "tag" + hs[k].tag()).append(" -> ").append(edge(hs[k].target()));
        }
        sb.append(']');
    }

}
