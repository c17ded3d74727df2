package dev.kiln.backend.aarch64;

import dev.kiln.frontend.Immediate;
import dev.kiln.frontend.WasmFeature;
import dev.kiln.ir.Instruction;

/** Sends each IR instruction to the lowering of its family. */
final class A64InstructionLowering {
    private A64InstructionLowering() {
    }

    static void lower(A64Function fn, Instruction i) {
        if (i.op.isSimd()) {
            A64SimdLowering.lower(fn, i);
            return;
        }
        if (i.op.immediate == Immediate.MEMARG) {
            A64MemoryLowering.access(fn, i);
            return;
        }
        if (i.op.feature == WasmFeature.GC) {
            A64GcLowering.lower(fn, i);
            return;
        }
        switch (i.op) {
            case I32_CONST, I64_CONST, F32_CONST, F64_CONST, REF_NULL -> A64IntegerLowering.constant(fn, i);
            case MEMORY_GROW, MEMORY_FILL, MEMORY_COPY, MEMORY_INIT, DATA_DROP,
                 TABLE_GROW, TABLE_FILL, TABLE_COPY, TABLE_INIT, ELEM_DROP -> A64CallLowering.lower(fn, i);
            case GLOBAL_GET, GLOBAL_SET, MEMORY_SIZE, TABLE_GET, TABLE_SET, TABLE_SIZE, REF_FUNC ->
                    A64MemoryLowering.state(fn, i);
            case SELECT -> A64IntegerLowering.select(fn, i);
            case REF_IS_NULL -> A64IntegerLowering.compareZero(fn, i, true);
            default -> {
                if (A64IntegerLowering.handles(i.op)) A64IntegerLowering.lower(fn, i);
                else if (A64FloatLowering.handles(i.op)) A64FloatLowering.lower(fn, i);
                else A64ConversionLowering.lower(fn, i);
            }
        }
    }
}
