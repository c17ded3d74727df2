package dev.kiln.backend.x64;

import dev.kiln.backend.MachineFunction;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.regalloc.Location;

import static dev.kiln.backend.x64.MemoryOperand.mem;

/**
 * Linear-memory loads and stores, and the instance state reached through the VMContext: globals,
 * memory size, tables and function references.
 *
 * <p>An access of {@code size} bytes at {@code addr + offset} (addr a zero-extended u32, kept so in
 * its register) with guard pages ({@link MachineFunction#guarded}): {@code [R14 + addr + offset]},
 * the access itself recorded as the trap site a fault there becomes. With explicit checks:
 * R11 = addr + offset + size (a trap when a 64-bit address makes it wrap), trap when R11 exceeds
 * the memory size, then access {@code [R14 + R11 - size]} (memory 0) or {@code [R11 - size]} after
 * adding the base of another memory, read from the VMContext.
 */
final class X64MemoryLowering {
    private X64MemoryLowering() {
    }

    /**
     * The operand of {@code i}'s access, with the bounds check when there is one. Call
     * {@link #site} right before emitting the access instruction.
     */
    static MemoryOperand address(X64Function fn, Instruction i) {
        long offset = i.imm;
        Integer constant = constantAddress(fn, i);
        if (constant != null && fn.guarded(i)) return mem(X64Function.MEMBASE, constant);
        if (fn.guarded(i)) {
            Gpr addr = fn.iget(i.arg(0), X64Function.SCRATCH);
            if (offset <= Integer.MAX_VALUE) return mem(X64Function.MEMBASE, addr, 1, (int) offset);
            farAddress(fn, i, offset); // R11 = address + offset
            return mem(X64Function.MEMBASE, X64Function.SCRATCH, 1, 0);
        }
        return boundsCheckedAddress(fn, i);
    }

    /**
     * For a scalar load or store {@code i} whose address is the constant {@code address}: the access's
     * first byte, {@code address + offset}, when it is at most {@link Integer#MAX_VALUE} (a displacement
     * then reaches it and no sum can wrap), else null. Such an address needs no register
     * ({@link X64Immediates}).
     */
    static Integer displacement(Instruction i, long address) {
        if (i.op.isSimd() || address < 0 || i.imm < 0) return null;
        long first = address + i.imm; // both non-negative: a sum past 2^63 wraps to a negative one
        return first >= 0 && first <= Integer.MAX_VALUE ? (int) first : null;
    }

    /** The displacement of {@code i}'s access when its address is a constant left without a register, else null. */
    private static Integer constantAddress(X64Function fn, Instruction i) {
        int a = i.arg(0);
        Long c = fn.constant(a);
        return c != null && fn.location(a) == Location.NONE ? displacement(i, c) : null;
    }

    /**
     * The operand of {@code i}'s access after an explicit bounds check: every access when guard pages
     * are off, and with them every access to a memory other than 0 or with a 64-bit address.
     * R11 = addr + offset + size, trapping when that wraps (only a 64-bit address can) or exceeds
     * the memory's size; memory 0's base is R14, another memory's is added to R11 from the VMContext.
     */
    private static MemoryOperand boundsCheckedAddress(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        int size = i.op.memoryBytes;
        int memory = MachineFunction.memoryOf(i);
        long end = i.imm + size;
        Integer constant = constantAddress(fn, i);
        if (constant != null) {
            asm.mov(Width.QWORD, X64Function.SCRATCH, (long) constant + size); // no wrap: the end is below 2^31 + 16
        } else if (fn.is64BitMemory(memory)) {
            if (Long.compareUnsigned(end, i.imm) < 0) { // offset + size wraps: no address is in bounds
                asm.jmp(fn.trap(TrapKind.OUT_OF_BOUNDS_MEMORY, i.wasmOffset));
                return mem(X64Function.MEMBASE, 0);
            }
            if (end >= 0 && end <= Integer.MAX_VALUE) {
                asm.mov(Width.QWORD, X64Function.SCRATCH, fn.iop(i.arg(0)));
                asm.alu(AluOp.ADD, Width.QWORD, X64Function.SCRATCH, (int) end);
            } else {
                farAddress(fn, i, end);
            }
            asm.jcc(Condition.B, fn.trap(TrapKind.OUT_OF_BOUNDS_MEMORY, i.wasmOffset)); // carry: the sum wrapped
        } else if (end <= Integer.MAX_VALUE) {
            Gpr addr = fn.iget(i.arg(0), X64Function.SCRATCH);
            asm.lea(Width.QWORD, X64Function.SCRATCH, mem(addr, (int) end));
        } else {
            farAddress(fn, i, end);
        }
        asm.alu(AluOp.CMP, Width.QWORD, X64Function.SCRATCH, mem(X64Function.VMCTX, (int) VmContextLayout.memorySize(memory)));
        asm.jcc(Condition.A, fn.trap(TrapKind.OUT_OF_BOUNDS_MEMORY, i.wasmOffset));
        if (memory == 0) return mem(X64Function.MEMBASE, X64Function.SCRATCH, 1, -size);
        asm.alu(AluOp.ADD, Width.QWORD, X64Function.SCRATCH, mem(X64Function.VMCTX, (int) VmContextLayout.memoryBase(memory)));
        return mem(X64Function.SCRATCH, -size);
    }

    /**
     * R11 = the address operand + {@code add}, an addend too large for a displacement; the address is
     * read from its register or slot after R11 is set (i32 addresses are kept zero-extended in both).
     * The add sets the carry flag when a 64-bit sum wraps.
     */
    private static void farAddress(X64Function fn, Instruction i, long add) {
        fn.asm.mov(Width.QWORD, X64Function.SCRATCH, add);
        fn.asm.alu(AluOp.ADD, Width.QWORD, X64Function.SCRATCH, fn.iop(i.arg(0)));
    }

    /** Records the next instruction as {@code i}'s access when guard pages check it. */
    static void site(X64Function fn, Instruction i) {
        if (fn.guarded(i)) fn.guardedAccess(fn.asm.offset(), i.wasmOffset);
    }

    static void access(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        Opcode op = i.op;
        if (op.resultCount() == 0) {
            // store: the value must not live in R11, which may hold the address
            int v = i.arg(1);
            ValType t = fn.type(v);
            if (X64RegisterFile.isFloat(t)) {
                Xmm x = fn.fget(v, X64Function.FSCRATCH);
                MemoryOperand at = address(fn, i);
                site(fn, i);
                if (op == Opcode.F32_STORE) asm.movss(at, x);
                else asm.movsd(at, x);
            } else {
                Width w = switch (op.memoryBytes) {
                    case 1 -> Width.BYTE;
                    case 2 -> Width.WORD;
                    case 4 -> Width.DWORD;
                    default -> Width.QWORD;
                };
                Long imm = fn.constant(v);
                if (imm != null && fn.location(v) == Location.NONE) {
                    MemoryOperand at = address(fn, i);
                    long bits = switch (w) {
                        case BYTE -> (byte) (long) imm;
                        case WORD -> (short) (long) imm;
                        default -> (int) (long) imm;
                    };
                    site(fn, i);
                    asm.mov(w, at, (int) bits);
                } else if (fn.inRegister(v)) {
                    Gpr x = (Gpr) fn.iop(v);
                    MemoryOperand at = address(fn, i);
                    site(fn, i);
                    asm.mov(w, at, x);
                } else {
                    // a spilled value and an address that may be in R11: borrow a register the address
                    // is not in, saved around the store (the slots are rbp-relative, so the push moves none)
                    int addr = fn.location(i.arg(0));
                    Gpr x = Location.isRegister(addr) && X64RegisterFile.gpr(addr) == Gpr.RAX ? Gpr.RCX : Gpr.RAX;
                    asm.push(x);
                    asm.mov(Width.QWORD, x, fn.slot(v));
                    MemoryOperand at = address(fn, i);
                    site(fn, i);
                    asm.mov(w, at, x);
                    asm.pop(x);
                }
            }
            return;
        }
        MemoryOperand at = address(fn, i);
        int r = i.result();
        site(fn, i);
        switch (op) {
            case F32_LOAD, F64_LOAD -> {
                Xmm d = fn.fdst(r, X64Function.FSCRATCH);
                if (op == Opcode.F32_LOAD) asm.movss(d, at);
                else asm.movsd(d, at);
                fn.fput(r, d);
            }
            default -> {
                Gpr d = fn.idst(r, X64Function.SCRATCH); // R11 may be the address's index: read before written
                switch (op) {
                    case I32_LOAD, I64_LOAD32_U -> asm.mov(Width.DWORD, d, at);
                    case I64_LOAD -> asm.mov(Width.QWORD, d, at);
                    case I32_LOAD8_U, I64_LOAD8_U -> asm.movzx(Width.DWORD, d, Width.BYTE, at);
                    case I32_LOAD16_U, I64_LOAD16_U -> asm.movzx(Width.DWORD, d, Width.WORD, at);
                    case I32_LOAD8_S -> asm.movsx(Width.DWORD, d, Width.BYTE, at);
                    case I32_LOAD16_S -> asm.movsx(Width.DWORD, d, Width.WORD, at);
                    case I64_LOAD8_S -> asm.movsx(Width.QWORD, d, Width.BYTE, at);
                    case I64_LOAD16_S -> asm.movsx(Width.QWORD, d, Width.WORD, at);
                    case I64_LOAD32_S -> asm.movsx(Width.QWORD, d, Width.DWORD, at);
                    default -> throw new IllegalStateException("no x86-64 lowering for " + op);
                }
                fn.iput(r, d);
            }
        }
    }

    /** R11 = the address of a global's value cell. */
    private static void globalCell(X64Function fn, int index) {
        fn.asm.mov(Width.QWORD, X64Function.SCRATCH, mem(X64Function.VMCTX, VmContextLayout.GLOBALS));
        fn.asm.mov(Width.QWORD, X64Function.SCRATCH, mem(X64Function.SCRATCH, 8 * index));
    }

    /** R11 = the address of a table's record {base, size}. */
    static void tableRecord(X64Function fn, Gpr into, int table) {
        fn.asm.mov(Width.QWORD, into, mem(X64Function.VMCTX, VmContextLayout.TABLES));
        fn.asm.mov(Width.QWORD, into, mem(into, 8 * table));
    }

    static void state(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        switch (i.op) {
            case GLOBAL_GET -> {
                ValType t = fn.type(i.result());
                globalCell(fn, (int) i.imm);
                MemoryOperand cell = mem(X64Function.SCRATCH, 0);
                if (X64RegisterFile.isFloat(t)) {
                    Xmm d = fn.fdst(i.result(), X64Function.FSCRATCH);
                    if (t == ValType.F32) asm.movss(d, cell);
                    else fn.loadVector(t, d, cell);
                    fn.fput(i.result(), d);
                } else {
                    Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
                    asm.mov(X64Function.width(t), d, cell);
                    fn.iput(i.result(), d);
                }
            }
            case GLOBAL_SET -> {
                int v = i.arg(0);
                ValType t = fn.type(v);
                if (X64RegisterFile.isFloat(t)) {
                    Xmm x = fn.fget(v, X64Function.FSCRATCH);
                    globalCell(fn, (int) i.imm);
                    if (t == ValType.F32) asm.movss(mem(X64Function.SCRATCH, 0), x);
                    else fn.storeVector(t, mem(X64Function.SCRATCH, 0), x);
                } else {
                    Gpr x = fn.iget(v, Gpr.RAX);
                    globalCell(fn, (int) i.imm);
                    asm.mov(X64Function.width(t), mem(X64Function.SCRATCH, 0), x);
                }
            }
            case MEMORY_SIZE -> {
                Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
                asm.mov(Width.QWORD, d, mem(X64Function.VMCTX, (int) VmContextLayout.memorySize((int) i.imm)));
                asm.shift(ShiftOp.SHR, Width.QWORD, d, 16);
                fn.iput(i.result(), d);
            }
            case TABLE_SIZE -> {
                Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
                tableRecord(fn, X64Function.SCRATCH, (int) i.imm);
                asm.mov(Width.QWORD, d, mem(X64Function.SCRATCH, VmContextLayout.TABLE_SIZE));
                fn.iput(i.result(), d);
            }
            case TABLE_GET, TABLE_SET -> {
                asm.mov(fn.is64BitTable((int) i.imm) ? Width.QWORD : Width.DWORD, Gpr.RAX, fn.iop(i.arg(0))); // index, zero-extended
                if (i.op == Opcode.TABLE_SET) asm.mov(Width.QWORD, Gpr.RDX, fn.iop(i.arg(1)));
                tableRecord(fn, X64Function.SCRATCH, (int) i.imm);
                asm.alu(AluOp.CMP, Width.QWORD, Gpr.RAX, mem(X64Function.SCRATCH, VmContextLayout.TABLE_SIZE));
                asm.jcc(Condition.AE, fn.trap(TrapKind.OUT_OF_BOUNDS_TABLE, i.wasmOffset));
                asm.mov(Width.QWORD, X64Function.SCRATCH, mem(X64Function.SCRATCH, VmContextLayout.TABLE_BASE));
                MemoryOperand element = mem(X64Function.SCRATCH, Gpr.RAX, 8, 0);
                if (i.op == Opcode.TABLE_SET) {
                    asm.mov(Width.QWORD, element, Gpr.RDX);
                } else {
                    asm.mov(Width.QWORD, Gpr.RAX, element);
                    fn.iput(i.result(), Gpr.RAX);
                }
            }
            case REF_FUNC -> {
                Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
                asm.mov(Width.QWORD, X64Function.SCRATCH, mem(X64Function.VMCTX, VmContextLayout.FUNCTIONS));
                asm.mov(Width.QWORD, d, mem(X64Function.SCRATCH, 8 * (int) i.imm));
                fn.iput(i.result(), d);
            }
            default -> throw new IllegalStateException("no x86-64 lowering for " + i.op);
        }
    }
}
