package dev.kiln.frontend;

/**
 * Decodes the s33 block type immediate: {@code 0x40} (empty), a value type (one result), or a
 * non-negative type index. The s33 value of a single byte {@code b} is {@code b - 0x80}.
 */
public final class BlockType {
    /** The s33 value of the empty block type 0x40. */
    public static final long EMPTY = 0x40 - 0x80;

    private BlockType() {
    }

    public static boolean isEmpty(long blockType) {
        return blockType == EMPTY;
    }

    public static boolean isTypeIndex(long blockType) {
        return blockType >= 0;
    }

    /** The single result type of a value-type block type, or null when it is not one. */
    public static ValType valueType(long blockType) {
        if (blockType >= 0 || blockType < -64) return null;
        return ValType.fromCode((int) blockType + 0x80);
    }

    /** The function type a block type stands for (params and results). */
    public static FuncType resolve(long blockType, Module module) {
        if (blockType == EMPTY) return FuncType.EMPTY;
        if (blockType >= 0) return module.types().get((int) blockType);
        return new FuncType(new ValType[0], new ValType[] {valueType(blockType)});
    }
}
