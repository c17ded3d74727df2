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
            case Op.TABLE_GET -> r[fp + c[pc + 1]] = ctx.tableGet(c[pc + 2], index(ctx, c[pc + 2], r[fp + c[pc + 3]]));
            case Op.TABLE_SET -> ctx.tableSet(c[pc + 1], index(ctx, c[pc + 1], r[fp + c[pc + 2]]), r[fp + c[pc + 3]]);
            case Op.TABLE_SIZE -> r[fp + c[pc + 1]] = address(ctx, c[pc + 2], ctx.tableSize(c[pc + 2]));
            case Op.TABLE_GROW -> r[fp + c[pc + 1]] = address(ctx, c[pc + 2], ctx.tableGrow(c[pc + 2], r[fp + c[pc + 3]], index(ctx, c[pc + 2], r[fp + c[pc + 4]])));
            case Op.TABLE_FILL -> ctx.tableFill(c[pc + 1], index(ctx, c[pc + 1], r[fp + c[pc + 2]]), r[fp + c[pc + 3]], index(ctx, c[pc + 1], r[fp + c[pc + 4]]));
            case Op.TABLE_COPY -> ctx.tableCopy(c[pc + 1], c[pc + 2], index(ctx, c[pc + 1], r[fp + c[pc + 3]]), index(ctx, c[pc + 2], r[fp + c[pc + 4]]),
                    ctx.tableIs64(c[pc + 1]) && ctx.tableIs64(c[pc + 2]) ? r[fp + c[pc + 5]] : u32(r[fp + c[pc + 5]]));
            case Op.TABLE_INIT -> ctx.tableInit(c[pc + 1], c[pc + 2], index(ctx, c[pc + 2], r[fp + c[pc + 3]]), u32(r[fp + c[pc + 4]]), u32(r[fp + c[pc + 5]]));
            case Op.MEM_LOAD -> MultiMemory.load(r, c, pc, fp, ctx);
            case Op.MEM_STORE -> MultiMemory.store(r, c, pc, fp, ctx);
            case Op.MEMORY_SIZE_M -> r[fp + c[pc + 1]] = ctx.memorySize(c[pc + 2] >>> 1) >>> 16;
            case Op.MEMORY_GROW_M -> {
                int m = c[pc + 2];
                long old = ctx.memoryGrow(m >>> 1, addr(m, r[fp + c[pc + 3]]));
                r[fp + c[pc + 1]] = (m & 1) != 0 ? old : (int) old;
            }
            case Op.MEMORY_FILL_M -> ctx.memoryFill(c[pc + 1] >>> 1, addr(c[pc + 1], r[fp + c[pc + 2]]), (int) r[fp + c[pc + 3]], addr(c[pc + 1], r[fp + c[pc + 4]]));
            case Op.MEMORY_COPY_M -> ctx.memoryCopy(c[pc + 1] >>> 1, c[pc + 2] >>> 1, addr(c[pc + 1], r[fp + c[pc + 3]]), addr(c[pc + 2], r[fp + c[pc + 4]]),
                    addr(c[pc + 1] & c[pc + 2], r[fp + c[pc + 5]])); // the length is 64-bit only between two 64-bit memories
            case Op.MEMORY_INIT_M -> ctx.memoryInit(c[pc + 1], c[pc + 2] >>> 1, addr(c[pc + 2], r[fp + c[pc + 3]]), u32(r[fp + c[pc + 4]]), u32(r[fp + c[pc + 5]]));
            case Op.ELEM_DROP -> ctx.elemDrop(c[pc + 1]);
            default -> throw Families.badOpcode(op, pc);
        }
        return pc + Op.length(op);
    }

    /** The native address of an access of {@code size} bytes at {@code addr} + {@code offset} in memory 0; traps out of bounds. */
    private static long address(InstanceContext ctx, long addr, int offset, int size) {
        return ctx.memory().address() + Interpreter.ea(addr, offset, size, ctx.memorySize());
    }

    /** An address or length operand of memory operand {@code m}: 64 bits for a 64-bit memory, else the low 32 bits. */
    private static long addr(int m, long v) {
        return (m & 1) != 0 ? v : u32(v);
    }

    /** An index or length operand of table {@code t}: 64 bits for a 64-bit table (table64), else the low 32 bits. */
    private static long index(InstanceContext ctx, int t, long v) {
        return ctx.tableIs64(t) ? v : u32(v);
    }

    /** A size or grow result of table {@code t} as its address type's value (an i32 sign-extended in its slot). */
    private static long address(InstanceContext ctx, int t, long v) {
        return ctx.tableIs64(t) ? v : (int) v;
    }

    private static long u32(long v) {
        return v & 0xFFFF_FFFFL;
    }
}
