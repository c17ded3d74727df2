package dev.kiln.backend.aarch64;

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

import static dev.kiln.backend.aarch64.A64Function.FSCRATCH;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH2;
import static dev.kiln.backend.aarch64.A64Function.SCRATCH3;
import static dev.kiln.backend.aarch64.A64Function.VMCTX;
import static dev.kiln.backend.aarch64.GeneralRegister.X0;

/**
 * GC instructions on AArch64 ({@link GcLowering} says which are inline; the word encoding is
 * {@code dev.kiln.interpreter.gc.GcRefs}'s, an i31 being {@code value << 1 | 1}, an object its
 * address, {@link GcLayout} its layout). The others call the GC helper with their operands in the
 * execution state's return area.
 */
final class A64GcLowering {
    private A64GcLowering() {
    }

    static void lower(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        switch (i.op) {
            case ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY -> fn.iput(i.result(), fn.iget(i.arg(0), SCRATCH)); // the same word
            case REF_EQ -> {
                asm.cmp(fn.iget(i.arg(0), SCRATCH), fn.iget(i.arg(1), SCRATCH2));
                A64IntegerLowering.setFlagResult(fn, i.result(), Condition.EQ);
            }
            case REF_I31 -> { // a 32-bit shift drops bit 31 and zero-extends
                GeneralRegister s = fn.iget(i.arg(0), SCRATCH);
                GeneralRegister d = fn.idst(i.result(), SCRATCH);
                asm.lsl(d.w(), s.w(), 1);
                asm.orr(d.w(), d.w(), 1);
                fn.iput(i.result(), d);
            }
            case I31_GET_S, I31_GET_U -> {
                GeneralRegister s = fn.iget(i.arg(0), SCRATCH);
                asm.cbz(s, fn.trap(TrapKind.NULL_I31_REFERENCE, i.wasmOffset));
                GeneralRegister d = fn.idst(i.result(), SCRATCH);
                // bits 1..31 hold the value, bit 31 its sign
                if (i.op == Opcode.I31_GET_S) asm.asr(d.w(), s.w(), 1);
                else asm.lsr(d.w(), s.w(), 1);
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
     * struct.get/set, array.get/set/len: the object's address in its register (or X16), a null
     * check, for an element the index (its register or X17) compared unsigned with the header's
     * length and the element's address computed into X15, then one load or store.
     */
    private static void fieldAccess(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        GeneralRegister obj = fn.iget(i.arg(0), SCRATCH);
        asm.cbz(obj, fn.trap(GcLowering.nullTrap(i.op), i.wasmOffset));
        if (i.op == Opcode.ARRAY_LEN) {
            GeneralRegister d = fn.idst(i.result(), SCRATCH);
            asm.ldr(d.w(), Address.offset(obj, GcLayout.ARRAY_LENGTH));
            fn.iput(i.result(), d);
            return;
        }
        GcLayout.Field f = GcLowering.field(fn.module, i);
        Address at;
        if (GcLowering.isArrayElementAccess(i.op)) {
            GeneralRegister index = fn.iget(i.arg(1), SCRATCH2);
            asm.ldr(SCRATCH3.w(), Address.offset(obj, GcLayout.ARRAY_LENGTH));
            asm.cmp(index.w(), SCRATCH3.w());
            asm.b(Condition.HS, fn.trap(TrapKind.OUT_OF_BOUNDS_ARRAY, i.wasmOffset));
            asm.add(SCRATCH3, obj, index.w(), Extend.UXTW, Integer.numberOfTrailingZeros(f.size()));
            at = Address.offset(SCRATCH3, f.offset());
        } else {
            at = fn.field(obj, f.offset(), f.size(), SCRATCH3);
        }
        if (GcLowering.isStore(i.op)) store(fn, at, f, i.arg(i.argCount() - 1), GcLowering.isArrayElementAccess(i.op));
        else load(fn, at, f, i.result(), GcLowering.isSignedRead(i.op));
    }

    /**
     * struct.new[_default], array.new[_default|_fixed] ({@link GcLowering#isInlineAllocation}):
     * X17 = the object's size (an array's length must be below
     * {@link GcLowering#MAX_INLINE_ARRAY_LENGTH}, else the slow path), X15 = the execution state's
     * cursor, X17 = X15 + size; past the limit the slow path calls the GC helper. Else the cursor
     * becomes X17, the header is written (type id from the VMContext, the length), then every field:
     * struct.new and array.new_fixed store their operands, the others fill the object's words
     * from X17 down to offset 8 with XZR or array.new's value repeated to 8 bytes (in X16).
     */
    private static void allocate(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        Label slow = asm.newLabel(), done = asm.newLabel();
        boolean struct = i.op == Opcode.STRUCT_NEW || i.op == Opcode.STRUCT_NEW_DEFAULT;
        GcLayout.Field e = struct ? null : GcLayout.arrayElement(fn.module, i.imm);
        boolean variableLength = i.op == Opcode.ARRAY_NEW || i.op == Opcode.ARRAY_NEW_DEFAULT;
        long size = struct ? GcLayout.structSize(fn.module, i.imm)
                : i.op == Opcode.ARRAY_NEW_FIXED ? (GcLayout.HEADER + i.imm2() * e.size() + 7) & -8L : 0;
        int lengthArg = i.argCount() - 1;
        if (variableLength) {
            GeneralRegister length = fn.iget(i.arg(lengthArg), SCRATCH);
            asm.tst(length.w(), -GcLowering.MAX_INLINE_ARRAY_LENGTH & 0xFFFF_FFFFL);
            asm.b(Condition.NE, slow);
            if (e.size() == 1) asm.mov(SCRATCH2.w(), length.w());
            else asm.lsl(SCRATCH2.x(), length.x(), Integer.numberOfTrailingZeros(e.size()));
            asm.add(SCRATCH2, SCRATCH2, GcLayout.HEADER + 7);
            asm.and(SCRATCH2, SCRATCH2, -8L);
        }
        asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.STATE));
        asm.ldr(SCRATCH3, Address.offset(SCRATCH, ExecutionStateLayout.GC_CURSOR));
        if (variableLength) asm.add(SCRATCH2, SCRATCH3, SCRATCH2);
        else asm.add(SCRATCH2, SCRATCH3, size);
        asm.ldr(SCRATCH, Address.offset(SCRATCH, ExecutionStateLayout.GC_LIMIT));
        asm.cmp(SCRATCH2, SCRATCH);
        asm.b(Condition.HI, slow);
        asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.STATE));
        asm.str(SCRATCH2, Address.offset(SCRATCH, ExecutionStateLayout.GC_CURSOR));
        asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.TYPE_IDS));
        long at = VmContextLayout.gcTypeId(fn.module.types().size(), (int) i.imm); // below 2^24 (at most 1 000 000 types)
        if (!Address.isOffsetEncodable(at, 4)) {
            asm.add(SCRATCH, SCRATCH, at & ~0xFFFL);
            at &= 0xFFF;
        }
        asm.ldr(SCRATCH.w(), Address.offset(SCRATCH, at));
        asm.str(SCRATCH.w(), Address.offset(SCRATCH3, GcLayout.TYPE_ID));
        if (variableLength) {
            asm.str(fn.iget(i.arg(lengthArg), SCRATCH).w(), Address.offset(SCRATCH3, GcLayout.ARRAY_LENGTH));
        } else if (struct) {
            asm.str(GeneralRegister.WZR, Address.offset(SCRATCH3, GcLayout.ARRAY_LENGTH));
        } else {
            asm.mov(SCRATCH.w(), i.imm2());
            asm.str(SCRATCH.w(), Address.offset(SCRATCH3, GcLayout.ARRAY_LENGTH));
        }
        switch (i.op) {
            case STRUCT_NEW -> {
                for (int k = 0; k < i.argCount(); k++) {
                    GcLayout.Field f = GcLayout.structField(fn.module, i.imm, k);
                    store(fn, Address.offset(SCRATCH3, f.offset()), f, i.arg(k), false);
                }
            }
            case ARRAY_NEW_FIXED -> {
                for (int k = 0; k < i.argCount(); k++) store(fn, Address.offset(SCRATCH3, e.offset() + (long) k * e.size()), e, i.arg(k), false);
            }
            default -> {
                GeneralRegister value = GeneralRegister.XZR;
                if (i.op == Opcode.ARRAY_NEW) {
                    repeatedValue(fn, i.arg(0), e);
                    value = SCRATCH;
                }
                Label loop = asm.newLabel(), test = asm.newLabel();
                asm.b(test);
                asm.bind(loop);
                asm.str(value, Address.offset(SCRATCH2, 0));
                asm.bind(test);
                asm.sub(SCRATCH2, SCRATCH2, 8);
                asm.cmp(SCRATCH2, SCRATCH3);
                asm.b(Condition.HI, loop);
            }
        }
        fn.iput(i.result(), SCRATCH3);
        asm.b(done);
        asm.bind(slow);
        helper(fn, i);
        asm.bind(done);
    }

    /**
     * array.fill (array, offset, value, n; {@link GcLowering#isInlineFill}): the array in its
     * register or X16, a null check, W17 = the length compared with n, W17 = length - n compared
     * with the offset (out of bounds traps), X17 = the first element's address, X15 = n, X16 = the
     * value, one store per element.
     */
    private static void fill(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        GcLayout.Field e = GcLayout.arrayElement(fn.module, i.imm);
        GeneralRegister obj = fn.iget(i.arg(0), SCRATCH);
        asm.cbz(obj, fn.trap(TrapKind.NULL_ARRAY_REFERENCE, i.wasmOffset));
        Label bounds = fn.trap(TrapKind.OUT_OF_BOUNDS_ARRAY, i.wasmOffset);
        asm.ldr(SCRATCH2.w(), Address.offset(obj, GcLayout.ARRAY_LENGTH));
        GeneralRegister n = fn.iget(i.arg(3), SCRATCH3);
        asm.cmp(n.w(), SCRATCH2.w());
        asm.b(Condition.HI, bounds);
        asm.sub(SCRATCH2.w(), SCRATCH2.w(), n.w());
        GeneralRegister offset = fn.iget(i.arg(1), SCRATCH3);
        asm.cmp(offset.w(), SCRATCH2.w());
        asm.b(Condition.HI, bounds);
        asm.add(SCRATCH2, obj, offset.w(), Extend.UXTW, Integer.numberOfTrailingZeros(e.size()));
        asm.add(SCRATCH2, SCRATCH2, e.offset());
        GeneralRegister count = fn.iget(i.arg(3), SCRATCH3);
        if (count != SCRATCH3) asm.mov(SCRATCH3.w(), count.w());
        GeneralRegister value;
        switch (e.machine()) {
            case F32 -> { asm.fmov(SCRATCH.w(), fn.fget(i.arg(2), FSCRATCH)); value = SCRATCH; }
            case F64 -> { asm.fmov(SCRATCH.x(), fn.fget(i.arg(2), FSCRATCH)); value = SCRATCH; }
            default -> value = fn.iget(i.arg(2), SCRATCH);
        }
        Label loop = asm.newLabel(), done = asm.newLabel();
        asm.cbz(SCRATCH3, done);
        asm.bind(loop);
        Address at = Address.offset(SCRATCH2, 0);
        switch (e.size()) {
            case 1 -> asm.strb(value.w(), at);
            case 2 -> asm.strh(value.w(), at);
            case 4 -> asm.str(value.w(), at);
            default -> asm.str(value.x(), at);
        }
        asm.add(SCRATCH2, SCRATCH2, e.size());
        asm.sub(SCRATCH3, SCRATCH3, 1);
        asm.cbnz(SCRATCH3, loop);
        asm.bind(done);
    }

    /**
     * array.copy (dst, d, src, s, n; {@link GcLowering#isInlineCopy}): both null checks, then
     * {@code d + n} and {@code s + n} in 64 bits (X17, n zero-extended in X15) compared with the
     * lengths (W16). With the operands read, X15 = the first destination element, X16 = the first
     * source element, X17 = the bytes; a destination inside the source range above it copies
     * backward from the end, anything else forward, 8 bytes at a time then single bytes, through
     * X0 (the instruction is a call for the allocator, so no live value is in it).
     */
    private static void copy(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        GcLayout.Field e = GcLayout.arrayElement(fn.module, i.imm);
        int log = Integer.numberOfTrailingZeros(e.size());
        Label nullArray = fn.trap(TrapKind.NULL_ARRAY_REFERENCE, i.wasmOffset);
        Label bounds = fn.trap(TrapKind.OUT_OF_BOUNDS_ARRAY, i.wasmOffset);
        Label done = asm.newLabel();
        for (int a : new int[] {0, 2}) asm.cbz(fn.iget(i.arg(a), SCRATCH), nullArray);
        asm.mov(SCRATCH3.w(), fn.iget(i.arg(4), SCRATCH3).w());
        for (int a : new int[] {0, 2}) { // the array's start index is the next operand
            asm.add(SCRATCH2, SCRATCH3, fn.iget(i.arg(a + 1), SCRATCH2).w(), Extend.UXTW, 0);
            asm.ldr(SCRATCH.w(), Address.offset(fn.iget(i.arg(a), SCRATCH), GcLayout.ARRAY_LENGTH));
            asm.cmp(SCRATCH2, SCRATCH);
            asm.b(Condition.HI, bounds);
        }
        asm.cbz(SCRATCH3, done);
        asm.add(SCRATCH, fn.iget(i.arg(2), SCRATCH), fn.iget(i.arg(3), SCRATCH2).w(), Extend.UXTW, log);
        asm.add(SCRATCH3, fn.iget(i.arg(0), SCRATCH3), fn.iget(i.arg(1), SCRATCH2).w(), Extend.UXTW, log);
        asm.mov(SCRATCH2.w(), fn.iget(i.arg(4), SCRATCH2).w());
        if (log > 0) asm.lsl(SCRATCH2, SCRATCH2, log);
        asm.add(SCRATCH, SCRATCH, e.offset());
        asm.add(SCRATCH3, SCRATCH3, e.offset());
        Label forward = asm.newLabel(), words = asm.newLabel(), bytes = asm.newLabel();
        asm.cmp(SCRATCH3, SCRATCH);
        asm.b(Condition.LS, forward);
        asm.add(X0, SCRATCH, SCRATCH2);
        asm.cmp(SCRATCH3, X0);
        asm.b(Condition.HS, forward);
        asm.bind(words); // backward: X17 counts the bytes still to copy
        asm.cmp(SCRATCH2, 8);
        asm.b(Condition.LO, bytes);
        asm.sub(SCRATCH2, SCRATCH2, 8);
        asm.ldr(X0, Address.index(SCRATCH, SCRATCH2));
        asm.str(X0, Address.index(SCRATCH3, SCRATCH2));
        asm.b(words);
        asm.bind(bytes);
        asm.cbz(SCRATCH2, done);
        asm.sub(SCRATCH2, SCRATCH2, 1);
        asm.ldrb(X0.w(), Address.index(SCRATCH, SCRATCH2));
        asm.strb(X0.w(), Address.index(SCRATCH3, SCRATCH2));
        asm.b(bytes);
        Label forwardBytes = asm.newLabel();
        asm.bind(forward);
        asm.cmp(SCRATCH2, 8);
        asm.b(Condition.LO, forwardBytes);
        asm.ldr(X0, Address.postIndex(SCRATCH, 8));
        asm.str(X0, Address.postIndex(SCRATCH3, 8));
        asm.sub(SCRATCH2, SCRATCH2, 8);
        asm.b(forward);
        asm.bind(forwardBytes);
        asm.cbz(SCRATCH2, done);
        asm.ldrb(X0.w(), Address.postIndex(SCRATCH, 1));
        asm.strb(X0.w(), Address.postIndex(SCRATCH3, 1));
        asm.sub(SCRATCH2, SCRATCH2, 1);
        asm.b(forwardBytes);
        asm.bind(done);
    }

    /** X16 = array.new's value {@code v} repeated to fill 8 bytes (an element of 1, 2 or 4 bytes). */
    private static void repeatedValue(A64Function fn, int v, GcLayout.Field e) {
        A64Assembler asm = fn.asm;
        switch (e.machine()) {
            case F32 -> asm.fmov(SCRATCH.w(), fn.fget(v, FSCRATCH));
            case F64 -> asm.fmov(SCRATCH.x(), fn.fget(v, FSCRATCH));
            default -> {
                GeneralRegister x = fn.iget(v, SCRATCH);
                switch (e.size()) {
                    case 1 -> asm.uxtb(SCRATCH.w(), x.w());
                    case 2 -> asm.uxth(SCRATCH.w(), x.w());
                    case 4 -> asm.mov(SCRATCH.w(), x.w());
                    default -> asm.mov(SCRATCH.x(), x.x());
                }
            }
        }
        if (e.size() == 1) asm.orr(SCRATCH.w(), SCRATCH.w(), SCRATCH.w(), Shift.LSL, 8);
        if (e.size() <= 2) asm.orr(SCRATCH.w(), SCRATCH.w(), SCRATCH.w(), Shift.LSL, 16);
        if (e.size() <= 4) asm.orr(SCRATCH.x(), SCRATCH.x(), SCRATCH.x(), Shift.LSL, 32);
    }

    /**
     * ref.test (0 or 1) and ref.cast (the operand itself, or the cast failure trap): null by the
     * opcode's nullability, any other word by {@link #instanceCheck}.
     */
    private static void cast(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        boolean nullable = i.op == Opcode.REF_TEST_NULL || i.op == Opcode.REF_CAST_NULL;
        GeneralRegister v = fn.iget(i.arg(0), SCRATCH);
        if (i.op == Opcode.REF_TEST || i.op == Opcode.REF_TEST_NULL) {
            Label no = asm.newLabel(), yes = asm.newLabel(), done = asm.newLabel();
            asm.cbz(v, nullable ? yes : no);
            instanceCheck(fn, v, i, no);
            GeneralRegister d = fn.idst(i.result(), SCRATCH);
            asm.bind(yes);
            asm.mov(d.w(), 1);
            asm.b(done);
            asm.bind(no);
            asm.mov(d.w(), 0);
            asm.bind(done);
            fn.iput(i.result(), d);
            return;
        }
        Label fail = fn.trap(TrapKind.CAST_FAILURE, i.wasmOffset);
        Label done = asm.newLabel();
        asm.cbz(v, nullable ? done : fail);
        instanceCheck(fn, v, i, fail);
        asm.bind(done);
        if (fn.location(i.result()) != Location.NONE) fn.iput(i.result(), v);
    }

    /**
     * Falls through when the nonzero word {@code v} is a value of cast {@code i}'s target heap type,
     * else branches to {@code fail} (X15 and X17 are scratch; see {@link GcLowering#isInlineCast}).
     */
    private static void instanceCheck(A64Function fn, GeneralRegister v, Instruction i, Label fail) {
        A64Assembler asm = fn.asm;
        HeapType target = HeapType.fromEncoding(i.imm);
        if (i.imm2() == GcLowering.CAST_FUNCTION) { // a funcref descriptor: its canonical type id is the final target's or it fails
            asm.ldr(SCRATCH2, Address.offset(VMCTX, VmContextLayout.TYPE_IDS));
            asm.ldr(SCRATCH2.w(), fn.field(SCRATCH2, 4L * target.typeIndex(), 4, SCRATCH3));
            asm.ldr(SCRATCH3.w(), Address.offset(v, VmContextLayout.FUNC_TYPE_ID));
            asm.cmp(SCRATCH3.w(), SCRATCH2.w());
            asm.b(Condition.NE, fail);
            return;
        }
        if (target.isConcrete()) {
            int index = target.typeIndex();
            asm.tst(v, 7); // an i31 or a host object
            asm.b(Condition.NE, fail);
            if (fn.module.types().get(index).isFinal()) { // no other type is a subtype: the header's id or nothing
                asm.ldr(SCRATCH3.w(), Address.offset(v, GcLayout.TYPE_ID));
            } else {
                int depth = GcLayout.depth(fn.module, index);
                displayRecord(fn, v, SCRATCH3);
                if (depth > 0) {
                    asm.ldr(SCRATCH2.w(), Address.offset(SCRATCH3, GcLayout.DISPLAY_DEPTH));
                    asm.cmp(SCRATCH2.w(), depth);
                    asm.b(Condition.LO, fail);
                }
                asm.ldr(SCRATCH3.w(), fn.field(SCRATCH3, GcLayout.DISPLAY_IDS + 4L * depth, 4, SCRATCH2));
            }
            asm.ldr(SCRATCH2, Address.offset(VMCTX, VmContextLayout.TYPE_IDS));
            long at = VmContextLayout.gcTypeId(fn.module.types().size(), index); // below 2^24 (at most 1 000 000 types)
            if (!Address.isOffsetEncodable(at, 4)) {
                asm.add(SCRATCH2, SCRATCH2, at & ~0xFFFL);
                at &= 0xFFF;
            }
            asm.ldr(SCRATCH2.w(), Address.offset(SCRATCH2, at));
            asm.cmp(SCRATCH3.w(), SCRATCH2.w());
            asm.b(Condition.NE, fail);
            return;
        }
        switch (target.kind()) {
            case ANY, FUNC, EXTERN, EXN -> { } // every nonzero word of the hierarchy
            case I31 -> {
                asm.tst(v, 1);
                asm.b(Condition.EQ, fail);
            }
            case EQ -> { // an i31 or an object, not a host object
                Label ok = asm.newLabel();
                asm.tst(v, 1);
                asm.b(Condition.NE, ok);
                asm.tst(v, 7);
                asm.b(Condition.NE, fail);
                asm.bind(ok);
            }
            case STRUCT, ARRAY -> {
                asm.tst(v, 7);
                asm.b(Condition.NE, fail);
                displayRecord(fn, v, SCRATCH3);
                asm.ldr(SCRATCH3.w(), Address.offset(SCRATCH3, GcLayout.DISPLAY_KIND));
                asm.cmp(SCRATCH3.w(), target.kind() == HeapType.Kind.STRUCT ? GcLayout.KIND_STRUCT : GcLayout.KIND_ARRAY);
                asm.b(Condition.NE, fail);
            }
            default -> asm.b(fail); // the bottom types hold only null
        }
    }

    /** {@code into} = the address of object {@code v}'s display record (X17 is used on the way). */
    private static void displayRecord(A64Function fn, GeneralRegister v, GeneralRegister into) {
        A64Assembler asm = fn.asm;
        asm.ldr(into.w(), Address.offset(v, GcLayout.TYPE_ID));
        asm.ldr(SCRATCH2, Address.offset(VMCTX, VmContextLayout.STATE));
        asm.ldr(SCRATCH2, Address.offset(SCRATCH2, ExecutionStateLayout.GC_TYPES));
        asm.ldr(into, Address.index(SCRATCH2, into, 3));
    }

    private static void load(A64Function fn, Address at, GcLayout.Field f, int r, boolean signed) {
        A64Assembler asm = fn.asm;
        switch (f.machine()) {
            case F32, F64, V128 -> {
                VectorRegister d = fn.fdst(r, FSCRATCH);
                asm.ldr(d, at);
                fn.fput(r, d);
            }
            default -> {
                GeneralRegister d = fn.idst(r, SCRATCH); // X16 may hold the address: read before written
                switch (f.size()) {
                    case 1 -> { if (signed) asm.ldrsb(d.w(), at); else asm.ldrb(d.w(), at); }
                    case 2 -> { if (signed) asm.ldrsh(d.w(), at); else asm.ldrh(d.w(), at); }
                    case 4 -> asm.ldr(d.w(), at);
                    default -> asm.ldr(d.x(), at);
                }
                fn.iput(r, d);
            }
        }
    }

    /** The value goes through X17 (struct fields: the index register is unused) or X16 (elements: X15 holds the address). */
    private static void store(A64Function fn, Address at, GcLayout.Field f, int v, boolean element) {
        A64Assembler asm = fn.asm;
        switch (f.machine()) {
            case F32, F64, V128 -> asm.str(fn.fget(v, FSCRATCH), at);
            default -> {
                GeneralRegister x = fn.iget(v, element ? SCRATCH : SCRATCH2);
                switch (f.size()) {
                    case 1 -> asm.strb(x.w(), at);
                    case 2 -> asm.strh(x.w(), at);
                    case 4 -> asm.str(x.w(), at);
                    default -> asm.str(x.x(), at);
                }
            }
        }
    }

    /** The GC helper: operands into the return area's slots, {@code helper(vmctx, opcode, imm, imm2, nargs | nres << 32, GC)}, the result from slot 0. */
    private static void helper(A64Function fn, Instruction i) {
        A64Assembler asm = fn.asm;
        GeneralRegister state = SCRATCH2;
        asm.ldr(state, Address.offset(VMCTX, VmContextLayout.STATE));
        for (int k = 0; k < i.argCount(); k++) {
            int v = i.arg(k);
            ValType t = fn.type(v);
            long offset = ExecutionStateLayout.returnSlot(k);
            if (A64RegisterFile.isFloat(t)) {
                VectorRegister r = fn.fget(v, FSCRATCH);
                asm.str(A64Function.spillView(r, t), fn.field(state, offset, t == ValType.V128 ? 16 : 8, SCRATCH3));
            } else {
                asm.str(fn.iget(v, SCRATCH), fn.field(state, offset, 8, SCRATCH3));
            }
        }
        int nres = i.resultCount();
        asm.mov(GeneralRegister.X1, i.op.ordinal());
        asm.mov(GeneralRegister.X2, i.imm);
        asm.mov(GeneralRegister.X3, i.imm2());
        asm.mov(GeneralRegister.X4, (long) nres << 32 | i.argCount());
        asm.mov(GeneralRegister.W5, RuntimeHelper.GC.ordinal());
        asm.mov(X0, VMCTX);
        asm.ldr(SCRATCH, Address.offset(VMCTX, VmContextLayout.helper(RuntimeHelper.GC)));
        int returnOffset = fn.call(() -> asm.blr(SCRATCH));
        fn.callSite(returnOffset, i.wasmOffset);
        fn.checkTrapAfterCall(i.wasmOffset);
        if (nres == 0 || fn.location(i.result()) == Location.NONE) return;
        int r = i.result();
        ValType t = fn.type(r);
        asm.ldr(state, Address.offset(VMCTX, VmContextLayout.STATE));
        Address slot = Address.offset(state, ExecutionStateLayout.returnSlot(0));
        if (A64RegisterFile.isFloat(t)) {
            VectorRegister d = fn.fdst(r, FSCRATCH);
            asm.ldr(d, slot);
            fn.fput(r, d);
        } else {
            GeneralRegister d = fn.idst(r, SCRATCH);
            asm.ldr(t == ValType.I32 ? d.w() : d.x(), slot);
            fn.iput(r, d);
        }
    }
}
