package dev.kiln.ir;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A function in register IR: SSA values numbered {@code v0..v(n-1)} with a type each, and basic
 * blocks in layout order, the entry block first. The entry block's parameters are the function's
 * parameters.
 */
public final class IrFunction {
    public final int index;
    public final String name;
    private FuncType type;
    public final List<BasicBlock> blocks = new ArrayList<>();
    /** Where inlined instructions came from: their {@link Instruction#wasmOffset} locations. */
    public final InlineSites inlineSites = new InlineSites();
    /**
     * Each value's type as an index into {@link #types}, the function's distinct types: two bytes
     * per value instead of a reference (a function of millions of values has a handful of types).
     */
    private char[] valueTypes = new char[16];
    private final List<ValType> types = new ArrayList<>();
    private final Map<ValType, Character> typeCodes = new HashMap<>();
    private int valueCount;
    private int blockCount;

    public IrFunction(int index, String name, FuncType type) {
        this.index = index;
        this.name = name;
        this.type = type;
    }

    /** The function's type: its entry block's parameters and its results. */
    public FuncType type() {
        return type;
    }

    /** Changes the signature (an OSR variant takes the loop's live values as parameters). */
    public void retype(FuncType t) {
        this.type = t;
    }

    public int newValue(ValType type) {
        if (valueCount == valueTypes.length) valueTypes = Arrays.copyOf(valueTypes, valueCount + (valueCount >> 1));
        Character code = typeCodes.get(type);
        if (code == null) {
            if (types.size() > Character.MAX_VALUE) throw new IllegalStateException("more than 65536 value types in one function");
            code = (char) types.size();
            types.add(type);
            typeCodes.put(type, code);
        }
        valueTypes[valueCount] = code;
        return valueCount++;
    }

    public ValType typeOf(int value) {
        if (value >= valueTypes.length) throw new ArrayIndexOutOfBoundsException(value);
        return value < valueCount ? types.get(valueTypes[value]) : null;
    }

    /** Number of values ever created (ids are below this; some may be unused after passes). */
    public int valueCount() {
        return valueCount;
    }

    /** Creates a block with parameters of the given types; it is not placed in the layout yet. */
    public BasicBlock newBlock(ValType... paramTypes) {
        int[] params = new int[paramTypes.length];
        for (int i = 0; i < params.length; i++) params[i] = newValue(paramTypes[i]);
        return new BasicBlock(blockCount++, params);
    }

    /** Number of block ids ever created. */
    public int blockIdCount() {
        return blockCount;
    }

    public BasicBlock entry() {
        return blocks.get(0);
    }

    /** Number of instructions in all blocks, terminators included. */
    public int instructionCount() {
        int n = 0;
        for (BasicBlock b : blocks) n += b.instructions.size() + 1;
        return n;
    }
}
