package dev.kiln.tests.fuzz.wasm;

import dev.kiln.tests.fuzz.wasm.Expr.*;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Prints a {@link FuzzModule} as WebAssembly text in folded form: functions and labels are
 * named ({@code $f3}, {@code $b7}, {@code $L2}, {@code $i5}), locals and globals are numbered.
 * wat2wasm turns the text into the same bytes as {@link BinaryEncoder} (plus a name section).
 */
public final class WatPrinter {
    private static final int LINE = 100;
    private final FuzzModule module;
    private final TypeTable types;

    private WatPrinter(FuzzModule module) {
        this.module = module;
        this.types = TypeTable.of(module);
    }

    public static String print(FuzzModule m) {
        return new WatPrinter(m).module();
    }

    private String module() {
        StringBuilder sb = new StringBuilder("(module\n");
        for (int i = 0; i < types.types().size(); i++) {
            sb.append("  (type (;").append(i).append(";) (func").append(sig(types.types().get(i))).append("))\n");
        }
        if (module.usesGc()) sb.append(GcSlots.watTypes());
        if (module.table() != null) sb.append("  (table (;0;) ").append(module.table().size()).append(' ').append(module.table().size()).append(" funcref)\n");
        if (module.memory() != null) {
            MemoryDef ms = module.memory();
            for (int i = 0; i < ms.count(); i++) {
                sb.append("  (memory (;").append(i).append(";) ").append(ms.is64(i) ? "i64 " : "").append(ms.minPages(i)).append(' ')
                        .append(ms.maxPages(i)).append(")\n");
            }
        }
        for (int i = 0; i < module.tags().size(); i++) {
            int type = module.tags().get(i);
            sb.append("  (tag $t").append(i).append(" (type ").append(type).append(')').append(sig(module.types().get(type))).append(")\n");
        }
        for (int i = 0; i < module.globals().size(); i++) {
            GlobalDef g = module.globals().get(i);
            String t = g.mutable() ? "(mut " + g.type().wat + ")" : g.type().wat;
            sb.append("  (global (;").append(i).append(";) ").append(t).append(' ').append(constant(g.type(), g.init(), g.initHigh()))
                    .append(i == module.fuelGlobal() ? ")  ;; fuel of guarded calls\n" : ")\n");
        }
        if (module.usesGc()) sb.append(GcSlots.watGlobal());
        for (int i = 0; i < module.functions().size(); i++) sb.append(new FunctionPrinter(i, module.functions().get(i)).print());
        for (int f : module.exportedFunctions()) sb.append("  (export \"").append(FuzzModule.functionExport(f)).append("\" (func $f").append(f).append("))\n");
        for (int g : module.exportedGlobals()) sb.append("  (export \"").append(FuzzModule.globalExport(g)).append("\" (global ").append(g).append("))\n");
        if (module.exportMemory()) sb.append("  (export \"").append(FuzzModule.MEMORY_EXPORT).append("\" (memory 0))\n");
        for (int t = 0; t < module.tags().size(); t++) sb.append("  (export \"").append(FuzzModule.tagExport(t)).append("\" (tag $t").append(t).append("))\n");
        if (module.table() != null) {
            for (TableRuns.Run r : TableRuns.of(module.table())) {
                sb.append("  (elem (i32.const ").append(r.offset()).append(") func");
                for (int f : r.functions()) sb.append(" $f").append(f);
                sb.append(")\n");
            }
        }
        if (!module.referencedFunctions().isEmpty()) {
            sb.append("  (elem declare func");
            for (int f : module.referencedFunctions()) sb.append(" $f").append(f);
            sb.append(")\n");
        }
        if (module.memory() != null) {
            for (MemoryDef.DataSegment d : module.memory().data()) {
                sb.append(d.passive() ? "  (data \"" : "  (data (" + (module.memory().is64() ? "i64" : "i32") + ".const " + d.offset() + ") \"");
                for (byte b : d.bytes()) sb.append(String.format("\\%02x", b & 0xFF));
                sb.append("\")\n");
            }
        }
        return sb.append(")\n").toString();
    }

    private static String sig(FuncSig s) {
        StringBuilder sb = new StringBuilder();
        if (!s.params().isEmpty()) sb.append(" (param ").append(names(s.params())).append(')');
        if (!s.results().isEmpty()) sb.append(" (result ").append(names(s.results())).append(')');
        return sb.toString();
    }

    private static String names(List<NumType> ts) {
        return ts.stream().map(t -> t.wat).collect(Collectors.joining(" "));
    }

    static String constant(NumType t, long bits) {
        return constant(t, bits, 0);
    }

    static String constant(NumType t, long bits, long high) {
        if (t == NumType.EXNREF) return "(ref.null exn)";
        return "(" + t.wat + ".const " + switch (t) {
            case I32 -> Integer.toString((int) bits);
            case I64 -> Long.toString(bits);
            case F32 -> FloatText.f32((int) bits);
            case F64 -> FloatText.f64(bits);
            case V128 -> "i64x2 " + bits + " " + high;
            case EXNREF -> throw new IllegalStateException("ref.null exn is no number");
        } + ")";
    }

    /** A shuffle's 16 lane indices, as the text format writes them. */
    static String shuffleLanes(long low, long high) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 16; k++) sb.append(' ').append((k < 8 ? low >>> (8 * k) : high >>> (8 * (k - 8))) & 0xFF);
        return sb.toString();
    }

    private String blockType(FuncSig s) {
        return s.inline() ? sig(s) : " (type " + types.indexOf(s) + ")" + sig(s);
    }

    private final class FunctionPrinter {
        private final int index;
        private final FuzzFunction fn;

        FunctionPrinter(int index, FuzzFunction fn) {
            this.index = index;
            this.fn = fn;
        }

        String print() {
            StringBuilder sb = new StringBuilder("  (func $f").append(index).append(" (type ").append(fn.typeIndex()).append(')')
                    .append(sig(fn.sig())).append('\n');
            if (!fn.locals().isEmpty()) sb.append("    (local ").append(names(fn.locals())).append(")\n");
            for (String item : body(fn.body())) sb.append(indent(item, "    ")).append('\n');
            return sb.append("  )\n").toString();
        }

        private List<String> body(Body b) {
            List<String> out = new ArrayList<>();
            for (Expr s : b.statements()) out.addAll(items(s));
            if (b.spill() != null) for (int i = b.spill().size() - 1; i >= 0; i--) out.add("(local.set " + b.spill().get(i) + ")");
            for (Expr r : b.results()) out.addAll(items(r));
            return out;
        }

        private List<String> all(List<Expr> es) {
            List<String> out = new ArrayList<>();
            for (Expr e : es) out.addAll(items(e));
            return out;
        }

        /** Folded instructions for {@code e}: usually one, more when a block takes inputs or a multi-value is dropped. */
        private List<String> items(Expr e) {
            return switch (e) {
                case Const c -> List.of(constant(c.type(), c.bits(), c.high()));
                case Simd s -> List.of(node(s.op().wat() + (s.op().isShuffle() ? shuffleLanes(s.imm(), s.imm2())
                        : s.op().lanes() > 0 ? " " + s.imm() : ""), all(s.operands())));
                case LoadLane l -> List.of(node(l.op().wat + memory(l.memory()) + laneMemarg(l.op(), l.alignLog2(), l.offset()) + " " + l.lane(),
                        all(List.of(l.address(), l.vector()))));
                case StoreLane s -> List.of(node(s.op().wat + memory(s.memory()) + laneMemarg(s.op(), s.alignLog2(), s.offset()) + " " + s.lane(),
                        all(List.of(s.address(), s.vector()))));
                case VCanon c -> {
                    int s = fn.scratchV128();
                    boolean f64 = c.laneBits() == 64;
                    String quiet = constant(NumType.V128, f64 ? NumType.F64.quietBit() : NumType.F32.quietBit() * 0x1_0000_0001L,
                            f64 ? NumType.F64.quietBit() : NumType.F32.quietBit() * 0x1_0000_0001L);
                    String canonical = lanes(f64 ? NumType.F64.canonicalNaN() : NumType.F32.canonicalNaN(), f64);
                    String marker = lanes(f64 ? NumType.F64.signallingMarker() : NumType.F32.signallingMarker(), f64);
                    String quietLanes = "(" + (f64 ? "i64x2" : "i32x4") + ".ne (v128.and " + node("local.tee " + s, items(c.value()))
                            + " " + quiet + ") " + constant(NumType.V128, 0, 0) + ")";
                    List<String> parts = new ArrayList<>();
                    parts.add("(v128.bitselect " + canonical + " " + marker + " " + quietLanes + ")");
                    parts.add("(local.get " + s + ")");
                    parts.add("(" + (f64 ? "f64x2" : "f32x4") + ".ne (local.get " + s + ") (local.get " + s + "))");
                    yield List.of(node("v128.bitselect", parts) + "  ;; NaN lanes made canonical (quiet) or the marker (signalling)");
                }
                case LocalGet g -> List.of("(local.get " + g.index() + ")");
                case LocalSet s -> List.of(node("local.set " + s.index(), items(s.value())));
                case LocalTee t -> List.of(node("local.tee " + t.index(), items(t.value())));
                case GlobalGet g -> List.of("(global.get " + g.index() + ")");
                case GlobalSet s -> List.of(node("global.set " + s.index(), items(s.value())));
                case Numeric n -> List.of(node(n.op().wat, all(n.operands())));
                case Load l -> List.of(node(l.op().wat + memory(l.memory()) + memarg(l.op(), l.alignLog2(), l.offset()), items(l.address())));
                case Store s -> List.of(node(s.op().wat + memory(s.memory()) + memarg(s.op(), s.alignLog2(), s.offset()),
                        all(List.of(s.address(), s.value()))));
                case MemorySize m -> List.of("(memory.size" + memory(m.memory()) + ")");
                case MemoryGrow g -> List.of(node("memory.grow" + memory(g.memory()), items(g.delta())));
                case MemoryFill f -> List.of(node("memory.fill" + memory(f.memory()), all(List.of(f.dest(), f.value(), f.length()))));
                case MemoryCopy c -> List.of(node(c.destMemory() == 0 && c.sourceMemory() == 0 ? "memory.copy"
                        : "memory.copy " + c.destMemory() + " " + c.sourceMemory(), all(List.of(c.dest(), c.source(), c.length()))));
                case MemoryInit i -> List.of(node("memory.init " + (i.memory() == 0 ? "" : i.memory() + " ") + i.segment(),
                        all(List.of(i.dest(), i.source(), i.length()))));
                case DataDrop d -> List.of("(data.drop " + d.segment() + ")");
                case Select s -> List.of(node(s.typed() ? "select (result " + s.types().get(0).wat + ")" : "select",
                        all(List.of(s.first(), s.second(), s.condition()))));
                case Drop d -> {
                    int n = d.value().types().size();
                    if (n == 1) yield List.of(node("drop", items(d.value())));
                    List<String> out = new ArrayList<>(items(d.value()));
                    for (int i = 0; i < n; i++) out.add("(drop)");
                    yield out;
                }
                case Nop n -> List.of("(nop)");
                case Unreachable u -> List.of("(unreachable)");
                case Block b -> {
                    List<String> out = new ArrayList<>(all(b.inputs()));
                    out.add(block("block " + b.label().name() + blockType(b.sig()), body(b.body())));
                    yield out;
                }
                case Loop l -> {
                    List<String> out = new ArrayList<>(all(l.inputs()));
                    out.add("(local.set " + l.label().counterLocal() + " (i32.const " + l.trips() + "))  ;; trips of " + l.label().name());
                    out.add(block("loop " + l.label().name() + blockType(l.sig()), body(l.body())));
                    yield out;
                }
                case If i -> {
                    List<String> out = new ArrayList<>(all(i.inputs()));
                    List<String> condition = items(i.condition());
                    List<String> parts = new ArrayList<>();
                    // wat2wasm takes one folded instruction as an if's condition; more go before the if
                    if (condition.size() == 1) parts.addAll(condition);
                    else out.addAll(condition);
                    parts.add(block("then", body(i.then())));
                    if (!BinaryEncoder.isEmpty(i.otherwise())) parts.add(block("else", body(i.otherwise())));
                    out.add(block("if " + i.label().name() + blockType(i.sig()), parts));
                    yield out;
                }
                case Br b -> List.of(node("br " + b.target().name(), all(b.values())));
                case BrIf b -> {
                    List<String> parts = all(b.values());
                    parts.addAll(items(b.condition()));
                    yield List.of(node("br_if " + b.target().name(), parts));
                }
                case BrTable b -> {
                    String labels = b.targets().stream().map(Label::name).collect(Collectors.joining(" "));
                    List<String> parts = all(b.values());
                    parts.addAll(items(b.index()));
                    yield List.of(node(("br_table " + labels + " " + b.defaultTarget().name()).replace("  ", " "), parts));
                }
                case BackEdge b -> {
                    int c = b.loop().counterLocal();
                    List<String> parts = all(b.values());
                    parts.add("(i32.gt_s (local.tee " + c + " (i32.sub (local.get " + c + ") (i32.const 1))) (i32.const 0))");
                    yield List.of(node("br_if " + b.loop().name(), parts));
                }
                case Return r -> List.of(node("return", all(r.values())));
                case Call c -> List.of(node("call $f" + c.function(), all(c.args())));
                case CallIndirect c -> {
                    List<String> parts = all(c.args());
                    parts.addAll(items(c.index()));
                    yield List.of(node("call_indirect (type " + c.typeIndex() + ")", parts));
                }
                case CallRef c -> {
                    List<String> parts = all(c.args());
                    parts.add("(ref.func $f" + c.function() + ")");
                    yield List.of(node("call_ref " + c.typeIndex(), parts));
                }
                case TailCall c -> {
                    List<String> parts = all(c.args());
                    yield switch (c.kind()) {
                        case DIRECT -> List.of(node("return_call $f" + c.function(), parts));
                        case INDIRECT -> {
                            parts.addAll(items(c.index()));
                            yield List.of(node("return_call_indirect (type " + c.typeIndex() + ")", parts));
                        }
                        case REF -> {
                            parts.add("(ref.func $f" + c.function() + ")");
                            yield List.of(node("return_call_ref " + c.typeIndex(), parts));
                        }
                    };
                }
                case FuelGuard g -> {
                    int f = g.fuelGlobal();
                    List<String> parts = new ArrayList<>();
                    parts.add("(i32.gt_s (global.get " + f + ") (i32.const 0))");
                    List<String> then = new ArrayList<>();
                    then.add("(global.set " + f + " (i32.sub (global.get " + f + ") (i32.const 1)))");
                    then.addAll(items(g.call()));
                    parts.add(block("then", then));
                    if (!g.types().isEmpty()) parts.add(block("else", g.types().stream().map(t -> constant(t, 0)).toList()));
                    yield List.of(block("if" + blockType(TypeTable.blockSig(g)) + "  ;; fuel guard", parts));
                }
                case Throw t -> List.of(node("throw $t" + t.tag(), all(t.args())));
                case ThrowRef t -> List.of(node("throw_ref", items(t.exception())));
                case GcNew g -> {
                    String make = switch (g.shape()) {
                        case STRUCT, SUBSTRUCT -> "struct.new " + g.shape().wat;
                        case LONGS, BYTES -> "array.new " + g.shape().wat;
                        case I31 -> "ref.i31";
                    };
                    yield List.of(node("array.set $gcSlotsT", List.of("(global.get $gcSlots)", "(i32.const " + g.slot() + ")", node(make, all(g.values())))));
                }
                case GcRead g -> {
                    List<String> parts = new ArrayList<>(List.of(gcSlot(g.shape(), g.slot())));
                    parts.addAll(all(g.index()));
                    yield List.of(node(GcSlots.readWat(g.shape(), g.op()), parts));
                }
                case GcWrite g -> {
                    List<String> parts = new ArrayList<>(List.of(gcSlot(g.shape(), g.slot())));
                    parts.addAll(items(g.operands().get(0)));
                    if (g.shape().isArray() && g.op() == 2) parts.add(gcSlot(g.shape(), g.source()));
                    parts.addAll(all(g.operands().subList(1, g.operands().size())));
                    yield List.of(node(GcSlots.writeWat(g.shape(), g.op()), parts));
                }
                case GcTest g -> {
                    String test = "(ref.test (ref " + GcSlots.TESTED_WAT[0] + ") " + gcSlotValue(g.slot()) + ")";
                    for (int b = 1; b < GcSlots.TESTED.length; b++) {
                        test = "(i32.or " + test + " (i32.shl (ref.test (ref " + GcSlots.TESTED_WAT[b] + ") " + gcSlotValue(g.slot()) + ") (i32.const " + b + ")))";
                    }
                    yield List.of(test);
                }
                case TryTable t -> tryTable(t);
                case Canon c -> {
                    NumType t = c.types().get(0);
                    int s = t == NumType.F32 ? fn.scratchF32() : fn.scratchF64();
                    List<String> parts = new ArrayList<>();
                    parts.add(node("local.tee " + s, items(c.value())));
                    String quiet = t == NumType.F32
                            ? "(i32.and (i32.reinterpret_f32 (local.get " + s + ")) (i32.const " + t.quietBit() + "))"
                            : "(i64.ne (i64.and (i64.reinterpret_f64 (local.get " + s + ")) (i64.const " + t.quietBit() + ")) (i64.const 0))";
                    parts.add("(select " + constant(t, t.canonicalNaN()) + " " + constant(t, t.signallingMarker()) + " " + quiet + ")");
                    parts.add("(" + t.wat + ".eq (local.get " + s + ") (local.get " + s + "))");
                    yield List.of(node("select", parts) + "  ;; NaN made canonical (quiet) or the marker (signalling)");
                }
            };
        }

        /** A try_table in its frame of landing blocks (see {@link TryTable}). */
        private List<String> tryTable(TryTable t) {
            StringBuilder head = new StringBuilder("try_table ").append(t.label().name()).append(blockType(t.sig()));
            for (Clause c : t.clauses()) {
                head.append(" (").append(c.kind().wat).append(c.kind().hasTag() ? " $t" + c.tag() : "").append(' ').append(c.target().name()).append(')');
            }
            List<String> seq = new ArrayList<>(all(t.inputs()));
            seq.add(block(head.toString(), body(t.body())));
            List<Clause> handled = t.handled();
            if (handled.isEmpty()) return seq;
            for (Clause c : handled) {
                List<String> inner = new ArrayList<>(seq);
                inner.add("(br " + t.done().name() + ")");
                seq = new ArrayList<>();
                seq.add(block("block " + c.target().name() + blockType(new FuncSig(List.of(), c.target().types())) + "  ;; " + c.kind().wat
                        + " lands here", inner));
                seq.addAll(body(c.handler()));
            }
            return List.of(block("block " + t.done().name() + blockType(new FuncSig(List.of(), t.sig().results())), seq));
        }
    }

    /** {@code value} in every lane (32-bit lanes unless {@code f64}). */
    private static String lanes(long value, boolean f64) {
        long half = f64 ? value : (value & 0xFFFF_FFFFL) * 0x1_0000_0001L;
        return constant(NumType.V128, half, half);
    }

    /** The memory index after an instruction's name: none for memory 0. */
    private static String memory(int memory) {
        return memory == 0 ? "" : " " + memory;
    }

    private static String laneMemarg(LaneOp op, int alignLog2, long offset) {
        String s = offset != 0 ? " offset=" + Long.toUnsignedString(offset) : ""; // a u64 (64-bit memories)
        return alignLog2 != op.maxAlignLog2() ? s + " align=" + (1 << alignLog2) : s;
    }

    private static String memarg(MemOp op, int alignLog2, long offset) {
        String s = offset != 0 ? " offset=" + Long.toUnsignedString(offset) : ""; // a u64 (64-bit memories)
        return alignLog2 != op.maxAlignLog2() ? s + " align=" + (1 << alignLog2) : s;
    }

    /** {@code (head child...)} on one line when short, else one child per line. */
    /** GC slot {@code slot}'s anyref. */
    private static String gcSlotValue(int slot) {
        return "(array.get $gcSlotsT (global.get $gcSlots) (i32.const " + slot + "))";
    }

    /** GC slot {@code slot}'s value cast to {@code s}. */
    private static String gcSlot(GcSlots.Shape s, int slot) {
        return "(ref.cast (ref " + s.wat + ") " + gcSlotValue(slot) + ")";
    }

    private static String node(String head, List<String> children) {
        String one = "(" + head + (children.isEmpty() ? "" : " " + String.join(" ", children)) + ")";
        if (one.length() <= LINE && !one.contains("\n") && !one.contains(";;")) return one;
        return block(head, children);
    }

    private static String block(String head, List<String> children) {
        StringBuilder sb = new StringBuilder("(").append(head);
        for (String c : children) sb.append('\n').append(indent(c, "  "));
        return sb.append("\n)").toString();
    }

    private static String indent(String s, String by) {
        return by + s.replace("\n", "\n" + by);
    }
}
