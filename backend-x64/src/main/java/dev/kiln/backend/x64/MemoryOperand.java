package dev.kiln.backend.x64;

import java.util.Objects;

/**
 * A memory operand. Three shapes:
 * <ul>
 *   <li>{@link Address}: {@code [base + index*scale + displacement]}, where base and index are optional;</li>
 *   <li>{@link RipLabel}: {@code [rip + ...]} addressing a {@link Label} of the same function, e.g. a
 *       constant from the pool ({@link X64Assembler#constant64}) or a jump table;</li>
 *   <li>{@link RipSymbol}: {@code [rip + ...]} addressing an external symbol, which the assembler
 *       records as an {@code R_X86_64_PC32} relocation.</li>
 * </ul>
 * The width of the access comes from the instruction, not from the operand. Build operands with the
 * static factories, e.g. {@code mem(RSP, 16)}, {@code mem(RBX, RCX, 8, 0)}, {@code rip(constant)}.
 */
public sealed interface MemoryOperand extends GprOrMemory, XmmOrMemory
        permits MemoryOperand.Address, MemoryOperand.RipLabel, MemoryOperand.RipSymbol {

    /**
     * {@code [base + index*scale + displacement]}. {@code base} and {@code index} may each be null (with no
     * base the displacement is a 32-bit absolute or index-relative address). RSP cannot be an index;
     * {@code scale} is 1, 2, 4 or 8 (and 1 when there is no index).
     */
    record Address(Gpr base, Gpr index, int scale, int displacement) implements MemoryOperand {
        public Address {
            if (index == Gpr.RSP) {
                throw new IllegalArgumentException("rsp cannot be an index register");
            }
            if (scale != 1 && scale != 2 && scale != 4 && scale != 8) {
                throw new IllegalArgumentException("scale must be 1, 2, 4 or 8, not " + scale);
            }
            if (index == null && scale != 1) {
                throw new IllegalArgumentException("scale " + scale + " without an index register");
            }
        }
    }

    /** {@code [rip + (label + displacement - end of instruction)]}: the address {@code label + displacement}. */
    record RipLabel(Label label, int displacement) implements MemoryOperand {
        public RipLabel {
            Objects.requireNonNull(label, "label");
        }
    }

    /**
     * The address {@code symbol + addend}, reached RIP-relatively. The assembler emits a zero
     * displacement and an {@code R_X86_64_PC32} relocation whose addend also accounts for the distance
     * from the displacement field to the end of the instruction.
     */
    record RipSymbol(String symbol, long addend) implements MemoryOperand {
        public RipSymbol {
            Objects.requireNonNull(symbol, "symbol");
        }
    }

    /** {@code [base]}. */
    static MemoryOperand mem(Gpr base) {
        return new Address(Objects.requireNonNull(base, "base"), null, 1, 0);
    }

    /** {@code [base + displacement]}. */
    static MemoryOperand mem(Gpr base, int displacement) {
        return new Address(Objects.requireNonNull(base, "base"), null, 1, displacement);
    }

    /** {@code [base + index*scale]}. */
    static MemoryOperand mem(Gpr base, Gpr index, int scale) {
        return new Address(Objects.requireNonNull(base, "base"), Objects.requireNonNull(index, "index"), scale, 0);
    }

    /** {@code [base + index*scale + displacement]}. */
    static MemoryOperand mem(Gpr base, Gpr index, int scale, int displacement) {
        return new Address(Objects.requireNonNull(base, "base"), Objects.requireNonNull(index, "index"), scale,
                displacement);
    }

    /** {@code [index*scale + displacement]} with no base register (always a 32-bit displacement). */
    static MemoryOperand memIndex(Gpr index, int scale, int displacement) {
        return new Address(null, Objects.requireNonNull(index, "index"), scale, displacement);
    }

    /** The absolute address {@code [displacement]}, sign-extended from 32 bits. */
    static MemoryOperand memAbsolute(int displacement) {
        return new Address(null, null, 1, displacement);
    }

    /** The address of {@code label}, RIP-relative. */
    static MemoryOperand rip(Label label) {
        return new RipLabel(label, 0);
    }

    /** The address {@code label + displacement}, RIP-relative (e.g. the high half of a 16-byte constant). */
    static MemoryOperand rip(Label label, int displacement) {
        return new RipLabel(label, displacement);
    }

    /** The address of external {@code symbol}, RIP-relative through an {@code R_X86_64_PC32} relocation. */
    static MemoryOperand ripSymbol(String symbol) {
        return new RipSymbol(symbol, 0);
    }

    /** The address {@code symbol + addend}, RIP-relative through an {@code R_X86_64_PC32} relocation. */
    static MemoryOperand ripSymbol(String symbol, long addend) {
        return new RipSymbol(symbol, addend);
    }
}
