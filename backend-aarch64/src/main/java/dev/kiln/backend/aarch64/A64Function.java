package dev.kiln.backend.aarch64;

import dev.kiln.backend.MachineFunction;
import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.MachineType;
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
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.ir.code.Backend;
import dev.kiln.ir.code.CodeOptions;
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

import static dev.kiln.backend.aarch64.GeneralRegister.FP;
import static dev.kiln.backend.aarch64.GeneralRegister.LR;
import static dev.kiln.backend.aarch64.GeneralRegister.SP;

/**
 * Lowers one allocated IR function to AArch64 under the internal calling convention
 * ({@link A64CallingConvention}: the VMContext in X19 and the memory base in X20 on entry):
 * prologue (frame record, stack-limit check, parameters to their locations), every block, edge
 * moves, the epilogue (which pops the incoming stack arguments), and the out-of-line trap stubs. Instruction families are lowered by the {@code A64*Lowering}
 * classes, which use this class's operand helpers.
 *
 * <p>Integer values live in X registers and 8-byte slots; i32 values are kept zero-extended (every
 * 32-bit A64 operation writing a W register does that), so they can index memory directly. Float
 * values live in D registers (an f32 in the low 32 bits, used through the S view) and 8-byte slots;
 * v128 values in Q registers and 16-byte aligned pairs of slots.
 * Constants the allocator left without a location ({@link A64Immediates}) are encoded as
 * immediates where the lowering can, and otherwise materialised into a scratch register by
 * {@link #iget}/{@link #fget}.
 */
final class A64Function extends MachineFunction<Label> {
    static final GeneralRegister VMCTX = GeneralRegister.X19;
    static final GeneralRegister MEMBASE = GeneralRegister.X20;
    /** Scratch registers of the lowering (X16/X17 are AAPCS64's intra-procedure-call scratch registers). */
    static final GeneralRegister SCRATCH = GeneralRegister.X16;
    static final GeneralRegister SCRATCH2 = GeneralRegister.X17;
    static final GeneralRegister SCRATCH3 = GeneralRegister.X15;
    /** Holds the address of a spill slot beyond the reach of an SP-relative offset. */
    static final GeneralRegister FAR = GeneralRegister.X14;
    static final VectorRegister FSCRATCH = VectorRegister.D31;
    static final VectorRegister FSCRATCH2 = VectorRegister.D30;
    /** The third vector scratch register (SIMD sequences only). */
    static final VectorRegister FSCRATCH3 = VectorRegister.D29;
    /** Largest SP-relative offset an 8-byte LDR/STR encodes (scaled unsigned 12 bits). */
    private static final long MAX_SCALED_8 = 8L * 4095;

    /** Holds the callee's funcref descriptor in calls through one (never an argument). */
    static final GeneralRegister DESCRIPTOR = SCRATCH3;

    final A64Assembler asm;
    final A64Frame frame;

    A64Function(Module module, SymbolNames symbols, IrFunction f, Allocation alloc, CodeOptions options, boolean listing) {
        super(module, symbols, f, alloc, A64CallingConvention.CONVENTION, options);
        this.asm = new A64Assembler(listing);
        List<A64Register> calleeSaved = new ArrayList<>();
        BitSet used = (BitSet) alloc.usedRegisters().clone();
        // a function that catches saves every callee-saved register: the unwinder restores none of the frames it skips
        boolean catches = catchesExceptions();
        if (catches) {
            for (int r : A64RegisterFile.INSTANCE.allocatable(A64RegisterFile.INT)) used.set(r);
            for (int r : A64RegisterFile.INSTANCE.allocatable(A64RegisterFile.FLOAT)) used.set(r);
        }
        for (int r = used.nextSetBit(0); r >= 0; r = used.nextSetBit(r + 1)) {
            if (!A64RegisterFile.isCalleeSaved(r)) continue;
            calleeSaved.add(A64RegisterFile.isVector(r) ? A64RegisterFile.fpr(r) : A64RegisterFile.gpr(r));
        }
        this.frame = new A64Frame(catches || CallSignatures.anyMayCrossInstance(module, f), calleeSaved, alloc.slotCount(), outgoingBytes(),
                incomingBytes());
    }

    @Override
    protected Label newLabel(String name) {
        return asm.newLabel();
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
        A64InstructionLowering.lower(this, i);
    }

    @Override
    protected boolean fusesWithBranch(Opcode op) {
        return A64ControlLowering.fusesWithBranch(op);
    }

    @Override
    protected void jump(Label target) {
        asm.b(target);
    }

    @Override
    protected void branch(Terminator.Branch br, Instruction fused, BasicBlock ifTrue, BasicBlock ifFalse, BasicBlock next) {
        A64ControlLowering.branch(this, br, fused, ifTrue, ifFalse, next);
    }

    @Override
    protected void tableSwitch(Terminator.Switch s) {
        A64ControlLowering.tableSwitch(this, s);
    }

    // ---- values and locations ----

    /** The function's signature: its entry block's parameters and its results. */
    private FuncType signature() {
        return f.type();
    }

    /** True when {@code v} is an integer constant the allocator gave no location (it must be encoded or materialised). */
    boolean isUnallocatedConstant(int v) {
        return location(v) == Location.NONE && (facts.intConstant(v) != null);
    }

    static boolean is64(ValType t) {
        return t.machine() == MachineType.I64 || t.machine() == MachineType.F64 || t.machine() == MachineType.REF;
    }

    /** The S or D view of a SIMD&amp;FP register for a value of type {@code t}. */
    static VectorRegister view(VectorRegister r, ValType t) {
        return t == ValType.F32 ? r.s() : t == ValType.V128 ? r.q() : r.d();
    }

    /** The register view a value of type {@code t} is stored and loaded with (S and D values spill 8 bytes). */
    static VectorRegister spillView(VectorRegister r, ValType t) {
        return t == ValType.V128 ? r.q() : r.d();
    }

    /** The address of a spill slot: SP-relative, or through {@link #FAR} when beyond 32 KiB. */
    Address slotAddress(int location) {
        long off = frame.spillOffset(Location.slotIndex(location));
        if (off <= MAX_SCALED_8) return Address.offset(SP, off); // v128 slots are 16-byte aligned: a q access reaches this too
        asm.mov(FAR, off);
        asm.add(FAR, SP, FAR);
        return Address.base(FAR);
    }

    /**
     * {@code [base, #offset]} for an access of {@code bytes} bytes, or {@code [base, temp]} with the
     * offset materialised in {@code temp} when it does not fit the instruction.
     */
    Address field(GeneralRegister base, long offset, int bytes, GeneralRegister temp) {
        if (Address.isOffsetEncodable(offset, bytes)) return Address.offset(base, offset);
        asm.mov(temp, offset);
        return Address.index(base, temp);
    }

    /** Materialises an integer constant of type {@code t} (i32: zero-extended) in {@code x}. */
    void materialize(GeneralRegister x, ValType t, long bits) {
        if (t == ValType.I32) asm.mov(x.w(), bits & 0xFFFF_FFFFL);
        else asm.mov(x.x(), bits);
    }

    /** The value in an X register: its own, or {@code scratch} after a load from its slot (or a constant's materialisation). */
    GeneralRegister iget(int v, GeneralRegister scratch) {
        int l = location(v);
        if (Location.isRegister(l)) return A64RegisterFile.gpr(l);
        if (l == Location.NONE) {
            Long c = facts.intConstant(v);
            if (c == null) throw new IllegalStateException("v" + v + " has no location");
            materialize(scratch, type(v), c);
            return scratch.x();
        }
        asm.ldr(scratch.x(), slotAddress(l));
        return scratch.x();
    }

    /** The value in a SIMD&amp;FP register, in the S or D view of its type. */
    VectorRegister fget(int v, VectorRegister scratch) {
        ValType t = type(v);
        int l = location(v);
        if (Location.isRegister(l)) return view(A64RegisterFile.fpr(l), t);
        if (l == Location.NONE) {
            Long c = facts.floatConstant(v);
            if (c == null) throw new IllegalStateException("v" + v + " has no location");
            asm.movFloat(view(scratch, t), c);
            return view(scratch, t);
        }
        asm.ldr(spillView(scratch, t), slotAddress(l));
        return view(scratch, t);
    }

    /** Where to compute a result: its own register, or {@code scratch} (then {@link #iput}). X view. */
    GeneralRegister idst(int v, GeneralRegister scratch) {
        int l = location(v);
        return Location.isRegister(l) ? A64RegisterFile.gpr(l) : scratch.x();
    }

    /** Where to compute a float result, in the view of its type. */
    VectorRegister fdst(int v, VectorRegister scratch) {
        int l = location(v);
        return view(Location.isRegister(l) ? A64RegisterFile.fpr(l) : scratch, type(v));
    }

    /** Stores a computed integer (all 64 bits; i32 values are kept zero-extended) into its location. */
    void iput(int v, GeneralRegister r) {
        int l = location(v);
        if (l == Location.NONE) return;
        if (Location.isRegister(l)) {
            if (A64RegisterFile.gpr(l) != r.x()) asm.mov(A64RegisterFile.gpr(l), r.x());
        } else {
            asm.str(r.x(), slotAddress(l));
        }
    }

    void fput(int v, VectorRegister r) {
        int l = location(v);
        if (l == Location.NONE) return;
        ValType t = type(v);
        if (Location.isRegister(l)) {
            if (A64RegisterFile.fpr(l).number() == r.number()) return;
            if (t == ValType.V128) asm.movVector(A64RegisterFile.fpr(l), r);
            else asm.fmov(A64RegisterFile.fpr(l), r.d());
        } else {
            asm.str(spillView(r, t), slotAddress(l));
        }
    }

    // ---- moves ----

    /** Emits one move between locations (registers or slots) of a value of {@code type}. */
    @Override
    public void move(int from, int to, ValType type) {
        if (from == to) return;
        boolean fromReg = Location.isRegister(from), toReg = Location.isRegister(to);
        if (fromReg && toReg) {
            if (!A64RegisterFile.isVector(from)) asm.mov(A64RegisterFile.gpr(to), A64RegisterFile.gpr(from));
            else if (type == ValType.V128) asm.movVector(A64RegisterFile.fpr(to), A64RegisterFile.fpr(from));
            else asm.fmov(A64RegisterFile.fpr(to), A64RegisterFile.fpr(from));
        } else if (fromReg) {
            asm.str(A64RegisterFile.isVector(from) ? spillView(A64RegisterFile.fpr(from), type) : A64RegisterFile.gpr(from), slotAddress(to));
        } else if (toReg) {
            asm.ldr(A64RegisterFile.isVector(to) ? spillView(A64RegisterFile.fpr(to), type) : A64RegisterFile.gpr(to), slotAddress(from));
        } else if (type == ValType.V128) {
            asm.ldr(FSCRATCH2.q(), slotAddress(from));
            asm.str(FSCRATCH2.q(), slotAddress(to));
        } else {
            asm.ldr(SCRATCH2, slotAddress(from));
            asm.str(SCRATCH2, slotAddress(to));
        }
    }

    /** A constant into a register, or into a slot through X16. */
    @Override
    protected void loadConstant(int to, ValType type, long bits) {
        GeneralRegister d = Location.isRegister(to) ? A64RegisterFile.gpr(to) : SCRATCH.x();
        materialize(d, type, bits);
        if (!Location.isRegister(to)) asm.str(d, slotAddress(to));
    }

    /** Cycles of moves are broken through X16 or V31. */
    @Override
    protected int cycleScratch(ValType t) {
        return A64RegisterFile.isFloat(t) ? A64RegisterFile.number(FSCRATCH) : A64RegisterFile.number(SCRATCH);
    }

    // ---- calls and traps ----

    /**
     * Emits a call instruction (exactly one) and returns the offset of its return address. No
     * island can fall between the offset taken and the call.
     */
    int call(Runnable callInstruction) {
        asm.ensureContiguous(4);
        int at = asm.offset();
        callInstruction.run();
        return at + 4;
    }

    /**
     * {@code mov w1, #code; ldr x16, [x19, #TRAP_ROUTINE]; blr x16}: the trap routine's address comes
     * from the VMContext, so the code holds no absolute address and may run from a mapped object.
     */
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
        A64ExceptionLowering.raise(this, thrown, failed);
    }

    @Override
    protected void enterDispatch() {
        A64ExceptionLowering.enterDispatch(this);
    }

    @Override
    protected void catchClause(int tag, boolean withExnref, Label landing) {
        A64ExceptionLowering.clause(this, tag, withExnref, landing);
    }

    @Override
    protected void takeCaught(Instruction caught) {
        A64ExceptionLowering.takeCaught(this, caught);
    }

    @Override
    protected int callTrapRoutine(int code) {
        asm.mov(GeneralRegister.W1, code);
        asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.TRAP_ROUTINE));
        return call(() -> asm.blr(SCRATCH));
    }

    /** After a call that may have trapped in the runtime: unwind when the execution state says so. */
    @Override
    public void checkTrapAfterCall(int wasmOffset) {
        Label l = asm.newLabel();
        asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.STATE));
        asm.ldr(SCRATCH.w(), Address.offset(SCRATCH, ExecutionStateLayout.TRAP_CODE));
        asm.cbnz(SCRATCH.w(), l);
        propagateTrap(l, wasmOffset);
    }

    // ---- calls ----

    @Override
    protected boolean loadDescriptor(Instruction call) {
        return A64CallLowering.loadDescriptor(this, call);
    }

    @Override
    protected void storeStackArgument(int v, ValType type, int stackOffset) {
        A64Register r = A64RegisterFile.isFloat(type) ? spillView(fget(v, FSCRATCH), type) : iget(v, SCRATCH2);
        asm.str(r, field(SP, stackOffset, type == ValType.V128 ? 16 : 8, SCRATCH));
    }

    @Override
    protected int callDirect(String symbol) {
        return call(() -> asm.bl(symbol));
    }

    @Override
    protected int callThroughDescriptor() {
        asm.ldr(SCRATCH, Address.offset(DESCRIPTOR, VmContextLayout.FUNC_CODE));
        return call(() -> asm.blr(SCRATCH));
    }

    @Override
    protected void reserveOutgoing(int bytes) {
        reserveOutgoing(asm, bytes);
    }

    @Override
    protected void restorePinnedRegisters() {
        asm.ldr(VMCTX, Address.offset(FP, frame.vmContextOffset()));
        asm.ldr(MEMBASE, Address.offset(VMCTX, VmContextLayout.MEMORY_BASE));
    }

    @Override
    protected void takeResults(Instruction call, FuncType t) {
        A64CallLowering.takeResults(this, call, t);
    }

    /**
     * Switches the pinned registers to the instance of the funcref descriptor in X15: the stack
     * limit is copied into its VMContext first (the callee checks against its own). Uses X16;
     * leaves argument registers alone.
     */
    @Override
    protected void enterInstance() {
        asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.STACK_LIMIT));
        asm.ldr(VMCTX, Address.offset(DESCRIPTOR, VmContextLayout.FUNC_VMCTX));
        asm.str(SCRATCH, Address.offset(VMCTX, VmContextLayout.STACK_LIMIT));
        asm.ldr(MEMBASE, Address.offset(VMCTX, VmContextLayout.MEMORY_BASE));
    }

    @Override
    protected void jumpDirect(String symbol) {
        asm.b(symbol);
    }

    /** {@code ldr x16, [x15, #FUNC_CODE]; br x16}. */
    @Override
    protected void jumpThroughDescriptor() {
        asm.ldr(SCRATCH, Address.offset(DESCRIPTOR, VmContextLayout.FUNC_CODE));
        asm.br(SCRATCH);
    }

    @Override
    protected void branchIfOtherInstance(Label target) {
        asm.ldr(SCRATCH, Address.offset(DESCRIPTOR, VmContextLayout.FUNC_VMCTX));
        asm.cmp(SCRATCH, VMCTX);
        asm.b(Condition.NE, target);
    }

    @Override
    protected void branchUnlessUnderRecord(Label target) {
        asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.INSTANCE_RETURN));
        asm.ldr(SCRATCH2, Address.offset(FP, 8));
        asm.cmp(SCRATCH, SCRATCH2);
        asm.b(Condition.NE, target);
    }

    // ---- resource limits ----

    /** {@code ldr w16, [x19, #INTERRUPT]; cbnz w16, interrupted}: how another thread stops this code. */
    @Override
    protected void interruptCheck() {
        asm.ldr(SCRATCH.w(), Address.offset(VMCTX, VmContextLayout.INTERRUPT));
        asm.cbnz(SCRATCH.w(), functionTrap(TrapKind.INTERRUPTED));
    }

    /** One unit of the store's fuel: decrement the state's FUEL word; none left (it was 0) traps. */
    @Override
    protected void fuelCheck() {
        asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.STATE));
        asm.ldr(SCRATCH2, Address.offset(SCRATCH, ExecutionStateLayout.FUEL));
        asm.subs(SCRATCH2, SCRATCH2, 1);
        asm.str(SCRATCH2, Address.offset(SCRATCH, ExecutionStateLayout.FUEL));
        asm.b(Condition.MI, functionTrap(TrapKind.OUT_OF_FUEL));
    }

    // ---- prologue and epilogue ----

    @Override
    protected void prologue() {
        asm.stp(FP, LR, Address.preIndex(SP, -16));
        asm.mov(FP, SP);
        if (frame.below > 0) {
            if (AddSubOp.isImmediateEncodable(frame.below)) {
                asm.sub(SP, SP, frame.below);
            } else {
                asm.mov(SCRATCH, frame.below);
                asm.sub(SP, SP, SCRATCH);
            }
        }
        // the stack check: one load of the limit in the VMContext, one compare; the trap stub first
        // takes SP back to the frame record, in case the frame reaches far below the limit
        asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.STACK_LIMIT));
        asm.cmp(SP, SCRATCH);
        asm.b(Condition.LO, trap(TrapKind.CALL_STACK_EXHAUSTED, module.body(f.index).codeStart(), () -> asm.mov(SP, FP)));
        if (checksInterruptionAtEntry()) interruptCheck();
        saveOrRestore(true);
        // parameters: registers by a parallel move, then the stack-passed ones
        FuncType t = signature();
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
            Address src = Address.offset(FP, A64Frame.incomingOffset(places.place(i).stackOffset()));
            if (A64RegisterFile.isFloat(t.param(i))) {
                VectorRegister d = fdst(v, FSCRATCH);
                asm.ldr(spillView(d, t.param(i)), src);
                fput(v, d);
            } else {
                GeneralRegister d = idst(v, SCRATCH);
                asm.ldr(t.param(i) == ValType.I32 ? d.w() : d, src); // an i32 zero-extended
                iput(v, d);
            }
        }
    }

    /** Saves (prologue) or restores (epilogue) the callee-saved registers the function uses, in pairs where possible. */
    private void saveOrRestore(boolean save) {
        List<A64Register> regs = frame.saved;
        for (int k = 0; k < regs.size(); k++) {
            A64Register r = regs.get(k);
            if (k + 1 < regs.size() && regs.get(k + 1).getClass() == r.getClass()) {
                // stp stores its first register at the lower address: the (k+1)-th slot
                Address at = Address.offset(FP, frame.savedOffset(k + 1));
                if (save) asm.stp(regs.get(k + 1), r, at);
                else asm.ldp(regs.get(k + 1), r, at);
                k++;
            } else {
                Address at = Address.offset(FP, frame.savedOffset(k));
                if (save) asm.str(r, at);
                else asm.ldr(r, at);
            }
        }
    }

    @Override
    protected void epilogue() {
        saveOrRestore(false);
        asm.mov(SP, FP);
        asm.ldp(FP, LR, Address.postIndex(SP, 16));
        returnWithoutFrame();
    }

    @Override
    protected void returnWithoutFrame() {
        popIncoming(asm, frame.incomingBytes);
        asm.ret();
    }

    /** Code before the prologue writes no callee-saved register (X21-X28, the low halves of V8-V15). */
    @Override
    protected boolean writableBeforePrologue(int register) {
        return !A64RegisterFile.isCalleeSaved(register);
    }

    /** {@code add sp, sp, #bytes}: pops a function's incoming stack arguments (kiln's callee-pops convention). */
    static void popIncoming(A64Assembler asm, int bytes) {
        if (bytes == 0) return;
        if (AddSubOp.isImmediateEncodable(bytes)) {
            asm.add(SP, SP, bytes);
        } else {
            asm.mov(SCRATCH, bytes);
            asm.add(SP, SP, SCRATCH);
        }
    }

    /** {@code sub sp, sp, #bytes}: re-reserves a call's outgoing stack arguments after the callee popped them. */
    static void reserveOutgoing(A64Assembler asm, int bytes) {
        if (bytes == 0) return;
        if (AddSubOp.isImmediateEncodable(bytes)) {
            asm.sub(SP, SP, bytes);
        } else {
            asm.mov(SCRATCH, bytes);
            asm.sub(SP, SP, SCRATCH);
        }
    }

    /**
     * The frame replacement of a tail call (the primitive {@code return_call*} is lowered with),
     * emitted once the callee's arguments are staged: register arguments in their registers, the
     * {@code calleeStackBytes} of stack arguments in the outgoing area at [sp]. It restores the
     * callee-saved registers, reloads x29/x30 from the frame record (x30 = this function's return
     * address, which becomes the callee's), moves the stack arguments to the top of this function's
     * incoming area (whose end is where this function's caller expects SP after the return) and sets
     * SP to them; the caller then branches to the callee. With {@code record}, a 32-byte
     * instance-return record ({x19, a free word, the caller's x29, the return address}) stays at the
     * top instead, the arguments go below it, x30 is the instance-return stub and x29 the record's
     * last two words, a frame record through which frame walks reach the caller. Uses X9, X16, X17 and V31 (never arguments);
     * X15 survives. The copy runs from the highest address down: the destination lies above the source.
     */
    @Override
    protected void replaceFrame(int calleeStackBytes, boolean record) {
        saveOrRestore(false);
        int top = 16 + frame.incomingBytes; // x29-relative end of this function's incoming area
        int base = top - (record ? Backend.INSTANCE_RECORD_BYTES : 0) - calleeStackBytes; // x29-relative start of the callee's
        GeneralRegister newSp = SCRATCH2;
        addConstant(newSp, FP, base);
        // with a record x9 holds the caller's x29 until the record is written; the frame record is read
        // before the copy, which may overwrite it
        asm.ldp(record ? GeneralRegister.X9 : FP, LR, Address.base(FP));
        // highest first when the destination lies above the source, else lowest first (a record can
        // put it below): overlapping ranges copy whole
        boolean down = base >= -frame.below;
        for (int j = 0; j < calleeStackBytes; j += 16) {
            int k = down ? calleeStackBytes - 16 - j : j;
            asm.ldr(FSCRATCH.q(), field(SP, k, 16, SCRATCH));
            asm.str(FSCRATCH.q(), field(newSp, k, 16, SCRATCH));
        }
        if (record) { // {x19, -, caller's x29, return address}, written once the staged arguments are copied
            asm.str(VMCTX, field(FP, top - 32, 8, SCRATCH));
            asm.str(GeneralRegister.X9, field(FP, top - 16, 8, SCRATCH));
            asm.str(LR, field(FP, top - 8, 8, SCRATCH));
            addConstant(FP, FP, top - 16); // the callee's x29: the record's frame record
            asm.ldr(LR, Address.offset(VMCTX, VmContextLayout.INSTANCE_RETURN));
        }
        asm.mov(SP, newSp);
    }

    /** {@code rd = rn + value} for any value (through X16 when it does not fit an immediate). */
    private void addConstant(GeneralRegister rd, GeneralRegister rn, long value) {
        if (AddSubOp.isImmediateEncodable(value)) {
            asm.add(rd, rn, value);
        } else if (AddSubOp.isImmediateEncodable(-value)) {
            asm.sub(rd, rn, -value);
        } else {
            asm.mov(SCRATCH, value);
            asm.add(rd, rn, SCRATCH);
        }
    }

    /** Return: the value(s) to X0/V0 or to the return area (the driver adds the epilogue). */
    @Override
    protected void returnValues(int[] values) {
        FuncType t = signature();
        if (ArgumentPlaces.usesReturnArea(t)) {
            asm.ldr(SCRATCH2, Address.offset(VMCTX, VmContextLayout.STATE));
            for (int i = 0; i < values.length; i++) {
                ValType rt = t.result(i);
                A64Register r = A64RegisterFile.isFloat(rt) ? spillView(fget(values[i], FSCRATCH), rt) : iget(values[i], SCRATCH);
                asm.str(r, Address.offset(SCRATCH2, ExecutionStateLayout.returnSlot(i))); // < 16 KiB: always encodable
            }
        } else if (values.length == 1) {
            ValType rt = t.result(0);
            if (A64RegisterFile.isFloat(rt)) {
                VectorRegister r = fget(values[0], A64CallingConvention.FLOAT_RESULT);
                if (r.number() != 0) {
                    if (rt == ValType.V128) asm.movVector(A64CallingConvention.FLOAT_RESULT, r);
                    else asm.fmov(A64CallingConvention.FLOAT_RESULT, r.d());
                }
            } else {
                GeneralRegister r = iget(values[0], A64CallingConvention.INT_RESULT);
                if (r != A64CallingConvention.INT_RESULT) asm.mov(A64CallingConvention.INT_RESULT, r);
            }
        }
    }
}
