package dev.kiln.backend.x64;

/**
 * Instructions whose bytes never vary. Emitted by {@link X64Assembler#emit(FixedInstruction)} and by the
 * named shortcuts ({@link X64Assembler#ret()}, {@link X64Assembler#ud2()}, ...).
 */
public enum FixedInstruction {
    RET("ret", "", 0xC3),
    /** {@code mov rsp, rbp; pop rbp} in one byte. */
    LEAVE("leave", "", 0xC9),
    /** Guaranteed invalid opcode (raises #UD); the usual trap instruction. */
    UD2("ud2", "", 0x0F, 0x0B),
    /** Breakpoint. */
    INT3("int3", "", 0xCC),
    NOP("nop", "", 0x90),
    /** Sign-extends EAX into EDX:EAX (before a 32-bit {@code idiv}). */
    CDQ("cdq", "", 0x99),
    /** Sign-extends RAX into RDX:RAX (before a 64-bit {@code idiv}). */
    CQO("cqo", "", 0x48, 0x99),
    /** Clears the direction flag (string instructions go forward). */
    CLD("cld", "", 0xFC),
    /** Sets the direction flag (string instructions go backward). */
    STD("std", "", 0xFD),
    /** A system call (number in RAX; arguments RDI, RSI, RDX, R10, R8, R9; clobbers RCX and R11). */
    SYSCALL("syscall", "", 0x0F, 0x05),
    /** Copies RCX bytes from [RSI] to [RDI] (memory.copy). */
    REP_MOVSB("rep movs", "BYTE PTR es:[rdi],BYTE PTR ds:[rsi]", 0xF3, 0xA4),
    /** Stores AL into RCX bytes at [RDI] (memory.fill). */
    REP_STOSB("rep stos", "BYTE PTR es:[rdi],al", 0xF3, 0xAA),
    /** CPU identification: leaf EAX, subleaf ECX into EAX, EBX, ECX, EDX. */
    CPUID("cpuid", "", 0x0F, 0xA2),
    /** Reads extended control register ECX into EDX:EAX (which register states the OS saves). */
    XGETBV("xgetbv", "", 0x0F, 0x01, 0xD0);

    private final String mnemonic;
    private final String operands;
    private final byte[] bytes;

    FixedInstruction(String mnemonic, String operands, int... bytes) {
        this.mnemonic = mnemonic;
        this.operands = operands;
        this.bytes = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            this.bytes[i] = (byte) bytes[i];
        }
    }

    /** The mnemonic as {@code objdump -M intel} prints it. */
    public String mnemonic() {
        return mnemonic;
    }

    /** The implicit operands as objdump prints them, or an empty string. */
    public String operands() {
        return operands;
    }

    byte[] bytes() {
        return bytes.clone();
    }
}
