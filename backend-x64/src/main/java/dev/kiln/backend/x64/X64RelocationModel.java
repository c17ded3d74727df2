package dev.kiln.backend.x64;

import dev.kiln.ir.code.RelocationModel;
import dev.kiln.ir.code.Target;

/**
 * How x86-64 relocations are applied (System V AMD64 psABI): {@code R_X86_64_64} writes S + A as 8 bytes;
 * {@code R_X86_64_PC32} and {@code R_X86_64_PLT32} write S + A - P as a signed 32-bit field (with no PLT,
 * a PLT32 call is resolved directly to the symbol).
 */
public final class X64RelocationModel implements RelocationModel {
    /** S + A, 64-bit absolute: {@code movabs r64, symbol}. */
    public static final int R_X86_64_64 = 1;
    /** S + A - P, 32-bit signed: RIP-relative data references. */
    public static final int R_X86_64_PC32 = 2;
    /** L + A - P, 32-bit signed: calls and tail jumps to functions. */
    public static final int R_X86_64_PLT32 = 4;

    /** The shared instance (the model has no state). */
    public static final X64RelocationModel INSTANCE = new X64RelocationModel();

    @Override
    public Target target() {
        return Target.X86_64;
    }

    @Override
    public String name(int type) {
        return switch (type) {
            case 0 -> "R_X86_64_NONE";
            case R_X86_64_64 -> "R_X86_64_64";
            case R_X86_64_PC32 -> "R_X86_64_PC32";
            case 3 -> "R_X86_64_GOT32";
            case R_X86_64_PLT32 -> "R_X86_64_PLT32";
            case 9 -> "R_X86_64_GOTPCREL";
            case 10 -> "R_X86_64_32";
            case 11 -> "R_X86_64_32S";
            case 24 -> "R_X86_64_PC64";
            case 41 -> "R_X86_64_GOTPCRELX";
            case 42 -> "R_X86_64_REX_GOTPCRELX";
            default -> "R_X86_64_<" + type + ">";
        };
    }

    @Override
    public boolean supports(int type) {
        return type == R_X86_64_64 || type == R_X86_64_PC32 || type == R_X86_64_PLT32;
    }

    @Override
    public void apply(byte[] code, int offset, int type, long symbolAddress, long addend, long placeAddress) {
        int size = switch (type) {
            case R_X86_64_64 -> 8;
            case R_X86_64_PC32, R_X86_64_PLT32 -> 4;
            default -> throw new IllegalArgumentException("unsupported relocation type " + name(type));
        };
        if (offset < 0 || offset > code.length - size) {
            throw new IllegalArgumentException(name(type) + " at offset " + offset + " is outside the code ("
                    + code.length + " bytes)");
        }
        long value;
        if (type == R_X86_64_64) {
            value = symbolAddress + addend;
        } else {
            try {
                value = Math.subtractExact(Math.addExact(symbolAddress, addend), placeAddress);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(name(type) + " at offset " + offset + " overflows", e);
            }
            if (value != (int) value) {
                throw new IllegalArgumentException(String.format(
                        "%s at offset %d: S + A - P = %#x does not fit in a signed 32-bit field (S=%#x A=%d P=%#x)",
                        name(type), offset, value, symbolAddress, addend, placeAddress));
            }
        }
        for (int i = 0; i < size; i++) {
            code[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    /** {@code symbol+0x10} / {@code symbol-0x4}, as objdump shows a relocation target. */
    static String describe(int type, String symbol, long addend) {
        String a = addend == 0 ? "" : addend > 0 ? "+" + Listing.hex(addend) : "-" + Listing.hex(-addend);
        return INSTANCE.name(type) + " " + symbol + a;
    }

    @Override
    public boolean isPositionIndependent(int type) {
        return type == R_X86_64_PC32 || type == R_X86_64_PLT32;
    }
}
