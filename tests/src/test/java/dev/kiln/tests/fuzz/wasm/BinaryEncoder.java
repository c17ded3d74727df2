package dev.kiln.tests.fuzz.wasm;

import dev.kiln.tests.fuzz.wasm.Expr.*;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** Writes a {@link FuzzModule} as a WebAssembly binary (the same bytes wat2wasm makes of {@link WatPrinter}'s text). */
public final class BinaryEncoder {
    /** Stands for the if a {@link FuelGuard} opens, so branch depths inside it count one more level. */
    private static final Label GUARD = new Label(-1, Label.Kind.IF, List.of(), -1);
    private final FuzzModule module;
    private final TypeTable types;

    private BinaryEncoder(FuzzModule module) {
        this.module = module;
        this.types = TypeTable.of(module);
    }

    public static byte[] encode(FuzzModule m) {
        return new BinaryEncoder(m).module();
    }

    private byte[] module() {
        WasmBytes w = new WasmBytes().raw(new byte[] {0x00, 0x61, 0x73, 0x6D, 0x01, 0x00, 0x00, 0x00});
        WasmBytes t = new WasmBytes().u32(types.types().size() + (module.usesGc() ? GcSlots.TYPE_COUNT : 0));
        for (FuncSig s : types.types()) {
            t.byte_(0x60).u32(s.params().size());
            for (NumType p : s.params()) t.byte_(p.code);
            t.u32(s.results().size());
            for (NumType r : s.results()) t.byte_(r.code);
        }
        if (module.usesGc()) GcSlots.binaryTypes(t, types.types().size());
        w.section(1, t);
        if (!module.functions().isEmpty()) {
            WasmBytes f = new WasmBytes().u32(module.functions().size());
            for (FuzzFunction fn : module.functions()) f.u32(fn.typeIndex());
            w.section(3, f);
        }
        if (module.table() != null) {
            int n = module.table().size();
            w.section(4, new WasmBytes().u32(1).byte_(0x70).byte_(0x01).u32(n).u32(n));
        }
        if (module.memory() != null) {
            MemoryDef ms = module.memory();
            WasmBytes mem = new WasmBytes().u32(ms.count());
            for (int i = 0; i < ms.count(); i++) mem.byte_(ms.is64(i) ? 0x05 : 0x01).u32(ms.minPages(i)).u32(ms.maxPages(i));
            w.section(5, mem);
        }
        if (!module.tags().isEmpty()) {
            WasmBytes tags = new WasmBytes().u32(module.tags().size());
            for (int type : module.tags()) tags.byte_(0x00).u32(type);
            w.section(13, tags);
        }
        if (!module.globals().isEmpty() || module.usesGc()) {
            WasmBytes g = new WasmBytes().u32(module.globals().size() + (module.usesGc() ? 1 : 0));
            for (GlobalDef d : module.globals()) {
                g.byte_(d.type().code).byte_(d.mutable() ? 1 : 0);
                constant(g, d.type(), d.init(), d.initHigh());
                g.byte_(0x0B);
            }
            if (module.usesGc()) GcSlots.binaryGlobal(g, types.types().size());
            w.section(6, g);
        }
        exports(w);
        elements(w);
        if (usesDataIndices()) w.section(12, new WasmBytes().u32(module.memory().data().size()));
        if (!module.functions().isEmpty()) {
            WasmBytes c = new WasmBytes().u32(module.functions().size());
            for (FuzzFunction fn : module.functions()) c.sized(new FunctionWriter(fn).write());
            w.section(10, c);
        }
        if (module.memory() != null && !module.memory().data().isEmpty()) {
            WasmBytes d = new WasmBytes().u32(module.memory().data().size());
            for (MemoryDef.DataSegment s : module.memory().data()) {
                if (s.passive()) d.byte_(0x01);
                else d.byte_(0x00).byte_(module.memory().is64() ? 0x42 : 0x41).sleb(s.offset()).byte_(0x0B);
                d.u32(s.bytes().length).raw(s.bytes());
            }
            w.section(11, d);
        }
        return w.toByteArray();
    }

    /** Whether code names data segments (then a data count section comes before the code, as wat2wasm writes it). */
    private boolean usesDataIndices() {
        boolean[] uses = {false};
        for (FuzzFunction f : module.functions()) {
            ExprTree.forEach(f.body(), e -> uses[0] |= e instanceof MemoryInit || e instanceof DataDrop);
        }
        return uses[0];
    }

    private void exports(WasmBytes w) {
        int n = module.exportedFunctions().size() + module.exportedGlobals().size() + (module.exportMemory() ? 1 : 0) + module.tags().size();
        if (n == 0) return;
        WasmBytes e = new WasmBytes().u32(n);
        for (int f : module.exportedFunctions()) e.name(FuzzModule.functionExport(f)).byte_(0x00).u32(f);
        for (int g : module.exportedGlobals()) e.name(FuzzModule.globalExport(g)).byte_(0x03).u32(g);
        if (module.exportMemory()) e.name(FuzzModule.MEMORY_EXPORT).byte_(0x02).u32(0);
        for (int t = 0; t < module.tags().size(); t++) e.name(FuzzModule.tagExport(t)).byte_(0x04).u32(t);
        w.section(7, e);
    }

    /**
     * One active segment (flags 0) per run of non-null slots, then a declarative one (flags 3) of the
     * functions {@code ref.func} names, when there are any.
     */
    private void elements(WasmBytes w) {
        List<TableRuns.Run> runs = module.table() == null ? List.of() : TableRuns.of(module.table());
        List<Integer> declared = module.referencedFunctions();
        if (runs.isEmpty() && declared.isEmpty()) return;
        WasmBytes e = new WasmBytes().u32(runs.size() + (declared.isEmpty() ? 0 : 1));
        for (TableRuns.Run r : runs) {
            e.byte_(0x00).byte_(0x41).sleb(r.offset()).byte_(0x0B).u32(r.functions().size());
            for (int f : r.functions()) e.u32(f);
        }
        if (!declared.isEmpty()) {
            e.byte_(0x03).byte_(0x00).u32(declared.size());
            for (int f : declared) e.u32(f);
        }
        w.section(9, e);
    }

    private static void constant(WasmBytes w, NumType t, long bits) {
        constant(w, t, bits, 0);
    }

    private static void constant(WasmBytes w, NumType t, long bits, long high) {
        switch (t) {
            case I32 -> w.byte_(0x41).sleb((int) bits);
            case I64 -> w.byte_(0x42).sleb(bits);
            case F32 -> w.byte_(0x43).fixed(bits, 4);
            case F64 -> w.byte_(0x44).fixed(bits, 8);
            case V128 -> w.byte_(0xFD).u32(0x0C).fixed(bits, 8).fixed(high, 8);
            case EXNREF -> w.byte_(0xD0).byte_(0x69); // ref.null exn
        }
    }

    /** Writes one function body; tracks enclosing labels to turn them into branch depths. */
    private final class FunctionWriter {
        private final FuzzFunction fn;
        private final WasmBytes w = new WasmBytes();
        private final Deque<Label> labels = new ArrayDeque<>();

        FunctionWriter(FuzzFunction fn) {
            this.fn = fn;
        }

        WasmBytes write() {
            List<NumType> locals = fn.locals();
            int groups = 0;
            for (int i = 0; i < locals.size(); i++) if (i == 0 || locals.get(i) != locals.get(i - 1)) groups++;
            w.u32(groups);
            for (int i = 0; i < locals.size(); ) {
                int j = i;
                while (j < locals.size() && locals.get(j) == locals.get(i)) j++;
                w.u32(j - i).byte_(locals.get(i).code);
                i = j;
            }
            body(fn.body());
            w.byte_(0x0B);
            return w;
        }

        private void body(Body b) {
            for (Expr s : b.statements()) expr(s);
            if (b.spill() != null) for (int i = b.spill().size() - 1; i >= 0; i--) w.byte_(0x21).u32(b.spill().get(i));
            for (Expr r : b.results()) expr(r);
        }

        private void all(List<Expr> es) {
            for (Expr e : es) expr(e);
        }

        private int depth(Label l) {
            int d = 0;
            for (Label x : labels) {
                if (x.equals(l)) return d;
                d++;
            }
            throw new IllegalStateException("branch to " + l.name() + " outside its block");
        }

        private void blockType(FuncSig s) {
            if (!s.inline()) w.sleb(types.indexOf(s));
            else if (s.results().isEmpty()) w.byte_(0x40);
            else w.byte_(s.results().get(0).code);
        }

        private void enter(int opcode, Label l, FuncSig s) {
            w.byte_(opcode);
            blockType(s);
            labels.push(l);
        }

        private void exit() {
            labels.pop();
            w.byte_(0x0B);
        }

        private void expr(Expr e) {
            switch (e) {
                case Const c -> constant(w, c.type(), c.bits(), c.high());
                case Simd s -> {
                    all(s.operands());
                    w.byte_(0xFD).u32(s.op().opcode().code);
                    if (s.op().isShuffle()) w.fixed(s.imm(), 8).fixed(s.imm2(), 8);
                    else if (s.op().lanes() > 0) w.byte_((int) s.imm());
                }
                case LoadLane l -> {
                    all(List.of(l.address(), l.vector()));
                    opcode(l.op().opcode);
                    memarg(l.alignLog2(), l.offset(), l.memory());
                    w.byte_(l.lane());
                }
                case StoreLane s -> {
                    all(List.of(s.address(), s.vector()));
                    opcode(s.op().opcode);
                    memarg(s.alignLog2(), s.offset(), s.memory());
                    w.byte_(s.lane());
                }
                case VCanon c -> {
                    int s = fn.scratchV128();
                    boolean f64 = c.laneBits() == 64;
                    NumType lane = f64 ? NumType.F64 : NumType.F32;
                    long quiet = f64 ? lane.quietBit() : lane.quietBit() * 0x1_0000_0001L;
                    long canonical = f64 ? lane.canonicalNaN() : lane.canonicalNaN() * 0x1_0000_0001L;
                    long marker = f64 ? lane.signallingMarker() : lane.signallingMarker() * 0x1_0000_0001L;
                    constant(w, NumType.V128, canonical, canonical);
                    constant(w, NumType.V128, marker, marker);
                    expr(c.value());
                    w.byte_(0x22).u32(s);
                    constant(w, NumType.V128, quiet, quiet);
                    w.byte_(0xFD).u32(0x4E);                                  // v128.and
                    constant(w, NumType.V128, 0, 0);
                    w.byte_(0xFD).u32(f64 ? 0xD7 : 0x38);                     // i64x2.ne / i32x4.ne
                    w.byte_(0xFD).u32(0x52);                                  // v128.bitselect
                    w.byte_(0x20).u32(s);
                    w.byte_(0x20).u32(s).byte_(0x20).u32(s);
                    w.byte_(0xFD).u32(f64 ? 0x48 : 0x42);                     // f64x2.ne / f32x4.ne
                    w.byte_(0xFD).u32(0x52);
                }
                case LocalGet g -> w.byte_(0x20).u32(g.index());
                case LocalSet s -> {
                    expr(s.value());
                    w.byte_(0x21).u32(s.index());
                }
                case LocalTee t -> {
                    expr(t.value());
                    w.byte_(0x22).u32(t.index());
                }
                case GlobalGet g -> w.byte_(0x23).u32(g.index());
                case GlobalSet s -> {
                    expr(s.value());
                    w.byte_(0x24).u32(s.index());
                }
                case Numeric n -> {
                    all(n.operands());
                    opcode(n.op().opcode);
                }
                case Load l -> {
                    expr(l.address());
                    opcode(l.op().opcode);
                    memarg(l.alignLog2(), l.offset(), l.memory());
                }
                case Store s -> {
                    expr(s.address());
                    expr(s.value());
                    opcode(s.op().opcode);
                    memarg(s.alignLog2(), s.offset(), s.memory());
                }
                case MemorySize m -> w.byte_(0x3F).u32(m.memory());
                case MemoryGrow g -> {
                    expr(g.delta());
                    w.byte_(0x40).u32(g.memory());
                }
                case MemoryFill f -> {
                    all(List.of(f.dest(), f.value(), f.length()));
                    w.byte_(0xFC).u32(11).u32(f.memory());
                }
                case MemoryCopy c -> {
                    all(List.of(c.dest(), c.source(), c.length()));
                    w.byte_(0xFC).u32(10).u32(c.destMemory()).u32(c.sourceMemory());
                }
                case MemoryInit i -> {
                    all(List.of(i.dest(), i.source(), i.length()));
                    w.byte_(0xFC).u32(8).u32(i.segment()).u32(i.memory());
                }
                case DataDrop d -> w.byte_(0xFC).u32(9).u32(d.segment());
                case Select s -> {
                    all(List.of(s.first(), s.second(), s.condition()));
                    if (s.typed()) w.byte_(0x1C).u32(1).byte_(s.types().get(0).code);
                    else w.byte_(0x1B);
                }
                case Drop d -> {
                    expr(d.value());
                    for (int i = 0; i < d.value().types().size(); i++) w.byte_(0x1A);
                }
                case Nop n -> w.byte_(0x01);
                case Unreachable u -> w.byte_(0x00);
                case Block b -> {
                    all(b.inputs());
                    enter(0x02, b.label(), b.sig());
                    body(b.body());
                    exit();
                }
                case Loop l -> {
                    all(l.inputs());
                    w.byte_(0x41).sleb(l.trips()).byte_(0x21).u32(l.label().counterLocal());
                    enter(0x03, l.label(), l.sig());
                    body(l.body());
                    exit();
                }
                case If i -> {
                    all(i.inputs());
                    expr(i.condition());
                    enter(0x04, i.label(), i.sig());
                    body(i.then());
                    if (!isEmpty(i.otherwise())) {
                        w.byte_(0x05);
                        body(i.otherwise());
                    }
                    exit();
                }
                case Br b -> {
                    all(b.values());
                    w.byte_(0x0C).u32(depth(b.target()));
                }
                case BrIf b -> {
                    all(b.values());
                    expr(b.condition());
                    w.byte_(0x0D).u32(depth(b.target()));
                }
                case BrTable b -> {
                    all(b.values());
                    expr(b.index());
                    w.byte_(0x0E).u32(b.targets().size());
                    for (Label l : b.targets()) w.u32(depth(l));
                    w.u32(depth(b.defaultTarget()));
                }
                case BackEdge b -> {
                    all(b.values());
                    int c = b.loop().counterLocal();
                    w.byte_(0x20).u32(c).byte_(0x41).sleb(1).byte_(0x6B).byte_(0x22).u32(c);
                    w.byte_(0x41).sleb(0).byte_(0x4A).byte_(0x0D).u32(depth(b.loop()));
                }
                case Return r -> {
                    all(r.values());
                    w.byte_(0x0F);
                }
                case Call c -> {
                    all(c.args());
                    w.byte_(0x10).u32(c.function());
                }
                case CallIndirect c -> {
                    all(c.args());
                    expr(c.index());
                    w.byte_(0x11).u32(c.typeIndex()).u32(0);
                }
                case CallRef c -> {
                    all(c.args());
                    w.byte_(0xD2).u32(c.function()).byte_(0x14).u32(c.typeIndex());
                }
                case TailCall c -> {
                    all(c.args());
                    switch (c.kind()) {
                        case DIRECT -> w.byte_(0x12).u32(c.function());
                        case INDIRECT -> {
                            expr(c.index());
                            w.byte_(0x13).u32(c.typeIndex()).u32(0);
                        }
                        case REF -> w.byte_(0xD2).u32(c.function()).byte_(0x15).u32(c.typeIndex());
                    }
                }
                case FuelGuard g -> {
                    int fuel = g.fuelGlobal();
                    w.byte_(0x23).u32(fuel).byte_(0x41).sleb(0).byte_(0x4A);
                    enter(0x04, GUARD, TypeTable.blockSig(g));
                    w.byte_(0x23).u32(fuel).byte_(0x41).sleb(1).byte_(0x6B).byte_(0x24).u32(fuel);
                    expr(g.call());
                    if (!g.types().isEmpty()) w.byte_(0x05);
                    for (NumType t : g.types()) constant(w, t, 0);
                    exit();
                }
                case Throw t -> {
                    all(t.args());
                    w.byte_(0x08).u32(t.tag());
                }
                case ThrowRef t -> {
                    expr(t.exception());
                    w.byte_(0x0A);
                }
                case TryTable t -> tryTable(t);
                case GcNew g -> {
                    slots();
                    w.byte_(0x41).sleb(g.slot());
                    all(g.values());
                    switch (g.shape()) {
                        case STRUCT, SUBSTRUCT -> w.byte_(0xFB).u32(0x00).u32(gcType(g.shape()));
                        case LONGS, BYTES -> w.byte_(0xFB).u32(0x06).u32(gcType(g.shape()));
                        case I31 -> w.byte_(0xFB).u32(0x1C);
                    }
                    w.byte_(0xFB).u32(0x0E).u32(gcBase() + GcSlots.SLOTS_TYPE);
                }
                case GcRead g -> {
                    slot(g.shape(), g.slot());
                    all(g.index());
                    w.byte_(0xFB).u32(GcSlots.readOpcode(g.shape(), g.op()));
                    if (g.shape().isStruct()) w.u32(gcType(g.shape())).u32(g.op());
                    else if (GcSlots.readsElement(g.shape(), g.op())) w.u32(gcType(g.shape()));
                }
                case GcWrite g -> {
                    slot(g.shape(), g.slot());
                    boolean copy = g.shape().isArray() && g.op() == 2;
                    expr(g.operands().get(0));
                    if (copy) slot(g.shape(), g.source());
                    all(g.operands().subList(1, g.operands().size()));
                    w.byte_(0xFB).u32(GcSlots.writeOpcode(g.shape(), g.op())).u32(gcType(g.shape()));
                    if (g.shape().isStruct() || copy) w.u32(g.shape().isStruct() ? g.op() : gcType(g.shape()));
                }
                case GcTest g -> {
                    for (int b = 0; b < GcSlots.TESTED.length; b++) {
                        slotValue(g.slot());
                        w.byte_(0xFB).u32(0x14);
                        if (b < GcSlots.SLOTS_TYPE) w.sleb(gcBase() + GcSlots.TESTED[b]);
                        else w.byte_(GcSlots.TESTED[b]);
                        if (b > 0) w.byte_(0x41).sleb(b).byte_(0x74).byte_(0x72);
                    }
                }
                case Canon c -> {
                    NumType t = c.types().get(0);
                    int s = t == NumType.F32 ? fn.scratchF32() : fn.scratchF64();
                    expr(c.value());
                    w.byte_(0x22).u32(s);
                    constant(w, t, t.canonicalNaN());
                    constant(w, t, t.signallingMarker());
                    if (t == NumType.F32) w.byte_(0x20).u32(s).byte_(0xBC).byte_(0x41).sleb(t.quietBit()).byte_(0x71);
                    else w.byte_(0x20).u32(s).byte_(0xBD).byte_(0x42).sleb(t.quietBit()).byte_(0x83).byte_(0x42).sleb(0).byte_(0x52);
                    w.byte_(0x1B);
                    w.byte_(0x20).u32(s).byte_(0x20).u32(s).byte_(t == NumType.F32 ? 0x5B : 0x61).byte_(0x1B);
                }
            }
        }

        private int gcBase() {
            return types.types().size();
        }

        private int gcType(GcSlots.Shape s) {
            return gcBase() + s.typeOffset();
        }

        /** The GC slot array (the global after the module's own). */
        private void slots() {
            w.byte_(0x23).u32(module.globals().size());
        }

        /** GC slot {@code slot}'s anyref. */
        private void slotValue(int slot) {
            slots();
            w.byte_(0x41).sleb(slot).byte_(0xFB).u32(0x0B).u32(gcBase() + GcSlots.SLOTS_TYPE);
        }

        /** GC slot {@code slot}'s value cast to {@code s} (ref.cast; a null or another kind traps). */
        private void slot(GcSlots.Shape s, int slot) {
            slotValue(slot);
            w.byte_(0xFB).u32(0x16);
            if (s == GcSlots.Shape.I31) w.byte_(0x6C);
            else w.sleb(gcType(s));
        }

        /** A try_table in its frame: the frame and landing blocks (outermost first), the try_table, then each handler after its landing block ends. */
        private void tryTable(TryTable t) {
            List<Clause> handled = t.handled();
            if (!handled.isEmpty()) enter(0x02, t.done(), new FuncSig(List.of(), t.sig().results()));
            for (int j = handled.size() - 1; j >= 0; j--) enter(0x02, handled.get(j).target(), new FuncSig(List.of(), handled.get(j).target().types()));
            all(t.inputs());
            w.byte_(0x1F);
            blockType(t.sig());
            w.u32(t.clauses().size());
            for (Clause c : t.clauses()) {
                w.byte_(c.kind().code);
                if (c.kind().hasTag()) w.u32(c.tag());
                w.u32(depth(c.target())); // outside the try_table's own label
            }
            labels.push(t.label());
            body(t.body());
            exit();
            for (Clause c : handled) {
                w.byte_(0x0C).u32(depth(t.done()));
                exit();
                body(c.handler());
            }
            if (!handled.isEmpty()) exit();
        }

        /** A memarg: the alignment exponent, with bit 6 set and the memory index after it for a memory other than 0, then the offset. */
        private void memarg(int alignLog2, long offset, int memory) {
            if (memory == 0) w.u32(alignLog2);
            else w.u32(alignLog2 | 0x40).u32(memory);
            w.u64(offset);
        }

        private void opcode(int op) {
            if (op > 0xFF) w.byte_(op >>> 8).u32(op & 0xFF);
            else w.byte_(op);
        }
    }

    /** Whether a body has no instructions at all (an if's else arm is then left out). */
    static boolean isEmpty(Body b) {
        return b.statements().isEmpty() && b.results().isEmpty() && (b.spill() == null || b.spill().isEmpty());
    }
}
