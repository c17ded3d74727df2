package dev.kiln.ir;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.HeapType;
import dev.kiln.frontend.Module;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.SubType;
import dev.kiln.frontend.WasmFeature;
import dev.kiln.ir.abi.ExecutionStateLayout;

/**
 * How native code carries out GC instructions, for both backends: i31 boxing and unboxing,
 * {@code ref.eq}, the extern/any conversions (the identity) and field and element access
 * ({@link #isFieldAccess}: a null check, for arrays a bounds check against the header's length,
 * then one load or store at the {@link GcLayout} offset) inline ({@link #isInline}), casts
 * ({@link #isInlineCast}), allocation with a runtime call only on its slow path
 * ({@link #isInlineAllocation}), array.fill ({@link #isInlineFill}) and array.copy
 * ({@link #isInlineCopy}); every other one
 * through the runtime's GC helper
 * ({@link dev.kiln.ir.abi.RuntimeHelper#GC}), which runs the interpreter's implementation on the
 * store's heap (so an allocation may collect: the collector scans native frames conservatively).
 */
public final class GcLowering {
    /** Operands the GC helper takes (one return-area slot each): longer array.new_fixed / struct.new stay interpreted. */
    public static final int MAX_HELPER_OPERANDS = ExecutionStateLayout.MAX_RESULTS;

    private GcLowering() {
    }

    /**
     * Whether call_indirect of {@code m} may find a callee whose type is a declared subtype of the
     * expected one (some function type of the module is not final): then a type id mismatch takes
     * the slow path ({@link dev.kiln.ir.abi.RuntimeHelper#FUNC_SUBTYPE}) before trapping.
     */
    public static boolean mayCallSubtypes(Module m) {
        for (SubType t : m.types()) if (t.composite() instanceof FuncType && !t.isFinal()) return true;
        return false;
    }

    /** True for a GC instruction native code carries out without a call. */
    public static boolean isInline(Opcode op) {
        return switch (op) {
            case REF_EQ, REF_I31, I31_GET_S, I31_GET_U, ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY -> true;
            default -> isFieldAccess(op);
        };
    }

    /** struct.get/set and array.get/set/len: loads and stores at the object's address. */
    public static boolean isFieldAccess(Opcode op) {
        return switch (op) {
            case STRUCT_GET, STRUCT_GET_S, STRUCT_GET_U, STRUCT_SET, ARRAY_GET, ARRAY_GET_S, ARRAY_GET_U, ARRAY_SET,
                 ARRAY_LEN -> true;
            default -> false;
        };
    }

    /** The trap a null operand of field access {@code op} raises. */
    public static TrapKind nullTrap(Opcode op) {
        return switch (op) {
            case STRUCT_GET, STRUCT_GET_S, STRUCT_GET_U, STRUCT_SET -> TrapKind.NULL_STRUCTURE_REFERENCE;
            default -> TrapKind.NULL_ARRAY_REFERENCE;
        };
    }

    /** Where field access {@code i} reads or writes (array.len: none; arrays: element 0's place). */
    public static GcLayout.Field field(Module m, Instruction i) {
        return switch (i.op) {
            case STRUCT_GET, STRUCT_GET_S, STRUCT_GET_U, STRUCT_SET -> GcLayout.structField(m, i.imm, i.imm2());
            case ARRAY_LEN -> null;
            default -> GcLayout.arrayElement(m, i.imm);
        };
    }

    /** True for array.get/get_s/get_u/set: the index is operand 1, bounds-checked against the length. */
    public static boolean isArrayElementAccess(Opcode op) {
        return switch (op) {
            case ARRAY_GET, ARRAY_GET_S, ARRAY_GET_U, ARRAY_SET -> true;
            default -> false;
        };
    }

    /** True when access {@code op} stores (its value is the last operand). */
    public static boolean isStore(Opcode op) {
        return op == Opcode.STRUCT_SET || op == Opcode.ARRAY_SET;
    }

    /** True for the sign-extending reads of packed storage. */
    public static boolean isSignedRead(Opcode op) {
        return op == Opcode.STRUCT_GET_S || op == Opcode.ARRAY_GET_S;
    }

    /** Largest struct (bytes) native code allocates inline; larger ones call the GC helper. */
    public static final int MAX_INLINE_STRUCT_BYTES = 1024;
    /** Most elements of an array.new_fixed native code allocates inline. */
    public static final int MAX_INLINE_FIXED_ELEMENTS = 32;
    /**
     * Longest array (elements) native code allocates inline: a longer one, or one whose length is
     * out of range, takes the slow path (the GC helper, which traps where it must).
     */
    public static final int MAX_INLINE_ARRAY_LENGTH = 1 << 24;

    /**
     * True for an allocation native code tries inline ({@code struct.new[_default]},
     * {@code array.new[_default|_fixed]}): a bump of the execution state's
     * {@link ExecutionStateLayout#GC_CURSOR} up to {@link ExecutionStateLayout#GC_LIMIT}, the
     * header (type id from the VMContext's GC type ids, an array's length) and every field written;
     * when the window is exhausted (or the array too long) the slow path calls the GC helper, so the
     * instruction stays a call for the register allocator. Arrays of v128 always call the helper.
     */
    public static boolean isInlineAllocation(Module m, Instruction i) {
        return switch (i.op) {
            case STRUCT_NEW, STRUCT_NEW_DEFAULT -> GcLayout.structSize(m, i.imm) <= MAX_INLINE_STRUCT_BYTES;
            case ARRAY_NEW, ARRAY_NEW_DEFAULT -> GcLayout.arrayElement(m, i.imm).size() <= 8;
            case ARRAY_NEW_FIXED -> GcLayout.arrayElement(m, i.imm).size() <= 8 && i.imm2() <= MAX_INLINE_FIXED_ELEMENTS;
            default -> false;
        };
    }

    /**
     * True for an array.fill native code carries out inline (elements up to 8 bytes): a null
     * check, {@code n <= length} and {@code offset <= length - n} (so no sum overflows), then a
     * store per element. It stays a call for the register allocator (the v128 case calls the helper).
     */
    public static boolean isInlineFill(Module m, Instruction i) {
        return i.op == Opcode.ARRAY_FILL && GcLayout.arrayElement(m, i.imm).size() <= 8;
    }

    /**
     * True for an array.copy native code carries out inline (elements up to 8 bytes, references
     * included: the collector neither moves objects nor needs write barriers): both null checks,
     * {@code d + n} and {@code s + n} (64-bit, so no sum wraps) against the arrays' lengths, then a
     * memmove of {@code n * size} bytes, forward unless the destination starts inside the source
     * range above it. It stays a call for the register allocator (the v128 case calls the helper),
     * so the lowering may use every caller-saved register once the operands are read.
     */
    public static boolean isInlineCopy(Module m, Instruction i) {
        return i.op == Opcode.ARRAY_COPY && GcLayout.arrayElement(m, i.imm).size() <= 8;
    }

    /**
     * {@code imm2} of a ref.test/ref.cast whose target is a concrete function type that is not final
     * (a function of a declared subtype, perhaps of another module, passes): native code checks it
     * with the GC helper.
     */
    public static final long CAST_BY_HELPER = 1;
    /**
     * {@code imm2} of a ref.test/ref.cast whose target is a final concrete function type: native code
     * compares the funcref descriptor's canonical type id with the target's (nothing else can pass).
     */
    public static final long CAST_FUNCTION = 2;

    /** True for a GC instruction native code carries out by calling the GC helper. */
    public static boolean isHelperCall(Instruction i) {
        return i.op.feature == WasmFeature.GC && !isInline(i.op) && !isInlineCast(i);
    }

    /** True for the cast instructions: ref.test, ref.cast (br_on_cast and br_on_cast_fail are ref.test and a branch in the IR). */
    public static boolean isCast(Opcode op) {
        return switch (op) {
            case REF_TEST, REF_TEST_NULL, REF_CAST, REF_CAST_NULL -> true;
            default -> false;
        };
    }

    /** {@code imm2} of a ref.test/ref.cast to {@code target} in module {@code m} (the IR builder's). */
    public static long castImm2(Module m, HeapType target) {
        if (!target.isConcrete() || !(m.types().get(target.typeIndex()).composite() instanceof FuncType)) return 0;
        return m.types().get(target.typeIndex()).isFinal() ? CAST_FUNCTION : CAST_BY_HELPER;
    }

    /**
     * True for a cast native code carries out inline: every target but a concrete function type
     * that is not final (checked by the helper; a final one, {@link #CAST_FUNCTION}, by the
     * funcref descriptor's type id). Abstract targets test the
     * word's tag bits ({@code dev.kiln.interpreter.gc.GcRefs}) and for struct/array the kind in the
     * object's display record; a concrete struct or array type compares the object's header id
     * with the target's id (a final target) or the display record's id at the target's depth
     * ({@link GcLayout#DISPLAY_IDS}).
     */
    public static boolean isInlineCast(Instruction i) {
        return isCast(i.op) && i.imm2() != CAST_BY_HELPER;
    }
}
