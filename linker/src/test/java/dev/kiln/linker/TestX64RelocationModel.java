package dev.kiln.linker;

import dev.kiln.ir.code.RelocationModel;
import dev.kiln.ir.code.Target;

/**
 * A test-only x86-64 relocation model (the real one belongs to backend-x64): R_X86_64_64 (S + A,
 * 8 bytes) and R_X86_64_PC32 / R_X86_64_PLT32 (S + A - P, signed 32 bits).
 */
final class TestX64RelocationModel implements RelocationModel {
    @Override
    public Target target() {
        return Target.X86_64;
    }

    @Override
    public String name(int type) {
        return switch (type) {
            case SampleCode.R_X86_64_64 -> "R_X86_64_64";
            case SampleCode.R_X86_64_PC32 -> "R_X86_64_PC32";
            case SampleCode.R_X86_64_PLT32 -> "R_X86_64_PLT32";
            default -> "R_X86_64_<" + type + ">";
        };
    }

    @Override
    public boolean supports(int type) {
        return type == SampleCode.R_X86_64_64 || type == SampleCode.R_X86_64_PC32 || type == SampleCode.R_X86_64_PLT32;
    }

    @Override
    public void apply(byte[] code, int offset, int type, long symbolAddress, long addend, long placeAddress) {
        if (type == SampleCode.R_X86_64_64) {
            write(code, offset, symbolAddress + addend, 8);
            return;
        }
        long value = symbolAddress + addend - placeAddress;
        if (value != (int) value) {
            throw new IllegalArgumentException(name(type) + " value 0x" + Long.toHexString(value) + " does not fit 32 bits");
        }
        write(code, offset, value, 4);
    }

    @Override
    public boolean isPositionIndependent(int type) {
        return type == SampleCode.R_X86_64_PC32 || type == SampleCode.R_X86_64_PLT32;
    }

    private static void write(byte[] code, int offset, long value, int bytes) {
        if (offset + bytes > code.length) throw new IndexOutOfBoundsException("field past the end of the code");
        for (int i = 0; i < bytes; i++) code[offset + i] = (byte) (value >>> (8 * i));
    }
}
