package dev.kiln.backend.aarch64;

import dev.kiln.backend.MachineFunction;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.VmContextLayout;

import static dev.kiln.backend.aarch64.A64Function.FSCRATCH;
import static dev.kiln.backend.aarch64.A64Function.MEMBASE;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH2;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH3;
import static dev.kiln.backend.aarch64.A64Function.VMCTX;

/**
 * Linear-memory loads and stores, and the instance state reached through the VMContext: globals,
 * memory size, tables and function references.
 *
 * <p>An access of {@code size} bytes at {@code addr + offset}: the effective address
 * {@code ea = addr + offset} (a zero-extended u32 addr cannot wrap; a 64-bit one traps when it
 * does), then the access at {@code [x20, ea]} for memory 0, or at {@code [x15, ea]} with x15 the
 * base of another memory, loaded from the VMContext. With guard pages ({@link MachineFunction#guarded}) the access itself is
 * recorded as the trap site a fault there becomes; a store is preceded by a load of the same bytes
 * (the probe, recorded instead), because AArch64 may write the in-bounds part of a store that
 * crosses into the guard before faulting, and a trapping store must change nothing. With explicit
 * checks: X17 = memory size - size and a trap when {@code ea > X17} as signed numbers (a memory
 * smaller than the access makes X17 negative, and every ea is then out of bounds).
 */
final class A64MemoryLowering {
    private A64MemoryLowering() {
    }

    /**
     * Where an access goes: {@code base + index}, base being memory 0's pinned X20 or, for another
     * memory, X15 loaded from the VMContext after the bounds check; index the effective address
     * (X16, or the address operand's own register).
     */
    record Place(GeneralRegister base, GeneralRegister index) {
        Address address() {
            return Address.index(base, index);
        }
    }

    /**
     * Emits the bounds check (or, with guard pages, a store's probe) and returns where the access
     * goes.
     */
    static Place checkedAddress(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        int size = i.op.memoryBytes;
        if (!fn.guarded(i)) return boundsCheckedAddress(fn, i);
        GeneralRegister ea = effectiveAddress(fn, i);
        if (i.op.resultCount() == 0) { // the probe: a load of the bytes the store will write
            Address at = Address.index(MEMBASE, ea);
            site(fn, i);
            switch (size) {
                case 1 -> asm.ldrb(SCRATCH3.w(), at);
                case 2 -> asm.ldrh(SCRATCH3.w(), at);
                case 4 -> asm.ldr(SCRATCH3.w(), at);
                case 8 -> asm.ldr(SCRATCH3, at);
                default -> asm.ldr(VectorRegister.D30.q(), at);
            }
        }
        return new Place(MEMBASE, ea);
    }

    /**
     * Where the access goes after an explicit bounds check: every access when guard pages are off,
     * and with them every access to a memory other than 0 or with a 64-bit address.
     */
    private static Place boundsCheckedAddress(A64Function fn, Instruction i) {
        GeneralRegister ea = effectiveAddress(fn, i);
        boundsCheck(fn, i, ea);
        int memory = MachineFunction.memoryOf(i);
        if (memory == 0) return new Place(MEMBASE, ea);
        fn.asm.ldr(SCRATCH3, fn.field(VMCTX, VmContextLayout.memoryBase(memory), 8, SCRATCH3));
        return new Place(SCRATCH3, ea);
    }

    /**
     * {@code addr + offset} in X16, or in addr's own register when the offset is 0. A 64-bit address
     * plus the offset traps when the sum wraps (a 32-bit one cannot wrap).
     */
    private static GeneralRegister effectiveAddress(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        long offset = i.imm;
        int addrValue = i.arg(0);
        boolean wide = fn.is64BitMemory(MachineFunction.memoryOf(i));
        if (fn.isUnallocatedConstant(addrValue)) {
            long address = wide ? fn.constant(addrValue) : fn.constant(addrValue) & 0xFFFF_FFFFL;
            long ea = address + offset;
            if (wide && Long.compareUnsigned(ea, address) < 0) { // wraps: out of bounds whatever the size
                asm.b(fn.trap(TrapKind.OUT_OF_BOUNDS_MEMORY, i.wasmOffset));
                ea = 0;
            }
            asm.mov(SCRATCH, ea);
            return SCRATCH;
        }
        GeneralRegister addr = fn.iget(addrValue, SCRATCH);
        if (offset == 0) return addr;
        if (wide) {
            if (AddSubOp.isImmediateEncodable(offset)) {
                asm.adds(SCRATCH, addr, offset);
            } else {
                asm.mov(SCRATCH2, offset);
                asm.adds(SCRATCH, addr, SCRATCH2);
            }
            asm.b(Condition.HS, fn.trap(TrapKind.OUT_OF_BOUNDS_MEMORY, i.wasmOffset)); // carry: the sum wrapped
        } else if (AddSubOp.isImmediateEncodable(offset)) {
            asm.add(SCRATCH, addr, offset);
        } else {
            asm.mov(SCRATCH2, offset);
            asm.add(SCRATCH, addr, SCRATCH2);
        }
        return SCRATCH;
    }

    /**
     * Traps when {@code ea + size} exceeds the memory size. Memory 0 with 32-bit addresses compares
     * signed against size - access size (a memory smaller than the access makes that negative); the
     * others, whose ea may use all 64 bits, compare unsigned and trap first when the memory is
     * smaller than the access.
     */
    private static void boundsCheck(A64Function fn, Instruction i, GeneralRegister ea) {
        A64Assembler asm = fn.asm;
        int size = i.op.memoryBytes;
        if (fn.fastMemoryPath(i)) {
            asm.ldr(SCRATCH2, Address.offset(VMCTX, VmContextLayout.MEMORY_SIZE));
            asm.sub(SCRATCH2, SCRATCH2, size);
            asm.cmp(ea, SCRATCH2);
            asm.b(Condition.GT, fn.trap(TrapKind.OUT_OF_BOUNDS_MEMORY, i.wasmOffset));
            return;
        }
        asm.ldr(SCRATCH2, fn.field(VMCTX, VmContextLayout.memorySize(MachineFunction.memoryOf(i)), 8, SCRATCH2));
        asm.subs(SCRATCH2, SCRATCH2, size);
        asm.b(Condition.LO, fn.trap(TrapKind.OUT_OF_BOUNDS_MEMORY, i.wasmOffset));
        asm.cmp(ea, SCRATCH2);
        asm.b(Condition.HI, fn.trap(TrapKind.OUT_OF_BOUNDS_MEMORY, i.wasmOffset));
    }

    /** Records the next instruction as the guarded access of {@code i} (no island may come between). */
    private static void site(A64Function fn, Instruction i) {
        fn.asm.ensureContiguous(4);
        fn.guardedAccess(fn.asm.offset(), i.wasmOffset);
    }

    /** Records a load's access instruction when guard pages check it (stores record their probe). */
    static void loadSite(A64Function fn, Instruction i) {
        if (fn.guarded(i)) site(fn, i);
    }

    static void access(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        Opcode op = i.op;
        if (op.resultCount() == 0) {
            int v = i.arg(1);
            ValType t = fn.type(v);
            if (A64RegisterFile.isFloat(t)) {
                VectorRegister x = fn.fget(v, FSCRATCH);
                Address at = checkedAddress(fn, i).address();
                asm.str(op == Opcode.F32_STORE ? x.s() : x.d(), at);
                return;
            }
            Address at = checkedAddress(fn, i).address();
            // X17 is free again once the check is done: a spilled or constant value is loaded there
            GeneralRegister x;
            if (fn.isUnallocatedConstant(v)) {
                long stored = bytes(fn.constant(v), op.memoryBytes);
                if (stored == 0) {
                    x = GeneralRegister.XZR;
                } else {
                    x = SCRATCH2;
                    asm.mov(op.memoryBytes == 8 ? SCRATCH2 : SCRATCH2.w(), stored);
                }
            } else {
                x = fn.iget(v, SCRATCH2);
            }
            switch (op.memoryBytes) {
                case 1 -> asm.strb(x.w(), at);
                case 2 -> asm.strh(x.w(), at);
                case 4 -> asm.str(x.w(), at);
                default -> asm.str(x.x(), at);
            }
            return;
        }
        Address at = checkedAddress(fn, i).address();
        int r = i.result();
        switch (op) {
            case F32_LOAD, F64_LOAD -> {
                VectorRegister d = fn.fdst(r, FSCRATCH);
                loadSite(fn, i);
                asm.ldr(d, at);
                fn.fput(r, d);
            }
            default -> {
                GeneralRegister d = fn.idst(r, SCRATCH);
                loadSite(fn, i);
                switch (op) {
                    case I32_LOAD, I64_LOAD32_U -> asm.ldr(d.w(), at);
                    case I64_LOAD -> asm.ldr(d, at);
                    case I32_LOAD8_U, I64_LOAD8_U -> asm.ldrb(d, at);
                    case I32_LOAD16_U, I64_LOAD16_U -> asm.ldrh(d, at);
                    case I32_LOAD8_S -> asm.ldrsb(d.w(), at);
                    case I32_LOAD16_S -> asm.ldrsh(d.w(), at);
                    case I64_LOAD8_S -> asm.ldrsb(d, at);
                    case I64_LOAD16_S -> asm.ldrsh(d, at);
                    case I64_LOAD32_S -> asm.ldrsw(d, at);
                    default -> throw new IllegalStateException("no AArch64 lowering for " + op);
                }
                fn.iput(r, d);
            }
        }
    }

    private static long bytes(long value, int size) {
        return size == 8 ? value : value & ((1L << (8 * size)) - 1);
    }

    /** X16 = the address of a global's value cell (X17 may be used on the way). */
    private static void globalCell(A64Function fn, int index) {
        fn.asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.GLOBALS));
        fn.asm.ldr(SCRATCH, fn.field(SCRATCH, 8L * index, 8, SCRATCH2));
    }

    /** {@code into} = the address of a table's record {base, size} ({@code temp} may be used on the way). */
    static void tableRecord(A64Function fn, GeneralRegister into, int table, GeneralRegister temp) {
        fn.asm.ldr(into, Address.offset(VMCTX, VmContextLayout.TABLES));
        fn.asm.ldr(into, fn.field(into, 8L * table, 8, temp));
    }

    static void state(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        switch (i.op) {
            case GLOBAL_GET -> {
                ValType t = fn.type(i.result());
                globalCell(fn, (int) i.imm);
                Address cell = Address.base(SCRATCH);
                if (A64RegisterFile.isFloat(t)) {
                    VectorRegister d = fn.fdst(i.result(), FSCRATCH);
                    asm.ldr(d, cell);
                    fn.fput(i.result(), d);
                } else {
                    GeneralRegister d = fn.idst(i.result(), SCRATCH);
                    asm.ldr(t == ValType.I32 ? d.w() : d, cell);
                    fn.iput(i.result(), d);
                }
            }
            case GLOBAL_SET -> {
                int v = i.arg(0);
                ValType t = fn.type(v);
                globalCell(fn, (int) i.imm);
                Address cell = Address.base(SCRATCH);
                if (A64RegisterFile.isFloat(t)) {
                    asm.str(fn.fget(v, FSCRATCH), cell);
                } else {
                    GeneralRegister x = fn.iget(v, SCRATCH2);
                    asm.str(t == ValType.I32 ? x.w() : x, cell);
                }
            }
            case MEMORY_SIZE -> {
                GeneralRegister d = fn.idst(i.result(), SCRATCH);
                asm.ldr(d, fn.field(VMCTX, VmContextLayout.memorySize((int) i.imm), 8, SCRATCH2));
                asm.lsr(d, d, 16);
                fn.iput(i.result(), d);
            }
            case TABLE_SIZE -> {
                tableRecord(fn, SCRATCH, (int) i.imm, SCRATCH2);
                GeneralRegister d = fn.idst(i.result(), SCRATCH);
                asm.ldr(d, Address.offset(SCRATCH, VmContextLayout.TABLE_SIZE));
                fn.iput(i.result(), d);
            }
            case TABLE_GET, TABLE_SET -> {
                tableRecord(fn, SCRATCH, (int) i.imm, SCRATCH2);
                GeneralRegister index = fn.iget(i.arg(0), SCRATCH2); // zero-extended
                asm.ldr(SCRATCH3, Address.offset(SCRATCH, VmContextLayout.TABLE_SIZE));
                asm.cmp(index, SCRATCH3);
                asm.b(Condition.HS, fn.trap(TrapKind.OUT_OF_BOUNDS_TABLE, i.wasmOffset));
                asm.ldr(SCRATCH, Address.offset(SCRATCH, VmContextLayout.TABLE_BASE));
                Address element = Address.index(SCRATCH, index, 3);
                if (i.op == Opcode.TABLE_SET) {
                    asm.str(fn.iget(i.arg(1), SCRATCH3), element);
                } else {
                    GeneralRegister d = fn.idst(i.result(), SCRATCH);
                    asm.ldr(d, element);
                    fn.iput(i.result(), d);
                }
            }
            case REF_FUNC -> {
                asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.FUNCTIONS));
                GeneralRegister d = fn.idst(i.result(), SCRATCH);
                asm.ldr(d, fn.field(SCRATCH, 8L * i.imm, 8, SCRATCH2));
                fn.iput(i.result(), d);
            }
            default -> throw new IllegalStateException("no AArch64 lowering for " + i.op);
        }
    }
}
