package dev.kiln.backend.x64;

import dev.kiln.frontend.HeapType;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.GcLayout;
import dev.kiln.ir.GcLowering;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.abi.ExecutionStateLayout;
import dev.kiln.ir.abi.RuntimeHelper;
import dev.kiln.ir.abi.VmContextLayout;
import dev.kiln.regalloc.Location;

import static dev.kiln.backend.x64.MemoryOperand.mem;

/**
 * GC instructions on x86-64 ({@link GcLowering} says which are inline). Reference words are
 * {@code dev.kiln.interpreter.gc.GcRefs}'s: an i31 is {@code value << 1 | 1}, an object its
 * address ({@link GcLayout} its layout). The others call the GC helper with their operands in the
 * execution state's return area.
 */
final class X64GcLowering {
    private X64GcLowering() {
    }

    static void lower(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        switch (i.op) {
            case ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY -> { // the same word
                Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
                asm.mov(Width.QWORD, d, fn.iop(i.arg(0)));
                fn.iput(i.result(), d);
            }
            case REF_EQ -> {
                X64IntegerLowering.compareInto(fn, i.arg(0), i.arg(1), Width.QWORD);
                X64IntegerLowering.setFlagResult(fn, i.result(), Condition.E);
            }
            case REF_I31 -> { // (v & 0x7fffffff) << 1 | 1: the i32 is zero-extended, so a 32-bit shift drops bit 31
                Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
                asm.mov(Width.DWORD, d, fn.iop(i.arg(0)));
                asm.lea(Width.DWORD, d, mem(d, d, 1, 1));
                fn.iput(i.result(), d);
            }
            case I31_GET_S, I31_GET_U -> {
                Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
                asm.mov(Width.QWORD, d, fn.iop(i.arg(0)));
                asm.test(Width.QWORD, d, d);
                asm.jcc(Condition.E, fn.trap(TrapKind.NULL_I31_REFERENCE, i.wasmOffset));
                // bits 1..31 hold the value, bit 31 its sign: a 32-bit arithmetic or logical shift by one
                asm.shift(i.op == Opcode.I31_GET_S ? ShiftOp.SAR : ShiftOp.SHR, Width.DWORD, d, 1);
                fn.iput(i.result(), d);
            }
            default -> {
                if (GcLowering.isFieldAccess(i.op)) fieldAccess(fn, i);
                else if (GcLowering.isInlineCast(i)) cast(fn, i);
                else if (GcLowering.isInlineAllocation(fn.module, i)) allocate(fn, i);
                else if (GcLowering.isInlineFill(fn.module, i)) fill(fn, i);
                else if (GcLowering.isInlineCopy(fn.module, i)) copy(fn, i);
                else helper(fn, i);
            }
        }
    }

    /**
     * struct.get/set, array.get/set/len: the object's address in its register (or R11), a null
     * check, for an element the index (in RAX, zero-extended; RAX, RCX and RDX are this
     * instruction's scratch) compared unsigned with the header's length, then one load or store.
     */
    private static void fieldAccess(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        Gpr obj = fn.iget(i.arg(0), X64Function.SCRATCH);
        asm.test(Width.QWORD, obj, obj);
        asm.jcc(Condition.E, fn.trap(GcLowering.nullTrap(i.op), i.wasmOffset));
        if (i.op == Opcode.ARRAY_LEN) {
            Gpr d = fn.idst(i.result(), X64Function.SCRATCH);
            asm.mov(Width.DWORD, d, mem(obj, GcLayout.ARRAY_LENGTH));
            fn.iput(i.result(), d);
            return;
        }
        GcLayout.Field f = GcLowering.field(fn.module, i);
        MemoryOperand at;
        if (GcLowering.isArrayElementAccess(i.op)) {
            asm.mov(Width.DWORD, Gpr.RAX, fn.iop(i.arg(1)));
            asm.alu(AluOp.CMP, Width.DWORD, Gpr.RAX, mem(obj, GcLayout.ARRAY_LENGTH));
            asm.jcc(Condition.AE, fn.trap(TrapKind.OUT_OF_BOUNDS_ARRAY, i.wasmOffset));
            if (f.size() == 16) {
                asm.shift(ShiftOp.SHL, Width.QWORD, Gpr.RAX, 4);
                at = mem(obj, Gpr.RAX, 1, f.offset());
            } else {
                at = mem(obj, Gpr.RAX, f.size(), f.offset());
            }
        } else {
            at = mem(obj, f.offset());
        }
        if (GcLowering.isStore(i.op)) store(fn, at, f, i.arg(i.argCount() - 1));
        else load(fn, at, f, i.result(), GcLowering.isSignedRead(i.op));
    }

    /**
     * struct.new[_default], array.new[_default|_fixed] ({@link GcLowering#isInlineAllocation}):
     * RCX = the object's size (an array's length, zero-extended, in RDX first: one not below
     * {@link GcLowering#MAX_INLINE_ARRAY_LENGTH} takes the slow path), RAX = the execution state's
     * cursor, RCX = RAX + size; past the limit the slow path calls the GC helper (the instruction
     * is a call for the allocator: operands and the result are in none of RAX, RCX, RDX). Else the
     * cursor becomes RCX, the header is written (type id from the VMContext, the length), then
     * every field: struct.new and array.new_fixed store their operands, the others fill the
     * object's words from offset 8 to RCX with R11 (zero, or array.new's value repeated to 8 bytes).
     */
    private static void allocate(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        Label slow = asm.newLabel(), done = asm.newLabel();
        Gpr state = X64Function.SCRATCH;
        boolean struct = i.op == Opcode.STRUCT_NEW || i.op == Opcode.STRUCT_NEW_DEFAULT;
        GcLayout.Field e = struct ? null : GcLayout.arrayElement(fn.module, i.imm);
        boolean variableLength = i.op == Opcode.ARRAY_NEW || i.op == Opcode.ARRAY_NEW_DEFAULT;
        long size = struct ? GcLayout.structSize(fn.module, i.imm)
                : i.op == Opcode.ARRAY_NEW_FIXED ? (GcLayout.HEADER + i.imm2() * e.size() + 7) & -8L : 0;
        if (variableLength) {
            asm.mov(Width.DWORD, Gpr.RDX, fn.iop(i.arg(i.argCount() - 1)));
            asm.alu(AluOp.CMP, Width.DWORD, Gpr.RDX, GcLowering.MAX_INLINE_ARRAY_LENGTH);
            asm.jcc(Condition.AE, slow);
            asm.lea(Width.QWORD, Gpr.RCX, e.size() == 1 ? mem(Gpr.RDX, GcLayout.HEADER + 7) : mem(Gpr.RDX, Gpr.RDX, 1, 0));
            if (e.size() > 1) {
                asm.shift(ShiftOp.SHL, Width.QWORD, Gpr.RCX, Integer.numberOfTrailingZeros(e.size()) - 1);
                asm.alu(AluOp.ADD, Width.QWORD, Gpr.RCX, GcLayout.HEADER + 7);
            }
            asm.alu(AluOp.AND, Width.QWORD, Gpr.RCX, -8);
        }
        asm.mov(Width.QWORD, state, mem(X64Function.VMCTX, VmContextLayout.STATE));
        asm.mov(Width.QWORD, Gpr.RAX, mem(state, ExecutionStateLayout.GC_CURSOR));
        if (variableLength) asm.alu(AluOp.ADD, Width.QWORD, Gpr.RCX, Gpr.RAX);
        else asm.lea(Width.QWORD, Gpr.RCX, mem(Gpr.RAX, (int) size));
        asm.alu(AluOp.CMP, Width.QWORD, Gpr.RCX, mem(state, ExecutionStateLayout.GC_LIMIT));
        asm.jcc(Condition.A, slow);
        asm.mov(Width.QWORD, mem(state, ExecutionStateLayout.GC_CURSOR), Gpr.RCX);
        asm.mov(Width.QWORD, state, mem(X64Function.VMCTX, VmContextLayout.TYPE_IDS));
        asm.mov(Width.DWORD, state, mem(state, (int) VmContextLayout.gcTypeId(fn.module.types().size(), (int) i.imm)));
        asm.mov(Width.DWORD, mem(Gpr.RAX, GcLayout.TYPE_ID), state);
        if (variableLength) asm.mov(Width.DWORD, mem(Gpr.RAX, GcLayout.ARRAY_LENGTH), Gpr.RDX);
        else asm.mov(Width.DWORD, mem(Gpr.RAX, GcLayout.ARRAY_LENGTH), struct ? 0 : (int) i.imm2());
        Label written = asm.newLabel();
        switch (i.op) {
            case STRUCT_NEW -> {
                for (int k = 0; k < i.argCount(); k++) {
                    GcLayout.Field f = GcLayout.structField(fn.module, i.imm, k);
                    store(fn, mem(Gpr.RAX, f.offset()), f, i.arg(k));
                }
            }
            case ARRAY_NEW_FIXED -> {
                for (int k = 0; k < i.argCount(); k++) store(fn, mem(Gpr.RAX, e.offset() + k * e.size()), e, i.arg(k));
            }
            default -> {
                if (i.op == Opcode.ARRAY_NEW) repeatedValue(fn, i.arg(0), e, state);
                else asm.alu(AluOp.XOR, Width.DWORD, state, state);
                Label loop = asm.newLabel();
                asm.lea(Width.QWORD, Gpr.RDX, mem(Gpr.RAX, GcLayout.HEADER));
                asm.alu(AluOp.CMP, Width.QWORD, Gpr.RDX, Gpr.RCX);
                asm.jcc(Condition.AE, written);
                asm.bind(loop);
                asm.mov(Width.QWORD, mem(Gpr.RDX, 0), state);
                asm.alu(AluOp.ADD, Width.QWORD, Gpr.RDX, 8);
                asm.alu(AluOp.CMP, Width.QWORD, Gpr.RDX, Gpr.RCX);
                asm.jcc(Condition.B, loop);
            }
        }
        asm.bind(written);
        fn.iput(i.result(), Gpr.RAX);
        asm.jmp(done);
        asm.bind(slow);
        helper(fn, i);
        asm.bind(done);
    }

    /**
     * array.fill (array, offset, value, n; {@link GcLowering#isInlineFill}): the array in its
     * register or R11, a null check, ECX = n compared with the length, EDX = length - n compared
     * with EAX = offset (out of bounds traps), then RAX = the first element's address, RDX = the
     * value, and one store per element, RCX counting down.
     */
    private static void fill(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        GcLayout.Field e = GcLayout.arrayElement(fn.module, i.imm);
        Gpr obj = fn.iget(i.arg(0), X64Function.SCRATCH);
        asm.test(Width.QWORD, obj, obj);
        asm.jcc(Condition.E, fn.trap(TrapKind.NULL_ARRAY_REFERENCE, i.wasmOffset));
        Label bounds = fn.trap(TrapKind.OUT_OF_BOUNDS_ARRAY, i.wasmOffset);
        asm.mov(Width.DWORD, Gpr.RCX, fn.iop(i.arg(3)));
        asm.alu(AluOp.CMP, Width.DWORD, Gpr.RCX, mem(obj, GcLayout.ARRAY_LENGTH));
        asm.jcc(Condition.A, bounds);
        asm.mov(Width.DWORD, Gpr.RDX, mem(obj, GcLayout.ARRAY_LENGTH));
        asm.alu(AluOp.SUB, Width.DWORD, Gpr.RDX, Gpr.RCX);
        asm.mov(Width.DWORD, Gpr.RAX, fn.iop(i.arg(1)));
        asm.alu(AluOp.CMP, Width.DWORD, Gpr.RAX, Gpr.RDX);
        asm.jcc(Condition.A, bounds);
        asm.lea(Width.QWORD, Gpr.RAX, mem(obj, Gpr.RAX, e.size(), e.offset()));
        switch (e.machine()) {
            case F32 -> asm.movd(Gpr.RDX, fn.fget(i.arg(2), X64Function.FSCRATCH));
            case F64 -> asm.movq(Gpr.RDX, fn.fget(i.arg(2), X64Function.FSCRATCH));
            default -> asm.mov(e.size() == 8 ? Width.QWORD : Width.DWORD, Gpr.RDX, fn.iop(i.arg(2)));
        }
        Width w = switch (e.size()) {
            case 1 -> Width.BYTE;
            case 2 -> Width.WORD;
            case 4 -> Width.DWORD;
            default -> Width.QWORD;
        };
        Label loop = asm.newLabel(), done = asm.newLabel();
        asm.test(Width.DWORD, Gpr.RCX, Gpr.RCX);
        asm.jcc(Condition.E, done);
        asm.bind(loop);
        asm.mov(w, mem(Gpr.RAX, 0), Gpr.RDX);
        asm.alu(AluOp.ADD, Width.QWORD, Gpr.RAX, e.size());
        asm.alu(AluOp.SUB, Width.DWORD, Gpr.RCX, 1);
        asm.jcc(Condition.NE, loop);
        asm.bind(done);
    }

    /**
     * array.copy (dst, d, src, s, n; {@link GcLowering#isInlineCopy}): both null checks, then
     * {@code d + n} and {@code s + n} in 64 bits (RAX, n in RCX) compared with the lengths (in RDX).
     * With the operands read, RDX = the first destination element, RAX = the first source element,
     * RCX = the bytes; a destination inside the source range above it copies backward (8 bytes,
     * then single bytes, from the end, through R11), anything else forward with {@code rep movsb}
     * (RSI, RDI: the instruction is a call for the allocator, so no live value is in them).
     */
    private static void copy(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        GcLayout.Field e = GcLayout.arrayElement(fn.module, i.imm);
        Label nullArray = fn.trap(TrapKind.NULL_ARRAY_REFERENCE, i.wasmOffset);
        Label bounds = fn.trap(TrapKind.OUT_OF_BOUNDS_ARRAY, i.wasmOffset);
        Label done = asm.newLabel();
        for (int a : new int[] {0, 2}) {
            Gpr array = fn.iget(i.arg(a), X64Function.SCRATCH);
            asm.test(Width.QWORD, array, array);
            asm.jcc(Condition.E, nullArray);
        }
        asm.mov(Width.DWORD, Gpr.RCX, fn.iop(i.arg(4)));
        for (int a : new int[] {0, 2}) { // the array's start index is the next operand
            asm.mov(Width.DWORD, Gpr.RAX, fn.iop(i.arg(a + 1)));
            asm.alu(AluOp.ADD, Width.QWORD, Gpr.RAX, Gpr.RCX);
            asm.mov(Width.DWORD, Gpr.RDX, mem(fn.iget(i.arg(a), X64Function.SCRATCH), GcLayout.ARRAY_LENGTH));
            asm.alu(AluOp.CMP, Width.QWORD, Gpr.RAX, Gpr.RDX);
            asm.jcc(Condition.A, bounds);
        }
        asm.test(Width.DWORD, Gpr.RCX, Gpr.RCX);
        asm.jcc(Condition.E, done);
        asm.mov(Width.DWORD, Gpr.RAX, fn.iop(i.arg(1)));
        asm.lea(Width.QWORD, Gpr.RDX, mem(fn.iget(i.arg(0), X64Function.SCRATCH), Gpr.RAX, e.size(), e.offset()));
        asm.mov(Width.DWORD, Gpr.RAX, fn.iop(i.arg(3)));
        asm.lea(Width.QWORD, Gpr.RAX, mem(fn.iget(i.arg(2), X64Function.SCRATCH), Gpr.RAX, e.size(), e.offset()));
        if (e.size() > 1) asm.shift(ShiftOp.SHL, Width.QWORD, Gpr.RCX, Integer.numberOfTrailingZeros(e.size()));
        Label forward = asm.newLabel(), words = asm.newLabel(), bytes = asm.newLabel();
        asm.alu(AluOp.CMP, Width.QWORD, Gpr.RDX, Gpr.RAX);
        asm.jcc(Condition.BE, forward);
        asm.lea(Width.QWORD, X64Function.SCRATCH, mem(Gpr.RAX, Gpr.RCX, 1, 0));
        asm.alu(AluOp.CMP, Width.QWORD, Gpr.RDX, X64Function.SCRATCH);
        asm.jcc(Condition.AE, forward);
        asm.bind(words); // backward: RCX counts the bytes still to copy
        asm.alu(AluOp.CMP, Width.QWORD, Gpr.RCX, 8);
        asm.jcc(Condition.B, bytes);
        asm.alu(AluOp.SUB, Width.QWORD, Gpr.RCX, 8);
        asm.mov(Width.QWORD, X64Function.SCRATCH, mem(Gpr.RAX, Gpr.RCX, 1, 0));
        asm.mov(Width.QWORD, mem(Gpr.RDX, Gpr.RCX, 1, 0), X64Function.SCRATCH);
        asm.jmp(words);
        asm.bind(bytes);
        asm.test(Width.QWORD, Gpr.RCX, Gpr.RCX);
        asm.jcc(Condition.E, done);
        asm.alu(AluOp.SUB, Width.QWORD, Gpr.RCX, 1);
        asm.movzx(Width.DWORD, X64Function.SCRATCH, Width.BYTE, mem(Gpr.RAX, Gpr.RCX, 1, 0));
        asm.mov(Width.BYTE, mem(Gpr.RDX, Gpr.RCX, 1, 0), X64Function.SCRATCH);
        asm.jmp(bytes);
        asm.bind(forward);
        asm.mov(Width.QWORD, Gpr.RDI, Gpr.RDX);
        asm.mov(Width.QWORD, Gpr.RSI, Gpr.RAX);
        asm.emit(FixedInstruction.REP_MOVSB);
        asm.bind(done);
    }

    /**
     * {@code into} = array.new's value {@code v} repeated to fill 8 bytes (an element of 1, 2 or 4
     * bytes), so the fill loop writes whole words (RDX is used on the way).
     */
    private static void repeatedValue(X64Function fn, int v, GcLayout.Field e, Gpr into) {
        X64Assembler asm = fn.asm;
        switch (e.machine()) {
            case F32 -> asm.movd(into, fn.fget(v, X64Function.FSCRATCH));
            case F64 -> asm.movq(into, fn.fget(v, X64Function.FSCRATCH));
            default -> asm.mov(e.size() == 8 ? Width.QWORD : Width.DWORD, into, fn.iop(v));
        }
        if (e.size() == 1) {
            asm.movzx(Width.DWORD, into, Width.BYTE, into);
            asm.imul(Width.DWORD, into, into, 0x01010101);
        } else if (e.size() == 2) {
            asm.movzx(Width.DWORD, into, Width.WORD, into);
            asm.imul(Width.DWORD, into, into, 0x00010001);
        }
        if (e.size() < 8) {
            asm.mov(Width.DWORD, Gpr.RDX, into);
            asm.shift(ShiftOp.SHL, Width.QWORD, Gpr.RDX, 32);
            asm.alu(AluOp.OR, Width.QWORD, into, Gpr.RDX);
        }
    }

    /**
     * ref.test (0 or 1 in RAX, then the result) and ref.cast (the operand itself, or the cast
     * failure trap): null by the opcode's nullability, any other word by {@link #instanceCheck}.
     */
    private static void cast(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        boolean nullable = i.op == Opcode.REF_TEST_NULL || i.op == Opcode.REF_CAST_NULL;
        Gpr v = fn.iget(i.arg(0), X64Function.SCRATCH);
        if (i.op == Opcode.REF_TEST || i.op == Opcode.REF_TEST_NULL) {
            Label no = asm.newLabel(), yes = asm.newLabel();
            asm.mov(Width.DWORD, Gpr.RAX, 0);
            asm.test(Width.QWORD, v, v);
            asm.jcc(Condition.E, nullable ? yes : no);
            instanceCheck(fn, v, i, no);
            asm.bind(yes);
            asm.mov(Width.DWORD, Gpr.RAX, 1);
            asm.bind(no);
            fn.iput(i.result(), Gpr.RAX);
            return;
        }
        Label fail = fn.trap(TrapKind.CAST_FAILURE, i.wasmOffset);
        Label done = asm.newLabel();
        asm.test(Width.QWORD, v, v);
        asm.jcc(Condition.E, nullable ? done : fail);
        instanceCheck(fn, v, i, fail);
        asm.bind(done);
        if (fn.location(i.result()) != Location.NONE) fn.iput(i.result(), v);
    }

    /**
     * Falls through when the nonzero word {@code v} is a value of cast {@code i}'s target heap type,
     * else jumps to {@code fail} (RCX and RDX are scratch; see {@link GcLowering#isInlineCast}).
     */
    private static void instanceCheck(X64Function fn, Gpr v, Instruction i, Label fail) {
        X64Assembler asm = fn.asm;
        HeapType target = HeapType.fromEncoding(i.imm);
        if (i.imm2() == GcLowering.CAST_FUNCTION) { // a funcref descriptor: its canonical type id is the final target's or it fails
            asm.mov(Width.QWORD, Gpr.RDX, mem(X64Function.VMCTX, VmContextLayout.TYPE_IDS));
            asm.mov(Width.DWORD, Gpr.RCX, mem(Gpr.RDX, 4 * target.typeIndex()));
            asm.alu(AluOp.CMP, Width.DWORD, Gpr.RCX, mem(v, VmContextLayout.FUNC_TYPE_ID));
            asm.jcc(Condition.NE, fail);
            return;
        }
        if (target.isConcrete()) {
            int index = target.typeIndex();
            asm.test(Width.DWORD, v, 7); // an i31 or a host object
            asm.jcc(Condition.NE, fail);
            if (fn.module.types().get(index).isFinal()) { // no other type is a subtype: the header's id or nothing
                asm.mov(Width.DWORD, Gpr.RCX, mem(v, GcLayout.TYPE_ID));
            } else {
                int depth = GcLayout.depth(fn.module, index);
                displayRecord(fn, v, Gpr.RCX);
                if (depth > 0) {
                    asm.alu(AluOp.CMP, Width.DWORD, mem(Gpr.RCX, GcLayout.DISPLAY_DEPTH), depth);
                    asm.jcc(Condition.B, fail);
                }
                asm.mov(Width.DWORD, Gpr.RCX, mem(Gpr.RCX, GcLayout.DISPLAY_IDS + 4 * depth));
            }
            asm.mov(Width.QWORD, Gpr.RDX, mem(X64Function.VMCTX, VmContextLayout.TYPE_IDS));
            asm.alu(AluOp.CMP, Width.DWORD, Gpr.RCX, mem(Gpr.RDX, (int) VmContextLayout.gcTypeId(fn.module.types().size(), index)));
            asm.jcc(Condition.NE, fail);
            return;
        }
        switch (target.kind()) {
            case ANY, FUNC, EXTERN, EXN -> { } // every nonzero word of the hierarchy
            case I31 -> {
                asm.test(Width.DWORD, v, 1);
                asm.jcc(Condition.E, fail);
            }
            case EQ -> { // an i31 or an object, not a host object
                Label ok = asm.newLabel();
                asm.test(Width.DWORD, v, 1);
                asm.jcc(Condition.NE, ok);
                asm.test(Width.DWORD, v, 7);
                asm.jcc(Condition.NE, fail);
                asm.bind(ok);
            }
            case STRUCT, ARRAY -> {
                asm.test(Width.DWORD, v, 7);
                asm.jcc(Condition.NE, fail);
                displayRecord(fn, v, Gpr.RCX);
                asm.alu(AluOp.CMP, Width.DWORD, mem(Gpr.RCX, GcLayout.DISPLAY_KIND),
                        target.kind() == HeapType.Kind.STRUCT ? GcLayout.KIND_STRUCT : GcLayout.KIND_ARRAY);
                asm.jcc(Condition.NE, fail);
            }
            default -> asm.jmp(fail); // the bottom types hold only null
        }
    }

    /** {@code into} = the address of object {@code v}'s display record (RDX is used on the way). */
    private static void displayRecord(X64Function fn, Gpr v, Gpr into) {
        X64Assembler asm = fn.asm;
        asm.mov(Width.DWORD, into, mem(v, GcLayout.TYPE_ID));
        asm.mov(Width.QWORD, Gpr.RDX, mem(X64Function.VMCTX, VmContextLayout.STATE));
        asm.mov(Width.QWORD, Gpr.RDX, mem(Gpr.RDX, ExecutionStateLayout.GC_TYPES));
        asm.mov(Width.QWORD, into, mem(Gpr.RDX, into, 8, 0));
    }

    private static void load(X64Function fn, MemoryOperand at, GcLayout.Field f, int r, boolean signed) {
        X64Assembler asm = fn.asm;
        switch (f.machine()) {
            case F32, F64, V128 -> {
                Xmm d = fn.fdst(r, X64Function.FSCRATCH);
                fn.loadVector(fn.type(r), d, at);
                fn.fput(r, d);
            }
            default -> {
                Gpr d = fn.idst(r, X64Function.SCRATCH); // R11 may hold the address: read before written
                if (f.packed()) {
                    Width w = f.size() == 1 ? Width.BYTE : Width.WORD;
                    if (signed) asm.movsx(Width.DWORD, d, w, at);
                    else asm.movzx(Width.DWORD, d, w, at);
                } else {
                    asm.mov(f.size() == 4 ? Width.DWORD : Width.QWORD, d, at);
                }
                fn.iput(r, d);
            }
        }
    }

    private static void store(X64Function fn, MemoryOperand at, GcLayout.Field f, int v) {
        X64Assembler asm = fn.asm;
        switch (f.machine()) {
            case F32 -> asm.movss(at, fn.fget(v, X64Function.FSCRATCH));
            case F64 -> asm.movsd(at, fn.fget(v, X64Function.FSCRATCH));
            case V128 -> asm.vecStore(VecOp.MOVDQU_STORE, at, fn.vget(v, X64Function.FSCRATCH));
            default -> {
                Width w = switch (f.size()) {
                    case 1 -> Width.BYTE;
                    case 2 -> Width.WORD;
                    case 4 -> Width.DWORD;
                    default -> Width.QWORD;
                };
                asm.mov(w, at, fn.iget(v, Gpr.RCX));
            }
        }
    }

    /**
     * The GC helper: operands into the return area's slots (registers first, then values in slots
     * through RAX, which no operand occupies any more by then), then
     * {@code helper(vmctx, opcode, imm, imm2, nargs | nres << 32, GC)}; the result from slot 0.
     */
    private static void helper(X64Function fn, Instruction i) {
        X64Assembler asm = fn.asm;
        Gpr state = X64Function.SCRATCH;
        asm.mov(Width.QWORD, state, mem(X64Function.VMCTX, VmContextLayout.STATE));
        for (int pass = 0; pass < 2; pass++) {
            for (int k = 0; k < i.argCount(); k++) {
                int v = i.arg(k);
                ValType t = fn.type(v);
                boolean inRegister = fn.inRegister(v);
                if (inRegister != (pass == 0)) continue;
                MemoryOperand slot = mem(state, ExecutionStateLayout.returnSlot(k));
                if (t == ValType.V128) {
                    asm.vecStore(VecOp.MOVDQU_STORE, slot, fn.vget(v, X64Function.FSCRATCH));
                } else if (X64RegisterFile.isFloat(t)) {
                    fn.fmov(X64Function.FSCRATCH, v);
                    fn.storeVector(t, slot, X64Function.FSCRATCH);
                } else {
                    asm.mov(Width.QWORD, slot, fn.iget(v, Gpr.RAX));
                }
            }
        }
        int nres = i.resultCount();
        asm.mov(Width.QWORD, Gpr.RSI, i.op.ordinal());
        asm.mov(Width.QWORD, Gpr.RDX, i.imm);
        asm.mov(Width.QWORD, Gpr.RCX, i.imm2());
        asm.mov(Width.QWORD, Gpr.R8, (long) nres << 32 | i.argCount());
        fn.callSite(fn.callHelper(RuntimeHelper.GC), i.wasmOffset);
        fn.checkTrapAfterCall(i.wasmOffset);
        if (nres == 0 || fn.location(i.result()) == Location.NONE) return;
        int r = i.result();
        ValType t = fn.type(r);
        asm.mov(Width.QWORD, state, mem(X64Function.VMCTX, VmContextLayout.STATE));
        MemoryOperand slot = mem(state, ExecutionStateLayout.returnSlot(0));
        if (X64RegisterFile.isFloat(t)) {
            Xmm d = fn.fdst(r, X64Function.FSCRATCH);
            fn.loadVector(t == ValType.F32 ? ValType.F64 : t, d, slot);
            fn.fput(r, d);
        } else {
            Gpr d = fn.idst(r, Gpr.RAX);
            asm.mov(t == ValType.I32 ? Width.DWORD : Width.QWORD, d, slot);
            fn.iput(r, d);
        }
    }
}
