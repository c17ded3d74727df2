package dev.kiln.backend.x64;

import dev.kiln.frontend.Immediate;
import dev.kiln.frontend.WasmFeature;
import dev.kiln.ir.Instruction;

/** Sends each IR instruction (calls are the shared driver's) to the lowering of its family. */
final class X64InstructionLowering {
    private X64InstructionLowering() {
    }

    static void lower(X64Function fn, Instruction i) {
        if (i.op.isSimd()) {
            X64SimdLowering.lower(fn, i);
            return;
        }
        if (i.op.immediate == Immediate.MEMARG) {
            X64MemoryLowering.access(fn, i);
            return;
        }
        if (i.op.feature == WasmFeature.GC) {
            X64GcLowering.lower(fn, i);
            return;
        }
        switch (i.op) {
            case I32_CONST, I64_CONST, F32_CONST, F64_CONST, REF_NULL -> X64IntegerLowering.constant(fn, i);
            case MEMORY_GROW, MEMORY_FILL, MEMORY_COPY, MEMORY_INIT, DATA_DROP,
                 TABLE_GROW, TABLE_FILL, TABLE_COPY, TABLE_INIT, ELEM_DROP -> X64CallLowering.lower(fn, i);
            case GLOBAL_GET, GLOBAL_SET, MEMORY_SIZE, TABLE_GET, TABLE_SET, TABLE_SIZE, REF_FUNC ->
                    X64MemoryLowering.state(fn, i);
            case SELECT -> X64IntegerLowering.select(fn, i);
            case REF_IS_NULL -> X64IntegerLowering.compareZero(fn, i, Width.QWORD);
            default -> {
                if (X64IntegerLowering.handles(i.op)) X64IntegerLowering.lower(fn, i);
                else if (X64FloatLowering.handles(i.op)) X64FloatLowering.lower(fn, i);
                else X64ConversionLowering.lower(fn, i);
            }
        }
    }
}
