package dev.kiln.backend.x64;

import dev.kiln.ir.code.Relocation;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static dev.kiln.backend.x64.ListingOperand.immediate;
import static dev.kiln.backend.x64.ListingOperand.memory;
import static dev.kiln.backend.x64.ListingOperand.operand;
import static dev.kiln.backend.x64.ListingOperand.reg;
import static dev.kiln.backend.x64.ListingOperand.text;
import static dev.kiln.backend.x64.Width.BYTE;
import static dev.kiln.backend.x64.Width.DWORD;
import static dev.kiln.backend.x64.Width.QWORD;
import static dev.kiln.backend.x64.Width.WORD;

/**
 * Assembles the x86-64 machine code of one function.
 *
 * <p>Each method appends one instruction. Integer instructions take a {@link Width} first; operands are
 * {@link Gpr}, {@link Xmm}, {@link MemoryOperand} (built with {@code MemoryOperand.mem(...)} and
 * {@code rip(...)}) and Java integers for immediates. Families of instructions that share an encoding are
 * selected by a table enum: {@link AluOp}, {@link ShiftOp}, {@link UnaryOp}, {@link MulDivOp},
 * {@link BitCountOp}, {@link SseOp}, {@link Condition}, {@link FixedInstruction}.
 *
 * <p>Branches go to {@link Label}s, which may be bound before or after they are used; calls to other
 * functions and runtime helpers name external symbols and become {@link Relocation}s. Floating-point
 * constants and jump tables live in a constant pool after the code, reached RIP-relatively:
 * <pre>{@code
 *   Label one = asm.constant64(Double.doubleToRawLongBits(1.0));
 *   asm.sse(SseOp.ADDSD, XMM0, rip(one));
 * }</pre>
 * {@link #finish()} lays out the pool, checks that every referenced label is bound and returns the
 * {@link AssembledCode}. With listing enabled, every instruction also produces one line of text in the
 * syntax of {@code objdump -d -M intel}.
 *
 * <p>Immediates of BYTE and WORD instructions may be given signed or unsigned ({@code -1} or {@code 0xFF});
 * 32-bit immediates of QWORD instructions are sign-extended by the CPU. Instances are single-use and not
 * thread-safe.
 */
public final class X64Assembler {
    private static final int JMP_REL8 = 0xEB;
    private static final int JMP_REL32 = 0xE9;
    private static final int CALL_REL32 = 0xE8;
    private static final int JCC_REL8 = 0x70;

    private final CodeBuffer code = new CodeBuffer();
    private final Listing listing;
    private final List<Relocation> relocations = new ArrayList<>();
    private final Labels labels = new Labels(this, code);
    private final ConstantPool pool = new ConstantPool();
    /** The relocation made by the instruction being emitted, for its listing line. */
    private String relocationNote;
    private boolean finished;
    /** Whether {@link VecOp} instructions are emitted in their VEX (AVX) encoding. */
    private boolean vex;

    /** An assembler without a listing. */
    public X64Assembler() {
        this(false);
    }

    /** An assembler that records a listing line per instruction when {@code listing} is true. */
    public X64Assembler(boolean listing) {
        this.listing = listing ? new Listing() : null;
    }

    // ---------------------------------------------------------------------------------------------
    // Positions, labels and the constant pool

    /** The offset at which the next instruction will be placed (e.g. to record a trap site). */
    public int offset() {
        return code.position();
    }

    /** A new unbound label. */
    public Label newLabel() {
        return newLabel(null);
    }

    /** A new unbound label with a name, shown in the listing and in errors. */
    public Label newLabel(String name) {
        return newLabel(name, false);
    }

    private Label newLabel(String name, boolean pooled) {
        checkOpen();
        return labels.create(name, pooled);
    }

    /** Binds {@code label} to the current offset and patches every earlier reference to it. */
    public void bind(Label label) {
        checkOpen();
        labels.checkOwned(label);
        if (label.pooled) {
            throw new IllegalArgumentException("constant-pool label " + label + " is bound by finish()");
        }
        labels.bindHere(label);
    }

    /** A 4-byte constant in the pool (e.g. float bits), 4-byte aligned; equal constants share one slot. */
    public Label constant32(int bits) {
        return constant(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(bits).array());
    }

    /** An 8-byte constant in the pool (e.g. double bits), 8-byte aligned; equal constants share one slot. */
    public Label constant64(long bits) {
        return constant(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(bits).array());
    }

    /**
     * A 16-byte constant in the pool, 16-byte aligned, for the packed operand of {@code andps}, {@code xorpd},
     * ... (e.g. sign masks); {@code low} is bits 0-63. Equal constants share one slot.
     */
    public Label constant128(long low, long high) {
        return constant(ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(low).putLong(high).array());
    }

    /**
     * A table of 16-byte constants in the pool ({@code words} in pairs, low half first), 16-byte
     * aligned, for an indexed load of entry n at {@code [table + 16 * n]}.
     */
    public Label constantTable(long[] words) {
        if (words.length == 0 || words.length % 2 != 0) throw new IllegalArgumentException("a table of 16-byte entries, not " + words.length + " words");
        ByteBuffer b = ByteBuffer.allocate(8 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : words) b.putLong(w);
        return constant(b.array());
    }

    private Label constant(byte[] value) {
        checkOpen();
        return pool.constant(value, () -> newLabel("const", true));
    }

    /**
     * A jump table in the pool: one signed 32-bit entry per target, holding {@code target - table}. Dispatch:
     * <pre>{@code
     *   lea(QWORD, R11, rip(table));
     *   movsx(QWORD, RAX, DWORD, mem(R11, RAX, 4, 0));
     *   alu(ADD, QWORD, RAX, R11);
     *   jmp(RAX);
     * }</pre>
     */
    public Label jumpTable(List<Label> targets) {
        checkOpen();
        targets.forEach(labels::checkOwned);
        Label table = newLabel("jump_table", true);
        pool.jumpTable(table, targets);
        return table;
    }

    /**
     * Ends the function: pads with {@code int3} to a 16-byte boundary when there is a constant pool, writes
     * the pool, and returns the code, relocations and listing. Fails with {@link IllegalStateException} when a
     * label that is referenced (by a branch, a RIP-relative operand or a jump table) was never bound.
     * The assembler cannot be used afterwards.
     */
    public AssembledCode finish() {
        checkOpen();
        labels.checkAllBound(pool.jumpTargets());
        if (!pool.isEmpty()) {
            while (code.position() % 16 != 0) {
                emit(FixedInstruction.INT3);
            }
        }
        int poolOffset = code.position();
        pool.writeTo(code, listing, labels::bindHere);
        finished = true;
        return new AssembledCode(code.toArray(), poolOffset, relocations,
                listing == null ? List.of() : listing.render());
    }

    // ---------------------------------------------------------------------------------------------
    // Data movement

    /** {@code mov dst, src}: register from register or memory. */
    public void mov(Width w, Gpr dst, GprOrMemory src) {
        int start = emit(Encoding.opcode(w == BYTE ? 0x8A : 0x8B).width(w).reg(dst).rm(src));
        list(start, "mov", reg(dst, w), operand(src, w));
    }

    /** {@code mov [dst], src}: store a register. */
    public void mov(Width w, MemoryOperand dst, Gpr src) {
        int start = emit(Encoding.opcode(w == BYTE ? 0x88 : 0x89).width(w).reg(src).rm(dst));
        list(start, "mov", operand(dst, w), reg(src, w));
    }

    /**
     * {@code mov dst, imm}, choosing the shortest encoding. At QWORD: a value in 0..2^32-1 uses the 32-bit
     * {@code mov r32, imm32} (which zero-extends), another value that fits 32 bits signed uses the
     * sign-extending {@code mov r64, imm32}, and anything else {@code movabs}. Does not touch the flags.
     */
    public void mov(Width w, Gpr dst, long imm) {
        w.checkFits(imm, "immediate");
        if (w == QWORD) {
            if (imm >>> 32 == 0) {
                w = DWORD;
            } else if (imm == (int) imm) {
                int start = emit(Encoding.opcode(0xC7).width(QWORD).digit(0).rm(dst).immediate(4, imm));
                list(start, "mov", reg(dst, QWORD), immediate(imm, QWORD));
                return;
            } else {
                movabs(dst, imm);
                return;
            }
        }
        int start = emit(Encoding.opcode(w == BYTE ? 0xB0 : 0xB8).width(w).opcodeRegister(dst)
                .immediate(w.bytes(), imm));
        list(start, "mov", reg(dst, w), immediate(imm, w));
    }

    /** {@code mov [dst], imm}; a QWORD store sign-extends the 32-bit immediate. */
    public void mov(Width w, MemoryOperand dst, int imm) {
        w.checkFits(imm, "immediate");
        int start = emit(Encoding.opcode(w == BYTE ? 0xC6 : 0xC7).width(w).digit(0).rm(dst)
                .immediate(w.immediateBytes(), imm));
        list(start, "mov", memory(dst, w.bits()), immediate(imm, w));
    }

    /** {@code movabs dst, imm64}: always the 10-byte form (useful when the value is patched later). */
    public void movabs(Gpr dst, long imm) {
        int start = emit(Encoding.opcode(0xB8).width(QWORD).opcodeRegister(dst).immediate(8, imm));
        list(start, "movabs", reg(dst, QWORD), immediate(imm, QWORD));
    }

    /** {@code movabs dst, symbol + addend}: the absolute address of an external symbol (R_X86_64_64). */
    public void movabs(Gpr dst, String symbol, long addend) {
        int start = emit(Encoding.opcode(0xB8).width(QWORD).opcodeRegister(dst).immediate(8, 0));
        String note = relocate(code.position() - 8, X64RelocationModel.R_X86_64_64, symbol, addend);
        listAnnotated(start, "movabs", note, reg(dst, QWORD), immediate(0, QWORD));
    }

    /**
     * Zero-extending move from a narrower source: {@code movzx} for a BYTE or WORD source; for a DWORD source
     * (with a QWORD destination) the plain 32-bit {@code mov}, which clears the upper half.
     */
    public void movzx(Width dstWidth, Gpr dst, Width srcWidth, GprOrMemory src) {
        checkExtension(dstWidth, srcWidth);
        if (srcWidth == DWORD) {
            mov(DWORD, dst, src);
            return;
        }
        Encoding e = Encoding.opcode(0x0F, srcWidth == BYTE ? 0xB6 : 0xB7).width(dstWidth).reg(dst).rm(src);
        if (srcWidth == BYTE) {
            e.byteRegister(src);
        }
        int start = emit(e);
        list(start, "movzx", reg(dst, dstWidth), operand(src, srcWidth));
    }

    /** Sign-extending move from a narrower source: {@code movsx} for BYTE/WORD, {@code movsxd} for DWORD. */
    public void movsx(Width dstWidth, Gpr dst, Width srcWidth, GprOrMemory src) {
        checkExtension(dstWidth, srcWidth);
        Encoding e = Encoding.opcode(switch (srcWidth) {
            case BYTE -> new int[] {0x0F, 0xBE};
            case WORD -> new int[] {0x0F, 0xBF};
            default -> new int[] {0x63};
        }).width(dstWidth).reg(dst).rm(src);
        if (srcWidth == BYTE) {
            e.byteRegister(src);
        }
        int start = emit(e);
        list(start, srcWidth == DWORD ? "movsxd" : "movsx", reg(dst, dstWidth), operand(src, srcWidth));
    }

    private static void checkExtension(Width dstWidth, Width srcWidth) {
        if (srcWidth == QWORD || dstWidth.bits() <= srcWidth.bits() || (srcWidth == DWORD && dstWidth != QWORD)) {
            throw new IllegalArgumentException("cannot extend " + srcWidth + " to " + dstWidth);
        }
    }

    /** {@code lea dst, [address]} (WORD, DWORD or QWORD). */
    public void lea(Width w, Gpr dst, MemoryOperand address) {
        requireWidth(w, "lea", WORD, DWORD, QWORD);
        int start = emit(Encoding.opcode(0x8D).width(w).reg(dst).rm(address));
        list(start, "lea", reg(dst, w), memory(address, 0));
    }

    /** {@code push r64}. */
    public void push(Gpr r) {
        int start = emit(Encoding.opcode(0x50).opcodeRegister(r));
        list(start, "push", reg(r, QWORD));
    }

    /** {@code pop r64}. */
    public void pop(Gpr r) {
        int start = emit(Encoding.opcode(0x58).opcodeRegister(r));
        list(start, "pop", reg(r, QWORD));
    }

    /** {@code xchg a, b}. */
    public void xchg(Width w, Gpr a, Gpr b) {
        int start = emit(Encoding.opcode(w == BYTE ? 0x86 : 0x87).width(w).reg(b).rm(a));
        list(start, "xchg", reg(a, w), reg(b, w));
    }

    // ---------------------------------------------------------------------------------------------
    // Integer arithmetic

    /** {@code op dst, src} for add, or, adc, sbb, and, sub, xor, cmp: register with register or memory. */
    public void alu(AluOp op, Width w, Gpr dst, GprOrMemory src) {
        int start = emit(Encoding.opcode(op.regRmOpcode(w)).width(w).reg(dst).rm(src));
        list(start, op.mnemonic(), reg(dst, w), operand(src, w));
    }

    /** {@code op [dst], src}: memory with register. */
    public void alu(AluOp op, Width w, MemoryOperand dst, Gpr src) {
        int start = emit(Encoding.opcode(op.rmRegOpcode(w)).width(w).reg(src).rm(dst));
        list(start, op.mnemonic(), operand(dst, w), reg(src, w));
    }

    /**
     * {@code op dst, imm}, using the sign-extended imm8 form when the value fits and the short accumulator
     * form for AL/AX/EAX/RAX otherwise. At QWORD the immediate is sign-extended from 32 bits.
     */
    public void alu(AluOp op, Width w, GprOrMemory dst, int imm) {
        long value = w.signExtend(w.checkFits(imm, "immediate"));
        Encoding e;
        if (w != BYTE && value == (byte) value) {
            e = Encoding.opcode(AluOp.IMM_SIGN_EXTENDED_BYTE).digit(op.digit()).rm(dst).immediate(1, value);
        } else if (dst == Gpr.RAX) {
            e = Encoding.opcode(op.accumulatorImmOpcode(w)).immediate(w.immediateBytes(), value);
        } else {
            e = Encoding.opcode(w == BYTE ? AluOp.IMM_BYTE : AluOp.IMM_FULL).digit(op.digit()).rm(dst)
                    .immediate(w.immediateBytes(), value);
        }
        int start = emit(e.width(w));
        list(start, op.mnemonic(), operand(dst, w), immediate(value, w));
    }

    /** {@code test a, b}: sets the flags from {@code a & b}. */
    public void test(Width w, GprOrMemory a, Gpr b) {
        int start = emit(Encoding.opcode(w == BYTE ? 0x84 : 0x85).width(w).reg(b).rm(a));
        list(start, "test", operand(a, w), reg(b, w));
    }

    /** {@code test a, imm} (there is no sign-extended imm8 form; use BYTE width for byte masks). */
    public void test(Width w, GprOrMemory a, int imm) {
        long value = w.signExtend(w.checkFits(imm, "immediate"));
        Encoding e = a == Gpr.RAX ? Encoding.opcode(w == BYTE ? 0xA8 : 0xA9)
                : Encoding.opcode(w == BYTE ? 0xF6 : 0xF7).digit(0).rm(a);
        int start = emit(e.width(w).immediate(w.immediateBytes(), value));
        list(start, "test", operand(a, w), immediate(value, w));
    }

    /** {@code not}/{@code neg} of a register or memory operand. */
    public void unary(UnaryOp op, Width w, GprOrMemory operand) {
        groupThree(op.digit(), op.mnemonic(), w, operand);
    }

    /** {@code mul}/{@code imul}/{@code div}/{@code idiv} with the implicit RDX:RAX pair (see {@link MulDivOp}). */
    public void mulDiv(MulDivOp op, Width w, GprOrMemory operand) {
        groupThree(op.digit(), op.mnemonic(), w, operand);
    }

    private void groupThree(int digit, String mnemonic, Width w, GprOrMemory operand) {
        int start = emit(Encoding.opcode(w == BYTE ? 0xF6 : 0xF7).width(w).digit(digit).rm(operand));
        list(start, mnemonic, operand(operand, w));
    }

    /** {@code imul dst, src}: truncating signed (and unsigned) multiply (WORD, DWORD, QWORD). */
    public void imul(Width w, Gpr dst, GprOrMemory src) {
        requireWidth(w, "imul", WORD, DWORD, QWORD);
        int start = emit(Encoding.opcode(0x0F, 0xAF).width(w).reg(dst).rm(src));
        list(start, "imul", reg(dst, w), operand(src, w));
    }

    /** {@code imul dst, src, imm}: {@code dst = src * imm} (imm8 form when it fits). */
    public void imul(Width w, Gpr dst, GprOrMemory src, int imm) {
        requireWidth(w, "imul", WORD, DWORD, QWORD);
        long value = w.signExtend(w.checkFits(imm, "immediate"));
        boolean short8 = value == (byte) value;
        int start = emit(Encoding.opcode(short8 ? 0x6B : 0x69).width(w).reg(dst).rm(src)
                .immediate(short8 ? 1 : w.immediateBytes(), value));
        list(start, "imul", reg(dst, w), operand(src, w), immediate(value, w));
    }

    /** {@code cdq}: sign-extends EAX into EDX:EAX. */
    public void cdq() {
        emit(FixedInstruction.CDQ);
    }

    /** {@code cqo}: sign-extends RAX into RDX:RAX. */
    public void cqo() {
        emit(FixedInstruction.CQO);
    }

    /**
     * {@code op dst, count} for a shift or rotate by a constant 0..255 (the CPU masks it to 5 bits, or 6 at
     * QWORD). A count of 1 uses the short by-one form.
     */
    public void shift(ShiftOp op, Width w, GprOrMemory dst, int count) {
        if (count < 0 || count > 255) {
            throw new IllegalArgumentException("shift count " + count + " is not an imm8");
        }
        Encoding e = count == 1 ? Encoding.opcode(op.byOneOpcode(w))
                : Encoding.opcode(op.byImmediateOpcode(w)).immediate(1, count);
        int start = emit(e.width(w).digit(op.digit()).rm(dst));
        list(start, op.mnemonic(), operand(dst, w), count == 1 ? text("1") : new ListingOperand.Immediate(count, 8));
    }

    /** {@code op dst, cl}: shift or rotate by CL. */
    public void shiftByCl(ShiftOp op, Width w, GprOrMemory dst) {
        int start = emit(Encoding.opcode(op.byClOpcode(w)).width(w).digit(op.digit()).rm(dst));
        list(start, op.mnemonic(), operand(dst, w), text("cl"));
    }

    /** {@code lzcnt}/{@code tzcnt}/{@code popcnt}/{@code bsf}/{@code bsr dst, src} (WORD, DWORD, QWORD). */
    public void bitCount(BitCountOp op, Width w, Gpr dst, GprOrMemory src) {
        requireWidth(w, op.mnemonic(), WORD, DWORD, QWORD);
        int start = emit(Encoding.opcode(0x0F, op.opcode()).prefix(op.prefix()).width(w).reg(dst).rm(src));
        list(start, op.mnemonic(), reg(dst, w), operand(src, w));
    }

    // ---------------------------------------------------------------------------------------------
    // Conditions

    /** {@code setcc dst}: the low byte of {@code dst} (or a memory byte) becomes 1 or 0; the rest is kept. */
    public void setcc(Condition c, GprOrMemory dst) {
        int start = emit(Encoding.opcode(0x0F, 0x90 + c.code()).digit(0).rm(dst).byteRegister(dst));
        list(start, "set" + c.suffix(), operand(dst, BYTE));
    }

    /** {@code cmovcc dst, src} (WORD, DWORD, QWORD). A DWORD cmov clears the upper half even when not taken. */
    public void cmov(Condition c, Width w, Gpr dst, GprOrMemory src) {
        requireWidth(w, "cmov", WORD, DWORD, QWORD);
        int start = emit(Encoding.opcode(0x0F, 0x40 + c.code()).width(w).reg(dst).rm(src));
        list(start, "cmov" + c.suffix(), reg(dst, w), operand(src, w));
    }

    // ---------------------------------------------------------------------------------------------
    // Control flow

    /** {@code jmp label}: rel8 when the label is already bound and near, else rel32. */
    public void jmp(Label target) {
        branch(target, "jmp", new int[] {JMP_REL8}, new int[] {JMP_REL32}, false);
    }

    /** {@code jcc label}: rel8 when the label is already bound and near, else rel32. */
    public void jcc(Condition c, Label target) {
        branch(target, "j" + c.suffix(), new int[] {JCC_REL8 + c.code()}, new int[] {0x0F, 0x80 + c.code()}, false);
    }

    /**
     * {@code jmp label} with a rel8 displacement even when the label is not bound yet; {@link #bind} fails
     * with {@link IllegalStateException} if it ends up out of range (-128..127).
     */
    public void jmpShort(Label target) {
        branch(target, "jmp", new int[] {JMP_REL8}, null, true);
    }

    /** {@code jcc label} with a rel8 displacement (see {@link #jmpShort}). */
    public void jccShort(Condition c, Label target) {
        branch(target, "j" + c.suffix(), new int[] {JCC_REL8 + c.code()}, null, true);
    }

    /** {@code call label}: a call within this function's code (rel32). */
    public void call(Label target) {
        branch(target, "call", null, new int[] {CALL_REL32}, false);
    }

    private void branch(Label target, String mnemonic, int[] rel8, int[] rel32, boolean forceShort) {
        labels.checkOwned(target);
        int here = code.position();
        boolean reachable = rel8 != null && target.isBound() && fitsByte(target.offset() - (here + rel8.length + 1));
        if (forceShort && target.isBound() && !reachable) {
            throw new IllegalArgumentException(mnemonic + " at " + Listing.hex(here) + " cannot reach " + target
                    + " with a rel8 displacement");
        }
        boolean useShort = forceShort || reachable;
        int size = useShort ? 1 : 4;
        int start = emit(Encoding.opcode(useShort ? rel8 : rel32).immediate(size, 0));
        labels.refer(target, code.position() - size, size, code.position(), 0);
        list(start, mnemonic, new ListingOperand.Target(target));
    }

    /** {@code call symbol}: a call to an external function (R_X86_64_PLT32, addend -4). */
    public void call(String symbol) {
        symbolBranch(CALL_REL32, "call", symbol);
    }

    /** {@code jmp symbol}: a tail jump to an external function (R_X86_64_PLT32, addend -4). */
    public void jmp(String symbol) {
        symbolBranch(JMP_REL32, "jmp", symbol);
    }

    private void symbolBranch(int opcode, String mnemonic, String symbol) {
        int start = emit(Encoding.opcode(opcode).immediate(4, 0));
        int end = code.position();
        String note = relocate(end - 4, X64RelocationModel.R_X86_64_PLT32, symbol, -4);
        listAnnotated(start, mnemonic, note, text(Listing.hex(end)));
    }

    /** {@code call target}: an indirect call through a register or a 64-bit memory slot. */
    public void call(GprOrMemory target) {
        int start = emit(Encoding.opcode(0xFF).digit(2).rm(target));
        list(start, "call", operand(target, QWORD));
    }

    /** {@code jmp target}: an indirect jump through a register or a 64-bit memory slot. */
    public void jmp(GprOrMemory target) {
        int start = emit(Encoding.opcode(0xFF).digit(4).rm(target));
        list(start, "jmp", operand(target, QWORD));
    }

    /** {@code ret}. */
    public void ret() {
        emit(FixedInstruction.RET);
    }

    /** {@code ret imm16}: return, then pop {@code bytes} of stack arguments (kiln's callee-pops convention). */
    public void ret(int bytes) {
        if (bytes == 0) {
            ret();
            return;
        }
        if (bytes < 0 || bytes > 0xFFFF) throw new IllegalArgumentException("ret pops 0..65535 bytes, not " + bytes);
        checkOpen();
        int start = code.position();
        code.emit8(0xC2);
        code.emit(bytes, 2);
        list(start, "ret", text(Listing.hex(bytes)));
    }

    /** {@code leave}: {@code mov rsp, rbp; pop rbp}. */
    public void leave() {
        emit(FixedInstruction.LEAVE);
    }

    /** {@code ud2}: the undefined instruction, for traps. */
    public void ud2() {
        emit(FixedInstruction.UD2);
    }

    /** {@code int3}: a breakpoint. */
    public void int3() {
        emit(FixedInstruction.INT3);
    }

    /** {@code nop}: one byte. */
    public void nop() {
        emit(FixedInstruction.NOP);
    }

    /** Emits an instruction without operands. */
    public void emit(FixedInstruction instruction) {
        checkOpen();
        int start = code.position();
        code.emit(instruction.bytes());
        if (instruction.operands().isEmpty()) {
            list(start, instruction.mnemonic());
        } else {
            list(start, instruction.mnemonic(), text(instruction.operands()));
        }
    }

    /** Emits {@code length} bytes of no-ops, as few instructions as possible (multi-byte nops of up to 9 bytes). */
    public void nop(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative nop length " + length);
        }
        while (length > 0) {
            MultiByteNop nop = MultiByteNop.ofLength(Math.min(length, MultiByteNop.MAX_LENGTH));
            int start = code.position();
            code.emit(nop.bytes());
            if (nop.operand().isEmpty()) {
                list(start, nop.mnemonic());
            } else {
                list(start, nop.mnemonic(), text(nop.operand()));
            }
            length -= nop.length();
        }
    }

    /** Pads with no-ops until the offset is a multiple of {@code alignment} (a power of two). */
    public void align(int alignment) {
        if (alignment <= 0 || Integer.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment " + alignment + " is not a power of two");
        }
        nop(-code.position() & (alignment - 1));
    }

    // ---------------------------------------------------------------------------------------------
    // SSE

    /**
     * {@code op dst, src} for the {@link SseOp.Form#XMM_XMM_OR_MEM} instructions: arithmetic, min/max,
     * sqrt, ucomis, cvtss2sd/cvtsd2ss, bitwise, moves.
     */
    public void sse(SseOp op, Xmm dst, XmmOrMemory src) {
        requireForm(op, SseOp.Form.XMM_XMM_OR_MEM);
        // in VEX form, the instructions that keep dst's upper lanes name dst as their first source
        boolean nds = vex && (op.hasThreeOperandForm() || (op == SseOp.MOVSS || op == SseOp.MOVSD) && src instanceof Xmm);
        int start = emit(sseEncoding(op, nds ? dst.encoding() : 0).reg(dst).rm(src));
        if (nds) list(start, sseMnemonic(op.mnemonic()), reg(dst), reg(dst), operand(src, op.memoryBits()));
        else list(start, sseMnemonic(op.mnemonic()), reg(dst), operand(src, op.memoryBits()));
    }

    /**
     * The encoding skeleton of a scalar SSE instruction: VEX when {@link #useVex} is on (with
     * {@code vvvv} as its extra source, 0 when it has none), so scalar code never mixes legacy SSE
     * with AVX (a legacy instruction after an AVX one can cost a merge with the upper lanes); legacy
     * with its mandatory prefix otherwise.
     */
    private Encoding sseEncoding(SseOp op, int vvvv) {
        int[] bytes = op.opcode();
        if (!vex) return Encoding.opcode(bytes).prefix(op.prefix());
        int map = bytes.length == 2 ? 1 : bytes[1] == 0x38 ? 2 : 3;
        int pp = switch (op.prefix()) {
            case 0x66 -> 1;
            case 0xF3 -> 2;
            case 0xF2 -> 3;
            default -> 0;
        };
        return Encoding.opcode(bytes).vex(map, pp, vvvv);
    }

    private String sseMnemonic(String mnemonic) {
        return vex ? "v" + mnemonic : mnemonic;
    }

    /**
     * {@code vop dst, src1, src2}: the VEX (AVX) three-operand form of an instruction that has one
     * ({@link SseOp#hasThreeOperandForm}): {@code dst = src1 op src2}, the lanes above the scalar taken
     * from {@code src1}. Needs AVX; dst need not be a source, so no copy precedes it.
     */
    public void sse(SseOp op, Xmm dst, Xmm src1, XmmOrMemory src2) {
        if (!op.hasThreeOperandForm()) throw new IllegalArgumentException(op + " has no three-operand VEX form");
        if (!vex) throw new IllegalStateException(op + " with three operands needs VEX (useVex)");
        int start = emit(sseEncoding(op, src1.encoding()).reg(dst).rm(src2));
        list(start, "v" + op.mnemonic(), reg(dst), reg(src1), operand(src2, op.memoryBits()));
    }

    /** {@code op dst, src, imm8} for the {@link SseOp.Form#XMM_XMM_OR_MEM_IMM8} instructions (roundss/roundsd). */
    public void sse(SseOp op, Xmm dst, XmmOrMemory src, int imm8) {
        requireForm(op, SseOp.Form.XMM_XMM_OR_MEM_IMM8);
        if (imm8 < 0 || imm8 > 255) {
            throw new IllegalArgumentException("imm8 " + imm8 + " out of range");
        }
        int start = emit(sseEncoding(op, vex ? dst.encoding() : 0).reg(dst).rm(src).immediate(1, imm8));
        if (vex) list(start, sseMnemonic(op.mnemonic()), reg(dst), reg(dst), operand(src, op.memoryBits()), new ListingOperand.Immediate(imm8, 8));
        else list(start, op.mnemonic(), reg(dst), operand(src, op.memoryBits()), new ListingOperand.Immediate(imm8, 8));
    }

    /** {@code roundss}/{@code roundsd dst, src, mode}. */
    public void round(SseOp op, Xmm dst, XmmOrMemory src, RoundingMode mode) {
        sse(op, dst, src, mode.immediate());
    }

    /** {@code op [dst], src} for the {@link SseOp.Form#MEM_XMM} stores. */
    public void sse(SseOp op, MemoryOperand dst, Xmm src) {
        requireForm(op, SseOp.Form.MEM_XMM);
        int start = emit(sseEncoding(op, 0).reg(src).rm(dst));
        list(start, sseMnemonic(op.mnemonic()), memory(dst, op.memoryBits()), reg(src));
    }

    /** {@code movss dst, src}: load a float, or merge the low float of another register. */
    public void movss(Xmm dst, XmmOrMemory src) {
        sse(SseOp.MOVSS, dst, src);
    }

    /** {@code movss [dst], src}: store a float. */
    public void movss(MemoryOperand dst, Xmm src) {
        sse(SseOp.MOVSS_STORE, dst, src);
    }

    /** {@code movsd dst, src}: load a double, or merge the low double of another register. */
    public void movsd(Xmm dst, XmmOrMemory src) {
        sse(SseOp.MOVSD, dst, src);
    }

    /** {@code movsd [dst], src}: store a double. */
    public void movsd(MemoryOperand dst, Xmm src) {
        sse(SseOp.MOVSD_STORE, dst, src);
    }

    /** {@code movups dst, src}: 16 bytes from memory (any alignment) or a whole register. */
    public void movups(Xmm dst, XmmOrMemory src) {
        sse(SseOp.MOVUPS, dst, src);
    }

    /** {@code movups [dst], src}: store 16 bytes (any alignment). */
    public void movups(MemoryOperand dst, Xmm src) {
        sse(SseOp.MOVUPS_STORE, dst, src);
    }

    /** {@code movaps dst, src}: copy a whole XMM register (the usual register-to-register float move). */
    public void movaps(Xmm dst, Xmm src) {
        sse(SseOp.MOVAPS, dst, src);
    }

    /** {@code movd xmm, r/m32}: 32 bits into the low lane, zeroing the rest (f32.reinterpret_i32). */
    public void movd(Xmm dst, GprOrMemory src) {
        xmmFromInteger(SseOp.MOVD_TO_XMM, DWORD, dst, src);
    }

    /** {@code movq xmm, r/m64}: 64 bits into the low lane, zeroing the rest (f64.reinterpret_i64). */
    public void movq(Xmm dst, GprOrMemory src) {
        xmmFromInteger(SseOp.MOVD_TO_XMM, QWORD, dst, src);
    }

    /** {@code movd r/m32, xmm}: the low 32 bits (i32.reinterpret_f32). */
    public void movd(GprOrMemory dst, Xmm src) {
        integerFromXmm(SseOp.MOVD_FROM_XMM, DWORD, dst, src);
    }

    /** {@code movq r/m64, xmm}: the low 64 bits (i64.reinterpret_f64). */
    public void movq(GprOrMemory dst, Xmm src) {
        integerFromXmm(SseOp.MOVD_FROM_XMM, QWORD, dst, src);
    }

    /** {@code cvtsi2ss dst, src}: signed DWORD or QWORD integer to float. */
    public void cvtsi2ss(Width srcWidth, Xmm dst, GprOrMemory src) {
        xmmFromInteger(SseOp.CVTSI2SS, srcWidth, dst, src);
    }

    /** {@code cvtsi2sd dst, src}: signed DWORD or QWORD integer to double. */
    public void cvtsi2sd(Width srcWidth, Xmm dst, GprOrMemory src) {
        xmmFromInteger(SseOp.CVTSI2SD, srcWidth, dst, src);
    }

    /** {@code cvttss2si dst, src}: float to signed DWORD or QWORD integer, truncating. */
    public void cvttss2si(Width dstWidth, Gpr dst, XmmOrMemory src) {
        integerFromXmmOrMemory(SseOp.CVTTSS2SI, dstWidth, dst, src);
    }

    /** {@code cvttsd2si dst, src}: double to signed DWORD or QWORD integer, truncating. */
    public void cvttsd2si(Width dstWidth, Gpr dst, XmmOrMemory src) {
        integerFromXmmOrMemory(SseOp.CVTTSD2SI, dstWidth, dst, src);
    }

    /** {@code cvtss2si dst, src}: float to signed DWORD or QWORD integer, rounding to nearest (even). */
    public void cvtss2si(Width dstWidth, Gpr dst, XmmOrMemory src) {
        integerFromXmmOrMemory(SseOp.CVTSS2SI, dstWidth, dst, src);
    }

    /** {@code cvtsd2si dst, src}: double to signed DWORD or QWORD integer, rounding to nearest (even). */
    public void cvtsd2si(Width dstWidth, Gpr dst, XmmOrMemory src) {
        integerFromXmmOrMemory(SseOp.CVTSD2SI, dstWidth, dst, src);
    }

    private void xmmFromInteger(SseOp op, Width w, Xmm dst, GprOrMemory src) {
        requireForm(op, SseOp.Form.XMM_GPR_OR_MEM);
        requireWidth(w, op.mnemonic(w), DWORD, QWORD);
        boolean nds = vex && op != SseOp.MOVD_TO_XMM; // vcvtsi2sd keeps dst's upper lanes: dst is a source
        int start = emit(sseEncoding(op, nds ? dst.encoding() : 0).rexW(w == QWORD).reg(dst).rm(src));
        if (nds) list(start, sseMnemonic(op.mnemonic(w)), reg(dst), reg(dst), operand(src, w));
        else list(start, sseMnemonic(op.mnemonic(w)), reg(dst), operand(src, w));
    }

    private void integerFromXmmOrMemory(SseOp op, Width w, Gpr dst, XmmOrMemory src) {
        requireForm(op, SseOp.Form.GPR_XMM_OR_MEM);
        requireWidth(w, op.mnemonic(w), DWORD, QWORD);
        int start = emit(sseEncoding(op, 0).rexW(w == QWORD).reg(dst).rm(src));
        list(start, sseMnemonic(op.mnemonic(w)), reg(dst, w), operand(src, op.memoryBits()));
    }

    private void integerFromXmm(SseOp op, Width w, GprOrMemory dst, Xmm src) {
        requireForm(op, SseOp.Form.GPR_OR_MEM_XMM);
        requireWidth(w, op.mnemonic(w), DWORD, QWORD);
        int start = emit(sseEncoding(op, 0).rexW(w == QWORD).reg(src).rm(dst));
        list(start, sseMnemonic(op.mnemonic(w)), operand(dst, w), reg(src));
    }

    // ---------------------------------------------------------------------------------------------
    // Packed SSE / AVX ({@link VecOp})

    /**
     * Chooses the encoding of the {@link VecOp} instructions from now on: VEX (AVX, three operands)
     * or legacy SSE (two operands: the destination must be the first source).
     */
    public void useVex(boolean on) {
        this.vex = on;
    }

    /** True when {@link VecOp} instructions are VEX-encoded. */
    public boolean usesVex() {
        return vex;
    }

    /** {@code dst = src1 op src2} ({@link VecOp.Form#BINARY}); in SSE encoding {@code dst} must be {@code src1}. */
    public void vec(VecOp op, Xmm dst, Xmm src1, XmmOrMemory src2) {
        requireVecForm(op, VecOp.Form.BINARY);
        vecThreeOperand(op, dst, src1, src2, -1);
    }

    /** {@code dst = op(src1, src2, imm8)} ({@link VecOp.Form#BINARY_IMM}); in SSE encoding {@code dst} must be {@code src1}. */
    public void vec(VecOp op, Xmm dst, Xmm src1, XmmOrMemory src2, int imm8) {
        requireVecForm(op, VecOp.Form.BINARY_IMM);
        vecThreeOperand(op, dst, src1, src2, checkImm8(imm8));
    }

    /** {@code dst = op(src)} ({@link VecOp.Form#UNARY}). */
    public void vec(VecOp op, Xmm dst, XmmOrMemory src) {
        requireVecForm(op, VecOp.Form.UNARY);
        vecTwoOperand(op, dst, src, -1);
    }

    /** {@code dst = op(src, imm8)} ({@link VecOp.Form#UNARY_IMM}). */
    public void vec(VecOp op, Xmm dst, XmmOrMemory src, int imm8) {
        requireVecForm(op, VecOp.Form.UNARY_IMM);
        vecTwoOperand(op, dst, src, checkImm8(imm8));
    }

    /** {@code dst = src shifted by imm8} ({@link VecOp.Form#SHIFT_IMM}); in SSE encoding {@code dst} must be {@code src}. */
    public void vecShift(VecOp op, Xmm dst, Xmm src, int imm8) {
        requireVecForm(op, VecOp.Form.SHIFT_IMM);
        checkImm8(imm8);
        Encoding e = vecEncoding(op, vex ? dst.encoding() : -1).digit(op.digit).rm(src).immediate(1, imm8);
        if (!vex) requireSame(op, dst, src);
        int start = emit(e);
        ListingOperand imm = new ListingOperand.Immediate(imm8, 8);
        if (vex) list(start, "v" + op.mnemonic(), reg(dst), reg(src), imm);
        else list(start, op.mnemonic(), reg(dst), imm);
    }

    /** {@code [dst] = src} ({@link VecOp.Form#STORE}). */
    public void vecStore(VecOp op, MemoryOperand dst, Xmm src) {
        requireVecForm(op, VecOp.Form.STORE);
        int start = emit(vecEncoding(op, vex ? 0 : -1).reg(src).rm(dst));
        list(start, vecMnemonic(op, -1), memory(dst, op.memoryBits), reg(src));
    }

    /**
     * {@code dst = lane imm8 of src} ({@link VecOp.Form#EXTRACT}): into a 32-bit register (64-bit
     * for pextrq), zero-extended, or into memory.
     */
    public void vecExtract(VecOp op, GprOrMemory dst, Xmm src, int imm8) {
        requireVecForm(op, VecOp.Form.EXTRACT);
        checkImm8(imm8);
        int start = emit(vecEncoding(op, vex ? 0 : -1).reg(src).rm(dst).immediate(1, imm8));
        list(start, vecMnemonic(op, -1), gprOrMemory(dst, op), reg(src), new ListingOperand.Immediate(imm8, 8));
    }

    /**
     * {@code dst = src1 with lane imm8 replaced by src2} ({@link VecOp.Form#INSERT}), {@code src2} a
     * 32-bit register (64-bit for pinsrq) or memory; in SSE encoding {@code dst} must be {@code src1}.
     */
    public void vecInsert(VecOp op, Xmm dst, Xmm src1, GprOrMemory src2, int imm8) {
        requireVecForm(op, VecOp.Form.INSERT);
        checkImm8(imm8);
        if (!vex) requireSame(op, dst, src1);
        int start = emit(vecEncoding(op, vex ? src1.encoding() : -1).reg(dst).rm(src2).immediate(1, imm8));
        ListingOperand imm = new ListingOperand.Immediate(imm8, 8);
        if (vex) list(start, "v" + op.mnemonic(), reg(dst), reg(src1), gprOrMemory(src2, op), imm);
        else list(start, op.mnemonic(), reg(dst), gprOrMemory(src2, op), imm);
    }

    /** {@code dst = the lanes' top bits} ({@link VecOp.Form#MASK}), into a 32-bit register. */
    public void vecMask(VecOp op, Gpr dst, Xmm src) {
        requireVecForm(op, VecOp.Form.MASK);
        int start = emit(vecEncoding(op, vex ? 0 : -1).reg(dst).rm(src));
        list(start, vecMnemonic(op, -1), reg(dst, DWORD), reg(src));
    }

    /**
     * {@code dst = mask ? src2 : src1} by the top bit of each lane of {@code mask} ({@link VecOp.Form#BLENDV}).
     * In SSE encoding {@code dst} must be {@code src1} and {@code mask} must be XMM0.
     */
    public void blendv(VecOp op, Xmm dst, Xmm src1, XmmOrMemory src2, Xmm mask) {
        requireVecForm(op, VecOp.Form.BLENDV);
        if (vex) {
            // VEX.128.66.0F3A 4A/4B/4C /r /is4: the mask register in imm8[7:4]
            int opcode = switch (op) {
                case BLENDVPS -> 0x4A;
                case BLENDVPD -> 0x4B;
                default -> 0x4C;
            };
            int start = emit(Encoding.opcode(opcode).vex(3, op.vexPp(), src1.encoding()).reg(dst).rm(src2)
                    .immediate(1, mask.encoding() << 4));
            list(start, "v" + op.mnemonic(), reg(dst), reg(src1), operand(src2, op.memoryBits), reg(mask));
            return;
        }
        requireSame(op, dst, src1);
        if (mask != Xmm.XMM0) throw new IllegalArgumentException(op.mnemonic() + " without VEX takes its mask in xmm0, not " + mask);
        int start = emit(vecEncoding(op, -1).reg(dst).rm(src2));
        list(start, op.mnemonic(), reg(dst), operand(src2, op.memoryBits), reg(Xmm.XMM0));
    }

    private void vecThreeOperand(VecOp op, Xmm dst, Xmm src1, XmmOrMemory src2, int imm8) {
        if (!vex) requireSame(op, dst, src1);
        requireMemoryAllowed(op, src2);
        Encoding e = vecEncoding(op, vex ? src1.encoding() : -1).reg(dst).rm(src2);
        if (imm8 >= 0) e.immediate(1, imm8);
        int start = emit(e);
        boolean predicate = op == VecOp.CMPPS || op == VecOp.CMPPD;
        String mnemonic = vecMnemonic(op, predicate ? imm8 : -1);
        ListingOperand last = imm8 >= 0 && !predicate ? new ListingOperand.Immediate(imm8, 8) : null;
        ListingOperand source = operand(src2, op.memoryBits);
        if (vex) {
            if (last == null) list(start, mnemonic, reg(dst), reg(src1), source);
            else list(start, mnemonic, reg(dst), reg(src1), source, last);
        } else {
            if (last == null) list(start, mnemonic, reg(dst), source);
            else list(start, mnemonic, reg(dst), source, last);
        }
    }

    private void vecTwoOperand(VecOp op, Xmm dst, XmmOrMemory src, int imm8) {
        requireMemoryAllowed(op, src);
        Encoding e = vecEncoding(op, vex ? 0 : -1).reg(dst).rm(src);
        if (imm8 >= 0) e.immediate(1, imm8);
        int start = emit(e);
        if (imm8 >= 0) list(start, vecMnemonic(op, -1), reg(dst), operand(src, op.memoryBits), new ListingOperand.Immediate(imm8, 8));
        else list(start, vecMnemonic(op, -1), reg(dst), operand(src, op.memoryBits));
    }

    /** The encoding skeleton: VEX with {@code vvvv} (0 when unused), or legacy when {@code vvvv < 0}. */
    private Encoding vecEncoding(VecOp op, int vvvv) {
        if (vvvv >= 0) {
            return Encoding.opcode(op.opcode).vex(op.map, op.vexPp(), vvvv).rexW(op.wide());
        }
        if (!op.hasSseForm()) throw new IllegalArgumentException(op.mnemonic() + " has no SSE encoding; enable VEX");
        return Encoding.opcode(op.legacyOpcode()).prefix(op.prefix).rexW(op.wide());
    }

    private String vecMnemonic(VecOp op, int predicate) {
        String base = op.mnemonic();
        if (predicate >= 0) base = "cmp" + VecOp.comparePredicate(predicate) + base.substring(3);
        return vex && op.hasSseForm() ? "v" + base : base;
    }

    private static ListingOperand gprOrMemory(GprOrMemory o, VecOp op) {
        return switch (o) {
            case Gpr g -> reg(g, op.wide() ? QWORD : DWORD);
            case MemoryOperand m -> memory(m, op.memoryBits);
        };
    }

    private static void requireVecForm(VecOp op, VecOp.Form form) {
        if (op.form() != form) throw new IllegalArgumentException(op + " has form " + op.form() + ", not " + form);
    }

    private static void requireSame(VecOp op, Xmm dst, Xmm src1) {
        if (dst != src1) {
            throw new IllegalArgumentException(op.mnemonic() + " without VEX overwrites its first source: " + dst + " must be " + src1);
        }
    }

    private static void requireMemoryAllowed(VecOp op, XmmOrMemory src) {
        if (src instanceof MemoryOperand && op.memoryBits == 0) {
            throw new IllegalArgumentException(op.mnemonic() + " takes no memory operand");
        }
        if (src instanceof Xmm && op.memoryOnly()) throw new IllegalArgumentException(op.mnemonic() + " loads from memory only");
    }

    private static int checkImm8(int imm8) {
        if (imm8 < 0 || imm8 > 255) throw new IllegalArgumentException("imm8 " + imm8 + " out of range");
        return imm8;
    }

    // ---------------------------------------------------------------------------------------------
    // Internals

    /** Writes {@code e}, resolves its RIP-relative operand, and returns the instruction's start offset. */
    private int emit(Encoding e) {
        checkOpen();
        if (e.memory() instanceof MemoryOperand.RipLabel r) {
            labels.checkOwned(r.label());
        }
        int start = code.position();
        int field = e.writeTo(code);
        int end = code.position();
        if (field >= 0) {
            switch (e.memory()) {
                case MemoryOperand.RipLabel r -> labels.refer(r.label(), field, 4, end, r.displacement());
                case MemoryOperand.RipSymbol s -> relocationNote =
                        relocate(field, X64RelocationModel.R_X86_64_PC32, s.symbol(), s.addend() - (end - field));
                case MemoryOperand.Address a -> throw new AssertionError(a);
            }
        }
        return start;
    }

    private String relocate(int field, int type, String symbol, long addend) {
        Objects.requireNonNull(symbol, "symbol");
        relocations.add(new Relocation(field, type, symbol, addend));
        return X64RelocationModel.describe(type, symbol, addend);
    }

    private void list(int start, String mnemonic, ListingOperand... operands) {
        listAnnotated(start, mnemonic, null, operands);
    }

    private void listAnnotated(int start, String mnemonic, String annotation, ListingOperand... operands) {
        if (listing != null) {
            if (relocationNote != null) {
                annotation = annotation == null ? relocationNote : annotation + " " + relocationNote;
            }
            listing.add(start, code.position(), mnemonic, annotation, operands);
        }
        relocationNote = null;
    }

    private static boolean fitsByte(long value) {
        return value == (byte) value;
    }

    private static void requireWidth(Width w, String mnemonic, Width... allowed) {
        for (Width a : allowed) {
            if (a == w) {
                return;
            }
        }
        throw new IllegalArgumentException(mnemonic + " has no " + w + " form");
    }

    private static void requireForm(SseOp op, SseOp.Form form) {
        if (op.form() != form) {
            throw new IllegalArgumentException(op + " has form " + op.form() + ", not " + form);
        }
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("the assembler is finished");
        }
    }
}
