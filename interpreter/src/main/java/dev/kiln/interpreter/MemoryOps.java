package dev.kiln.interpreter;

import java.lang.foreign.ValueLayout;

/** Family {@link Families#MEMORY}: bulk memory, tables and references, all through the instance, and rare loads and globals. */
final class MemoryOps {
    private MemoryOps() {
    }

    static int run(int op, long[] r, int[] c, int pc, int fp, InstanceContext ctx) {
        switch (op) {
            case Op.NOP -> { }
            case Op.LOAD_I16_S -> r[fp + c[pc + 1]] = Interpreter.NATIVE.get(ValueLayout.JAVA_SHORT_UNALIGNED, address(ctx, r[fp + c[pc + 2]], c[pc + 3], 2));
            case Op.LOAD_U32 -> r[fp + c[pc + 1]] = Interpreter.NATIVE.get(ValueLayout.JAVA_INT_UNALIGNED, address(ctx, r[fp + c[pc + 2]], c[pc + 3], 4)) & 0xFFFF_FFFFL;
            case Op.GLOBAL_GET_64 -> r[fp + c[pc + 1]] = Interpreter.NATIVE.get(ValueLayout.JAVA_LONG_UNALIGNED, ctx.globalCells()[c[pc + 2]]);
            case Op.GLOBAL_SET_64 -> Interpreter.NATIVE.set(ValueLayout.JAVA_LONG_UNALIGNED, ctx.globalCells()[c[pc + 1]], r[fp + c[pc + 2]]);
            case Op.REF_IS_NULL -> r[fp + c[pc + 1]] = r[fp + c[pc + 2]] == 0 ? 1 : 0;
            case Op.REF_FUNC -> r[fp + c[pc + 1]] = ctx.refFunc(c[pc + 2]);
            case Op.MEMORY_SIZE -> r[fp + c[pc + 1]] = ctx.memorySize() >>> 16;
            case Op.MEMORY_GROW -> r[fp + c[pc + 1]] = (int) ctx.memoryGrow(u32(r[fp + c[pc + 2]]));
            case Op.MEMORY_FILL -> ctx.memoryFill(u32(r[fp + c[pc + 1]]), (int) r[fp + c[pc + 2]], u32(r[fp + c[pc + 3]]));
            case Op.MEMORY_COPY -> ctx.memoryCopy(u32(r[fp + c[pc + 1]]), u32(r[fp + c[pc + 2]]), u32(r[fp + c[pc + 3]]));
            case Op.MEMORY_INIT -> ctx.memoryInit(c[pc + 1], u32(r[fp + c[pc + 2]]), u32(r[fp + c[pc + 3]]), u32(r[fp + c[pc + 4]]));
            case Op.DATA_DROP -> ctx.dataDrop(c[pc + 1]);
            case Op.TABLE_GET -> r[fp + c[pc + 1]] = ctx.tableGet(c[pc + 2], u32(r[fp + c[pc + 3]]));
            case Op.TABLE_SET -> ctx.tableSet(c[pc + 1], u32(r[fp + c[pc + 2]]), r[fp + c[pc + 3]]);
            case Op.TABLE_SIZE -> r[fp + c[pc + 1]] = (int) ctx.tableSize(c[pc + 2]);
            case Op.TABLE_GROW -> r[fp + c[pc + 1]] = (int) ctx.tableGrow(c[pc + 2], r[fp + c[pc + 3]], u32(r[fp + c[pc + 4]]));
            case Op.TABLE_FILL -> ctx.tableFill(c[pc + 1], u32(r[fp + c[pc + 2]]), r[fp + c[pc + 3]], u32(r[fp + c[pc + 4]]));
            case Op.TABLE_COPY -> ctx.tableCopy(c[pc + 1], c[pc + 2], u32(r[fp + c[pc + 3]]), u32(r[fp + c[pc + 4]]), u32(r[fp + c[pc + 5]]));
            case Op.TABLE_INIT -> ctx.tableInit(c[pc + 1], c[pc + 2], u32(r[fp + c[pc + 3]]), u32(r[fp + c[pc + 4]]), u32(r[fp + c[pc + 5]]));
            case Op.ELEM_DROP -> ctx.elemDrop(c[pc + 1]);
            default -> throw Families.badOpcode(op, pc);
        }
        return pc + Op.length(op);
    }

    /** The native address of an access of {@code size} bytes at {@code addr} + {@code offset} in memory 0; traps out of bounds. */
    private static long address(InstanceContext ctx, long addr, int offset, int size) {
        return ctx.memory().address() + Interpreter.ea(addr, offset, size, ctx.memorySize());
    }

    private static long u32(long v) {
        return v & 0xFFFF_FFFFL;
    }
}
