package dev.kiln.backend.aarch64;

/**
 * A memory operand of a load or store: a 64-bit base register (an X register or SP) with
 * <ul>
 *   <li>an immediate offset: {@link #offset} picks the scaled unsigned 12-bit form when the offset
 *       is a non-negative multiple of the access size in range, else the unscaled signed 9-bit form
 *       (LDUR/STUR); {@link #unscaled} forces the latter;</li>
 *   <li>pre- or post-indexed writeback of a signed offset: {@link #preIndex}, {@link #postIndex};</li>
 *   <li>an index register, shifted ({@code [x1, x2, lsl #3]}) or extended ({@code [x1, w2, uxtw #2]}):
 *       {@link #index}.</li>
 * </ul>
 * Which offsets fit depends on the access size, so it is checked when the instruction is encoded.
 */
public final class Address {
    /** The addressing mode. */
    public enum Mode { OFFSET, UNSCALED, PRE_INDEX, POST_INDEX, REGISTER }

    private final Mode mode;
    private final GeneralRegister base;
    private final long offset;
    private final GeneralRegister index;
    private final Extend extend;
    private final int shift;

    private Address(Mode mode, GeneralRegister base, long offset, GeneralRegister index, Extend extend, int shift) {
        if (!base.is64()) {
            throw new IllegalArgumentException("address base " + base + " must be an X register or SP");
        }
        base.encodeSpOperand("address base");
        this.mode = mode;
        this.base = base;
        this.offset = offset;
        this.index = index;
        this.extend = extend;
        this.shift = shift;
    }

    /** {@code [base]}. */
    public static Address base(GeneralRegister base) {
        return new Address(Mode.OFFSET, base, 0, null, null, 0);
    }

    /** {@code [base, #offset]}, scaled 12-bit unsigned or unscaled 9-bit signed, whichever fits. */
    public static Address offset(GeneralRegister base, long offset) {
        return new Address(Mode.OFFSET, base, offset, null, null, 0);
    }

    /** {@code [base, #offset]} in the unscaled form (LDUR/STUR), offset in -256..255. */
    public static Address unscaled(GeneralRegister base, long offset) {
        return new Address(Mode.UNSCALED, base, offset, null, null, 0);
    }

    /** {@code [base, #offset]!}: base += offset, then access at base. */
    public static Address preIndex(GeneralRegister base, long offset) {
        return new Address(Mode.PRE_INDEX, base, offset, null, null, 0);
    }

    /** {@code [base], #offset}: access at base, then base += offset. */
    public static Address postIndex(GeneralRegister base, long offset) {
        return new Address(Mode.POST_INDEX, base, offset, null, null, 0);
    }

    /** {@code [base, index]} with a 64-bit index. */
    public static Address index(GeneralRegister base, GeneralRegister index) {
        return index(base, index, Extend.UXTX, 0);
    }

    /** {@code [base, index, lsl #shift]}; shift is 0 or log2 of the access size. */
    public static Address index(GeneralRegister base, GeneralRegister index, int shift) {
        return index(base, index, Extend.UXTX, shift);
    }

    /**
     * {@code [base, index, extend #shift]} with extend UXTW or SXTW (a 32-bit index, either view may
     * be passed), or UXTX (written LSL) or SXTX (a 64-bit index); shift is 0 or log2 of the access size.
     */
    public static Address index(GeneralRegister base, GeneralRegister index, Extend extend, int shift) {
        if (extend != Extend.UXTW && extend != Extend.SXTW && extend != Extend.UXTX && extend != Extend.SXTX) {
            throw new IllegalArgumentException("index extend must be UXTW, SXTW, UXTX (LSL) or SXTX, not " + extend);
        }
        index.encodeZrOperand("address index");
        return new Address(Mode.REGISTER, base, 0, index.view(extend.takes64BitRegister()), extend, shift);
    }

    /** True when {@link #offset(GeneralRegister, long)} can encode {@code offset} for an access of this many bytes. */
    public static boolean isOffsetEncodable(long offset, int accessBytes) {
        return fitsScaled(offset, accessBytes) || fitsUnscaled(offset);
    }

    static boolean fitsScaled(long offset, int accessBytes) {
        return offset >= 0 && offset % accessBytes == 0 && offset / accessBytes < 4096;
    }

    static boolean fitsUnscaled(long offset) {
        return offset >= -256 && offset <= 255;
    }

    public Mode mode() {
        return mode;
    }

    public GeneralRegister baseRegister() {
        return base;
    }

    public long offset() {
        return offset;
    }

    /** The index register (REGISTER mode), else null. */
    public GeneralRegister indexRegister() {
        return index;
    }

    /** The index extension (REGISTER mode), else null. */
    public Extend extend() {
        return extend;
    }

    /** The index shift amount (REGISTER mode). */
    public int shift() {
        return shift;
    }

    /** True for pre- and post-indexed addresses, which write the base register back. */
    public boolean writesBack() {
        return mode == Mode.PRE_INDEX || mode == Mode.POST_INDEX;
    }

    /** The operand text as objdump prints it. */
    String syntax() {
        return switch (mode) {
            case OFFSET, UNSCALED -> offset == 0 ? "[" + base + "]" : "[" + base + ", #" + offset + "]";
            case PRE_INDEX -> "[" + base + ", #" + offset + "]!";
            case POST_INDEX -> "[" + base + "], #" + offset;
            case REGISTER -> {
                String ext = extend == Extend.UXTX ? "lsl" : extend.syntax();
                if (shift != 0) yield "[" + base + ", " + index + ", " + ext + " #" + shift + "]";
                yield extend == Extend.UXTX ? "[" + base + ", " + index + "]" : "[" + base + ", " + index + ", " + ext + "]";
            }
        };
    }

    @Override
    public String toString() {
        return syntax();
    }
}
