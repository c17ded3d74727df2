package dev.kiln.backend.x64;

/**
 * The recommended no-op sequences of 1 to 9 bytes (Intel SDM, "Recommended Multi-Byte Sequence of NOP
 * Instruction"), with the text objdump shows for each. Used for padding by {@link X64Assembler#nop(int)}.
 */
enum MultiByteNop {
    NOP1("nop", "", 0x90),
    NOP2("xchg", "ax,ax", 0x66, 0x90),
    NOP3("nop", "DWORD PTR [rax]", 0x0F, 0x1F, 0x00),
    NOP4("nop", "DWORD PTR [rax+0x0]", 0x0F, 0x1F, 0x40, 0x00),
    NOP5("nop", "DWORD PTR [rax+rax*1+0x0]", 0x0F, 0x1F, 0x44, 0x00, 0x00),
    NOP6("nop", "WORD PTR [rax+rax*1+0x0]", 0x66, 0x0F, 0x1F, 0x44, 0x00, 0x00),
    NOP7("nop", "DWORD PTR [rax+0x0]", 0x0F, 0x1F, 0x80, 0x00, 0x00, 0x00, 0x00),
    NOP8("nop", "DWORD PTR [rax+rax*1+0x0]", 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00),
    NOP9("nop", "WORD PTR [rax+rax*1+0x0]", 0x66, 0x0F, 0x1F, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00);

    static final int MAX_LENGTH = 9;

    private final String mnemonic;
    private final String operand;
    private final byte[] bytes;

    MultiByteNop(String mnemonic, String operand, int... bytes) {
        this.mnemonic = mnemonic;
        this.operand = operand;
        this.bytes = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            this.bytes[i] = (byte) bytes[i];
        }
    }

    static MultiByteNop ofLength(int length) {
        return values()[length - 1];
    }

    int length() {
        return bytes.length;
    }

    String mnemonic() {
        return mnemonic;
    }

    String operand() {
        return operand;
    }

    byte[] bytes() {
        return bytes.clone();
    }
}
