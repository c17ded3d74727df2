package dev.kiln.ir.abi;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Instruction;

import java.util.EnumMap;
import java.util.Map;

/**
 * Operations native code leaves to the runtime. Each is called through the VMContext's helper
 * table with one signature, {@code long helper(long vmctx, long a, long b, long c, long d, long id)}
 * where {@code id} is the helper's ordinal (the table entries may all be one entry point) and
 * unused arguments are ignored; {@code arity} is how many of a..d it reads. Helpers never throw:
 * those that can trap set the execution state's TRAP_CODE and return, and the caller checks it
 * ({@code mayTrap}). Each helper but {@link #GC} carries out one Wasm instruction ({@link #of}); its
 * first arguments are that instruction's immediates ({@link #immediates}), its operands follow.
 */
public enum RuntimeHelper {
    /** a = memory, b = delta pages; returns the old size in pages or -1. */
    MEMORY_GROW(Opcode.MEMORY_GROW, Packing.INDEX, 2, false),
    /** a = memory, b = dst, c = value, d = n. */
    MEMORY_FILL(Opcode.MEMORY_FILL, Packing.INDEX, 4, true),
    /** a = (dst memory << 32 | src memory), b = dst, c = src, d = n. */
    MEMORY_COPY(Opcode.MEMORY_COPY, Packing.TWO_INDICES, 4, true),
    /** a = (segment << 32 | memory), b = dst, c = src, d = n. */
    MEMORY_INIT(Opcode.MEMORY_INIT, Packing.TWO_INDICES, 4, true),
    /** a = segment. */
    DATA_DROP(Opcode.DATA_DROP, Packing.INDEX, 1, false),
    /** a = table, b = init value, c = delta; returns the old size or -1. */
    TABLE_GROW(Opcode.TABLE_GROW, Packing.INDEX, 3, false),
    /** a = table, b = index, c = value, d = n. */
    TABLE_FILL(Opcode.TABLE_FILL, Packing.INDEX, 4, true),
    /** a = (dst table << 32 | src table), b = dst, c = src, d = n. */
    TABLE_COPY(Opcode.TABLE_COPY, Packing.TWO_INDICES, 4, true),
    /** a = (segment << 32 | table), b = dst, c = src, d = n. */
    TABLE_INIT(Opcode.TABLE_INIT, Packing.TWO_INDICES, 4, true),
    /** a = segment. */
    ELEM_DROP(Opcode.ELEM_DROP, Packing.INDEX, 1, false),
    /**
     * throw: a = tag; the payload is in the return area (one 16-byte slot per value). Records the
     * exception (trap code THROW); the caller then unwinds (its dispatch, or the trap routine).
     */
    THROW(Opcode.THROW, Packing.NONE, 1, true),
    /** throw_ref: a = the exnref; records the exception, or traps on null. */
    THROW_REF(Opcode.THROW_REF, Packing.NONE, 1, true),
    /**
     * An exception dispatch's clause: a = tag (-1 for a catch-all), b = 1 when the clause takes the
     * exnref. When the pending exception matches, writes its payload (then the exnref) into the
     * return area, clears it and returns 1; else returns 0.
     */
    CATCH(Opcode.CATCH, Packing.NONE, 2, false),
    /**
     * The trap routine's handler search for a pending exception: a = the return address into the
     * code that called the trap routine, b = the frame pointer there. Walks the frames up to
     * the entry trampoline; returns the first exception dispatch of a call site the exception passes
     * (its frame pointer in the execution state's HANDLER_FP), or 0.
     */
    FIND_HANDLER(null, Packing.NONE, 2, false),
    /**
     * Any GC instruction native code does not do inline ({@link dev.kiln.ir.GcLowering}): a = its
     * opcode's ordinal, b = {@code imm}, c = {@code imm2}, d = operand count | result count << 32.
     * The operands are in the execution state's return area, one 16-byte slot each (a v128 fills
     * its slot, any other value the low 8 bytes); the result, if any, comes back in slot 0 (and,
     * unless a v128, as the return value).
     */
    GC(null, Packing.NONE, 4, true),
    /**
     * call_indirect's slow path when the callee's type id differs from the expected one and the
     * module declares function subtypes: a = the callee's funcref descriptor, b = the expected type
     * index; returns 1 when the callee's type is a declared subtype of it, else 0. Native code
     * keeps every register live across this call (it saves them around it).
     */
    FUNC_SUBTYPE(null, Packing.NONE, 2, false);

    public static final int COUNT = values().length;

    /** How the instruction's immediates become the helper's leading argument. */
    private enum Packing {
        /** none: every argument is an operand */
        NONE,
        /** the index immediate ({@code imm}) */
        INDEX,
        /** two indices in one argument: {@code imm << 32 | imm2} */
        TWO_INDICES
    }

    private static final Map<Opcode, RuntimeHelper> BY_OPCODE = new EnumMap<>(Opcode.class);

    static {
        for (RuntimeHelper h : values()) if (h.opcode != null && h.packing != Packing.NONE) BY_OPCODE.put(h.opcode, h);
    }

    /** The Wasm instruction this helper carries out (null for {@link #GC}, which carries out many). */
    public final Opcode opcode;
    private final Packing packing;
    public final int arity;
    public final boolean mayTrap;

    RuntimeHelper(Opcode opcode, Packing packing, int arity, boolean mayTrap) {
        this.opcode = opcode;
        this.packing = packing;
        this.arity = arity;
        this.mayTrap = mayTrap;
    }

    /** The helper that carries out {@code op}, or null when native code does it inline. */
    public static RuntimeHelper of(Opcode op) {
        return BY_OPCODE.get(op);
    }

    /** The helper's leading arguments taken from {@code i}'s immediates (none, or one); its operands follow. */
    public long[] immediates(Instruction i) {
        return switch (packing) {
            case NONE -> new long[0];
            case INDEX -> new long[] {i.imm};
            case TWO_INDICES -> new long[] {i.imm << 32 | i.imm2()};
        };
    }
}
