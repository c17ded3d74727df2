package dev.kiln.runtime;

import dev.kiln.frontend.FuncType;
import dev.kiln.frontend.ValType;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The native ABI of a Wasm function type as FFM sees it, {@code (long vmctx, params...) -> result},
 * and adapters between it and kiln's raw-long convention ({@code (long vmctx, long[] args) -> long}).
 * Functions with several results return nothing natively; their results go through the execution
 * state's return area.
 */
final class NativeSignatures {
    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final MethodHandle I2L, F2L, D2L, L2I, L2F, L2D;

    static {
        try {
            I2L = LOOKUP.findStatic(NativeSignatures.class, "fromInt", MethodType.methodType(long.class, int.class));
            F2L = LOOKUP.findStatic(NativeSignatures.class, "fromFloat", MethodType.methodType(long.class, float.class));
            D2L = LOOKUP.findStatic(NativeSignatures.class, "fromDouble", MethodType.methodType(long.class, double.class));
            L2I = LOOKUP.findStatic(NativeSignatures.class, "toInt", MethodType.methodType(int.class, long.class));
            L2F = LOOKUP.findStatic(NativeSignatures.class, "toFloat", MethodType.methodType(float.class, long.class));
            L2D = LOOKUP.findStatic(NativeSignatures.class, "toDouble", MethodType.methodType(double.class, long.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private NativeSignatures() {
    }

    static long fromInt(int x) {
        return x & 0xFFFF_FFFFL;
    }

    static long fromFloat(float x) {
        return Float.floatToRawIntBits(x) & 0xFFFF_FFFFL;
    }

    static long fromDouble(double x) {
        return Double.doubleToRawLongBits(x);
    }

    static int toInt(long x) {
        return (int) x;
    }

    static float toFloat(long x) {
        return Float.intBitsToFloat((int) x);
    }

    static double toDouble(long x) {
        return Double.longBitsToDouble(x);
    }

    private static ValueLayout layout(ValType t) {
        return switch (t) {
            case I32 -> ValueLayout.JAVA_INT;
            case F32 -> ValueLayout.JAVA_FLOAT;
            case F64 -> ValueLayout.JAVA_DOUBLE;
            case I64, FUNCREF, EXTERNREF -> ValueLayout.JAVA_LONG;
            case V128 -> throw new UnsupportedOperationException("v128 values cannot cross the host boundary yet");
        };
    }

    /** {@code (long vmctx, params...) -> result | void}. */
    static FunctionDescriptor descriptor(FuncType t) {
        MemoryLayout[] args = new MemoryLayout[1 + t.paramCount()];
        args[0] = ValueLayout.JAVA_LONG;
        for (int i = 0; i < t.paramCount(); i++) args[i + 1] = layout(t.param(i));
        return t.resultCount() == 1 ? FunctionDescriptor.of(layout(t.result(0)), args) : FunctionDescriptor.ofVoid(args);
    }

    /** Adapts {@code (long vmctx, long[] args) -> long} to the native signature of {@code t}. */
    static MethodHandle fromRaw(FuncType t, MethodHandle raw) {
        int n = t.paramCount();
        MethodHandle mh = raw.asCollector(long[].class, n);
        MethodHandle[] filters = new MethodHandle[n];
        for (int i = 0; i < n; i++) {
            filters[i] = switch (t.param(i)) {
                case I32 -> I2L;
                case F32 -> F2L;
                case F64 -> D2L;
                default -> null;
            };
        }
        mh = MethodHandles.filterArguments(mh, 1, filters);
        if (t.resultCount() != 1) return MethodHandles.dropReturn(mh);
        return switch (t.result(0)) {
            case I32 -> MethodHandles.filterReturnValue(mh, L2I);
            case F32 -> MethodHandles.filterReturnValue(mh, L2F);
            case F64 -> MethodHandles.filterReturnValue(mh, L2D);
            default -> mh;
        };
    }
}
