package dev.kiln.backend.x64;

import dev.kiln.backend.MachineFunction;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.BasicBlock;
import dev.kiln.ir.CallSignatures;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.IrFunction;
import dev.kiln.ir.Terminator;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.RuntimeHelper;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
import dev.kiln.ir.code.CpuFeature;
import dev.kiln.ir.code.CpuFeatures;
import dev.kiln.ir.code.MachineCode;
import dev.kiln.ir.code.SymbolNames;
import dev.kiln.ir.code.TrapSite;
import dev.kiln.regalloc.Allocation;
import dev.kiln.regalloc.ArgumentPlaces;
import dev.kiln.regalloc.Location;
import dev.kiln.regalloc.ParallelMoves;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

import static dev.kiln.backend.x64.MemoryOperand.mem;

/**
 * Lowers one allocated IR function to x86-64 under the internal calling convention
 * ({@link X64CallingConvention}: the VMContext in R15 and the memory base in R14 on entry): the
 * x86-64 steps of the shared {@link MachineFunction} driver. Prologue (frame, stack-limit check,
 * parameters to their locations), epilogue (which pops the incoming stack arguments), moves, and
 * the steps of calls and tail calls; instruction families are lowered by the {@code X64*Lowering}
 * classes, which use this class's operand helpers.
 */
final class X64Function extends MachineFunction<Label> {
    static final Gpr VMCTX = Gpr.R15;
    static final Gpr MEMBASE = Gpr.R14;
    static final Gpr SCRATCH = Gpr.R11;
    static final Xmm FSCRATCH = Xmm.XMM15;
    static final Xmm FSCRATCH2 = Xmm.XMM14;
    /** The third vector scratch register (SIMD sequences only). */
    static final Xmm FSCRATCH3 = Xmm.XMM13;
    /** Holds the callee's funcref descriptor in calls through one (never an argument). */
    static final Gpr DESCRIPTOR = Gpr.RAX;

    final X64Assembler asm;
    final X64Frame frame;
    /** The extensions the code may use (fallbacks replace the others). */
    final CpuFeatures cpu;
    /** The shuffles that make the spread of the extmul they feed (SIMD lowering), made when first asked for. */
    private X64SpreadShuffles spreadShuffles;

    X64Function(Module module, SymbolNames symbols, IrFunction f, Allocation alloc, CodeOptions options, boolean listing, CpuFeatures cpu) {
        super(module, symbols, f, alloc, X64CallingConvention.CONVENTION, options);
        this.cpu = cpu;
        this.asm = new X64Assembler(listing);
        asm.useVex(cpu.has(CpuFeature.AVX)); // packed (SIMD) instructions in VEX form when the CPU has AVX
        List<Gpr> calleeSaved = new ArrayList<>();
        BitSet used = alloc.usedRegisters();
        // a function that catches saves every callee-saved register: the unwinder restores none of the frames it skips
        boolean catches = catchesExceptions();
        for (Gpr g : X64CallingConvention.CALLEE_SAVED) if (catches || used.get(g.encoding())) calleeSaved.add(g);
        this.frame = new X64Frame(catches || CallSignatures.anyMayCrossInstance(module, f), calleeSaved, alloc.slotCount(), outgoingBytes(),
                incomingBytes());
    }

    X64SpreadShuffles spreadShuffles() {
        if (spreadShuffles == null) spreadShuffles = new X64SpreadShuffles(f, this::uses);
        return spreadShuffles;
    }

    @Override
    protected Label newLabel(String name) {
        return asm.newLabel(name);
    }

    @Override
    protected void bind(Label label) {
        asm.bind(label);
    }

    @Override
    protected MachineCode finish(int funcIndex, String symbol, List<TrapSite> trapSites) {
        return asm.finish().toMachineCode(funcIndex, symbol, trapSites, frame.size());
    }

    @Override
    protected void lower(Instruction i) {
        X64InstructionLowering.lower(this, i);
    }

    @Override
    protected boolean fusesWithBranch(Opcode op) {
        return X64ControlLowering.fusesWithBranch(op);
    }

    @Override
    protected void jump(Label target) {
        asm.jmp(target);
    }

    @Override
    protected void branch(Terminator.Branch br, Instruction fused, BasicBlock ifTrue, BasicBlock ifFalse, BasicBlock next) {
        X64ControlLowering.branch(this, br, fused, ifTrue, ifFalse, next);
    }

    @Override
    protected void tableSwitch(Terminator.Switch s) {
        X64ControlLowering.tableSwitch(this, s);
    }

    // ---- values and locations ----

    MemoryOperand slot(int v) {
        return slotAt(location(v), type(v));
    }

    /** The spill slot at {@code location} holding a value of {@code type} (a v128 takes two slots). */
    MemoryOperand slotAt(int location, ValType type) {
        return frame.spill(Location.slotIndex(location), X64RegisterFile.INSTANCE.slotsFor(type));
    }

    /** An integer value as an instruction operand: its register or its spill slot. */
    GprOrMemory iop(int v) {
        int l = location(v);
        return Location.isRegister(l) ? X64RegisterFile.gpr(l) : slotAt(l, type(v));
    }

    XmmOrMemory fop(int v) {
        if (type(v) == ValType.V128) return vop(v);
        int l = location(v);
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
        if (src instanceof Xmm x) movRegister(dst, x); // movaps: a whole copy, no merge into dst's old value
        else if (type(v) == ValType.V128) vmov(dst, src);
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
        int l = location(v);
        if (Location.isRegister(l)) return X64RegisterFile.gpr(l);
        asm.mov(Width.QWORD, scratch, slotAt(l, type(v)));
        return scratch;
    }

    Xmm fget(int v, Xmm scratch) {
        int l = location(v);
        if (Location.isRegister(l)) return X64RegisterFile.xmm(l);
        fmov(scratch, v);
        return scratch;
    }

    /** Where to compute a result: its own register, or {@code scratch} (then {@link #iput}). */
    Gpr idst(int v, Gpr scratch) {
        int l = location(v);
        return Location.isRegister(l) ? X64RegisterFile.gpr(l) : scratch;
    }

    Xmm fdst(int v, Xmm scratch) {
        int l = location(v);
        return Location.isRegister(l) ? X64RegisterFile.xmm(l) : scratch;
    }

    /** Stores a computed integer (all 64 bits; i32 values are kept zero-extended) into its location. */
    void iput(int v, Gpr r) {
        int l = location(v);
        if (l == Location.NONE) return;
        if (Location.isRegister(l)) {
            if (X64RegisterFile.gpr(l) != r) asm.mov(Width.QWORD, X64RegisterFile.gpr(l), r);
        } else {
            asm.mov(Width.QWORD, slotAt(l, type(v)), r);
        }
    }

    void fput(int v, Xmm r) {
        int l = location(v);
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
        int l = location(v);
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
    @Override
    public void move(int from, int to, ValType type) {
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
            // through XMM14, never a GPR: moves happen where every allocatable GPR may hold a value,
            // and R11 may hold a cycle's saved source
            asm.movsd(FSCRATCH2, slotAt(from, type));
            asm.movsd(slotAt(to, type), FSCRATCH2);
        }
    }

    /** A constant into a register, or into a slot (through R11 when it is no sign-extended imm32 of the right value). */
    @Override
    protected void loadConstant(int to, ValType type, long bits) {
        if (type == ValType.I32) bits &= 0xFFFF_FFFFL; // i32 values are kept zero-extended
        if (Location.isRegister(to)) {
            X64IntegerLowering.materialize(asm, X64RegisterFile.gpr(to), bits);
        } else if (bits == (int) bits) {
            asm.mov(Width.QWORD, slotAt(to, type), (int) bits);
        } else {
            X64IntegerLowering.materialize(asm, SCRATCH, bits);
            asm.mov(Width.QWORD, slotAt(to, type), SCRATCH);
        }
    }

    /** Cycles of moves are broken through R11 or XMM15. */
    @Override
    protected int cycleScratch(ValType t) {
        return X64RegisterFile.isFloat(t) ? X64RegisterFile.number(FSCRATCH) : X64RegisterFile.number(SCRATCH);
    }

    // ---- traps ----

    /**
     * {@code mov esi, code; call [r15+TRAP_ROUTINE]} (the trap routine finds the store through R15;
     * its address comes from the VMContext, so the code holds no absolute address).
     */
    @Override
    protected int callTrapRoutine(int code) {
        asm.mov(Width.DWORD, Gpr.RSI, code);
        asm.call(mem(VMCTX, VmContextLayout.TRAP_ROUTINE));
        return asm.offset();
    }

    @Override
    protected int here() {
        return asm.offset();
    }

    @Override
    protected void padTo(int alignment) {
        asm.align(alignment);
    }

    // ---- exceptions ----

    @Override
    protected boolean lowersExceptions() {
        return true;
    }

    @Override
    protected void raiseException(Instruction thrown, Label failed) {
        X64ExceptionLowering.raise(this, thrown, failed);
    }

    @Override
    protected void enterDispatch() {
        X64ExceptionLowering.enterDispatch(this);
    }

    @Override
    protected void catchClause(int tag, boolean withExnref, Label landing) {
        X64ExceptionLowering.clause(this, tag, withExnref, landing);
    }

    @Override
    protected void takeCaught(Instruction caught) {
        X64ExceptionLowering.takeCaught(this, caught);
    }

    /** After a call that may have trapped in the runtime: unwind when the execution state says so. */
    @Override
    public void checkTrapAfterCall(int wasmOffset) {
        Label l = asm.newLabel("propagate");
        asm.mov(Width.QWORD, SCRATCH, mem(VMCTX, VmContextLayout.STATE));
        asm.alu(AluOp.CMP, Width.DWORD, mem(SCRATCH, ExecutionStateLayout.TRAP_CODE), 0);
        asm.jcc(Condition.NE, l);
        propagateTrap(l, wasmOffset);
    }

    // ---- calls ----

    /**
     * Calls runtime helper {@code h} with the C convention (its operands already in RSI, RDX, RCX,
     * R8; R9 gets its id, RDI the VMContext), {@link X64CallingConvention#KEPT_FROM_C} pushed around
     * it. Returns the offset of the return address.
     */
    int callHelper(RuntimeHelper h) {
        X64CallingConvention.saveKeptFromC(asm);
        asm.mov(Width.DWORD, Gpr.R9, h.ordinal());
        asm.mov(Width.QWORD, Gpr.RDI, VMCTX);
        asm.call(mem(VMCTX, VmContextLayout.helper(h)));
        int returnOffset = asm.offset();
        X64CallingConvention.restoreKeptFromC(asm);
        return returnOffset;
    }

    @Override
    protected boolean loadDescriptor(Instruction call) {
        return X64CallLowering.loadDescriptor(this, call);
    }

    @Override
    protected void storeStackArgument(int v, ValType type, int stackOffset) {
        MemoryOperand dst = frame.outgoing(stackOffset);
        if (X64RegisterFile.isFloat(type)) storeVector(type, dst, fget(v, FSCRATCH));
        else asm.mov(Width.QWORD, dst, iget(v, SCRATCH));
    }

    @Override
    protected int callDirect(String symbol) {
        asm.call(symbol);
        return asm.offset();
    }

    @Override
    protected int callThroughDescriptor() {
        asm.call(mem(DESCRIPTOR, VmContextLayout.FUNC_CODE));
        return asm.offset();
    }

    @Override
    protected void reserveOutgoing(int bytes) {
        if (bytes > 0) asm.alu(AluOp.SUB, Width.QWORD, Gpr.RSP, bytes);
    }

    @Override
    protected void restorePinnedRegisters() {
        asm.mov(Width.QWORD, VMCTX, frame.vmContextSlot());
        asm.mov(Width.QWORD, MEMBASE, mem(VMCTX, VmContextLayout.MEMORY_BASE));
    }

    @Override
    protected void takeResults(Instruction call, FuncType t) {
        X64CallLowering.takeResults(this, call, t);
    }

    /**
     * Switches the pinned registers to the instance of the funcref descriptor in RAX: the stack
     * limit is copied into its VMContext first (the callee checks against its own). Uses R11;
     * leaves argument registers alone.
     */
    @Override
    protected void enterInstance() {
        asm.mov(Width.QWORD, SCRATCH, mem(VMCTX, VmContextLayout.STACK_LIMIT));
        asm.mov(Width.QWORD, VMCTX, mem(DESCRIPTOR, VmContextLayout.FUNC_VMCTX));
        asm.mov(Width.QWORD, mem(VMCTX, VmContextLayout.STACK_LIMIT), SCRATCH);
        asm.mov(Width.QWORD, MEMBASE, mem(VMCTX, VmContextLayout.MEMORY_BASE));
    }

    @Override
    protected void jumpDirect(String symbol) {
        asm.jmp(symbol);
    }

    @Override
    protected void jumpThroughDescriptor() {
        asm.jmp(mem(DESCRIPTOR, VmContextLayout.FUNC_CODE));
    }

    @Override
    protected void branchIfOtherInstance(Label target) {
        asm.alu(AluOp.CMP, Width.QWORD, VMCTX, mem(DESCRIPTOR, VmContextLayout.FUNC_VMCTX));
        asm.jcc(Condition.NE, target);
    }

    @Override
    protected void branchUnlessUnderRecord(Label target) {
        asm.mov(Width.QWORD, SCRATCH, mem(VMCTX, VmContextLayout.INSTANCE_RETURN));
        asm.alu(AluOp.CMP, Width.QWORD, mem(Gpr.RBP, 8), SCRATCH);
        asm.jcc(Condition.NE, target);
    }

    // ---- prologue and epilogue ----

    @Override
    protected void prologue() {
        asm.push(Gpr.RBP);
        asm.mov(Width.QWORD, Gpr.RBP, Gpr.RSP);
        for (Gpr g : frame.saved) asm.push(g);
        if (frame.allocated > 0) asm.alu(AluOp.SUB, Width.QWORD, Gpr.RSP, frame.allocated);
        // the stack check: one compare with the limit in the VMContext; the trap stub first takes rsp
        // back to the frame record, in case the frame reaches far below the limit
        asm.alu(AluOp.CMP, Width.QWORD, Gpr.RSP, mem(VMCTX, VmContextLayout.STACK_LIMIT));
        asm.jcc(Condition.B, trap(TrapKind.CALL_STACK_EXHAUSTED, module.body(f.index).codeStart(),
                () -> asm.mov(Width.QWORD, Gpr.RSP, Gpr.RBP)));
        if (checksInterruptionAtEntry()) interruptCheck();
        // parameters: registers by a parallel move, then the stack-passed ones
        FuncType t = f.type();
        ArgumentPlaces.Parameters places = convention.parameters(t);
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

    @Override
    protected void returnWithoutFrame() {
        asm.ret(frame.incomingBytes);
    }

    @Override
    protected long scratchClobbers(Instruction i) {
        return X64RegisterFile.INSTANCE.scratchClobbers(i);
    }

    /** Code before the prologue writes no callee-saved register (every XMM register is caller-saved). */
    @Override
    protected boolean writableBeforePrologue(int register) {
        return X64RegisterFile.isXmm(register) || !X64CallingConvention.isCalleeSaved(X64RegisterFile.gpr(register));
    }

    /** {@code cmp dword [vmctx + INTERRUPT], 0; jne interrupted}: how another thread stops this code. */
    @Override
    protected void interruptCheck() {
        asm.alu(AluOp.CMP, Width.DWORD, mem(VMCTX, VmContextLayout.INTERRUPT), 0);
        asm.jcc(Condition.NE, functionTrap(TrapKind.INTERRUPTED));
    }

    /** One unit of the store's fuel: {@code sub qword [state + FUEL], 1; js out_of_fuel} (none left: it was 0). */
    @Override
    protected void fuelCheck() {
        asm.mov(Width.QWORD, SCRATCH, mem(VMCTX, VmContextLayout.STATE));
        asm.alu(AluOp.SUB, Width.QWORD, mem(SCRATCH, ExecutionStateLayout.FUEL), 1);
        asm.jcc(Condition.S, functionTrap(TrapKind.OUT_OF_FUEL));
    }

    @Override
    protected void epilogue() {
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
     * With {@code record}, a 32-byte instance-return record (this function's VMContext, a free
     * word, the caller's rbp and this function's return address) stays at the top instead, the
     * arguments go below it, the callee's return address is the instance-return stub and its rbp
     * the record's last two words, a frame record through which frame walks reach the caller. Uses R11, XMM14 and XMM15 (never
     * arguments; R10 is callee-saved and already restored); RAX survives.
     *
     * <pre>
     *   before:  [rbp+16+M ...]        caller's frame                  after:   same
     *            [rbp+16 .. +16+M)     this function's stack args               [top-N(-16) ..) callee's stack args
     *            [rbp+8] ret, [rbp] caller's rbp                                 below them: the return address
     *            ... saved, spills, [rsp ..+N) staged args                       rbp = caller's rbp
     * </pre>
     * The copy runs from the highest address down: the destination lies above the source.
     */
    @Override
    protected void replaceFrame(int calleeStackBytes, boolean record) {
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
        int base = top - (record ? Backend.INSTANCE_RECORD_BYTES : 0) - calleeStackBytes; // rbp-relative start of the callee's
        asm.mov(Width.QWORD, SCRATCH, mem(Gpr.RBP, 8));
        asm.movq(FSCRATCH2, mem(Gpr.RBP, 0)); // the caller's rbp
        copyStackArguments(calleeStackBytes, base);
        if (record) { // {VMContext, -, caller's rbp, return address}; the callee's rbp is the last two: a frame record
            asm.mov(Width.QWORD, mem(Gpr.RBP, top - 8), SCRATCH);
            asm.movq(mem(Gpr.RBP, top - 16), FSCRATCH2);
            asm.mov(Width.QWORD, mem(Gpr.RBP, top - 32), VMCTX);
            asm.mov(Width.QWORD, SCRATCH, mem(VMCTX, VmContextLayout.INSTANCE_RETURN));
        }
        asm.lea(Width.QWORD, Gpr.RSP, mem(Gpr.RBP, base - 8));
        asm.mov(Width.QWORD, mem(Gpr.RSP, 0), SCRATCH);
        if (record) asm.lea(Width.QWORD, Gpr.RBP, mem(Gpr.RBP, top - 16));
        else asm.movq(Gpr.RBP, FSCRATCH2);
    }

    /**
     * Copies {@code bytes} of staged stack arguments from [rsp] to [rbp + base], 16 bytes at a time:
     * highest first when the destination lies above the source, else lowest first (a record can
     * put it below), so overlapping ranges copy whole.
     */
    private void copyStackArguments(int bytes, int base) {
        boolean down = base >= -frame.bytesBelowFramePointer();
        for (int j = 0; j < bytes; j += 16) {
            int k = down ? bytes - 16 - j : j;
            asm.movups(FSCRATCH, mem(Gpr.RSP, k));
            asm.movups(mem(Gpr.RBP, base + k), FSCRATCH);
        }
    }

    /** Return: the value(s) to RAX/XMM0 or to the return area (the driver adds the epilogue). */
    @Override
    protected void returnValues(int[] values) {
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
            else if (iop(values[0]) != X64CallingConvention.INT_RESULT) asm.mov(Width.QWORD, X64CallingConvention.INT_RESULT, iop(values[0]));
        }
    }
}
