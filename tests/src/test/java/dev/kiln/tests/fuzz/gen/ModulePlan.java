package dev.kiln.tests.fuzz.gen;

import dev.kiln.tests.fuzz.wasm.FuncSig;
import dev.kiln.tests.fuzz.wasm.GlobalDef;
import dev.kiln.tests.fuzz.wasm.MemoryDef;
import dev.kiln.tests.fuzz.wasm.NumType;

import java.util.List;

/**
 * What function bodies may refer to, decided before any body is generated: the declared types,
 * each function's type index, the globals (and which one is the fuel of guarded calls), the
 * memory and the table size.
 *
 * @param memory    null when there is no memory
 * @param tableSize 0 when there is no table
 * @param simd      whether bodies use v128 values and SIMD instructions
 * @param tags      the exception tags' type indices (empty: bodies neither throw nor catch)
 * @param gc        whether bodies make and use GC objects ({@link dev.kiln.tests.fuzz.wasm.GcSlots})
 */
record ModulePlan(List<FuncSig> types, List<Integer> functionTypes, List<GlobalDef> globals, int fuelGlobal, MemoryDef memory,
                  int tableSize, boolean simd, List<Integer> tags, boolean gc) {
    List<NumType> tagParams(int tag) {
        return types.get(tags.get(tag)).params();
    }

    FuncSig functionSig(int f) {
        return types.get(functionTypes.get(f));
    }

    int functionCount() {
        return functionTypes.size();
    }
}
