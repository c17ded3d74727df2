package dev.kiln.interpreter;

import dev.kiln.frontend.HeapType;
import dev.kiln.frontend.Opcode;
import dev.kiln.interpreter.gc.GcHeap;
import dev.kiln.interpreter.gc.GcObjects;
import dev.kiln.interpreter.gc.GcRefs;
import dev.kiln.interpreter.gc.GcType;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;

import java.lang.foreign.MemorySegment;

/**
 * Family {@link Families#GC}: every GC instruction, as one variable-length interpreter instruction
 * {@link Op#GC}: {@code GC opcodeOrdinal x y nargs nres args... results...} ({@code x}, {@code y}:
 * the Wasm immediates, see {@link dev.kiln.ir.IrBuilder}; one slot per value, a v128 in that slot
 * and the next). Objects live in the store's {@link GcHeap} and are read and written with
 * {@link GcObjects}; an allocation may collect, which finds this frame's references in its slots.
 */
final class GcOps {
    private static final Opcode[] OPCODES = Opcode.values();

    private GcOps() {
    }

    static int run(int op, long[] r, int[] c, int pc, int fp, InstanceContext ctx) {
        int x = c[pc + 2];
        int y = c[pc + 3];
        int nargs = c[pc + 4];
        int a = pc + 6; // first argument slot
        int res = a + nargs; // first result slot
        switch (OPCODES[c[pc + 1]]) {
            case STRUCT_NEW -> r[fp + c[res]] = structNew(r, c, a, fp, ctx.gcType(x), ctx.gcHeap());
            case STRUCT_NEW_DEFAULT -> r[fp + c[res]] = ctx.gcHeap().allocate(ctx.gcType(x), 0);
            case STRUCT_GET -> get(r, fp + c[res], GcObjects.field(struct(r[fp + c[a]]), ctx.gcType(x), y), ctx.gcType(x).fieldSize(y), false);
            case STRUCT_GET_S, STRUCT_GET_U -> r[fp + c[res]] = GcObjects.readPacked(GcObjects.field(struct(r[fp + c[a]]), ctx.gcType(x), y),
                    ctx.gcType(x).fieldSize(y), OPCODES[c[pc + 1]] == Opcode.STRUCT_GET_S);
            case STRUCT_SET -> set(r, fp + c[a + 1], GcObjects.field(struct(r[fp + c[a]]), ctx.gcType(x), y), ctx.gcType(x).fieldSize(y));
            case ARRAY_NEW -> r[fp + c[res]] = arrayNew(r, fp + c[a], length(r[fp + c[a + 1]]), ctx.gcType(x), ctx.gcHeap());
            case ARRAY_NEW_DEFAULT -> r[fp + c[res]] = ctx.gcHeap().allocate(ctx.gcType(x), length(r[fp + c[a]]));
            case ARRAY_NEW_FIXED -> r[fp + c[res]] = arrayNewFixed(r, c, a, fp, nargs, ctx.gcType(x), ctx.gcHeap());
            case ARRAY_NEW_DATA -> r[fp + c[res]] = arrayNewData(ctx, x, y, length(r[fp + c[a]]), length(r[fp + c[a + 1]]));
            case ARRAY_NEW_ELEM -> r[fp + c[res]] = arrayNewElem(ctx, x, y, length(r[fp + c[a]]), length(r[fp + c[a + 1]]));
            case ARRAY_GET -> {
                long e = element(r[fp + c[a]], length(r[fp + c[a + 1]]), ctx.gcType(x));
                get(r, fp + c[res], e, ctx.gcType(x).elementSize(), false);
            }
            case ARRAY_GET_S, ARRAY_GET_U -> r[fp + c[res]] = GcObjects.readPacked(element(r[fp + c[a]], length(r[fp + c[a + 1]]), ctx.gcType(x)),
                    ctx.gcType(x).elementSize(), OPCODES[c[pc + 1]] == Opcode.ARRAY_GET_S);
            case ARRAY_SET -> set(r, fp + c[a + 2], element(r[fp + c[a]], length(r[fp + c[a + 1]]), ctx.gcType(x)), ctx.gcType(x).elementSize());
            case ARRAY_LEN -> r[fp + c[res]] = GcHeap.length(array(r[fp + c[a]]));
            case ARRAY_FILL -> arrayFill(r, c, a, fp, ctx.gcType(x));
            case ARRAY_COPY -> arrayCopy(r, c, a, fp, ctx.gcType(x));
            case ARRAY_INIT_DATA -> arrayInitData(r, c, a, fp, ctx, x, y);
            case ARRAY_INIT_ELEM -> arrayInitElem(r, c, a, fp, ctx, y);
            case REF_EQ -> r[fp + c[res]] = r[fp + c[a]] == r[fp + c[a + 1]] ? 1 : 0;
            case REF_I31 -> r[fp + c[res]] = GcRefs.i31((int) r[fp + c[a]]);
            case I31_GET_S -> r[fp + c[res]] = GcRefs.i31SignedValue(i31(r[fp + c[a]]));
            case I31_GET_U -> r[fp + c[res]] = GcRefs.i31UnsignedValue(i31(r[fp + c[a]]));
            case ANY_CONVERT_EXTERN, EXTERN_CONVERT_ANY -> r[fp + c[res]] = r[fp + c[a]];
            case REF_TEST, REF_TEST_NULL -> r[fp + c[res]] = test(ctx, r[fp + c[a]], x, OPCODES[c[pc + 1]] == Opcode.REF_TEST_NULL) ? 1 : 0;
            case REF_CAST, REF_CAST_NULL -> {
                long v = r[fp + c[a]];
                if (!test(ctx, v, x, OPCODES[c[pc + 1]] == Opcode.REF_CAST_NULL)) throw new TrapException(TrapKind.CAST_FAILURE);
                r[fp + c[res]] = v;
            }
            default -> throw Families.badOpcode(c[pc], pc);
        }
        return res + c[pc + 5];
    }

    /** An i32 operand used as a length or index: unsigned. */
    private static long length(long slot) {
        return slot & 0xFFFF_FFFFL;
    }

    private static long struct(long ref) {
        if (ref == 0) throw new TrapException(TrapKind.NULL_STRUCTURE_REFERENCE);
        return ref;
    }

    private static long array(long ref) {
        if (ref == 0) throw new TrapException(TrapKind.NULL_ARRAY_REFERENCE);
        return ref;
    }

    private static long i31(long ref) {
        if (ref == 0) throw new TrapException(TrapKind.NULL_I31_REFERENCE);
        return ref;
    }

    /** The address of element {@code i}, bounds-checked. */
    private static long element(long ref, long i, GcType t) {
        array(ref);
        if (i >= GcHeap.length(ref)) throw new TrapException(TrapKind.OUT_OF_BOUNDS_ARRAY);
        return GcObjects.element(ref, t, i);
    }

    private static void get(long[] r, int to, long address, int size, boolean unused) {
        if (size == 16) {
            r[to] = GcObjects.read(address, 8);
            r[to + 1] = GcObjects.read(address + 8, 8);
        } else {
            r[to] = GcObjects.read(address, size);
        }
    }

    private static void set(long[] r, int from, long address, int size) {
        GcObjects.write(address, size, r[from]);
        if (size == 16) GcObjects.write(address + 8, 8, r[from + 1]);
    }

    private static long structNew(long[] r, int[] c, int a, int fp, GcType t, GcHeap heap) {
        long o = heap.allocate(t, 0);
        for (int k = 0; k < t.fieldCount(); k++) set(r, fp + c[a + k], o + t.fieldOffset(k), t.fieldSize(k));
        return o;
    }

    private static long arrayNew(long[] r, int from, long n, GcType t, GcHeap heap) {
        long o = heap.allocate(t, n);
        int size = t.elementSize();
        for (long i = 0; i < n; i++) set(r, from, GcObjects.element(o, t, i), size);
        return o;
    }

    private static long arrayNewFixed(long[] r, int[] c, int a, int fp, int n, GcType t, GcHeap heap) {
        long o = heap.allocate(t, n);
        for (int i = 0; i < n; i++) set(r, fp + c[a + i], GcObjects.element(o, t, i), t.elementSize());
        return o;
    }

    private static MemorySegment dataRange(InstanceContext ctx, int segment, long s, long bytes) {
        MemorySegment data = ctx.dataSegment(segment);
        if (s + bytes > data.byteSize()) throw new TrapException(TrapKind.OUT_OF_BOUNDS_MEMORY);
        return data.asSlice(s, bytes);
    }

    private static long arrayNewData(InstanceContext ctx, int x, int segment, long s, long n) {
        GcType t = ctx.gcType(x);
        MemorySegment src = dataRange(ctx, segment, s, n * t.elementSize());
        long o = ctx.gcHeap().allocate(t, n);
        GcObjects.copyIn(src, GcObjects.element(o, t, 0));
        return o;
    }

    private static long[] elemRange(InstanceContext ctx, int segment, long s, long n) {
        long[] items = ctx.elemSegment(segment);
        if (s + n > items.length) throw new TrapException(TrapKind.OUT_OF_BOUNDS_TABLE);
        return items;
    }

    private static long arrayNewElem(InstanceContext ctx, int x, int segment, long s, long n) {
        GcType t = ctx.gcType(x);
        long[] items = elemRange(ctx, segment, s, n);
        long o = ctx.gcHeap().allocate(t, n);
        for (int i = 0; i < n; i++) GcObjects.write(GcObjects.element(o, t, i), 8, items[(int) s + i]);
        return o;
    }

    /** Checks {@code [i, i + n)} against the array's length. */
    private static void range(long ref, long i, long n) {
        array(ref);
        if (i + n > GcHeap.length(ref)) throw new TrapException(TrapKind.OUT_OF_BOUNDS_ARRAY);
    }

    private static void arrayFill(long[] r, int[] c, int a, int fp, GcType t) {
        long o = r[fp + c[a]];
        long i = length(r[fp + c[a + 1]]);
        long n = length(r[fp + c[a + 3]]);
        range(o, i, n);
        for (long k = 0; k < n; k++) set(r, fp + c[a + 2], GcObjects.element(o, t, i + k), t.elementSize());
    }

    private static void arrayCopy(long[] r, int[] c, int a, int fp, GcType t) {
        long dst = r[fp + c[a]];
        long d = length(r[fp + c[a + 1]]);
        long src = r[fp + c[a + 2]];
        long s = length(r[fp + c[a + 3]]);
        long n = length(r[fp + c[a + 4]]);
        array(dst);
        array(src);
        range(dst, d, n);
        range(src, s, n);
        GcObjects.move(GcObjects.element(src, t, s), GcObjects.element(dst, t, d), n * t.elementSize());
    }

    private static void arrayInitData(long[] r, int[] c, int a, int fp, InstanceContext ctx, int x, int segment) {
        GcType t = ctx.gcType(x);
        long o = r[fp + c[a]];
        long d = length(r[fp + c[a + 1]]);
        long s = length(r[fp + c[a + 2]]);
        long n = length(r[fp + c[a + 3]]);
        range(o, d, n);
        GcObjects.copyIn(dataRange(ctx, segment, s, n * t.elementSize()), GcObjects.element(o, t, d));
    }

    private static void arrayInitElem(long[] r, int[] c, int a, int fp, InstanceContext ctx, int segment) {
        long o = r[fp + c[a]];
        long d = length(r[fp + c[a + 1]]);
        long s = length(r[fp + c[a + 2]]);
        long n = length(r[fp + c[a + 3]]);
        range(o, d, n);
        long[] items = elemRange(ctx, segment, s, n);
        for (int i = 0; i < n; i++) GcObjects.write(o + GcType.HEADER + 8 * (d + i), 8, items[(int) s + i]);
    }

    /** ref.test: whether {@code v} has the reference type (heap type {@code encoding}, nullable or not). */
    static boolean test(InstanceContext ctx, long v, long encoding, boolean nullable) {
        if (v == 0) return nullable;
        if (encoding >= 0) {
            GcType target = ctx.gcType((int) encoding);
            if (target.kind == GcType.Kind.FUNC) return ctx.functionGcType(v).isSubtypeOf(target);
            return GcRefs.isObject(v) && ctx.gcHeap().typeOf(v).isSubtypeOf(target);
        }
        return switch (HeapType.fromEncoding(encoding).kind()) {
            case ANY, FUNC, EXTERN, EXN -> true;
            case EQ -> GcRefs.isI31(v) || GcRefs.isObject(v);
            case I31 -> GcRefs.isI31(v);
            case STRUCT -> GcRefs.isObject(v) && ctx.gcHeap().typeOf(v).kind == GcType.Kind.STRUCT;
            case ARRAY -> GcRefs.isObject(v) && ctx.gcHeap().typeOf(v).kind == GcType.Kind.ARRAY;
            default -> false; // the bottom types hold only null
        };
    }
}
