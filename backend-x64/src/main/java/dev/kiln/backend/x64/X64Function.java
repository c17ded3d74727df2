package dev.kiln.backend.x64;

import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.CallSignatures;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CpuFeature;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.code.TrapSite;
import dev.kiln.regalloc.Allocation;
import dev.kiln.regalloc.Location;
import dev.kiln.regalloc.LoweringFacts;
import dev.kiln.regalloc.ParallelMoves;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;

import static dev.kiln.backend.x64.MemoryOperand.mem;

/**
 * Lowers one allocated IR function to x86-64 under the internal calling convention
 * ({@link X64CallingConvention}: the VMContext in R15 and the memory base in R14 on entry): prologue
 * (frame, stack-limit check, parameters to their locations), every block, edge moves, the
 * epilogue (which pops the incoming stack arguments), and the out-of-line trap stubs. Instruction
 * families are lowered by the {@code X64*Lowering} classes, which use this class's operand helpers.
 */
final class X64Function {
    static final Gpr VMCTX = Gpr.R15;
    static final Gpr MEMBASE = Gpr.R14;
    static final Gpr SCRATCH = Gpr.R11;
    static final Xmm FSCRATCH = Xmm.XMM15;
    static final Xmm FSCRATCH2 = Xmm.XMM14;
    /** The third vector scratch register (SIMD sequences only). */
    static final Xmm FSCRATCH3 = Xmm.XMM13;

    final Module module;
    final SymbolNames symbols;
    final IrFunction f;
    final Allocation alloc;
    final X64Assembler asm;
    final X64Frame frame;
    /** The extensions the code may use (fallbacks replace the others). */
    final CpuFeatures cpu;
    private final List<TrapSite> trapSites = new ArrayList<>();
    private final List<Runnable> stubs = new ArrayList<>();
    private final Label[] blockLabels;
    /** Constants, use counts, loop headers, blocks without code: what lowering needs to know. */
    private final LoweringFacts facts;
    private final Label epilogue;
    private final Map<TrapKind, Label> functionTraps = new java.util.EnumMap<>(TrapKind.class);

    X64Function(Module module, SymbolNames symbols, IrFunction f, Allocation alloc, boolean listing, CpuFeatures cpu) {
        this.cpu = cpu;
        this.module = module;
        this.symbols = symbols;
        this.f = f;
        this.alloc = alloc;
        this.asm = new X64Assembler(listing);
        asm.useVex(cpu.has(CpuFeature.AVX)); // packed (SIMD) instructions in VEX form when the CPU has AVX
        List<Gpr> calleeSaved = new ArrayList<>();
        BitSet used = alloc.usedRegisters();
        for (Gpr g : new Gpr[] {Gpr.RBX, Gpr.R12, Gpr.R13}) if (used.get(g.encoding())) calleeSaved.add(g);
        this.frame = new X64Frame(CallSignatures.anyMayCrossInstance(module, f), calleeSaved, alloc.slotCount(),
                X64CallLowering.outgoingBytes(module, f), X64CallingConvention.parameters(f.type()).stackBytes());
        this.blockLabels = new Label[f.blockIdCount()];
        for (BasicBlock b : f.blocks) blockLabels[b.id] = asm.newLabel("block" + b.id);
        this.epilogue = asm.newLabel("epilogue");
        this.facts = new LoweringFacts(f, alloc);
    }

    MachineCode compile(int funcIndex, String symbol) {
        prologue();
        List<BasicBlock> layout = facts.layout();
        for (int bi = 0; bi < layout.size(); bi++) {
            BasicBlock b = layout.get(bi);
            BasicBlock next = bi + 1 < layout.size() ? layout.get(bi + 1) : null;
            asm.bind(blockLabels[b.id]);
            if (facts.isLoopHeader(b)) interruptCheck();
            if (b.fuelPoint) fuelCheck();
            Instruction fused = X64ControlLowering.fusableCompare(this, b);
            for (Instruction i : b.instructions) {
                if (i == fused) continue;
                X64InstructionLowering.lower(this, i);
            }
            X64ControlLowering.terminator(this, b, next, fused);
        }
        epilogueCode();
        for (int i = 0; i < stubs.size(); i++) stubs.get(i).run(); // stubs may add stubs
        AssembledCode code = asm.finish();
        return code.toMachineCode(funcIndex, symbol, trapSites, frame.size());
    }

    // ---- values and locations ----

    ValType type(int v) {
        return f.typeOf(v);
    }

    int location(int v) {
        return alloc.location(v);
    }

    boolean inRegister(int v) {
        return Location.isRegister(alloc.location(v));
    }

    /** The constant an integer value was defined by, or null. */
    Long constant(int v) {
        return facts.intConstant(v);
    }

    int uses(int v) {
        return facts.uses(v);
    }

    MemoryOperand slot(int v) {
        return slotAt(alloc.location(v), type(v));
    }

    /** The spill slot at {@code location} holding a value of {@code type} (a v128 takes two slots). */
    MemoryOperand slotAt(int location, ValType type) {
        return frame.spill(Location.slotIndex(location), X64RegisterFile.INSTANCE.slotsFor(type));
    }

    /** An integer value as an instruction operand: its register or its spill slot. */
    GprOrMemory iop(int v) {
        int l = alloc.location(v);
        return Location.isRegister(l) ? X64RegisterFile.gpr(l) : slotAt(l, type(v));
    }

    XmmOrMemory fop(int v) {
        if (type(v) == ValType.V128) return vop(v);
        int l = alloc.location(v);
        if (l == Location.NONE && (facts.floatConstant(v) != null)) return pool(v);
        return Location.isRegister(l) ? X64RegisterFile.xmm(l) : slotAt(l, type(v));
    }

    /** A float constant's place in the constant pool (4 bytes for f32: read it with 32-bit loads only). */
    private MemoryOperand pool(int v) {
        long bits = facts.floatConstant(v);
        return MemoryOperand.rip(type(v) == ValType.F32 ? asm.constant32((int) bits) : asm.constant64(bits));
    }

    /** Copies a float value into {@code dst} with a load of its own width (f32 constants are 4 bytes). */
    void fmov(Xmm dst, int v) {
        XmmOrMemory src = fop(v);
        if (src == dst) return;
        if (type(v) == ValType.V128) vmov(dst, src);
        else if (type(v) == ValType.F32 && !(src instanceof Xmm)) asm.movss(dst, src);
        else asm.movsd(dst, src);
    }

    /** Loads a value of {@code type} from memory into an XMM register with a load of its own width. */
    void loadVector(ValType type, Xmm dst, MemoryOperand src) {
        if (type == ValType.V128) asm.vec(VecOp.MOVDQU, dst, src);
        else if (type == ValType.F32) asm.movss(dst, src);
        else asm.movsd(dst, src);
    }

    /** Stores a value of {@code type} from an XMM register (a v128 whole, f32/f64 the low 8 bytes). */
    void storeVector(ValType type, MemoryOperand dst, Xmm src) {
        if (type == ValType.V128) asm.vecStore(VecOp.MOVDQU_STORE, dst, src);
        else asm.movsd(dst, src);
    }

    /** The value in a register: its own, or {@code scratch} after a load from its slot. */
    Gpr iget(int v, Gpr scratch) {
        int l = alloc.location(v);
        if (Location.isRegister(l)) return X64RegisterFile.gpr(l);
        asm.mov(Width.QWORD, scratch, slotAt(l, type(v)));
        return scratch;
    }

    Xmm fget(int v, Xmm scratch) {
        int l = alloc.location(v);
        if (Location.isRegister(l)) return X64RegisterFile.xmm(l);
        fmov(scratch, v);
        return scratch;
    }

    /** Where to compute a result: its own register, or {@code scratch} (then {@link #iput}). */
    Gpr idst(int v, Gpr scratch) {
        int l = alloc.location(v);
        return Location.isRegister(l) ? X64RegisterFile.gpr(l) : scratch;
    }

    Xmm fdst(int v, Xmm scratch) {
        int l = alloc.location(v);
        return Location.isRegister(l) ? X64RegisterFile.xmm(l) : scratch;
    }

    /** Stores a computed integer (all 64 bits; i32 values are kept zero-extended) into its location. */
    void iput(int v, Gpr r) {
        int l = alloc.location(v);
        if (l == Location.NONE) return;
        if (Location.isRegister(l)) {
            if (X64RegisterFile.gpr(l) != r) asm.mov(Width.QWORD, X64RegisterFile.gpr(l), r);
        } else {
            asm.mov(Width.QWORD, slotAt(l, type(v)), r);
        }
    }

    void fput(int v, Xmm r) {
        int l = alloc.location(v);
        if (l == Location.NONE) return;
        if (Location.isRegister(l)) {
            if (X64RegisterFile.xmm(l) != r) movRegister(X64RegisterFile.xmm(l), r);
        } else {
            storeVector(type(v), slotAt(l, type(v)), r);
        }
    }

    /** A whole-register copy: {@code movaps}, VEX-encoded when the packed instructions are. */
    void movRegister(Xmm dst, Xmm src) {
        if (dst != src) asm.vec(VecOp.MOVAPS, dst, src);
    }

    // ---- v128 values ----

    /**
     * A v128 value as an instruction operand: its register, its spill slot (16-byte aligned), or,
     * for a constant every use of which reads it from memory, its 16-byte aligned pool entry.
     */
    XmmOrMemory vop(int v) {
        int l = alloc.location(v);
        if (l == Location.NONE) {
            long[] c = facts.vectorConstant(v);
            if (c != null) return MemoryOperand.rip(asm.constant128(c[0], c[1]));
        }
        return Location.isRegister(l) ? X64RegisterFile.xmm(l) : slotAt(l, ValType.V128);
    }

    /** A v128 value in a register: its own, or {@code scratch} after a load. */
    Xmm vget(int v, Xmm scratch) {
        XmmOrMemory o = vop(v);
        if (o instanceof Xmm x) return x;
        vmov(scratch, o);
        return scratch;
    }

    /** Copies a whole v128 operand into {@code dst} (nothing when it is there already). */
    void vmov(Xmm dst, XmmOrMemory src) {
        if (src == dst) return;
        if (src instanceof Xmm x) movRegister(dst, x);
        else asm.vec(VecOp.MOVDQU, dst, src);
    }

    static Width width(ValType t) {
        return t == ValType.I32 || t == ValType.F32 ? Width.DWORD : Width.QWORD;
    }

    // ---- moves ----

    /** Emits one move between locations (registers or slots) of a value of {@code type}. */
    void move(int from, int to, ValType type) {
        if (from == to) return;
        boolean fromReg = Location.isRegister(from), toReg = Location.isRegister(to);
        if (fromReg && toReg) {
            if (X64RegisterFile.isXmm(from)) movRegister(X64RegisterFile.xmm(to), X64RegisterFile.xmm(from));
            else asm.mov(Width.QWORD, X64RegisterFile.gpr(to), X64RegisterFile.gpr(from));
        } else if (fromReg) {
            MemoryOperand dst = slotAt(to, type);
            if (X64RegisterFile.isXmm(from)) storeVector(type, dst, X64RegisterFile.xmm(from));
            else asm.mov(Width.QWORD, dst, X64RegisterFile.gpr(from));
        } else if (toReg) {
            MemoryOperand src = slotAt(from, type);
            if (X64RegisterFile.isXmm(to)) loadVector(type == ValType.F32 ? ValType.F64 : type, X64RegisterFile.xmm(to), src);
            else asm.mov(Width.QWORD, X64RegisterFile.gpr(to), src);
        } else if (type == ValType.V128) {
            loadVector(type, FSCRATCH2, slotAt(from, type));
            storeVector(type, slotAt(to, type), FSCRATCH2);
        } else {
            asm.mov(Width.QWORD, Gpr.RAX, slotAt(from, type));
            asm.mov(Width.QWORD, slotAt(to, type), Gpr.RAX);
        }
    }

    /** A parallel move, sequenced; cycles are broken through R11 or XMM15. */
    void parallelMove(List<ParallelMoves.Move> moves) {
        for (ParallelMoves.Move m : ParallelMoves.sequence(moves, t -> X64RegisterFile.isFloat(t)
                ? X64RegisterFile.number(FSCRATCH) : X64RegisterFile.number(SCRATCH))) {
            move(m.from(), m.to(), m.type());
        }
    }

    /** Where control really goes when it reaches {@code b} (past blocks with no code). */
    BasicBlock destination(BasicBlock b) {
        return facts.destination(b);
    }

    Label block(BasicBlock b) {
        return blockLabels[facts.destination(b).id];
    }

    Label epilogue() {
        return epilogue;
    }

    // ---- traps ----

    /** A label that traps with {@code kind}; the stub is emitted after the function body. */
    Label trap(TrapKind kind, int wasmOffset) {
        return trap(kind, wasmOffset, null);
    }

    /** {@code mov esi, code; call kiln_trap} (the trap routine finds the store through R15), after {@code before}. */
    private Label trap(TrapKind kind, int wasmOffset, Runnable before) {
        Label l = asm.newLabel("trap_" + kind.name().toLowerCase());
        stubs.add(() -> {
            asm.bind(l);
            if (before != null) before.run();
            asm.mov(Width.DWORD, Gpr.RSI, kind.code);
            asm.call(Backend.TRAP_SYMBOL);
            trapSites.add(new TrapSite(asm.offset(), kind, wasmOffset));
        });
        return l;
    }

    /** One trap stub per function for traps reported at the function's start (interruption, fuel). */
    private Label functionTrap(TrapKind kind) {
        return functionTraps.computeIfAbsent(kind, k -> trap(k, module.body(f.index).codeStart()));
    }

    /** After a call that may have trapped in the runtime: unwind when the execution state says so. */
    void checkTrapAfterCall(int wasmOffset) {
        Label l = asm.newLabel("propagate");
        asm.mov(Width.QWORD, SCRATCH, mem(VMCTX, VmContextLayout.STATE));
        asm.alu(AluOp.CMP, Width.DWORD, mem(SCRATCH, ExecutionStateLayout.TRAP_CODE), 0);
        asm.jcc(Condition.NE, l);
        stubs.add(() -> {
            asm.bind(l);
            asm.mov(Width.DWORD, Gpr.RSI, 0); // keep the trap code the runtime stored
            asm.call(Backend.TRAP_SYMBOL);
            trapSites.add(new TrapSite(asm.offset(), TrapKind.HOST_ERROR, wasmOffset));
        });
    }

    /** Records where a call returns, so a trap's frame walk maps this frame back to Wasm. */
    void callSite(int wasmOffset) {
        trapSites.add(TrapSite.callSite(asm.offset(), wasmOffset));
    }

    // ---- prologue and epilogue ----

    private void prologue() {
        asm.push(Gpr.RBP);
        asm.mov(Width.QWORD, Gpr.RBP, Gpr.RSP);
        for (Gpr g : frame.saved) asm.push(g);
        if (frame.allocated > 0) asm.alu(AluOp.SUB, Width.QWORD, Gpr.RSP, frame.allocated);
        // the stack check: one compare with the limit in the VMContext; the trap stub first takes rsp
        // back to the frame record, in case the frame reaches far below the limit
        asm.alu(AluOp.CMP, Width.QWORD, Gpr.RSP, mem(VMCTX, VmContextLayout.STACK_LIMIT));
        asm.jcc(Condition.B, trap(TrapKind.CALL_STACK_EXHAUSTED, module.body(f.index).codeStart(),
                () -> asm.mov(Width.QWORD, Gpr.RSP, Gpr.RBP)));
        interruptCheck();
        // parameters: registers by a parallel move, then the stack-passed ones
        FuncType t = f.type();
        ArgumentPlaces.Parameters places = X64CallingConvention.parameters(t);
        List<ParallelMoves.Move> moves = new ArrayList<>();
        for (int i = 0; i < places.count(); i++) {
            int v = f.entry().params[i];
            if (location(v) == Location.NONE || places.place(i).onStack()) continue;
            moves.add(new ParallelMoves.Move(places.place(i).register(), location(v), t.param(i)));
        }
        parallelMove(moves);
        for (int i = 0; i < places.count(); i++) {
            int v = f.entry().params[i];
            if (location(v) == Location.NONE || !places.place(i).onStack()) continue;
            MemoryOperand src = frame.incoming(places.place(i).stackOffset());
            if (X64RegisterFile.isFloat(t.param(i))) {
                Xmm d = fdst(v, FSCRATCH);
                loadVector(t.param(i) == ValType.F32 ? ValType.F64 : t.param(i), d, src);
                fput(v, d);
            } else {
                Gpr d = idst(v, SCRATCH);
                asm.mov(t.param(i) == ValType.I32 ? Width.DWORD : Width.QWORD, d, src); // an i32 zero-extended
                iput(v, d);
            }
        }
    }

    /** {@code cmp dword [vmctx + INTERRUPT], 0; jne interrupted}: how another thread stops this code. */
    private void interruptCheck() {
        asm.alu(AluOp.CMP, Width.DWORD, mem(VMCTX, VmContextLayout.INTERRUPT), 0);
        asm.jcc(Condition.NE, functionTrap(TrapKind.INTERRUPTED));
    }

    /** One unit of the store's fuel: {@code sub qword [state + FUEL], 1; js out_of_fuel} (none left: it was 0). */
    private void fuelCheck() {
        asm.mov(Width.QWORD, SCRATCH, mem(VMCTX, VmContextLayout.STATE));
        asm.alu(AluOp.SUB, Width.QWORD, mem(SCRATCH, ExecutionStateLayout.FUEL), 1);
        asm.jcc(Condition.S, functionTrap(TrapKind.OUT_OF_FUEL));
    }

    private void epilogueCode() {
        asm.bind(epilogue);
        if (frame.saved.isEmpty()) {
            asm.leave();
        } else {
            asm.lea(Width.QWORD, Gpr.RSP, mem(Gpr.RBP, -8 * frame.saved.size()));
            for (int i = frame.saved.size() - 1; i >= 0; i--) asm.pop(frame.saved.get(i));
            asm.pop(Gpr.RBP);
        }
        asm.ret(frame.incomingBytes);
    }

    /**
     * The frame replacement of a tail call (the primitive {@code return_call*} is lowered with),
     * emitted once the callee's arguments are staged: register arguments in their registers, the
     * {@code calleeStackBytes} of stack arguments in the outgoing area at [rsp]. It restores the
     * callee-saved registers, moves the stack arguments to the top of this function's incoming
     * area (whose end is where this function's caller expects rsp after the return), puts the
     * return address below them, and restores the caller's rbp; the caller then jumps to the callee.
     * With {@code record}, a 16-byte instance-return record (this function's VMContext, then the
     * return address) stays at the top instead, the arguments go below it, and the callee's return
     * address is the instance-return stub. Uses R10, R11 and XMM15 (never arguments); RAX survives.
     *
     * <pre>
     *   before:  [rbp+16+M ...]        caller's frame                  after:   same
     *            [rbp+16 .. +16+M)     this function's stack args               [top-N(-16) ..) callee's stack args
     *            [rbp+8] ret, [rbp] caller's rbp                                 below them: the return address
     *            ... saved, spills, [rsp ..+N) staged args                       rbp = caller's rbp
     * </pre>
     * The copy runs from the highest address down: the destination lies above the source.
     */
    void replaceFrame(int calleeStackBytes, boolean record) {
        for (int k = 0; k < frame.saved.size(); k++) {
            Gpr g = frame.saved.get(k);
            if (g != VMCTX) asm.mov(Width.QWORD, g, mem(Gpr.RBP, -8 * (k + 1)));
        }
        int incoming = frame.incomingBytes;
        if (!record && calleeStackBytes == incoming) {
            copyStackArguments(calleeStackBytes, 16);
            asm.leave();
            return;
        }
        int top = 16 + incoming; // rbp-relative end of this function's incoming area
        int base = top - (record ? 16 : 0) - calleeStackBytes; // rbp-relative start of the callee's
        asm.mov(Width.QWORD, SCRATCH, mem(Gpr.RBP, 8));
        asm.mov(Width.QWORD, Gpr.R10, mem(Gpr.RBP, 0));
        copyStackArguments(calleeStackBytes, base);
        if (record) {
            asm.mov(Width.QWORD, mem(Gpr.RBP, top - 8), SCRATCH);
            asm.mov(Width.QWORD, mem(Gpr.RBP, top - 16), VMCTX);
            asm.lea(Width.QWORD, SCRATCH, MemoryOperand.ripSymbol(Backend.INSTANCE_RETURN_SYMBOL));
        }
        asm.lea(Width.QWORD, Gpr.RSP, mem(Gpr.RBP, base - 8));
        asm.mov(Width.QWORD, mem(Gpr.RSP, 0), SCRATCH);
        asm.mov(Width.QWORD, Gpr.RBP, Gpr.R10);
    }

    /** Copies {@code bytes} of staged stack arguments from [rsp] to [rbp + base], 16 bytes at a time, highest first. */
    private void copyStackArguments(int bytes, int base) {
        for (int k = bytes - 16; k >= 0; k -= 16) {
            asm.movups(FSCRATCH, mem(Gpr.RSP, k));
            asm.movups(mem(Gpr.RBP, base + k), FSCRATCH);
        }
    }

    /** Return: the value(s) to RAX/XMM0 or to the return area, then the shared epilogue. */
    void returnValues(int[] values) {
        FuncType t = f.type();
        if (ArgumentPlaces.usesReturnArea(t)) {
            asm.mov(Width.QWORD, Gpr.RDX, mem(VMCTX, VmContextLayout.STATE));
            for (int i = 0; i < values.length; i++) {
                MemoryOperand dst = mem(Gpr.RDX, ExecutionStateLayout.returnSlot(i));
                if (X64RegisterFile.isFloat(t.result(i))) storeVector(t.result(i), dst, fget(values[i], FSCRATCH));
                else asm.mov(Width.QWORD, dst, iget(values[i], SCRATCH));
            }
        } else if (values.length == 1) {
            if (X64RegisterFile.isFloat(t.result(0))) fmov(X64CallingConvention.FLOAT_RESULT, values[0]);
            else asm.mov(Width.QWORD, X64CallingConvention.INT_RESULT, iop(values[0]));
        }
        asm.jmp(epilogue);
    }
}
