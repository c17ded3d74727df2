package dev.kiln.backend.aarch64;

import dev.kiln.ir.code.RelocationModel;
import dev.kiln.ir.code.Target;

/**
 * How the linker patches AArch64 relocations: the types of {@link A64RelocationType} (ABS64,
 * CALL26, JUMP26, ADR_PREL_PG_HI21, ADD_ABS_LO12_NC, LDST64_ABS_LO12_NC and the other
 * branch, literal and low-12-bit types), each with the ABI's range and alignment checks.
 */
public final class A64RelocationModel implements RelocationModel {
    /** The model is stateless; this is its only instance. */
    public static final A64RelocationModel INSTANCE = new A64RelocationModel();

    private A64RelocationModel() {
    }

    @Override
    public Target target() {
        return Target.AARCH64;
    }

    @Override
    public String name(int type) {
        A64RelocationType t = A64RelocationType.fromNumber(type);
        return t != null ? t.elfName() : "R_AARCH64_<unknown " + type + ">";
    }

    @Override
    public boolean supports(int type) {
        return A64RelocationType.fromNumber(type) != null;
    }

    @Override
    public void apply(byte[] code, int offset, int type, long symbolAddress, long addend, long placeAddress) {
        A64RelocationType t = A64RelocationType.fromNumber(type);
        if (t == null) {
            throw new IllegalArgumentException("unsupported AArch64 relocation type " + type);
        }
        t.apply(code, offset, symbolAddress, addend, placeAddress);
    }

    @Override
    public boolean isPositionIndependent(int type) {
        A64RelocationType t = A64RelocationType.fromNumber(type);
        return t != null && t != A64RelocationType.ABS64 && t != A64RelocationType.ABS32;
    }
}
