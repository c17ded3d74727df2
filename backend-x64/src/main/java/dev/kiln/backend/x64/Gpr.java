package dev.kiln.backend.x64;

/**
 * The sixteen x86-64 general-purpose registers, in hardware encoding order. An instruction's
 * {@link Width} picks which part is used (RAX/EAX/AX/AL); the high-byte registers AH-BH are not offered.
 */
public enum Gpr implements X64Register, GprOrMemory {
    RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15;
    /** values() copies its array on every call; the register allocator asks millions of times. */
    private static final Gpr[] BY_ENCODING = values();

    private static final String[] NAMES_64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi"};
    private static final String[] NAMES_32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] NAMES_16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    private static final String[] NAMES_8 = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil"};

    @Override
    public int encoding() {
        return ordinal();
    }

    /** The register with hardware number {@code encoding} (0-15). */
    public static Gpr of(int encoding) {
        return BY_ENCODING[encoding];
    }

    /**
     * True when byte access to this register needs a REX prefix: SPL, BPL, SIL and DIL share their
     * encodings with AH, CH, DH and BH, which are what those numbers mean without REX.
     */
    public boolean needsRexForByte() {
        return encoding() >= 4 && encoding() < 8;
    }

    /** The Intel-syntax name of this register at {@code width}, e.g. {@code eax}, {@code r9b}, {@code sil}. */
    public String intelName(Width width) {
        int n = encoding();
        if (n >= 8) {
            return switch (width) {
                case BYTE -> "r" + n + "b";
                case WORD -> "r" + n + "w";
                case DWORD -> "r" + n + "d";
                case QWORD -> "r" + n;
            };
        }
        return switch (width) {
            case BYTE -> NAMES_8[n];
            case WORD -> NAMES_16[n];
            case DWORD -> NAMES_32[n];
            case QWORD -> NAMES_64[n];
        };
    }
}
