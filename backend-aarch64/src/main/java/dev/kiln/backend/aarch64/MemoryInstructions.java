package dev.kiln.backend.aarch64;

/**
 * Loads and stores through an {@link Address}: single registers of every size and signedness,
 * general (W/X) or floating point (B/H/S/D/Q), and register pairs. PC-relative literal loads are
 * on {@link A64Assembler} because they need its labels and literal pool.
 */
public sealed interface MemoryInstructions extends InstructionSink permits A64Assembler {

    /** {@code op rt, address} for any entry of the single-register table. */
    default void loadStore(LoadStoreOp op, A64Register rt, Address address) {
        op.emit(this, rt, address);
    }

    /** {@code ldr rt, address}: W, X, B, H, S, D or Q. */
    default void ldr(A64Register rt, Address address) {
        loadStore(LoadStoreOp.load(rt), rt, address);
    }

    /** {@code str rt, address}: W, X, B, H, S, D or Q. */
    default void str(A64Register rt, Address address) {
        loadStore(LoadStoreOp.store(rt), rt, address);
    }

    /** {@code ldrb wt, address}: zero-extends (to all 64 bits); rt may be passed in either view. */
    default void ldrb(GeneralRegister rt, Address address) {
        loadStore(LoadStoreOp.LDRB, rt.w(), address);
    }

    /** {@code ldrh wt, address}: zero-extends; rt may be passed in either view. */
    default void ldrh(GeneralRegister rt, Address address) {
        loadStore(LoadStoreOp.LDRH, rt.w(), address);
    }

    /** {@code strb wt, address}; rt may be passed in either view. */
    default void strb(GeneralRegister rt, Address address) {
        loadStore(LoadStoreOp.STRB, rt.w(), address);
    }

    /** {@code strh wt, address}; rt may be passed in either view. */
    default void strh(GeneralRegister rt, Address address) {
        loadStore(LoadStoreOp.STRH, rt.w(), address);
    }

    /** {@code ldrsb rt, address}: sign-extends a byte to rt's width (W or X). */
    default void ldrsb(GeneralRegister rt, Address address) {
        loadStore(rt.is64() ? LoadStoreOp.LDRSB_X : LoadStoreOp.LDRSB_W, rt, address);
    }

    /** {@code ldrsh rt, address}: sign-extends a halfword to rt's width (W or X). */
    default void ldrsh(GeneralRegister rt, Address address) {
        loadStore(rt.is64() ? LoadStoreOp.LDRSH_X : LoadStoreOp.LDRSH_W, rt, address);
    }

    /** {@code ldrsw xt, address}: sign-extends a word to 64 bits. */
    default void ldrsw(GeneralRegister xt, Address address) {
        loadStore(LoadStoreOp.LDRSW, xt, address);
    }

    /** {@code op rt1, rt2, address} for any entry of the pair table (offset, pre- or post-index address). */
    default void loadStorePair(LoadStorePairOp op, A64Register rt1, A64Register rt2, Address address) {
        op.emit(this, rt1, rt2, address);
    }

    /** {@code ldp rt1, rt2, address}: W, X, S, D or Q pairs. */
    default void ldp(A64Register rt1, A64Register rt2, Address address) {
        loadStorePair(LoadStorePairOp.of(rt1, true), rt1, rt2, address);
    }

    /** {@code stp rt1, rt2, address}: W, X, S, D or Q pairs. */
    default void stp(A64Register rt1, A64Register rt2, Address address) {
        loadStorePair(LoadStorePairOp.of(rt1, false), rt1, rt2, address);
    }

    /** {@code ldpsw xt1, xt2, address}: two sign-extended words. */
    default void ldpsw(GeneralRegister xt1, GeneralRegister xt2, Address address) {
        loadStorePair(LoadStorePairOp.LDPSW, xt1, xt2, address);
    }
}
