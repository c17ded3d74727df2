package dev.kiln.interpreter;

import dev.kiln.frontend.Opcode;
import dev.kiln.ir.Numerics;
import dev.kiln.ir.TrapException;
import dev.kiln.ir.TrapKind;
import dev.kiln.ir.WasmFrame;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Runs {@link CompiledFunction}s. One dispatch loop over the {@code int[]} code with the frame's
 * slots in a shared {@code long[]}; Wasm-to-Wasm calls within an instance push a frame and
 * continue in the same loop. i32 values sit in slots sign-extended, f32/f64 as raw bits. The loop
 * is kept small enough for HotSpot to compile (rare instructions live in {@link #rare}).
 */
public final class Interpreter {
    private static final ValueLayout.OfInt I32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong I64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfShort I16 = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfByte I8 = ValueLayout.JAVA_BYTE;
    /** Every address; global cells are read through it. */
    private static final MemorySegment NATIVE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
    private static final Opcode[] OPCODES = Opcode.values();
    private static final ThreadLocal<InterpreterStack> STACKS = ThreadLocal.withInitial(InterpreterStack::new);

    /** Hotness added per call and per loop back-edge, and the threshold that reports a function hot. */
    public static volatile int callWeight = 1;
    public static volatile int loopWeight = 1;
    public static volatile long hotThreshold = Long.MAX_VALUE;

    private Interpreter() {
    }

    /** Calls function {@code funcIndex} of the instance with {@code args}; returns its results. */
    public static long[] invoke(InstanceContext ctx, int funcIndex, long[] args) {
        return invoke(ctx, ctx.interpretedFunctions()[funcIndex], args);
    }

    /** Calls {@code fn} (compiled for this instance's module) with {@code args}; returns its results. */
    public static long[] invoke(InstanceContext ctx, CompiledFunction fn, long[] args) {
        InterpreterStack st = STACKS.get();
        int base = st.depth;
        int savedTop = st.top;
        int fp = savedTop;
        int savedCountdown = st.pollCountdown;
        st.pollCountdown = 0; // this invocation may belong to another store: poll at once
        try {
            st.ensureSlots(fp + fn.frameSize);
            long[] r = st.slots;
            for (int i = 0; i < fn.paramCount; i++) r[fp + i] = args[i];
            System.arraycopy(fn.constants, 0, r, fp + fn.paramCount, fn.constants.length);
            try {
                countCall(st, ctx, fn);
            } catch (TrapException t) { // out of fuel or interrupted as the function is entered
                t.addFrame(new WasmFrame(fn.funcIndex, fn.name, fn.codeStart));
                throw t;
            }
            return run(st, ctx, fn, fp, base);
        } finally {
            st.depth = base;
            st.top = savedTop;
            st.pollCountdown = Math.min(savedCountdown, st.pollCountdown);
        }
    }

    private static void countCall(InterpreterStack st, InstanceContext ctx, CompiledFunction fn) {
        if (--st.pollCountdown < 0) st.pollCountdown = ctx.poll();
        fn.calls++;
        long h = fn.hotness += callWeight;
        if (h >= hotThreshold && !fn.reportedHot) {
            fn.reportedHot = true;
            ctx.onHot(fn);
        }
    }

    private static TrapException trap(TrapKind kind) {
        return new TrapException(kind);
    }

    private static long ea(long addr, int offset, int size, long memSize) {
        long ea = (addr & 0xFFFF_FFFFL) + (offset & 0xFFFF_FFFFL);
        if (ea + size > memSize) throw trap(TrapKind.OUT_OF_BOUNDS_MEMORY);
        return ea;
    }

    @SuppressWarnings("fallthrough")
    private static long[] run(InterpreterStack st, InstanceContext ctx, CompiledFunction fn, int fp, int base) {
        CompiledFunction[] functions = ctx.interpretedFunctions();
        MemorySegment mem = ctx.memory();
        long memSize = ctx.memorySize();
        long[] globals = ctx.globalCells();
        long[] r = st.slots;
        int[] c = fn.code;
        int pc = 0;
        int depth = base;
        try {
            while (true) {
                switch (c[pc]) {
                    case Op.MOV -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]]; pc += 3; }
                    case Op.JMP -> {
                        int t = c[pc + 1];
                        pc = t <= pc ? loopEdge(st, ctx, fn, t, fp, depth) : t;
                    }
                    case Op.BR_IF -> {
                        if ((int) r[fp + c[pc + 1]] != 0) {
                            int t = c[pc + 2];
                            pc = t <= pc ? loopEdge(st, ctx, fn, t, fp, depth) : t;
                        } else pc += 3;
                    }
                    case Op.BR_UNLESS -> {
                        if ((int) r[fp + c[pc + 1]] == 0) {
                            int t = c[pc + 2];
                            pc = t <= pc ? loopEdge(st, ctx, fn, t, fp, depth) : t;
                        } else pc += 3;
                    }
                    case Op.BR_I32_EQ -> pc = (int) r[fp + c[pc + 1]] == (int) r[fp + c[pc + 2]] ? taken(st, ctx, fn, pc, fp, depth) : pc + 4;
                    case Op.BR_I32_NE -> pc = (int) r[fp + c[pc + 1]] != (int) r[fp + c[pc + 2]] ? taken(st, ctx, fn, pc, fp, depth) : pc + 4;
                    case Op.BR_I32_LT_S -> pc = (int) r[fp + c[pc + 1]] < (int) r[fp + c[pc + 2]] ? taken(st, ctx, fn, pc, fp, depth) : pc + 4;
                    case Op.BR_I32_LT_U -> pc = Integer.compareUnsigned((int) r[fp + c[pc + 1]], (int) r[fp + c[pc + 2]]) < 0 ? taken(st, ctx, fn, pc, fp, depth) : pc + 4;
                    case Op.BR_I32_GT_S -> pc = (int) r[fp + c[pc + 1]] > (int) r[fp + c[pc + 2]] ? taken(st, ctx, fn, pc, fp, depth) : pc + 4;
                    case Op.BR_I32_GT_U -> pc = Integer.compareUnsigned((int) r[fp + c[pc + 1]], (int) r[fp + c[pc + 2]]) > 0 ? taken(st, ctx, fn, pc, fp, depth) : pc + 4;
                    case Op.BR_I32_LE_S -> pc = (int) r[fp + c[pc + 1]] <= (int) r[fp + c[pc + 2]] ? taken(st, ctx, fn, pc, fp, depth) : pc + 4;
                    case Op.BR_I32_LE_U -> pc = Integer.compareUnsigned((int) r[fp + c[pc + 1]], (int) r[fp + c[pc + 2]]) <= 0 ? taken(st, ctx, fn, pc, fp, depth) : pc + 4;
                    case Op.BR_I32_GE_S -> pc = (int) r[fp + c[pc + 1]] >= (int) r[fp + c[pc + 2]] ? taken(st, ctx, fn, pc, fp, depth) : pc + 4;
                    case Op.BR_I32_GE_U -> pc = Integer.compareUnsigned((int) r[fp + c[pc + 1]], (int) r[fp + c[pc + 2]]) >= 0 ? taken(st, ctx, fn, pc, fp, depth) : pc + 4;
                    case Op.BR_TABLE -> {
                        long idx = r[fp + c[pc + 1]] & 0xFFFF_FFFFL;
                        int n = c[pc + 2];
                        int t = c[pc + 3 + (int) Math.min(idx, n)];
                        pc = t <= pc ? loopEdge(st, ctx, fn, t, fp, depth) : t;
                    }
                    case Op.RETURN -> {
                        r = st.slots; // an OSR continuation may have run (and grown the stack) just before
                        if (pc == fn.osrReturnPc) memSize = ctx.memorySize(); // ... and grown the memory
                        int n = c[pc + 1];
                        if (depth == base) {
                            long[] out = new long[n];
                            for (int i = 0; i < n; i++) out[i] = r[fp + c[pc + 2 + i]];
                            return out;
                        }
                        depth--;
                        CompiledFunction caller = st.frameFunction[depth];
                        int cpc = st.framePc[depth];
                        int cfp = st.frameFp[depth];
                        int[] cc = caller.code;
                        // CALL: op func nargs nres args.. results..; CALL_INDIRECT: op type table nargs nres args.. index results..
                        int resultsAt = cc[cpc] == Op.CALL ? cpc + 4 + cc[cpc + 2] : cpc + 6 + cc[cpc + 3];
                        for (int i = 0; i < n; i++) r[cfp + cc[resultsAt + i]] = r[fp + c[pc + 2 + i]];
                        fn = caller;
                        c = cc;
                        fp = cfp;
                        pc = resultsAt + n;
                    }
                    case Op.CALL -> {
                        int fi = c[pc + 1];
                        CompiledFunction callee = functions[fi];
                        int nargs = c[pc + 2];
                        if (callee != null) {
                            st.depth = depth;
                            st.ensureFrames();
                            st.frameFunction[depth] = fn;
                            st.framePc[depth] = pc;
                            st.frameFp[depth] = fp;
                            depth++;
                            int nfp = fp + fn.frameSize;
                            st.ensureSlots(nfp + callee.frameSize);
                            r = st.slots;
                            for (int i = 0; i < nargs; i++) r[nfp + i] = r[fp + c[pc + 4 + i]];
                            System.arraycopy(callee.constants, 0, r, nfp + callee.paramCount, callee.constants.length);
                            fn = callee;
                            c = callee.code;
                            fp = nfp;
                            pc = 0;
                            countCall(st, ctx, callee);
                        } else {
                            long[] args = new long[nargs];
                            for (int i = 0; i < nargs; i++) args[i] = r[fp + c[pc + 4 + i]];
                            st.depth = depth;
                            st.top = fp + fn.frameSize;
                            long[] res = ctx.callFunction(fi, args);
                            r = st.slots;
                            memSize = ctx.memorySize();
                            int nres = c[pc + 3];
                            for (int i = 0; i < nres; i++) r[fp + c[pc + 4 + nargs + i]] = res[i];
                            pc += 4 + nargs + nres;
                        }
                    }
                    case Op.CALL_INDIRECT -> {
                        int nargs = c[pc + 3];
                        int nres = c[pc + 4];
                        int elem = (int) r[fp + c[pc + 5 + nargs]];
                        st.depth = depth;
                        st.top = fp + fn.frameSize;
                        int target = ctx.resolveIndirect(c[pc + 2], elem, c[pc + 1]);
                        CompiledFunction callee = target >= 0 ? functions[target] : null;
                        if (callee != null) {
                            st.ensureFrames();
                            st.frameFunction[depth] = fn;
                            st.framePc[depth] = pc;
                            st.frameFp[depth] = fp;
                            depth++;
                            int nfp = fp + fn.frameSize;
                            st.ensureSlots(nfp + callee.frameSize);
                            r = st.slots;
                            for (int i = 0; i < nargs; i++) r[nfp + i] = r[fp + c[pc + 5 + i]];
                            System.arraycopy(callee.constants, 0, r, nfp + callee.paramCount, callee.constants.length);
                            fn = callee;
                            c = callee.code;
                            fp = nfp;
                            pc = 0;
                            countCall(st, ctx, callee);
                        } else {
                            long[] args = new long[nargs];
                            for (int i = 0; i < nargs; i++) args[i] = r[fp + c[pc + 5 + i]];
                            long[] res = target >= 0 ? ctx.callFunction(target, args) : ctx.callHandle(-1 - target, args);
                            r = st.slots;
                            memSize = ctx.memorySize();
                            for (int i = 0; i < nres; i++) r[fp + c[pc + 6 + nargs + i]] = res[i];
                            pc += 6 + nargs + nres;
                        }
                    }
                    case Op.TRAP -> throw trap(TrapKind.fromCode(c[pc + 1]));
                    case Op.SELECT -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 4]] != 0 ? r[fp + c[pc + 2]] : r[fp + c[pc + 3]]; pc += 5; }
                    case Op.GENERIC1 -> { r[fp + c[pc + 2]] = Numerics.eval(OPCODES[c[pc + 1]], r[fp + c[pc + 3]], 0); pc += 4; }
                    case Op.GENERIC2 -> { r[fp + c[pc + 2]] = Numerics.eval(OPCODES[c[pc + 1]], r[fp + c[pc + 3]], r[fp + c[pc + 4]]); pc += 5; }

                    case Op.I32_ADD -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] + (int) r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I32_SUB -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] - (int) r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I32_MUL -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] * (int) r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I32_AND -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] & (int) r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I32_OR -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] | (int) r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I32_XOR -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] ^ (int) r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I32_SHL -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] << (int) r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I32_SHR_S -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] >> (int) r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I32_SHR_U -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] >>> (int) r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I32_ROTL -> { r[fp + c[pc + 1]] = Integer.rotateLeft((int) r[fp + c[pc + 2]], (int) r[fp + c[pc + 3]]); pc += 4; }
                    case Op.I32_ROTR -> { r[fp + c[pc + 1]] = Integer.rotateRight((int) r[fp + c[pc + 2]], (int) r[fp + c[pc + 3]]); pc += 4; }
                    case Op.I32_DIV_S -> { r[fp + c[pc + 1]] = Numerics.i32DivS((int) r[fp + c[pc + 2]], (int) r[fp + c[pc + 3]]); pc += 4; }
                    case Op.I32_DIV_U -> { r[fp + c[pc + 1]] = Numerics.i32DivU((int) r[fp + c[pc + 2]], (int) r[fp + c[pc + 3]]); pc += 4; }
                    case Op.I32_REM_S -> { r[fp + c[pc + 1]] = Numerics.i32RemS((int) r[fp + c[pc + 2]], (int) r[fp + c[pc + 3]]); pc += 4; }
                    case Op.I32_REM_U -> { r[fp + c[pc + 1]] = Numerics.i32RemU((int) r[fp + c[pc + 2]], (int) r[fp + c[pc + 3]]); pc += 4; }
                    case Op.I32_EQ -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] == (int) r[fp + c[pc + 3]] ? 1 : 0; pc += 4; }
                    case Op.I32_NE -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] != (int) r[fp + c[pc + 3]] ? 1 : 0; pc += 4; }
                    case Op.I32_LT_S -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] < (int) r[fp + c[pc + 3]] ? 1 : 0; pc += 4; }
                    case Op.I32_LT_U -> { r[fp + c[pc + 1]] = Integer.compareUnsigned((int) r[fp + c[pc + 2]], (int) r[fp + c[pc + 3]]) < 0 ? 1 : 0; pc += 4; }
                    case Op.I32_GT_S -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] > (int) r[fp + c[pc + 3]] ? 1 : 0; pc += 4; }
                    case Op.I32_GT_U -> { r[fp + c[pc + 1]] = Integer.compareUnsigned((int) r[fp + c[pc + 2]], (int) r[fp + c[pc + 3]]) > 0 ? 1 : 0; pc += 4; }
                    case Op.I32_LE_S -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] <= (int) r[fp + c[pc + 3]] ? 1 : 0; pc += 4; }
                    case Op.I32_LE_U -> { r[fp + c[pc + 1]] = Integer.compareUnsigned((int) r[fp + c[pc + 2]], (int) r[fp + c[pc + 3]]) <= 0 ? 1 : 0; pc += 4; }
                    case Op.I32_GE_S -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] >= (int) r[fp + c[pc + 3]] ? 1 : 0; pc += 4; }
                    case Op.I32_GE_U -> { r[fp + c[pc + 1]] = Integer.compareUnsigned((int) r[fp + c[pc + 2]], (int) r[fp + c[pc + 3]]) >= 0 ? 1 : 0; pc += 4; }
                    case Op.I32_EQZ -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] == 0 ? 1 : 0; pc += 3; }
                    case Op.I32_CLZ -> { r[fp + c[pc + 1]] = Integer.numberOfLeadingZeros((int) r[fp + c[pc + 2]]); pc += 3; }
                    case Op.I32_CTZ -> { r[fp + c[pc + 1]] = Integer.numberOfTrailingZeros((int) r[fp + c[pc + 2]]); pc += 3; }
                    case Op.I32_POPCNT -> { r[fp + c[pc + 1]] = Integer.bitCount((int) r[fp + c[pc + 2]]); pc += 3; }

                    case Op.I64_ADD -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] + r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I64_SUB -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] - r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I64_MUL -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] * r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I64_AND -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] & r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I64_OR -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] | r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I64_XOR -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] ^ r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I64_SHL -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] << r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I64_SHR_S -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] >> r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I64_SHR_U -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] >>> r[fp + c[pc + 3]]; pc += 4; }
                    case Op.I64_ROTL -> { r[fp + c[pc + 1]] = Long.rotateLeft(r[fp + c[pc + 2]], (int) r[fp + c[pc + 3]]); pc += 4; }
                    case Op.I64_ROTR -> { r[fp + c[pc + 1]] = Long.rotateRight(r[fp + c[pc + 2]], (int) r[fp + c[pc + 3]]); pc += 4; }
                    case Op.I64_DIV_S -> { r[fp + c[pc + 1]] = Numerics.i64DivS(r[fp + c[pc + 2]], r[fp + c[pc + 3]]); pc += 4; }
                    case Op.I64_DIV_U -> { r[fp + c[pc + 1]] = Numerics.i64DivU(r[fp + c[pc + 2]], r[fp + c[pc + 3]]); pc += 4; }
                    case Op.I64_REM_S -> { r[fp + c[pc + 1]] = Numerics.i64RemS(r[fp + c[pc + 2]], r[fp + c[pc + 3]]); pc += 4; }
                    case Op.I64_REM_U -> { r[fp + c[pc + 1]] = Numerics.i64RemU(r[fp + c[pc + 2]], r[fp + c[pc + 3]]); pc += 4; }
                    case Op.I64_EQ -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] == r[fp + c[pc + 3]] ? 1 : 0; pc += 4; }
                    case Op.I64_NE -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] != r[fp + c[pc + 3]] ? 1 : 0; pc += 4; }
                    case Op.I64_LT_S -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] < r[fp + c[pc + 3]] ? 1 : 0; pc += 4; }
                    case Op.I64_LT_U -> { r[fp + c[pc + 1]] = Long.compareUnsigned(r[fp + c[pc + 2]], r[fp + c[pc + 3]]) < 0 ? 1 : 0; pc += 4; }
                    case Op.I64_GT_S -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] > r[fp + c[pc + 3]] ? 1 : 0; pc += 4; }
                    case Op.I64_GT_U -> { r[fp + c[pc + 1]] = Long.compareUnsigned(r[fp + c[pc + 2]], r[fp + c[pc + 3]]) > 0 ? 1 : 0; pc += 4; }
                    case Op.I64_LE_S -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] <= r[fp + c[pc + 3]] ? 1 : 0; pc += 4; }
                    case Op.I64_LE_U -> { r[fp + c[pc + 1]] = Long.compareUnsigned(r[fp + c[pc + 2]], r[fp + c[pc + 3]]) <= 0 ? 1 : 0; pc += 4; }
                    case Op.I64_GE_S -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] >= r[fp + c[pc + 3]] ? 1 : 0; pc += 4; }
                    case Op.I64_GE_U -> { r[fp + c[pc + 1]] = Long.compareUnsigned(r[fp + c[pc + 2]], r[fp + c[pc + 3]]) >= 0 ? 1 : 0; pc += 4; }
                    case Op.I64_EQZ -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] == 0 ? 1 : 0; pc += 3; }
                    case Op.I64_CLZ -> { r[fp + c[pc + 1]] = Long.numberOfLeadingZeros(r[fp + c[pc + 2]]); pc += 3; }
                    case Op.I64_CTZ -> { r[fp + c[pc + 1]] = Long.numberOfTrailingZeros(r[fp + c[pc + 2]]); pc += 3; }
                    case Op.I64_POPCNT -> { r[fp + c[pc + 1]] = Long.bitCount(r[fp + c[pc + 2]]); pc += 3; }
                    case Op.I32_WRAP_I64 -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]]; pc += 3; }
                    case Op.I64_EXTEND_I32_S -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]]; pc += 3; }
                    case Op.I64_EXTEND_I32_U -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] & 0xFFFF_FFFFL; pc += 3; }

                    case Op.F32_ADD -> { r[fp + c[pc + 1]] = Float.floatToRawIntBits(f(r[fp + c[pc + 2]]) + f(r[fp + c[pc + 3]])); pc += 4; }
                    case Op.F32_SUB -> { r[fp + c[pc + 1]] = Float.floatToRawIntBits(f(r[fp + c[pc + 2]]) - f(r[fp + c[pc + 3]])); pc += 4; }
                    case Op.F32_MUL -> { r[fp + c[pc + 1]] = Float.floatToRawIntBits(f(r[fp + c[pc + 2]]) * f(r[fp + c[pc + 3]])); pc += 4; }
                    case Op.F32_DIV -> { r[fp + c[pc + 1]] = Float.floatToRawIntBits(f(r[fp + c[pc + 2]]) / f(r[fp + c[pc + 3]])); pc += 4; }
                    case Op.F32_EQ -> { r[fp + c[pc + 1]] = f(r[fp + c[pc + 2]]) == f(r[fp + c[pc + 3]]) ? 1 : 0; pc += 4; }
                    case Op.F32_NE -> { r[fp + c[pc + 1]] = f(r[fp + c[pc + 2]]) != f(r[fp + c[pc + 3]]) ? 1 : 0; pc += 4; }
                    case Op.F32_LT -> { r[fp + c[pc + 1]] = f(r[fp + c[pc + 2]]) < f(r[fp + c[pc + 3]]) ? 1 : 0; pc += 4; }
                    case Op.F32_GT -> { r[fp + c[pc + 1]] = f(r[fp + c[pc + 2]]) > f(r[fp + c[pc + 3]]) ? 1 : 0; pc += 4; }
                    case Op.F32_LE -> { r[fp + c[pc + 1]] = f(r[fp + c[pc + 2]]) <= f(r[fp + c[pc + 3]]) ? 1 : 0; pc += 4; }
                    case Op.F32_GE -> { r[fp + c[pc + 1]] = f(r[fp + c[pc + 2]]) >= f(r[fp + c[pc + 3]]) ? 1 : 0; pc += 4; }
                    case Op.F64_ADD -> { r[fp + c[pc + 1]] = Double.doubleToRawLongBits(d(r[fp + c[pc + 2]]) + d(r[fp + c[pc + 3]])); pc += 4; }
                    case Op.F64_SUB -> { r[fp + c[pc + 1]] = Double.doubleToRawLongBits(d(r[fp + c[pc + 2]]) - d(r[fp + c[pc + 3]])); pc += 4; }
                    case Op.F64_MUL -> { r[fp + c[pc + 1]] = Double.doubleToRawLongBits(d(r[fp + c[pc + 2]]) * d(r[fp + c[pc + 3]])); pc += 4; }
                    case Op.F64_DIV -> { r[fp + c[pc + 1]] = Double.doubleToRawLongBits(d(r[fp + c[pc + 2]]) / d(r[fp + c[pc + 3]])); pc += 4; }
                    case Op.F64_EQ -> { r[fp + c[pc + 1]] = d(r[fp + c[pc + 2]]) == d(r[fp + c[pc + 3]]) ? 1 : 0; pc += 4; }
                    case Op.F64_NE -> { r[fp + c[pc + 1]] = d(r[fp + c[pc + 2]]) != d(r[fp + c[pc + 3]]) ? 1 : 0; pc += 4; }
                    case Op.F64_LT -> { r[fp + c[pc + 1]] = d(r[fp + c[pc + 2]]) < d(r[fp + c[pc + 3]]) ? 1 : 0; pc += 4; }
                    case Op.F64_GT -> { r[fp + c[pc + 1]] = d(r[fp + c[pc + 2]]) > d(r[fp + c[pc + 3]]) ? 1 : 0; pc += 4; }
                    case Op.F64_LE -> { r[fp + c[pc + 1]] = d(r[fp + c[pc + 2]]) <= d(r[fp + c[pc + 3]]) ? 1 : 0; pc += 4; }
                    case Op.F64_GE -> { r[fp + c[pc + 1]] = d(r[fp + c[pc + 2]]) >= d(r[fp + c[pc + 3]]) ? 1 : 0; pc += 4; }
                    case Op.F32_NEG -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] ^ 0x8000_0000; pc += 3; }
                    case Op.F64_NEG -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] ^ 0x8000_0000_0000_0000L; pc += 3; }
                    case Op.F32_ABS -> { r[fp + c[pc + 1]] = (int) r[fp + c[pc + 2]] & 0x7FFF_FFFF; pc += 3; }
                    case Op.F64_ABS -> { r[fp + c[pc + 1]] = r[fp + c[pc + 2]] & 0x7FFF_FFFF_FFFF_FFFFL; pc += 3; }
                    case Op.F64_CONVERT_I32_S -> { r[fp + c[pc + 1]] = Double.doubleToRawLongBits((int) r[fp + c[pc + 2]]); pc += 3; }
                    case Op.F64_PROMOTE_F32 -> { r[fp + c[pc + 1]] = Numerics.f64Promote((int) r[fp + c[pc + 2]]); pc += 3; }

                    case Op.LOAD_I32 -> { r[fp + c[pc + 1]] = mem.get(I32, ea(r[fp + c[pc + 2]], c[pc + 3], 4, memSize)); pc += 4; }
                    case Op.LOAD_I64 -> { r[fp + c[pc + 1]] = mem.get(I64, ea(r[fp + c[pc + 2]], c[pc + 3], 8, memSize)); pc += 4; }
                    case Op.LOAD_I8_S -> { r[fp + c[pc + 1]] = mem.get(I8, ea(r[fp + c[pc + 2]], c[pc + 3], 1, memSize)); pc += 4; }
                    case Op.LOAD_I8_U -> { r[fp + c[pc + 1]] = mem.get(I8, ea(r[fp + c[pc + 2]], c[pc + 3], 1, memSize)) & 0xFF; pc += 4; }
                    case Op.LOAD_I16_S -> { r[fp + c[pc + 1]] = mem.get(I16, ea(r[fp + c[pc + 2]], c[pc + 3], 2, memSize)); pc += 4; }
                    case Op.LOAD_I16_U -> { r[fp + c[pc + 1]] = mem.get(I16, ea(r[fp + c[pc + 2]], c[pc + 3], 2, memSize)) & 0xFFFF; pc += 4; }
                    case Op.LOAD_U32 -> { r[fp + c[pc + 1]] = mem.get(I32, ea(r[fp + c[pc + 2]], c[pc + 3], 4, memSize)) & 0xFFFF_FFFFL; pc += 4; }
                    case Op.STORE_I32 -> { mem.set(I32, ea(r[fp + c[pc + 1]], c[pc + 3], 4, memSize), (int) r[fp + c[pc + 2]]); pc += 4; }
                    case Op.STORE_I64 -> { mem.set(I64, ea(r[fp + c[pc + 1]], c[pc + 3], 8, memSize), r[fp + c[pc + 2]]); pc += 4; }
                    case Op.STORE_I8 -> { mem.set(I8, ea(r[fp + c[pc + 1]], c[pc + 3], 1, memSize), (byte) r[fp + c[pc + 2]]); pc += 4; }
                    case Op.STORE_I16 -> { mem.set(I16, ea(r[fp + c[pc + 1]], c[pc + 3], 2, memSize), (short) r[fp + c[pc + 2]]); pc += 4; }
                    case Op.GLOBAL_GET_32 -> { r[fp + c[pc + 1]] = NATIVE.get(I32, globals[c[pc + 2]]); pc += 3; }
                    case Op.GLOBAL_GET_64 -> { r[fp + c[pc + 1]] = NATIVE.get(I64, globals[c[pc + 2]]); pc += 3; }
                    case Op.GLOBAL_SET_32 -> { NATIVE.set(I32, globals[c[pc + 1]], (int) r[fp + c[pc + 2]]); pc += 3; }
                    case Op.GLOBAL_SET_64 -> { NATIVE.set(I64, globals[c[pc + 1]], r[fp + c[pc + 2]]); pc += 3; }
                    case Op.V128_SELECT, Op.GLOBAL_GET_128, Op.GLOBAL_SET_128, Op.SIMD, Op.SIMD_LANE, Op.SIMD_SHUFFLE, Op.V128_LOAD,
                         Op.V128_LOAD_LANE, Op.V128_STORE, Op.V128_STORE_LANE -> pc = SimdExecution.step(c, pc, r, fp, mem, memSize, globals);
                    default -> {
                        st.depth = depth;
                        st.top = fp + fn.frameSize;
                        pc = rare(ctx, c, pc, r, fp);
                        memSize = ctx.memorySize();
                    }
                }
            }
        } catch (TrapException t) {
            if (!t.takeInnermostFrameAdded()) {
                t.addFrame(new WasmFrame(fn.funcIndex, fn.name, t.frames().isEmpty() ? fn.wasmOffsetOf(t.kind, pc) : fn.wasmOffsetAt(pc)));
            }
            for (int i = depth - 1; i >= base; i--) {
                CompiledFunction caller = st.frameFunction[i];
                t.addFrame(new WasmFrame(caller.funcIndex, caller.name, caller.wasmOffsetAt(st.framePc[i])));
            }
            throw t;
        } catch (StackOverflowError e) {
            // Only deep host re-entry can exhaust the Java stack; report it as Wasm does.
            TrapException t = new TrapException(TrapKind.CALL_STACK_EXHAUSTED);
            t.addFrame(new WasmFrame(fn.funcIndex, fn.name, fn.wasmOffsetAt(pc)));
            throw t;
        }
    }

    private static int taken(InterpreterStack st, InstanceContext ctx, CompiledFunction fn, int pc, int fp, int depth) {
        int t = fn.code[pc + 3];
        return t <= pc ? loopEdge(st, ctx, fn, t, fp, depth) : t;
    }

    /**
     * A backward branch to {@code t}: counts it, and once the function is hot, either keeps going
     * or, when native code for loop header {@code t} is ready, runs the rest of the function there
     * (on-stack replacement) and continues at the function's OSR return with its results.
     */
    private static int loopEdge(InterpreterStack st, InstanceContext ctx, CompiledFunction fn, int t, int fp, int depth) {
        if (--st.pollCountdown < 0) st.pollCountdown = ctx.poll();
        fn.backEdges++;
        long h = fn.hotness += loopWeight;
        return h < hotThreshold ? t : hotLoop(st, ctx, fn, t, fp, depth);
    }

    private static int hotLoop(InterpreterStack st, InstanceContext ctx, CompiledFunction fn, int t, int fp, int depth) {
        if (!fn.reportedHot) {
            fn.reportedHot = true;
            ctx.onHot(fn);
        }
        int idx = fn.osrIndex(t);
        if (idx < 0) return t;
        if (fn.osrEntries[idx] == null) {
            if (fn.osrRequested[idx]) return t;
            fn.osrRequested[idx] = true;
            st.depth = depth;
            st.top = fp + fn.frameSize;
            ctx.onHotLoop(fn, idx);
            if (fn.osrEntries[idx] == null) return t; // compiling in the background: keep interpreting
        }
        int[] slots = fn.osrSlots[idx];
        long[] values = new long[slots.length];
        for (int k = 0; k < slots.length; k++) values[k] = st.slots[fp + slots[k]];
        st.depth = depth;
        st.top = fp + fn.frameSize;
        long[] results;
        try {
            results = ctx.enterOsr(fn, idx, values);
        } catch (TrapException trap) {
            trap.markInnermostFrameAdded(); // the continuation's native frame is this activation
            throw trap;
        }
        long[] r = st.slots;
        for (int k = 0; k < results.length; k++) r[fp + fn.osrResultSlot + k] = results[k];
        return fn.osrReturnPc;
    }

    private static float f(long bits) {
        return Float.intBitsToFloat((int) bits);
    }

    private static double d(long bits) {
        return Double.longBitsToDouble(bits);
    }

    /** Instructions too rare to deserve a place in the main loop; returns the next pc. */
    private static int rare(InstanceContext ctx, int[] c, int pc, long[] r, int fp) {
        switch (c[pc]) {
            case Op.NOP -> {
                return pc + 1;
            }
            case Op.REF_IS_NULL -> r[fp + c[pc + 1]] = r[fp + c[pc + 2]] == 0 ? 1 : 0;
            case Op.REF_FUNC -> r[fp + c[pc + 1]] = ctx.refFunc(c[pc + 2]);
            case Op.MEMORY_SIZE -> r[fp + c[pc + 1]] = ctx.memorySize() >>> 16;
            case Op.MEMORY_GROW -> r[fp + c[pc + 1]] = (int) ctx.memoryGrow(r[fp + c[pc + 2]] & 0xFFFF_FFFFL);
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
            default -> throw new IllegalStateException("bad interpreter opcode " + c[pc] + " at " + pc);
        }
        return pc + Op.length(c[pc]);
    }

    private static long u32(long v) {
        return v & 0xFFFF_FFFFL;
    }
}
