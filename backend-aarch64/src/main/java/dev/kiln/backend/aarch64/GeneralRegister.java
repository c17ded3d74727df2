package dev.kiln.backend.aarch64;

import java.util.Arrays;

/**
 * A general-purpose register in its 64-bit (X) or 32-bit (W) view.
 *
 * <p>Register number 31 means either the stack pointer or the zero register, depending on the
 * instruction operand. The two are distinct constants here ({@link #SP}/{@link #WSP} and
 * {@link #XZR}/{@link #WZR}); {@link #x(int)} and {@link #w(int)} only accept 0-30, and every
 * instruction form checks that an operand which encodes 31 as SP is not given the zero register
 * and vice versa, so one can never be silently encoded as the other.
 */
public final class GeneralRegister implements A64Register {
    private enum Kind { NUMBERED, STACK_POINTER, ZERO }

    private static final GeneralRegister[] X_VIEWS = new GeneralRegister[31];
    private static final GeneralRegister[] W_VIEWS = new GeneralRegister[31];

    static {
        for (int i = 0; i < 31; i++) {
            X_VIEWS[i] = new GeneralRegister(i, true, Kind.NUMBERED);
            W_VIEWS[i] = new GeneralRegister(i, false, Kind.NUMBERED);
        }
    }

    public static final GeneralRegister X0 = X_VIEWS[0], X1 = X_VIEWS[1], X2 = X_VIEWS[2], X3 = X_VIEWS[3],
            X4 = X_VIEWS[4], X5 = X_VIEWS[5], X6 = X_VIEWS[6], X7 = X_VIEWS[7], X8 = X_VIEWS[8], X9 = X_VIEWS[9],
            X10 = X_VIEWS[10], X11 = X_VIEWS[11], X12 = X_VIEWS[12], X13 = X_VIEWS[13], X14 = X_VIEWS[14],
            X15 = X_VIEWS[15], X16 = X_VIEWS[16], X17 = X_VIEWS[17], X18 = X_VIEWS[18], X19 = X_VIEWS[19],
            X20 = X_VIEWS[20], X21 = X_VIEWS[21], X22 = X_VIEWS[22], X23 = X_VIEWS[23], X24 = X_VIEWS[24],
            X25 = X_VIEWS[25], X26 = X_VIEWS[26], X27 = X_VIEWS[27], X28 = X_VIEWS[28], X29 = X_VIEWS[29],
            X30 = X_VIEWS[30];
    public static final GeneralRegister W0 = W_VIEWS[0], W1 = W_VIEWS[1], W2 = W_VIEWS[2], W3 = W_VIEWS[3],
            W4 = W_VIEWS[4], W5 = W_VIEWS[5], W6 = W_VIEWS[6], W7 = W_VIEWS[7], W8 = W_VIEWS[8], W9 = W_VIEWS[9],
            W10 = W_VIEWS[10], W11 = W_VIEWS[11], W12 = W_VIEWS[12], W13 = W_VIEWS[13], W14 = W_VIEWS[14],
            W15 = W_VIEWS[15], W16 = W_VIEWS[16], W17 = W_VIEWS[17], W18 = W_VIEWS[18], W19 = W_VIEWS[19],
            W20 = W_VIEWS[20], W21 = W_VIEWS[21], W22 = W_VIEWS[22], W23 = W_VIEWS[23], W24 = W_VIEWS[24],
            W25 = W_VIEWS[25], W26 = W_VIEWS[26], W27 = W_VIEWS[27], W28 = W_VIEWS[28], W29 = W_VIEWS[29],
            W30 = W_VIEWS[30];

    /** The frame pointer (X29) and link register (X30) under AAPCS64. */
    public static final GeneralRegister FP = X29, LR = X30;
    /** The stack pointer, register 31 where an operand allows SP. */
    public static final GeneralRegister SP = new GeneralRegister(31, true, Kind.STACK_POINTER);
    /** The 32-bit view of the stack pointer. */
    public static final GeneralRegister WSP = new GeneralRegister(31, false, Kind.STACK_POINTER);
    /** The zero register, register 31 where an operand allows the zero register. */
    public static final GeneralRegister XZR = new GeneralRegister(31, true, Kind.ZERO);
    /** The 32-bit view of the zero register. */
    public static final GeneralRegister WZR = new GeneralRegister(31, false, Kind.ZERO);

    private final int number;
    private final boolean is64;
    private final Kind kind;

    private GeneralRegister(int number, boolean is64, Kind kind) {
        this.number = number;
        this.is64 = is64;
        this.kind = kind;
    }

    /** X{@code n} for n in 0-30. Register 31 has no number here: use {@link #SP} or {@link #XZR}. */
    public static GeneralRegister x(int n) {
        return X_VIEWS[checkNumber(n)];
    }

    /** W{@code n} for n in 0-30. Register 31 has no number here: use {@link #WSP} or {@link #WZR}. */
    public static GeneralRegister w(int n) {
        return W_VIEWS[checkNumber(n)];
    }

    private static int checkNumber(int n) {
        if (n < 0 || n > 30) {
            throw new IllegalArgumentException("general register number " + n
                    + " is not 0-30 (register 31 is SP or XZR: use GeneralRegister.SP or XZR)");
        }
        return n;
    }

    /** This register's 64-bit view (X{@code n}, SP or XZR). */
    public GeneralRegister x() {
        return is64 ? this : switch (kind) {
            case NUMBERED -> X_VIEWS[number];
            case STACK_POINTER -> SP;
            case ZERO -> XZR;
        };
    }

    /** This register's 32-bit view (W{@code n}, WSP or WZR). */
    public GeneralRegister w() {
        return !is64 ? this : switch (kind) {
            case NUMBERED -> W_VIEWS[number];
            case STACK_POINTER -> WSP;
            case ZERO -> WZR;
        };
    }

    /** This register in the view of the given width, 32 or 64 bits. */
    public GeneralRegister view(boolean sixtyFourBit) {
        return sixtyFourBit ? x() : w();
    }

    @Override
    public int number() {
        return number;
    }

    /** True for the X views (and SP, XZR); false for the W views. */
    public boolean is64() {
        return is64;
    }

    /** The width in bits of this view: 64 or 32. */
    public int width() {
        return is64 ? 64 : 32;
    }

    /** True for SP and WSP. */
    public boolean isStackPointer() {
        return kind == Kind.STACK_POINTER;
    }

    /** True for XZR and WZR. */
    public boolean isZero() {
        return kind == Kind.ZERO;
    }

    /** The number to encode in an operand where 31 means SP; rejects the zero register. */
    int encodeSpOperand(String what) {
        if (kind == Kind.ZERO) {
            throw new IllegalArgumentException(what + ": " + name()
                    + " is not allowed here (this operand encodes register 31 as " + (is64 ? "sp" : "wsp") + ")");
        }
        return number;
    }

    /** The number to encode in an operand where 31 means the zero register; rejects SP. */
    int encodeZrOperand(String what) {
        if (kind == Kind.STACK_POINTER) {
            throw new IllegalArgumentException(what + ": " + name()
                    + " is not allowed here (this operand encodes register 31 as " + (is64 ? "xzr" : "wzr") + ")");
        }
        return number;
    }

    /** Throws unless all registers have the width of the first. */
    static void requireSameWidth(String what, GeneralRegister... registers) {
        for (GeneralRegister r : registers) {
            if (r.is64 != registers[0].is64) {
                throw new IllegalArgumentException(what + ": registers mix 32- and 64-bit views: "
                        + Arrays.toString(registers));
            }
        }
    }

    /** Throws unless this is a 64-bit view. */
    void require64(String what) {
        if (!is64) {
            throw new IllegalArgumentException(what + ": " + name() + " must be a 64-bit (X) register");
        }
    }

    /** Throws unless this is a 32-bit view. */
    void require32(String what) {
        if (is64) {
            throw new IllegalArgumentException(what + ": " + name() + " must be a 32-bit (W) register");
        }
    }

    /** The sf bit (bit 31) of a data-processing instruction of this register's width. */
    int sfBit() {
        return is64 ? 1 << 31 : 0;
    }

    @Override
    public String name() {
        return switch (kind) {
            case NUMBERED -> (is64 ? "x" : "w") + number;
            case STACK_POINTER -> is64 ? "sp" : "wsp";
            case ZERO -> is64 ? "xzr" : "wzr";
        };
    }

    @Override
    public String toString() {
        return name();
    }
}
