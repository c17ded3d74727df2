package dev.kiln.backend.x64;

import dev.kiln.frontend.Immediate;
import dev.kiln.frontend.Opcode;
import dev.kiln.frontend.ValType;
import dev.kiln.ir.CallSignatures;
import dev.kiln.ir.Instruction;
import dev.kiln.ir.Terminator;
import dev.kiln.regalloc.RegisterFile;

import java.util.EnumMap;
import java.util.Map;

/**
 * The registers kiln's allocator may use on x86-64 (SysV), numbered for the allocator as the
 * GPR encoding (0-15) or 16 + the XMM number.
 *
 * <p>Not allocatable: RSP, RBP (frame pointer), R15 (the VMContext) and R14 (memory-0 base),
 * pinned by the internal calling convention, and the scratch registers the lowering uses freely:
 * R11, XMM13, XMM14 and XMM15 (the SIMD lowering's sequences need three vector temporaries besides
 * their result). RAX, RCX and RDX are allocatable but some lowerings use them (division,
 * shifts by CL, calls, returns, float equality): {@link #scratchClobbers} says which, and the
 * allocator keeps the operands, results and values live across such an instruction out of them.
 * Callee-saved among the allocatable ones: RBX, R12, R13, R9, R10 (R9 and R10 not for references,
 * {@link X64CallingConvention#KEPT_FROM_C}); every XMM register is caller-saved at every width, so
 * floats and vectors that live across a call are spilled.
 */
public final class X64RegisterFile implements RegisterFile {
    public static final X64RegisterFile INSTANCE = new X64RegisterFile();

    static final int INT = 0;
    static final int FLOAT = 1;
    private static final int XMM_BASE = 16;

    /**
     * Caller-saved first, so values that do not cross calls leave the callee-saved ones free; among
     * those, the ones some instructions use as scratch last.
     */
    private static final Gpr[] GPRS = {Gpr.RSI, Gpr.RDI, Gpr.R8, Gpr.RAX, Gpr.RCX, Gpr.RDX,
            Gpr.RBX, Gpr.R12, Gpr.R13, Gpr.R9, Gpr.R10};
    private static final long RAX = 1L << Gpr.RAX.encoding(), RCX = 1L << Gpr.RCX.encoding(), RDX = 1L << Gpr.RDX.encoding();
    /** What an instruction without a finer entry below may overwrite. */
    private static final long ALL_SCRATCH = RAX | RCX | RDX;
    /**
     * The SIMD instructions whose sequences use RAX, RCX or RDX (every other one uses only R11 and
     * the vector temporaries): shifts by a count that is not a constant take it in ECX, and i8x16's
     * take their mask from a table addressed through RAX ({@link X64SimdIntegers}); 8- and 16-bit
     * splat loads without AVX2 go through EAX ({@link X64SimdMemory}).
     */
    private static final Map<Opcode, Long> SIMD_SCRATCH = new EnumMap<>(Opcode.class);
    private static final int[] GPR_NUMBERS = new int[GPRS.length];
    private static final int[] XMM_NUMBERS = new int[13];

    static {
        for (int i = 0; i < GPRS.length; i++) GPR_NUMBERS[i] = GPRS[i].encoding();
        for (int i = 0; i < XMM_NUMBERS.length; i++) XMM_NUMBERS[i] = XMM_BASE + i;
        for (Opcode op : Opcode.values()) {
            if (!op.isSimd()) continue;
            String m = op.mnemonic;
            if (m.endsWith(".shl") || m.endsWith(".shr_s") || m.endsWith(".shr_u")) SIMD_SCRATCH.put(op, RAX | RCX);
        }
        SIMD_SCRATCH.put(Opcode.V128_LOAD8_SPLAT, RAX);
        SIMD_SCRATCH.put(Opcode.V128_LOAD16_SPLAT, RAX);
    }

    private X64RegisterFile() {
    }

    @Override
    public int classOf(ValType type) {
        return isFloat(type) ? FLOAT : INT;
    }

    static boolean isFloat(ValType t) {
        return t == ValType.F32 || t == ValType.F64 || t == ValType.V128;
    }

    @Override
    public int[] allocatable(int registerClass) {
        return registerClass == INT ? GPR_NUMBERS.clone() : XMM_NUMBERS.clone();
    }

    @Override
    public boolean isClobberedByCalls(int register, ValType type) {
        if (register >= XMM_BASE) return true;
        Gpr g = Gpr.of(register);
        if (g == Gpr.R14 || g == Gpr.R15 || g == Gpr.RBP) return false;
        if (X64CallingConvention.isKeptFromC(g)) return type.isReference(); // see X64CallingConvention.KEPT_FROM_C
        return !X64CallingConvention.isCalleeSaved(g);
    }

    /**
     * Which of RAX, RCX and RDX the lowering of {@code i} overwrites: none for the integer and float
     * arithmetic, comparisons, conversions between floats and from integers, constants, select,
     * memory accesses, the globals and most SIMD instructions (see {@link #SIMD_SCRATCH}); CL for shifts; RAX and RCX for float (in)equality and the
     * unsigned and truncating conversions; all three for everything else (division, calls and the
     * operations lowered as calls, table accesses).
     */
    @Override
    public long scratchClobbers(Instruction i) {
        Opcode op = i.op;
        if (op.isSimd()) return SIMD_SCRATCH.getOrDefault(op, 0L);
        if (op.immediate == Immediate.MEMARG) return 0;
        if (X64IntegerLowering.isBitCount(op)) return RAX | RDX; // the fallbacks for CPUs without LZCNT, TZCNT, POPCNT
        if (X64IntegerLowering.isShift(op)) return RCX;
        if (X64IntegerLowering.isDivision(op)) return ALL_SCRATCH;
        if (X64IntegerLowering.handles(op)) return 0;
        return switch (op) {
            case I32_CONST, I64_CONST, F32_CONST, F64_CONST, REF_NULL, REF_IS_NULL, SELECT, GLOBAL_GET, MEMORY_SIZE, REF_FUNC,
                 F64_PROMOTE_F32, F32_DEMOTE_F64, F32_CONVERT_I32_S, F64_CONVERT_I32_S, F32_CONVERT_I32_U, F32_CONVERT_I64_S,
                 F64_CONVERT_I32_U, F64_CONVERT_I64_S, I32_REINTERPRET_F32, I64_REINTERPRET_F64, F32_REINTERPRET_I32,
                 F64_REINTERPRET_I64 -> 0;
            case F32_EQ, F64_EQ, F32_NE, F64_NE -> RAX | RCX;
            case GLOBAL_SET -> RAX;
            default -> X64FloatLowering.handles(op) ? 0 : ALL_SCRATCH;
        };
    }

    /** Calls with at most one result and divisions put their result in place after everything else. */
    @Override
    public boolean resultsFollowScratch(Instruction i) {
        return CallSignatures.isCall(i.op) && i.resultCount() <= 1 || X64IntegerLowering.isDivision(i.op);
    }

    /**
     * Jumps (their edge moves go through R11 and XMM14), branches and returns of at most one value
     * (written to RAX or XMM0 last) use none; returns through the return area, tables and tail calls
     * all three.
     */
    @Override
    public long scratchClobbers(Terminator t) {
        return switch (t) {
            case Terminator.Jump j -> 0;
            case Terminator.Branch b -> 0;
            case Terminator.Trap x -> 0;
            case Terminator.Return r -> r.values.length <= 1 ? 0 : ALL_SCRATCH;
            default -> ALL_SCRATCH;
        };
    }

    static boolean isXmm(int register) {
        return register >= XMM_BASE;
    }

    static Gpr gpr(int register) {
        return Gpr.of(register);
    }

    static Xmm xmm(int register) {
        return Xmm.values()[register - XMM_BASE];
    }

    static int number(Gpr g) {
        return g.encoding();
    }

    static int number(Xmm x) {
        return XMM_BASE + x.ordinal();
    }
}
