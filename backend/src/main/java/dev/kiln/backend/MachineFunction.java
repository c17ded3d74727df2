package dev.kiln.backend;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.CallSignatures;
import dev.kiln.ir.Edge;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.InlineSites;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.NativeSupport;
import dev.kiln.ir.Terminator;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.code.TrapSite;
import dev.kiln.regalloc.Allocation;
import dev.kiln.regalloc.LinearOrder;
import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.regalloc.Location;
import dev.kiln.regalloc.LoweringFacts;
import dev.kiln.regalloc.ParallelMoves;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One allocated IR function being lowered to machine code: the part of a native backend that does
 * not depend on the instruction set (after wazero's {@code backend.Machine} and Cranelift's
 * {@code machinst}, without their code). It drives the lowering (prologue, blocks in layout order
 * with their loop-header and fuel checks, instructions, terminators, epilogue, out-of-line stubs),
 * sequences the parallel moves of edges and calls, keeps the trap sites, and lowers calls and tail
 * calls of the internal calling convention as one sequence of steps each; a subclass supplies the
 * instructions of each step for its ISA ({@code L} is its label type).
 *
 * <p>A call: find the callee ({@link #loadDescriptor}), stage the stack arguments
 * ({@link #storeStackArgument}) and the register arguments (a parallel move), call, record the call
 * site, re-reserve the outgoing area the callee popped, and after a call that may have entered
 * another instance restore the pinned registers and check for a trap the runtime recorded; then
 * take the results. A tail call stages the same way, then replaces the frame
 * ({@link #replaceFrame}) and jumps, leaving an instance-return record when it enters another
 * instance (docs/design-changes.md, "Tail calls").
 */
public abstract class MachineFunction<L> {
    public final Module module;
    public final SymbolNames symbols;
    public final IrFunction f;
    public final Allocation alloc;
    /** Constants, use counts, loop headers, blocks without code: what lowering needs to know. */
    public final LoweringFacts facts;
    /** The loop headers that check for interruption ({@link InterruptChecks}). */
    private final BitSet interruptHeaders;
    /** The block emitted last (null before the first after the prologue). */
    private BasicBlock previous;
    public final CallingConvention convention;
    /** Fuel metering, guard pages or explicit bounds checks. */
    public final CodeOptions options;
    private final List<TrapSite> trapSites = new ArrayList<>();
    private final List<Runnable> stubs = new ArrayList<>();
    private final Map<TrapKind, L> functionTraps = new EnumMap<>(TrapKind.class);
    private final List<L> blockLabels = new ArrayList<>();
    /** The index in {@link #trapSites} of the last call site recorded (a Guarded block's call). */
    private int lastCallSite = -1;
    /** The IR location ({@link Instruction#wasmOffset}) of that call site. */
    private int lastCallLocation = -1;
    /** The comparison the next instruction, a select, lowers itself ({@link #compareOfSelect}), or null. */
    private Instruction selectCompare;
    /** The {@link LinearOrder} position being lowered: where {@link #location} finds a split value. */
    private int position;
    private final LinearOrder order;
    /** While the blocks before the prologue are lowered: they read the parameters the prologue moves where they arrive. */
    private FramelessEntry early;

    protected MachineFunction(Module module, SymbolNames symbols, IrFunction f, Allocation alloc, CallingConvention convention,
                              CodeOptions options) {
        this.module = module;
        this.options = options;
        this.symbols = symbols;
        this.f = f;
        this.alloc = alloc;
        this.convention = convention;
        this.facts = new LoweringFacts(f, alloc);
        this.interruptHeaders = InterruptChecks.headers(f, facts);
        this.order = alloc.liveIntervals().order();
    }

    /** True when the prologue checks for interruption ({@link InterruptChecks#atEntry}). */
    protected final boolean checksInterruptionAtEntry() {
        return InterruptChecks.atEntry(f, interruptHeaders);
    }

    /** Lowers the whole function; {@code symbol} names it in the result. */
    public final MachineCode compile(int funcIndex, String symbol) {
        NativeSupport.require(module, f, "native", lowersExceptions());
        for (int id = 0; id < f.blockIdCount(); id++) blockLabels.add(null);
        for (BasicBlock b : f.blocks) blockLabels.set(b.id, newLabel("block" + b.id));
        List<BasicBlock> layout = facts.layout();
        FramelessEntry early = FramelessEntry.find(this, this::writableBeforePrologue);
        if (early != null) {
            beforePrologue(early);
            layout = layout.stream().filter(b -> !early.contains(b) && !early.onlyBeforePrologue(b)).toList();
        }
        prologue();
        if (early != null) intoFramedCode(early, layout.isEmpty() ? null : layout.getFirst());
        for (int bi = 0; bi < layout.size(); bi++) block(layout.get(bi), bi + 1 < layout.size() ? layout.get(bi + 1) : null);
        for (int i = 0; i < stubs.size(); i++) stubs.get(i).run(); // stubs may add stubs
        return finish(funcIndex, symbol, trapSites);
    }

    /** One block's code: its checks, its instructions, its terminator; a loop header padded as {@link LoopAlignment} decides. */
    private void block(BasicBlock b, BasicBlock next) {
        if (facts.isLoopHeader(b) && LoopAlignment.pads(b, previous, facts)) padTo(LoopAlignment.BOUNDARY);
        previous = b;
        bind(blockLabels.get(b.id));
        if (interruptHeaders.get(b.id)) interruptCheck();
        if (b.fuelPoint) fuelCheck();
        Instruction fused = fusableCompare(b);
        List<Instruction> code = b.instructions;
        for (int k = 0; k < code.size(); k++) {
            Instruction i = code.get(k);
            position = order.instructionUse(b, k);
            reload();
            if (i == fused) continue;
            if (k + 1 < code.size() && fusesWithSelect(i, code.get(k + 1))) {
                selectCompare = i; // lowered by the select, on whose flags it decides
                continue;
            }
            if (CallSignatures.isCall(i.op)) call(i, k == code.size() - 1 && b.terminator instanceof Terminator.Guarded);
            else if (i.op == Opcode.CATCH) takeCaught(i);
            else lower(i);
            storeSplitResults(i);
            selectCompare = null;
        }
        position = order.terminatorUse(b);
        reload();
        if (early != null) terminatorBeforePrologue(b, next, fused);
        else terminator(b, next, fused);
    }

    // ---- values ----

    public final ValType type(int v) {
        return f.typeOf(v);
    }

    /**
     * Where {@code v} is at the instruction being lowered ({@link Allocation#location(int, int)}): a
     * split value's head register up to the head's end, else its one location. An instruction's
     * results are written here too.
     */
    public final int location(int v) {
        int l = alloc.location(v, position);
        return early != null ? early.beforePrologue(v, l) : l;
    }

    public final boolean inRegister(int v) {
        return Location.isRegister(location(v));
    }

    /**
     * Before what is at the position being lowered: each spilled value read from a register from here
     * on ({@link Allocation#reloadsAt}) is loaded into it from its home slot.
     */
    private void reload() {
        for (int v : alloc.reloadsAt(position)) move(alloc.location(v), alloc.location(v, position), type(v));
    }

    /** After an instruction: each result written to a head register ({@link Allocation#head}) is stored to its home slot too. */
    private void storeSplitResults(Instruction i) {
        for (int k = 0; k < i.resultCount(); k++) {
            int r = i.result(k);
            if (alloc.head(r) != Location.NONE) move(alloc.head(r), alloc.location(r), type(r));
        }
    }

    /** {@code code} to run out of line, seeing values where they are at the instruction being lowered now. */
    private Runnable atThisPosition(Runnable code) {
        int at = position;
        return () -> {
            position = at;
            code.run();
        };
    }

    /** The constant an integer value was defined by, or null. */
    public final Long constant(int v) {
        return facts.intConstant(v);
    }

    /** The bits of the float constant a value was defined by, or null. */
    public final Long floatConstant(int v) {
        return facts.floatConstant(v);
    }

    public final int uses(int v) {
        return facts.uses(v);
    }

    // ---- blocks and control ----

    /** Where control really goes when it reaches {@code b} (past blocks with no code). */
    public final BasicBlock destination(BasicBlock b) {
        return facts.destination(b);
    }

    /** The label of the code control reaches at {@code b}. */
    public final L block(BasicBlock b) {
        return blockLabels.get(facts.destination(b).id);
    }

    /** The block's last instruction when it is a comparison used only by the block's branch, and the ISA fuses it. */
    public final Instruction fusableCompare(BasicBlock b) {
        if (!(b.terminator instanceof Terminator.Branch br) || b.instructions.isEmpty()) return null;
        Instruction last = b.instructions.get(b.instructions.size() - 1);
        if (last.resultCount() != 1 || last.result() != br.condition || uses(br.condition) != 1) return null;
        return fusesWithBranch(last.op) ? last : null;
    }

    /**
     * True when {@code cmp} is a comparison whose only use is the condition of {@code select}, the
     * instruction right after it, and the ISA decides on a comparison's flags (as for a branch): the
     * select then sets the flags and picks on them (x86-64 {@code cmp; cmovCC}, AArch64
     * {@code cmp; csel}) instead of reading a 0/1 value the compare made.
     */
    private boolean fusesWithSelect(Instruction cmp, Instruction select) {
        if ((select.op != Opcode.SELECT && select.op != Opcode.SELECT_T) || cmp.resultCount() != 1) return false;
        return select.arg(2) == cmp.result() && uses(cmp.result()) == 1 && fusesWithBranch(cmp.op);
    }

    /** The comparison fused into {@code select} (the instruction before it, not lowered on its own), or null. */
    public final Instruction compareOfSelect(Instruction select) {
        Instruction cmp = selectCompare;
        return cmp != null && select.arg(2) == cmp.result() ? cmp : null;
    }

    private void terminator(BasicBlock b, BasicBlock next, Instruction fused) {
        switch (b.terminator) {
            case Terminator.Jump j -> {
                edgeMoves(j.target);
                if (destination(j.target.target) != next) jump(block(j.target.target));
            }
            case Terminator.Branch br -> branch(br, fused, destination(br.ifTrue.target), destination(br.ifFalse.target), next);
            case Terminator.Switch s -> tableSwitch(s);
            case Terminator.Return r -> {
                returnValues(r.values);
                epilogue(); // every return has its own copy: no jump to a shared one
            }
            case Terminator.ReturnCall rc -> tailCall(rc.call);
            case Terminator.Trap t -> jump(trap(t.kind, t.wasmOffset));
            case Terminator.Throw t -> {
                L propagate = newLabel("throw_failed");
                raiseException(t.instruction, propagate); // a throw_ref of null traps instead
                propagateTrap(propagate, t.instruction.wasmOffset);
                if (t.handlers.length > 0) {
                    jump(dispatch(t.handlers, -1, t.instruction.wasmOffset));
                } else {
                    callSite(callTrapRoutine(0), t.instruction.wasmOffset); // the trap routine looks for a handler in the callers
                }
            }
            case Terminator.Guarded g -> {
                dispatch(g.handlers, lastCallSite, lastCallLocation);
                edgeMoves(g.normal);
                if (destination(g.normal.target) != next) jump(block(g.normal.target));
            }
        }
    }

    // ---- code before the prologue ----

    /**
     * The blocks of {@code region} before the prologue ({@link FramelessEntry}), with the returns
     * they reach: the last block falls into the prologue, or into the return path it branches to;
     * other return paths a branch reaches go after the function body, and a jump to one is followed
     * by it in place. The label of the block the framed code starts at is the prologue's meanwhile.
     */
    private void beforePrologue(FramelessEntry region) {
        L prologue = newLabel("prologue");
        List<L> labels = new ArrayList<>(blockLabels);
        for (BasicBlock d : region.branchReturns) blockLabels.set(d.id, newLabel("return" + d.id));
        blockLabels.set(region.framed.id, prologue);
        List<BasicBlock> blocks = region.blocks;
        BasicBlock fallInto = region.framed;
        for (Edge e : blocks.getLast().terminator.edges()) {
            if (region.branchReturns.contains(destination(e.target))) fallInto = destination(e.target);
        }
        early = region;
        for (int bi = 0; bi < blocks.size(); bi++) block(blocks.get(bi), bi + 1 < blocks.size() ? blocks.get(bi + 1) : fallInto);
        for (BasicBlock d : region.branchReturns) {
            L label = blockLabels.get(d.id);
            Runnable path = () -> {
                bind(label);
                early = region;
                returnThrough(region.returns.get(d));
                early = null;
            };
            if (d == fallInto) path.run();
            else stubs.add(path);
        }
        early = null;
        bind(prologue);
        for (int id = 0; id < labels.size(); id++) blockLabels.set(id, labels.get(id));
    }

    /** A terminator before the prologue: returns without an epilogue, jumps to a return path followed by it. */
    private void terminatorBeforePrologue(BasicBlock b, BasicBlock next, Instruction fused) {
        switch (b.terminator) {
            case Terminator.Return r -> {
                returnValues(r.values);
                returnWithoutFrame();
            }
            case Terminator.Jump j -> {
                BasicBlock d = destination(j.target.target);
                if (d != early.framed) edgeMoves(j.target); // the way into framed code moves after the prologue
                if (early.returns.containsKey(d)) returnThrough(early.returns.get(d));
                else if (d != next) jump(block(j.target.target));
            }
            case Terminator.Branch br -> branch(br, fused, destination(br.ifTrue.target), destination(br.ifFalse.target), next);
            default -> throw new IllegalStateException("no " + b.terminator + " before the prologue");
        }
    }

    /** A {@link FramelessEntry.ReturnPath}: the moves of its jumps, then the value to its result place, and return. */
    private void returnThrough(FramelessEntry.ReturnPath path) {
        for (BasicBlock b : path.blocks()) {
            position = order.terminatorUse(b);
            if (b.terminator instanceof Terminator.Jump j) edgeMoves(j.target);
        }
        returnValues(((Terminator.Return) path.last().terminator).values);
        returnWithoutFrame();
    }

    /** After the prologue: the moves of the jump into framed code, then to its block unless it comes next. */
    private void intoFramedCode(FramelessEntry early, BasicBlock next) {
        if (early.movesFrom != null) {
            position = order.terminatorUse(early.movesFrom);
            edgeMoves(((Terminator.Jump) early.movesFrom.terminator).target);
        }
        if (early.framed != next) jump(blockLabels.get(early.framed.id));
    }

    // ---- exceptions ----

    /**
     * True when the function catches exceptions (it has try regions with handlers). Its frame keeps
     * the VMContext and saves every callee-saved register (the unwinder restores neither), and every
     * value live into a landing block is in a stack slot (the allocator's rule).
     */
    public final boolean catchesExceptions() {
        for (BasicBlock b : f.blocks) {
            if (b.terminator instanceof Terminator.Guarded || b.terminator instanceof Terminator.Throw t && t.handlers.length > 0) return true;
        }
        return false;
    }

    /**
     * An exception dispatch after the body: entered with the frame pointer of this frame (from the
     * trap routine's handler search, or by a jump from a throw in this function), it restores the
     * stack pointer and the pinned registers, then tries each clause in order ({@link #catchClause}:
     * the runtime matches the tag and hands over the payload) and jumps to the first matching
     * landing block; with none matching it unwinds further from here. {@code callSiteIndex} is the
     * call site it serves (-1 for a throw in this function), which records the dispatch's offset.
     */
    private L dispatch(Terminator.Handler[] handlers, int callSiteIndex, int wasmOffset) {
        L l = newLabel("dispatch");
        stubs.add(() -> {
            bind(l);
            if (callSiteIndex >= 0) trapSites.set(callSiteIndex, trapSites.get(callSiteIndex).withDispatch(here()));
            enterDispatch();
            for (Terminator.Handler h : handlers) {
                Instruction caught = h.target().target.instructions.getFirst();
                if (caught.op != Opcode.CATCH) throw new IllegalStateException("a landing block starts with catch");
                catchClause(h.tag(), caught.imm2() != 0, block(h.target().target));
                if (h.tag() < 0) return; // a catch-all ends the clauses
            }
            callSite(callTrapRoutine(0), wasmOffset);
        });
        return l;
    }

    /**
     * The moves that bind {@code e}'s target parameters: one parallel move from the arguments'
     * locations, then the integer constants that have no location written into theirs.
     */
    private void edgeMoves(Edge e) {
        if (e.argCount() == 0) return;
        List<ParallelMoves.Move> moves = new ArrayList<>(e.argCount());
        for (ParallelMoves.Move m : ParallelMoves.forEdge(e, alloc::location, this::location, this::type)) {
            if (m.from() != Location.NONE) moves.add(m);
        }
        parallelMove(moves);
        for (int k = 0; k < e.argCount(); k++) {
            int to = location(e.target.params[k]);
            if (to != Location.NONE && location(e.arg(k)) == Location.NONE) loadConstant(to, type(e.arg(k)), constant(e.arg(k)));
        }
    }

    /** A parallel move, sequenced; cycles are broken through the ISA's scratch location of each class. */
    public final void parallelMove(List<ParallelMoves.Move> moves) {
        for (ParallelMoves.Move m : ParallelMoves.sequence(moves, this::cycleScratch)) move(m.from(), m.to(), m.type());
    }

    // ---- traps ----

    /** A label that traps with {@code kind}; the stub is emitted after the function body. */
    public final L trap(TrapKind kind, int wasmOffset) {
        return trap(kind, wasmOffset, null);
    }

    /** As {@link #trap(TrapKind, int)}, the stub running {@code before} first. */
    public final L trap(TrapKind kind, int wasmOffset, Runnable before) {
        L l = newLabel("trap_" + kind.name().toLowerCase());
        stubs.add(atThisPosition(() -> {
            bind(l);
            if (before != null) before.run();
            trapSites.add(site(callTrapRoutine(kind.code), kind, wasmOffset));
        }));
        return l;
    }

    /** Emits {@code code} out of line, after the function body (it binds its own labels). */
    public final void outOfLine(Runnable code) {
        stubs.add(atThisPosition(code));
    }

    /** One trap stub per function for traps reported at the function's start (stack exhaustion, interruption, fuel). */
    public final L functionTrap(TrapKind kind) {
        return functionTraps.computeIfAbsent(kind, k -> trap(k, module.body(f.index).codeStart()));
    }

    /** A stub after the function body that unwinds with the trap the runtime recorded; {@code l} is its label. */
    public final void propagateTrap(L l, int wasmOffset) {
        stubs.add(() -> {
            bind(l);
            trapSites.add(site(callTrapRoutine(0), TrapKind.HOST_ERROR, wasmOffset)); // 0 keeps the stored code
        });
    }

    /**
     * A linear-memory access left to the guard pages: the instruction at {@code codeOffset} faults
     * when it is out of bounds, and the signal handler makes the fault an out-of-bounds trap there.
     */
    public final void guardedAccess(int codeOffset, int wasmOffset) {
        trapSites.add(site(codeOffset, TrapKind.OUT_OF_BOUNDS_MEMORY, wasmOffset));
    }

    /**
     * The site at {@code codeOffset} of an instruction at IR location {@code location} (a Wasm offset,
     * or inlined code: {@link dev.kiln.ir.InlineSites}); {@code kind} null for a call site.
     */
    private TrapSite site(int codeOffset, TrapKind kind, int location) {
        InlineSites.Origin origin = f.inlineSites.origin(location);
        return new TrapSite(codeOffset, kind, origin.wasmOffset(), -1, origin.inlined());
    }

    /**
     * True when the memory access {@code i} needs no bounds check: guard pages are on, it accesses
     * memory 0 (the pinned base) with a 32-bit address, and it ends within the 8 GiB the memory
     * reserves. Other memories and 64-bit addresses are checked explicitly ({@link #fastMemoryPath}).
     */
    public final boolean guarded(Instruction i) {
        return options.guardPages() && fastMemoryPath(i) && i.imm + i.op.memoryBytes <= 1L << 32;
    }

    /** The memory a load or store accesses (its index is the high half of {@code imm2}). */
    public static int memoryOf(Instruction access) {
        return (int) (access.imm2() >>> 32);
    }

    /** True when memory {@code memory} takes 64-bit addresses. */
    public final boolean is64BitMemory(int memory) {
        return module.memoryType(memory).is64();
    }

    /**
     * True when the access {@code i} goes to memory 0 with a 32-bit address: the address register plus
     * the offset cannot wrap and the base is the pinned register. Every other access computes its
     * effective address with an overflow check and finds base and size through the VMContext
     * ({@link dev.kiln.ir.abi.VmContextLayout#memoryBase}).
     */
    public final boolean fastMemoryPath(Instruction i) {
        return memoryOf(i) == 0 && !is64BitMemory(0);
    }

    /** True when table {@code table} takes 64-bit indices. */
    public final boolean is64BitTable(int table) {
        return module.tableType(table).is64();
    }

    /** Records where a call returns, so a trap's frame walk maps this frame back to Wasm. */
    public final void callSite(int returnOffset, int wasmOffset) {
        lastCallSite = trapSites.size();
        lastCallLocation = wasmOffset;
        trapSites.add(site(returnOffset, null, wasmOffset));
    }

    // ---- calls ----

    /** The number of {@code call}'s operands that are call arguments (call_indirect's last is the table index, call_ref's the reference). */
    public static int argumentCount(Instruction call) {
        return CallSignatures.hasCalleeOperand(call.op) ? call.argCount() - 1 : call.argCount();
    }

    /** Bytes of outgoing stack-argument area the function needs for its calls and tail calls. */
    public final int outgoingBytes() {
        return CallSignatures.max(module, f, t -> convention.parameters(t).stackBytes());
    }

    /** Bytes of stack arguments the function itself was passed (and pops). */
    public final int incomingBytes() {
        return convention.parameters(f.type()).stackBytes();
    }

    /**
     * A call. Through a descriptor (call_indirect, call_ref) the callee is mostly of this instance:
     * then it is called with the pinned registers as they are, and nothing is reloaded or checked
     * after it (as after a direct call). A callee of another instance takes the path out of line:
     * switch the pinned registers, call, restore them and check for a trap the runtime recorded.
     * An import always takes that path inline, and so does a call a {@code Guarded} terminator
     * follows (its handlers serve one call site).
     */
    private void call(Instruction i, boolean guarded) {
        FuncType t = CallSignatures.of(module, i);
        boolean viaDescriptor = loadDescriptor(i);
        int stackBytes = passArguments(i, t);
        if (!viaDescriptor) {
            callSite(callDirect(symbols.of((int) i.imm)), i.wasmOffset);
        } else if (i.op == Opcode.CALL || guarded) {
            callInOtherInstance(i.wasmOffset);
        } else {
            L otherInstance = newLabel("other_instance"), returned = newLabel("returned");
            branchIfOtherInstance(otherInstance);
            callSite(callThroughDescriptor(), i.wasmOffset);
            bind(returned);
            stubs.add(() -> {
                bind(otherInstance);
                callInOtherInstance(i.wasmOffset);
                jump(returned);
            });
        }
        reserveOutgoing(stackBytes); // the callee popped them
        takeResults(i, t);
    }

    /** A call through the descriptor that switches to its instance and back, then checks for a recorded trap. */
    private void callInOtherInstance(int wasmOffset) {
        enterInstance();
        callSite(callThroughDescriptor(), wasmOffset);
        restorePinnedRegisters();
        checkTrapAfterCall(wasmOffset);
    }

    /** Stages {@code call}'s arguments: stack arguments first (they read only locations), then the registers as one parallel move. */
    private int passArguments(Instruction call, FuncType t) {
        ArgumentPlaces.Parameters places = convention.parameters(t);
        int n = argumentCount(call);
        for (int k = 0; k < n; k++) {
            if (places.place(k).onStack()) storeStackArgument(call.arg(k), t.param(k), places.place(k).stackOffset());
        }
        List<ParallelMoves.Move> moves = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            if (!places.place(k).onStack()) moves.add(new ParallelMoves.Move(location(call.arg(k)), places.place(k).register(), t.param(k)));
        }
        parallelMove(moves);
        return places.stackBytes();
    }

    /**
     * A tail call ({@link Terminator.ReturnCall}): the arguments are staged as for a call, then the
     * frame is replaced by the callee's and control jumps to the callee, which returns to this
     * function's caller. Through a descriptor whose VMContext is not this instance's, the callee runs
     * under an instance-return record unless this frame already returns to one (whose record then
     * restores the right instance).
     */
    private void tailCall(Instruction i) {
        FuncType t = CallSignatures.of(module, i);
        boolean viaDescriptor = loadDescriptor(i);
        int stackBytes = passArguments(i, t);
        if (!viaDescriptor) {
            replaceFrame(stackBytes, false);
            jumpDirect(symbols.of((int) i.imm));
            return;
        }
        L otherInstance = newLabel("other_instance"), newRecord = newLabel("new_record");
        branchIfOtherInstance(otherInstance);
        replaceFrame(stackBytes, false);
        jumpThroughDescriptor();
        bind(otherInstance);
        branchUnlessUnderRecord(newRecord);
        replaceFrame(stackBytes, false);
        enterInstance();
        jumpThroughDescriptor();
        bind(newRecord);
        replaceFrame(stackBytes, true);
        enterInstance();
        jumpThroughDescriptor();
    }

    // ---- the ISA: structure ----

    protected abstract L newLabel(String name);

    protected abstract void bind(L label);

    /** The frame, the stack check, the parameters into their locations. */
    protected abstract void prologue();

    /** The epilogue: restore, pop the incoming stack arguments, return. Emitted after every return (each its own copy). */
    protected abstract void epilogue();

    /** A return from code before the prologue ({@link FramelessEntry}): pop the incoming stack arguments, return. */
    protected abstract void returnWithoutFrame();

    /** True when code before the prologue may write register {@code register}: a caller does not expect it kept. */
    protected abstract boolean writableBeforePrologue(int register);

    /** The allocatable registers the lowering of {@code i} overwrites as scratch, one bit per register number (as {@link dev.kiln.regalloc.RegisterFile#scratchClobbers}). */
    protected long scratchClobbers(Instruction i) {
        return 0;
    }

    /** The assembled function. */
    protected abstract MachineCode finish(int funcIndex, String symbol, List<TrapSite> trapSites);

    /** Traps (interrupted) when another thread asked the store to stop; at loop headers. */
    protected abstract void interruptCheck();

    /** Consumes one unit of fuel, trapping when none is left; at fuel points. */
    protected abstract void fuelCheck();

    /** Lowers one instruction (not a call). */
    protected abstract void lower(Instruction i);

    /** True when a comparison {@code op} feeding only a branch (or a select right after it) is folded into it. */
    protected abstract boolean fusesWithBranch(Opcode op);

    // ---- the ISA: control ----

    protected abstract void jump(L target);

    /** A two-way branch to the code of {@code ifTrue}/{@code ifFalse}, falling through to {@code next} where it can. */
    protected abstract void branch(Terminator.Branch br, Instruction fused, BasicBlock ifTrue, BasicBlock ifFalse, BasicBlock next);

    protected abstract void tableSwitch(Terminator.Switch s);

    /** The values to their result places; the driver follows with the epilogue. */
    protected abstract void returnValues(int[] values);

    /** Calls the trap routine with {@code code} (0: keep the code the runtime stored); returns the offset of the return address. */
    protected abstract int callTrapRoutine(int code);

    /** The offset of the next instruction emitted. */
    protected abstract int here();

    /** No-ops up to the next multiple of {@code alignment} bytes (a power of two) from the function's start. */
    protected abstract void padTo(int alignment);

    // ---- the ISA: exceptions ----

    /** Whether this ISA lowers exception handling (else functions with it are declined). */
    protected abstract boolean lowersExceptions();

    /**
     * {@code throw} (the payload to the return area, then the runtime records the exception) or
     * {@code throw_ref}; branches to {@code failed} when the runtime recorded a trap instead.
     */
    protected abstract void raiseException(Instruction thrown, L failed);

    /** At an exception dispatch, rbp already this frame's: the stack pointer and the pinned registers of this frame. */
    protected abstract void enterDispatch();

    /** One clause: asks the runtime whether the pending exception matches {@code tag} (-1: any) and jumps to {@code landing} if so. */
    protected abstract void catchClause(int tag, boolean withExnref, L landing);

    /** A landing block's {@code catch}: its results (payload, then the exnref) from the return area. */
    protected abstract void takeCaught(Instruction caught);

    // ---- the ISA: moves ----

    /** One move between locations (registers or slots) of a value of {@code type}. */
    public abstract void move(int from, int to, ValType type);

    /** Writes integer constant {@code bits} of {@code type} (an i32 zero-extended) into location {@code to}. */
    protected abstract void loadConstant(int to, ValType type, long bits);

    /** The scratch location that breaks move cycles of values of {@code type}. */
    protected abstract int cycleScratch(ValType type);

    // ---- the ISA: calls ----

    /**
     * Emits what finds the callee of {@code call}: nothing for a function of this module (returns
     * false); for an import or call_indirect, the callee's funcref descriptor in the ISA's
     * descriptor register, for call_indirect after the spec's checks (returns true).
     */
    protected abstract boolean loadDescriptor(Instruction call);

    /** Stores argument {@code value} of {@code type} at {@code stackOffset} of the outgoing area. */
    protected abstract void storeStackArgument(int value, ValType type, int stackOffset);

    /** Calls a function of this module; returns the offset of the return address. */
    protected abstract int callDirect(String symbol);

    /** Calls the descriptor's code (the pinned registers already the callee's); returns the offset of the return address. */
    protected abstract int callThroughDescriptor();

    /** Reserves the outgoing area again after a call that passed {@code bytes} of stack arguments. */
    protected abstract void reserveOutgoing(int bytes);

    /** After a call through a descriptor: the function's own VMContext and memory base back in the pinned registers. */
    protected abstract void restorePinnedRegisters();

    /** After a call that may have ended in the runtime: unwind when the execution state holds a trap. */
    public abstract void checkTrapAfterCall(int wasmOffset);

    /** Moves the call's results from the result registers or the return area into their locations. */
    protected abstract void takeResults(Instruction call, FuncType t);

    // ---- the ISA: tail calls ----

    /**
     * Replaces this function's frame by the callee's, once its arguments are staged (the primitive
     * {@code return_call*} is lowered with; docs/design-changes.md, "Tail calls").
     */
    protected abstract void replaceFrame(int calleeStackBytes, boolean record);

    protected abstract void jumpDirect(String symbol);

    protected abstract void jumpThroughDescriptor();

    /** Branches when the descriptor's VMContext is not the pinned one. */
    protected abstract void branchIfOtherInstance(L target);

    /** Branches unless this function returns to the instance-return stub. */
    protected abstract void branchUnlessUnderRecord(L target);

    /** Copies the stack limit into the descriptor's VMContext and switches the pinned registers to it. */
    protected abstract void enterInstance();
}
