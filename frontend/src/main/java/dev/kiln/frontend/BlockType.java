package dev.kiln.frontend;

import java.util.concurrent.ConcurrentHashMap;

/**
 * The block type immediate as {@link InstructionReader#blockType()} gives it: {@link #EMPTY}
 * ({@code 0x40}), {@link #VALUE} (a value type, the block's single result) or a non-negative type
 * index.
 */
public final class BlockType {
    /** The empty block type 0x40 (its s33 value). */
    public static final long EMPTY = 0x40 - 0x80;
    /** A block type that is a value type: one result, {@link InstructionReader#blockResult()}. */
    public static final long VALUE = -1000;

    /** Bounded: number types, v128 and the 24 abstract reference types. */
    private static final ConcurrentHashMap<ValType, FuncType> SINGLE = new ConcurrentHashMap<>();

    private BlockType() {
    }

    public static boolean isEmpty(long blockType) {
        return blockType == EMPTY;
    }

    public static boolean isTypeIndex(long blockType) {
        return blockType >= 0;
    }

    /**
     * The function type {@code [] -> [t]}. Instances for the finitely many types without a type
     * index are shared, since blocks are many.
     */
    public static FuncType singleResult(ValType t) {
        if (t.heapType() != null && t.heapType().isConcrete()) return new FuncType(new ValType[0], new ValType[] {t});
        return SINGLE.computeIfAbsent(t, k -> new FuncType(new ValType[0], new ValType[] {k}));
    }

    /** The function type the current block instruction's block type stands for (params and results). */
    public static FuncType resolve(InstructionReader in, Module module) {
        long bt = in.blockType();
        if (bt == EMPTY) return FuncType.EMPTY;
        if (bt >= 0) return module.funcType((int) bt);
        return singleResult(in.blockResult());
    }
}
